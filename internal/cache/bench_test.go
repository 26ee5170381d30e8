package cache

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// benchAllow measures Allow on a hot key and, in parallel, spread over many
// keys (one per client IP, the realistic shape).
func benchAllow(b *testing.B, l Limiter) {
	ctx := context.Background()
	b.Run("hot-key", func(b *testing.B) {
		for b.Loop() {
			if _, err := l.Allow(ctx, "hot", 1_000_000, time.Second); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel-1k-keys", func(b *testing.B) {
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				key := "ip:" + strconv.FormatInt(n.Add(1)%1000, 10)
				if _, err := l.Allow(ctx, key, 100, time.Minute); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkMemoryAllow(b *testing.B) {
	benchAllow(b, NewMemory(time.Now).Limiter)
}

func BenchmarkRedisAllow(b *testing.B) {
	url := redisURL(b)
	benchAllow(b, openRedis(b, url, testPrefix(b, url)).Limiter)
}

package cache

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func testLimiterBurst(t *testing.T, e env) {
	ctx, l := context.Background(), e.b.Limiter
	const limit, window = 5, 10 * time.Second // one request per 2s
	for i := range limit {
		d, err := l.Allow(ctx, "burst", limit, window)
		if err != nil {
			t.Fatalf("Allow #%d: %v", i+1, err)
		}
		if !d.Allowed || d.Limit != limit || d.Remaining != limit-1-i || d.RetryAfter != 0 {
			t.Fatalf("Allow #%d = %+v; want allowed, remaining %d", i+1, d, limit-1-i)
		}
		// After i+1 requests the bucket is full again in (i+1)·2s.
		if want := time.Duration(i+1) * 2 * time.Second; d.ResetAfter > want || d.ResetAfter < want-time.Second {
			t.Fatalf("Allow #%d ResetAfter = %v, want about %v", i+1, d.ResetAfter, want)
		}
	}
	for i := range 3 {
		d, err := l.Allow(ctx, "burst", limit, window)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed || d.Remaining != 0 || d.Limit != limit {
			t.Fatalf("request %d past the burst = %+v; want denied", limit+i+1, d)
		}
		if d.RetryAfter <= 0 || d.RetryAfter > 2*time.Second {
			t.Fatalf("denied RetryAfter = %v, want in (0, 2s]", d.RetryAfter)
		}
		if d.ResetAfter < 9*time.Second || d.ResetAfter > window {
			t.Fatalf("denied ResetAfter = %v, want about %v", d.ResetAfter, window)
		}
	}
}

func testLimiterRefill(t *testing.T, e env) {
	ctx, l := context.Background(), e.b.Limiter
	const limit, window = 2, 400 * time.Millisecond // one request per 200ms
	allow := func(want bool, what string) Decision {
		t.Helper()
		d, err := l.Allow(ctx, "refill", limit, window)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed != want {
			t.Fatalf("%s: %+v, want allowed=%v", what, d, want)
		}
		return d
	}
	allow(true, "1st")
	allow(true, "2nd")
	d := allow(false, "3rd")
	if d.RetryAfter <= 0 || d.RetryAfter > 200*time.Millisecond {
		t.Fatalf("RetryAfter = %v, want in (0, 200ms]", d.RetryAfter)
	}
	e.advance(d.RetryAfter + 20*time.Millisecond)
	allow(true, "after RetryAfter")
	allow(false, "one refill admits one request")
	e.advance(window + 50*time.Millisecond)
	allow(true, "after a full window, 1st")
	allow(true, "after a full window, 2nd")
	allow(false, "after a full window, 3rd")
}

func testLimiterKeysIndependent(t *testing.T, e env) {
	ctx, l := context.Background(), e.b.Limiter
	if d, _ := l.Allow(ctx, "a", 1, time.Hour); !d.Allowed {
		t.Fatal("first request on a denied")
	}
	if d, _ := l.Allow(ctx, "a", 1, time.Hour); d.Allowed {
		t.Fatal("second request on a allowed")
	}
	if d, err := l.Allow(ctx, "b", 1, time.Hour); err != nil || !d.Allowed {
		t.Fatalf("exhausting a affected b: %+v, %v", d, err)
	}
}

// testLimiterConcurrent shows the check-and-update is atomic: many
// goroutines (half of them through a second replica, when there is one)
// race on one key and exactly `limit` get through.
func testLimiterConcurrent(t *testing.T, e env) {
	ctx := context.Background()
	const limit, workers, each = 50, 64, 4
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for w := range workers {
		l := e.b.Limiter
		if e.replica != nil && w%2 == 1 {
			l = e.replica.Limiter
		}
		wg.Go(func() {
			for range each {
				d, err := l.Allow(ctx, "shared", limit, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if d.Allowed {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != limit {
		t.Fatalf("%d of %d concurrent requests allowed, want exactly %d", n, workers*each, limit)
	}
}

func testLimiterInvalid(t *testing.T, e env) {
	ctx, l := context.Background(), e.b.Limiter
	for _, p := range []struct {
		limit  int
		window time.Duration
	}{{0, time.Second}, {-1, time.Second}, {1, 0}, {1, -time.Second}} {
		if _, err := l.Allow(ctx, "k", p.limit, p.window); err == nil {
			t.Fatalf("Allow(limit %d, window %v): want an error", p.limit, p.window)
		}
	}
	// A limit finer than the clock resolution still limits.
	if d, err := l.Allow(ctx, "fine", 1_000_000, time.Millisecond); err != nil || !d.Allowed {
		t.Fatalf("very high rate: %+v, %v", d, err)
	}
}

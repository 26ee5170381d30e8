package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"pathavana/internal/apperr"
)

// redisURL returns the test Redis (e.g. redis://127.0.0.1:6379/15) or
// skips: `go test ./...` must pass with no services running.
func redisURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("PATHAVANA_TEST_REDIS_URL")
	if u == "" {
		t.Skip("PATHAVANA_TEST_REDIS_URL not set")
	}
	return u
}

// testPrefix gives each test its own key space in the shared Redis and
// deletes it afterwards, so tests (and parallel runs) never see each other.
func testPrefix(t testing.TB, url string) string {
	t.Helper()
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	prefix := "pathavana-test:" + hex.EncodeToString(buf) + ":"
	t.Cleanup(func() {
		opts, err := redis.ParseURL(url)
		if err != nil {
			return
		}
		c := redis.NewClient(opts)
		defer c.Close()
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return prefix
}

func openRedis(t testing.TB, url, prefix string) *Backend {
	t.Helper()
	b, err := NewRedis(context.Background(), url, prefix, time.Now)
	if err != nil {
		t.Fatalf("NewRedis: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestRedisSuite(t *testing.T) {
	url := redisURL(t)
	runSuite(t, func(t *testing.T) env {
		prefix := testPrefix(t, url)
		// No revocation grace here, so expiry is testable with short real
		// TTLs; TestRedisKeysAndTTLs checks the grace NewRedis applies.
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		client := redis.NewClient(opts)
		b := newRedisBackend(client, prefix, time.Now, 0)
		t.Cleanup(func() { _ = b.Close() })
		return env{
			b:       b,
			advance: time.Sleep,
			replica: openRedis(t, url, prefix), // another pool, as another pod would have
		}
	})
}

// TestRedisReplicasShareLimit is the point of the Redis backend: two
// replicas draw from one budget per key.
func TestRedisReplicasShareLimit(t *testing.T) {
	url := redisURL(t)
	prefix := testPrefix(t, url)
	a, b := openRedis(t, url, prefix), openRedis(t, url, prefix)
	ctx := context.Background()
	steps := []struct {
		on   *Backend
		want bool
	}{{a, true}, {b, true}, {a, true}, {b, false}, {a, false}}
	for i, s := range steps {
		d, err := s.on.Limiter.Allow(ctx, "ip:203.0.113.9", 3, time.Hour)
		if err != nil || d.Allowed != s.want {
			t.Fatalf("step %d: %+v, %v; want allowed=%v", i, d, err, s.want)
		}
	}
	mustSet(t, a.Cache, "oauth-state", time.Minute)
	if _, ok, _ := b.Cache.Take(ctx, "oauth-state"); !ok {
		t.Fatal("state set on one replica not taken on the other")
	}
	_ = a.Revocations.RevokeToken(ctx, "jti-1", time.Now().Add(time.Hour))
	if revoked, _ := b.Revocations.TokenRevoked(ctx, "jti-1"); !revoked {
		t.Fatal("revocation on one replica not seen by the other")
	}
}

// TestRedisKeysAndTTLs checks what is stored: every key under the prefix,
// each with the TTL it should have (revocations: time to expiry + grace).
func TestRedisKeysAndTTLs(t *testing.T) {
	url := redisURL(t)
	prefix := testPrefix(t, url)
	b := openRedis(t, url, prefix)
	ctx := context.Background()
	raw := redis.NewClient(mustParse(t, url))
	defer raw.Close()

	mustSet(t, b.Cache, "c", 1500*time.Millisecond)
	_, _ = b.Limiter.Allow(ctx, "l", 10, time.Minute) // T = 6s
	_ = b.Revocations.RevokeToken(ctx, "tok", time.Now().Add(10*time.Second))
	_ = b.Revocations.RevokeUserTokensBefore(ctx, "usr", time.Now(), 15*time.Minute)

	checks := []struct {
		key      string
		min, max time.Duration
	}{
		{prefix + "cache:c", time.Second, 1500 * time.Millisecond},
		{prefix + "rl:l", 5 * time.Second, 6 * time.Second},
		{prefix + "revoked:token:tok", RevocationGrace + 9*time.Second, RevocationGrace + 10*time.Second},
		{prefix + "revoked:user:usr", RevocationGrace + 15*time.Minute - time.Second, RevocationGrace + 15*time.Minute},
	}
	for _, c := range checks {
		ttl, err := raw.PTTL(ctx, c.key).Result()
		if err != nil || ttl < c.min || ttl > c.max {
			t.Errorf("PTTL %s = %v, %v; want in [%v, %v]", c.key, ttl, err, c.min, c.max)
		}
	}
	keys, err := raw.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) != len(checks) {
		t.Fatalf("keys under prefix = %v, %v; want %d", keys, err, len(checks))
	}
}

func mustParse(t testing.TB, url string) *redis.Options {
	t.Helper()
	o, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// unusedAddr returns a loopback address nothing listens on.
func unusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func TestRedisOpenErrors(t *testing.T) {
	ctx := context.Background()
	addr := unusedAddr(t)
	_, err := NewRedis(ctx, "redis://app:s3cret@"+addr+"/0", "p:", nil)
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("unreachable Redis: err = %v, want one naming %s", err, addr)
	}
	for _, bad := range []string{"http://app:s3cret@" + addr, "redis://app:s3cret@bad host:1/0", "redis://app:s3cret@" + addr + "/notadb"} {
		_, err := NewRedis(ctx, bad, "p:", nil)
		if err == nil {
			t.Fatalf("NewRedis(%q): want an error", bad)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("error leaks the password: %v", err)
		}
	}
}

// TestRedisDownReturnsErrors: when Redis goes away every call returns an
// apperr.Unavailable error (callers choose fail-open or closed); none panics.
func TestRedisDownReturnsErrors(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: unusedAddr(t), MaxRetries: -1, DialerRetries: 1, DialTimeout: time.Second})
	b := newRedisBackend(client, "p:", nil, RevocationGrace)
	defer b.Close()
	ctx := context.Background()
	now := time.Now()
	calls := map[string]func() error{
		"Get":    func() error { _, _, err := b.Cache.Get(ctx, "k"); return err },
		"Set":    func() error { return b.Cache.Set(ctx, "k", []byte("v"), time.Minute) },
		"Delete": func() error { return b.Cache.Delete(ctx, "k") },
		"Take":   func() error { _, _, err := b.Cache.Take(ctx, "k"); return err },
		"Ping":   func() error { return b.Cache.Ping(ctx) },
		"Allow":  func() error { _, err := b.Limiter.Allow(ctx, "k", 1, time.Second); return err },
		"RevokeToken": func() error {
			return b.Revocations.RevokeToken(ctx, "t", now.Add(time.Hour))
		},
		"TokenRevoked": func() error { _, err := b.Revocations.TokenRevoked(ctx, "t"); return err },
		"RevokeUserTokensBefore": func() error {
			return b.Revocations.RevokeUserTokensBefore(ctx, "u", now, time.Hour)
		},
		"UserTokensRevokedBefore": func() error {
			_, err := b.Revocations.UserTokensRevokedBefore(ctx, "u")
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !apperr.Is(err, apperr.Unavailable) {
			t.Errorf("%s with Redis down: err = %v, want an unavailable error", name, err)
		}
	}
}

package cache

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is the injected now() for the memory backend: tests move it
// instead of sleeping, which is exact and instant.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestMemorySuite(t *testing.T) {
	runSuite(t, func(t *testing.T) env {
		clock := newFakeClock()
		b := NewMemory(clock.Now)
		t.Cleanup(func() { _ = b.Close() })
		if b.Kind != "memory" {
			t.Fatalf("Kind = %q", b.Kind)
		}
		return env{b: b, advance: clock.Advance, grace: RevocationGrace}
	})
}

func TestMemoryLimiterEvictsLeastRecentlyUsed(t *testing.T) {
	ctx, clock := context.Background(), newFakeClock()
	opts := defaultMemoryOptions()
	opts.maxLimiterKeys = 3
	l := newMemory(clock.Now, opts).Limiter.(*memLimiter)
	for _, k := range []string{"k1", "k2", "k3"} {
		if d, _ := l.Allow(ctx, k, 1, time.Hour); !d.Allowed {
			t.Fatalf("%s: first request denied", k)
		}
	}
	_, _ = l.Allow(ctx, "k1", 1, time.Hour) // denied, but makes k1 recently used
	_, _ = l.Allow(ctx, "k4", 1, time.Hour) // evicts k2, the least recently used
	if n := l.len(); n != 3 {
		t.Fatalf("limiter tracks %d keys, cap is 3", n)
	}
	if d, _ := l.Allow(ctx, "k1", 1, time.Hour); d.Allowed {
		t.Fatal("the actively used key k1 was evicted and its budget reset")
	}
	if d, _ := l.Allow(ctx, "k2", 1, time.Hour); !d.Allowed {
		t.Fatal("k2 should have been evicted (fresh budget)")
	}
}

func TestMemoryLimiterFloodStaysBounded(t *testing.T) {
	ctx, clock := context.Background(), newFakeClock()
	opts := defaultMemoryOptions()
	opts.maxLimiterKeys = 1000
	l := newMemory(clock.Now, opts).Limiter.(*memLimiter)
	for i := range 10_000 {
		_, _ = l.Allow(ctx, fmt.Sprintf("ip:%d", i), 10, time.Minute)
	}
	if n := l.len(); n != 1000 {
		t.Fatalf("after a flood of 10000 IPs the limiter tracks %d keys, cap 1000", n)
	}
	// Once their TATs pass and a sweep is due, idle keys are dropped.
	clock.Advance(sweepInterval + time.Minute)
	_, _ = l.Allow(ctx, "after", 10, time.Minute)
	if n := l.len(); n != 1 {
		t.Fatalf("after the sweep the limiter tracks %d keys, want 1", n)
	}
}

func TestMemoryCacheBoundedBytes(t *testing.T) {
	ctx, clock := context.Background(), newFakeClock()
	opts := defaultMemoryOptions()
	opts.maxCacheBytes = 100
	c := newMemory(clock.Now, opts).Cache.(*memCache)
	for i := range 50 {
		key := fmt.Sprintf("k%02d", i) // 3 bytes + 17 bytes of value = 20
		if err := c.Set(ctx, key, make([]byte, 17), time.Hour); err != nil {
			t.Fatal(err)
		}
		if c.m.bytes > 100 {
			t.Fatalf("cache holds %d bytes, cap 100", c.m.bytes)
		}
		if _, ok, _ := c.Get(ctx, key); !ok {
			t.Fatalf("the entry just set (%s) was evicted", key)
		}
	}
	if n := c.m.len(); n != 5 {
		t.Fatalf("cache holds %d entries, want 5 of 20 bytes", n)
	}
	if err := c.Set(ctx, "huge", make([]byte, 200), time.Hour); err != nil {
		t.Fatalf("oversized Set: %v", err)
	}
	if _, ok, _ := c.Get(ctx, "huge"); ok {
		t.Fatal("a value larger than the whole cache was stored")
	}
	_ = c.Delete(ctx, "k49")
	_, _, _ = c.Take(ctx, "k48")
	if n := c.m.len(); c.m.bytes != 20*n {
		t.Fatalf("byte accounting drifted: %d bytes for %d entries", c.m.bytes, n)
	}
}

func TestMemorySweepsExpiredEntries(t *testing.T) {
	ctx, clock := context.Background(), newFakeClock()
	b := NewMemory(clock.Now)
	c, r := b.Cache.(*memCache), b.Revocations.(*memRevocations)
	for i := range 100 {
		_ = c.Set(ctx, fmt.Sprint(i), []byte("x"), time.Second)
		_ = r.RevokeToken(ctx, fmt.Sprint(i), clock.Now().Add(time.Second))
	}
	clock.Advance(sweepInterval + RevocationGrace + time.Second)
	_ = c.Set(ctx, "new", []byte("x"), time.Second)
	_ = r.RevokeToken(ctx, "new", clock.Now().Add(time.Second))
	if n := c.m.len(); n != 1 {
		t.Fatalf("cache kept %d entries after the sweep, want 1", n)
	}
	if n := r.tokens.len(); n != 1 {
		t.Fatalf("revocations kept %d tokens after the sweep, want 1", n)
	}
}

func TestMemoryNilClockUsesRealTime(t *testing.T) {
	b := NewMemory(nil)
	if err := b.Cache.Set(context.Background(), "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := b.Cache.Get(context.Background(), "k"); !ok {
		t.Fatal("entry missing with the real clock")
	}
}

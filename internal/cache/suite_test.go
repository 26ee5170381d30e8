package cache

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// env is one backend under test, as the shared suite sees it. The suite
// never knows which implementation it drives: that is the point.
type env struct {
	b *Backend
	// advance moves the backend's clock forward: a fake clock for memory,
	// a real sleep for Redis (whose TTLs and TIME are the server's).
	advance func(time.Duration)
	// grace is the revocation grace the backend was built with.
	grace time.Duration
	// replica is a second Backend sharing state with b (another API
	// replica on the same Redis), or nil for single-process backends.
	replica *Backend
}

// runSuite runs the behaviour every implementation must share. open must
// return a fresh, isolated backend (and clean it up) on each call.
func runSuite(t *testing.T, open func(t *testing.T) env) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e env)
	}{
		{"CacheBasics", testCacheBasics},
		{"CacheTTL", testCacheTTL},
		{"TakeOneShot", testTakeOneShot},
		{"Observed", testObserved},
		{"LimiterBurst", testLimiterBurst},
		{"LimiterRefill", testLimiterRefill},
		{"LimiterKeysIndependent", testLimiterKeysIndependent},
		{"LimiterConcurrent", testLimiterConcurrent},
		{"LimiterInvalid", testLimiterInvalid},
		{"TokenRevocation", testTokenRevocation},
		{"UserCutoff", testUserCutoff},
		{"Bus", testBus},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testCacheBasics(t *testing.T, e env) {
	ctx, c := context.Background(), e.b.Cache
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if _, ok, err := c.Get(ctx, "k"); ok || err != nil {
		t.Fatalf("Get on empty cache = ok %v, err %v", ok, err)
	}
	in := []byte("hello")
	if err := c.Set(ctx, "k", in, time.Minute); err != nil {
		t.Fatalf("Set: %v", err)
	}
	in[0] = 'J' // the cache must have copied
	got, ok, err := c.Get(ctx, "k")
	if err != nil || !ok || string(got) != "hello" {
		t.Fatalf("Get = %q, %v, %v; want hello", got, ok, err)
	}
	got[0] = 'Y'
	if again, _, _ := c.Get(ctx, "k"); string(again) != "hello" {
		t.Fatalf("mutating a returned value changed the cache: %q", again)
	}
	if err := c.Set(ctx, "k", []byte("v2"), time.Minute); err != nil {
		t.Fatalf("overwrite: %v", err)
	}
	if got, _, _ := c.Get(ctx, "k"); string(got) != "v2" {
		t.Fatalf("after overwrite Get = %q", got)
	}
	if err := c.Set(ctx, "empty", []byte{}, time.Minute); err != nil {
		t.Fatalf("Set empty: %v", err)
	}
	if got, ok, _ := c.Get(ctx, "empty"); !ok || len(got) != 0 {
		t.Fatalf("empty value: ok=%v len=%d", ok, len(got))
	}
	if err := c.Delete(ctx, "k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := c.Delete(ctx, "never-set"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	if _, ok, _ := c.Get(ctx, "k"); ok {
		t.Fatal("Get after Delete found the key")
	}
	for _, ttl := range []time.Duration{0, -time.Second} {
		if err := c.Set(ctx, "k", []byte("x"), ttl); err == nil {
			t.Fatalf("Set with ttl %v: want an error", ttl)
		}
	}
}

func testCacheTTL(t *testing.T, e env) {
	ctx, c := context.Background(), e.b.Cache
	mustSet(t, c, "short", 300*time.Millisecond)
	mustSet(t, c, "long", time.Minute)
	mustSet(t, c, "renewed", 300*time.Millisecond)
	e.advance(150 * time.Millisecond)
	if _, ok, _ := c.Get(ctx, "short"); !ok {
		t.Fatal("entry gone before its TTL")
	}
	mustSet(t, c, "renewed", 300*time.Millisecond) // Set restarts the TTL
	e.advance(250 * time.Millisecond)
	if _, ok, _ := c.Get(ctx, "short"); ok {
		t.Fatal("entry still there after its TTL")
	}
	if _, ok, _ := c.Take(ctx, "short"); ok {
		t.Fatal("Take returned an expired entry")
	}
	if _, ok, _ := c.Get(ctx, "renewed"); !ok {
		t.Fatal("re-Set entry expired with its old TTL")
	}
	if _, ok, _ := c.Get(ctx, "long"); !ok {
		t.Fatal("long-TTL entry expired early")
	}
}

func testTakeOneShot(t *testing.T, e env) {
	ctx, c := context.Background(), e.b.Cache
	mustSet(t, c, "state", time.Minute)
	if v, ok, err := c.Take(ctx, "state"); err != nil || !ok || string(v) != "v" {
		t.Fatalf("Take = %q, %v, %v", v, ok, err)
	}
	if _, ok, _ := c.Take(ctx, "state"); ok {
		t.Fatal("second Take succeeded")
	}
	if _, ok, _ := c.Get(ctx, "state"); ok {
		t.Fatal("Get after Take found the key")
	}

	const rounds, workers = 20, 32
	for round := range rounds {
		mustSet(t, c, "race", time.Minute)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				_, ok, err := c.Take(ctx, "race")
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("round %d: %d of %d concurrent Takes got the value, want exactly 1", round, n, workers)
		}
	}
}

func testObserved(t *testing.T, e env) {
	ctx := context.Background()
	var hits, misses atomic.Int32
	c := Observed(e.b.Cache, func(hit bool) {
		if hit {
			hits.Add(1)
		} else {
			misses.Add(1)
		}
	})
	_, _, _ = c.Get(ctx, "x") // miss
	mustSet(t, c, "x", time.Minute)
	_, _, _ = c.Get(ctx, "x")  // hit
	_, _, _ = c.Take(ctx, "x") // hit
	_, _, _ = c.Take(ctx, "x") // miss
	if hits.Load() != 2 || misses.Load() != 2 {
		t.Fatalf("hits=%d misses=%d, want 2 and 2", hits.Load(), misses.Load())
	}
	if Observed(e.b.Cache, nil) != e.b.Cache {
		t.Fatal("Observed with a nil callback should return the cache unchanged")
	}
}

func testTokenRevocation(t *testing.T, e env) {
	ctx, r := context.Background(), e.b.Revocations
	if revoked, err := r.TokenRevoked(ctx, "t1"); err != nil || revoked {
		t.Fatalf("fresh token revoked=%v err=%v", revoked, err)
	}
	if err := r.RevokeToken(ctx, "t1", time.Now().Add(300*time.Millisecond)); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	// Memory uses a fake clock starting at the real now, so time.Now() is
	// a fair expiry base for both implementations.
	if revoked, err := r.TokenRevoked(ctx, "t1"); err != nil || !revoked {
		t.Fatalf("revoked token: revoked=%v err=%v", revoked, err)
	}
	if revoked, _ := r.TokenRevoked(ctx, "t2"); revoked {
		t.Fatal("revoking t1 revoked t2")
	}
	if err := r.RevokeToken(ctx, "old", time.Now().Add(-e.grace-time.Hour)); err != nil {
		t.Fatalf("revoking an expired token: %v", err)
	}
	if revoked, _ := r.TokenRevoked(ctx, "old"); revoked {
		t.Fatal("an already-expired token needs no revocation record")
	}
	e.advance(150 * time.Millisecond)
	if revoked, _ := r.TokenRevoked(ctx, "t1"); !revoked {
		t.Fatal("revocation forgotten before the token expired")
	}
	e.advance(250*time.Millisecond + e.grace)
	if revoked, _ := r.TokenRevoked(ctx, "t1"); revoked {
		t.Fatal("revocation kept after the token expired")
	}
	if err := r.RevokeToken(ctx, "", time.Now().Add(time.Hour)); err == nil {
		t.Fatal("empty token id: want an error")
	}
	if _, err := r.TokenRevoked(ctx, ""); err == nil {
		t.Fatal("empty token id: want an error")
	}
}

func testUserCutoff(t *testing.T, e env) {
	ctx, r := context.Background(), e.b.Revocations
	if got, err := r.UserTokensRevokedBefore(ctx, "u1"); err != nil || !got.IsZero() {
		t.Fatalf("no cutoff: got %v, %v", got, err)
	}
	base := time.Date(2030, 5, 1, 12, 0, 0, 123456789, time.FixedZone("X", 3600))
	want := time.Date(2030, 5, 1, 11, 0, 0, 123456000, time.UTC) // UTC, µs
	if err := r.RevokeUserTokensBefore(ctx, "u1", base, time.Minute); err != nil {
		t.Fatalf("RevokeUserTokensBefore: %v", err)
	}
	if got, err := r.UserTokensRevokedBefore(ctx, "u1"); err != nil || !got.Equal(want) || got.Location() != time.UTC {
		t.Fatalf("cutoff = %v, %v; want %v", got, err, want)
	}
	if err := r.RevokeUserTokensBefore(ctx, "u1", base.Add(-time.Hour), time.Minute); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.UserTokensRevokedBefore(ctx, "u1"); !got.Equal(want) {
		t.Fatalf("an earlier cutoff moved it back: %v", got)
	}
	_ = r.RevokeUserTokensBefore(ctx, "u1", base.Add(time.Hour), time.Minute)
	if got, _ := r.UserTokensRevokedBefore(ctx, "u1"); !got.Equal(want.Add(time.Hour)) {
		t.Fatalf("a later cutoff was not kept: %v", got)
	}
	if got, _ := r.UserTokensRevokedBefore(ctx, "u2"); !got.IsZero() {
		t.Fatalf("u1's cutoff leaked to u2: %v", got)
	}

	// Expiry, and a shorter TTL never shortens an existing record.
	_ = r.RevokeUserTokensBefore(ctx, "short", base, 300*time.Millisecond)
	_ = r.RevokeUserTokensBefore(ctx, "long", base, time.Minute)
	_ = r.RevokeUserTokensBefore(ctx, "long", base.Add(time.Second), 300*time.Millisecond)
	e.advance(400*time.Millisecond + e.grace)
	if got, _ := r.UserTokensRevokedBefore(ctx, "short"); !got.IsZero() {
		t.Fatalf("cutoff kept after its TTL: %v", got)
	}
	if got, _ := r.UserTokensRevokedBefore(ctx, "long"); !got.Equal(want.Add(time.Second)) {
		t.Fatalf("shorter TTL cut a longer one short, or cutoff lost: %v", got)
	}

	for _, bad := range []struct {
		user   string
		cutoff time.Time
		ttl    time.Duration
	}{{"", base, time.Minute}, {"u", time.Time{}, time.Minute}, {"u", base, 0}} {
		if err := r.RevokeUserTokensBefore(ctx, bad.user, bad.cutoff, bad.ttl); err == nil {
			t.Fatalf("RevokeUserTokensBefore(%q, %v, %v): want an error", bad.user, bad.cutoff, bad.ttl)
		}
	}
}

func mustSet(t *testing.T, c Cache, key string, ttl time.Duration) {
	t.Helper()
	if err := c.Set(context.Background(), key, []byte("v"), ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

// testBus: a notice published on one replica reaches subscribers on every
// replica, and a cancelled subscription hears nothing more.
func testBus(t *testing.T, e env) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	publisher := e.b
	if e.replica != nil {
		publisher = e.replica
	}
	got := make(chan string, 4)
	e.b.Bus.Subscribe(ctx, "users", func(msg string) { got <- msg })
	other := make(chan string, 4)
	e.b.Bus.Subscribe(ctx, "other", func(msg string) { other <- msg })
	if err := publisher.Bus.Publish(ctx, "users", "u1"); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	select {
	case m := <-got:
		if m != "u1" {
			t.Fatalf("received %q, want u1", m)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("published notice never arrived")
	}
	select {
	case m := <-other:
		t.Fatalf("subscriber of another topic received %q", m)
	default:
	}

	sub2, stop := context.WithCancel(ctx)
	late := make(chan string, 4)
	e.b.Bus.Subscribe(sub2, "users", func(msg string) { late <- msg })
	stop()
	time.Sleep(50 * time.Millisecond) // let the subscription wind down
	if err := publisher.Bus.Publish(ctx, "users", "u2"); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	select {
	case m := <-got:
		if m != "u2" {
			t.Fatalf("received %q, want u2", m)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("second notice never arrived")
	}
	select {
	case m := <-late:
		t.Fatalf("cancelled subscription still received %q", m)
	case <-time.After(100 * time.Millisecond):
	}
}

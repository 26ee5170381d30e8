package cache

import (
	"context"
	"sync"
	"time"
)

// Bounds of the in-process backend. They exist so that no client input
// (cache keys derived from queries, one limiter key per IP) can grow the
// process without limit.
const (
	// defaultMaxCacheBytes caps keys+values held by the memory cache; past
	// it, expired entries are swept and then random entries evicted (like
	// Redis allkeys-random), which suits a cache of recomputable results.
	defaultMaxCacheBytes = 64 << 20
	// defaultMaxLimiterKeys caps limiter keys; past it the least recently
	// used key is evicted. ~100 bytes each, so ~10 MB at the cap.
	defaultMaxLimiterKeys = 100_000
	// sweepInterval is how often writes trigger a full sweep of expired
	// entries. Sweeping on writes (amortised O(1)) needs no goroutine, so
	// there is nothing to stop and it works with an injected clock.
	sweepInterval = time.Minute
)

// memoryOptions are the knobs tests shrink; NewMemory uses the defaults.
type memoryOptions struct {
	maxCacheBytes   int
	maxLimiterKeys  int
	revocationGrace time.Duration
}

func defaultMemoryOptions() memoryOptions {
	return memoryOptions{
		maxCacheBytes:   defaultMaxCacheBytes,
		maxLimiterKeys:  defaultMaxLimiterKeys,
		revocationGrace: RevocationGrace,
	}
}

// NewMemory returns the in-process backend: the default, for a single
// `serve` process, with no service to run. now is injected so tests (and
// the shared suite) can move time instead of sleeping.
func NewMemory(now func() time.Time) *Backend {
	return newMemory(now, defaultMemoryOptions())
}

func newMemory(now func() time.Time, o memoryOptions) *Backend {
	if now == nil {
		now = time.Now
	}
	return &Backend{
		Cache:   &memCache{m: newTTLMap[[]byte](now, o.maxCacheBytes)},
		Limiter: newMemLimiter(now, o.maxLimiterKeys),
		Revocations: &memRevocations{
			now:    now,
			grace:  o.revocationGrace,
			tokens: newTTLMap[struct{}](now, 0),
			users:  newTTLMap[time.Time](now, 0),
		},
		Bus:   newMemBus(),
		Kind:  "memory",
		Close: func() error { return nil },
	}
}

// ttlMap is a mutex-guarded map whose entries expire. When maxBytes > 0,
// the total size of keys and []byte values is capped.
type ttlMap[V any] struct {
	mu        sync.Mutex
	now       func() time.Time
	m         map[string]ttlEntry[V]
	bytes     int
	maxBytes  int
	lastSweep time.Time
}

type ttlEntry[V any] struct {
	val V
	exp time.Time
}

func newTTLMap[V any](now func() time.Time, maxBytes int) *ttlMap[V] {
	return &ttlMap[V]{now: now, m: make(map[string]ttlEntry[V]), maxBytes: maxBytes, lastSweep: now()}
}

// size counts what an entry costs towards maxBytes; only []byte values are
// large enough to matter.
func (t *ttlMap[V]) size(key string, v V) int {
	if b, ok := any(v).([]byte); ok {
		return len(key) + len(b)
	}
	return len(key)
}

// live reports whether an entry is still valid at now.
func live(exp, now time.Time) bool { return now.Before(exp) }

// get returns the live value under key. With take, it also removes it;
// holding the lock across both is what makes Take one-shot.
func (t *ttlMap[V]) get(key string, take bool) (V, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var zero V
	e, ok := t.m[key]
	if !ok {
		return zero, false
	}
	alive := live(e.exp, t.now())
	if !alive || take {
		t.removeLocked(key, e)
	}
	if !alive {
		return zero, false
	}
	return e.val, true
}

// update replaces key's entry with f(old, found) under the lock, so
// read-modify-write callers (max of cutoffs) are atomic.
func (t *ttlMap[V]) update(key string, f func(old ttlEntry[V], found bool) ttlEntry[V]) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if now.Sub(t.lastSweep) >= sweepInterval {
		t.sweepLocked(now)
	}
	old, found := t.m[key]
	if found && !live(old.exp, now) {
		t.removeLocked(key, old)
		old, found = ttlEntry[V]{}, false
	}
	e := f(old, found)
	if found {
		t.removeLocked(key, old)
	}
	n := t.size(key, e.val)
	if t.maxBytes > 0 && n > t.maxBytes {
		return // larger than the whole cache: not worth evicting everything
	}
	if t.maxBytes > 0 && t.bytes+n > t.maxBytes {
		t.sweepLocked(now)
		for k, v := range t.m { // random order: random eviction
			if t.bytes+n <= t.maxBytes {
				break
			}
			t.removeLocked(k, v)
		}
	}
	t.m[key] = e
	t.bytes += n
}

func (t *ttlMap[V]) delete(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.m[key]; ok {
		t.removeLocked(key, e)
	}
}

func (t *ttlMap[V]) removeLocked(key string, e ttlEntry[V]) {
	delete(t.m, key)
	t.bytes -= t.size(key, e.val)
}

func (t *ttlMap[V]) sweepLocked(now time.Time) {
	for k, e := range t.m {
		if !live(e.exp, now) {
			t.removeLocked(k, e)
		}
	}
	t.lastSweep = now
}

// len counts stored entries, expired or not (for tests of the bounds).
func (t *ttlMap[V]) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// memCache is the in-process Cache.
type memCache struct{ m *ttlMap[[]byte] }

func (c *memCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	v, ok := c.m.get(key, false)
	return clone(v, ok), ok, nil
}

func (c *memCache) Take(_ context.Context, key string) ([]byte, bool, error) {
	v, ok := c.m.get(key, true)
	return clone(v, ok), ok, nil
}

func (c *memCache) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return errNonPositiveTTL
	}
	v := clone(val, true)
	c.m.update(key, func(ttlEntry[[]byte], bool) ttlEntry[[]byte] {
		return ttlEntry[[]byte]{val: v, exp: c.m.now().Add(ttl)}
	})
	return nil
}

func (c *memCache) Delete(_ context.Context, key string) error {
	c.m.delete(key)
	return nil
}

func (c *memCache) Ping(context.Context) error { return nil }

// clone copies b so the caller and the cache never share a backing array;
// a found empty value comes back non-nil, as from Redis.
func clone(b []byte, ok bool) []byte {
	if !ok {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}

// memRevocations is the in-process Revocations. Its maps are not size
// capped: forgetting a revocation would be a security bug, and entries live
// no longer than the tokens they concern.
type memRevocations struct {
	now    func() time.Time
	grace  time.Duration
	tokens *ttlMap[struct{}]
	users  *ttlMap[time.Time]
}

func (r *memRevocations) RevokeToken(_ context.Context, tokenID string, expiresAt time.Time) error {
	if err := checkID("token id", tokenID); err != nil {
		return err
	}
	exp := expiresAt.Add(r.grace)
	if !live(exp, r.now()) {
		return nil
	}
	r.tokens.update(tokenID, func(ttlEntry[struct{}], bool) ttlEntry[struct{}] {
		return ttlEntry[struct{}]{exp: exp}
	})
	return nil
}

func (r *memRevocations) TokenRevoked(_ context.Context, tokenID string) (bool, error) {
	if err := checkID("token id", tokenID); err != nil {
		return false, err
	}
	_, ok := r.tokens.get(tokenID, false)
	return ok, nil
}

func (r *memRevocations) RevokeUserTokensBefore(_ context.Context, userID string, cutoff time.Time, ttl time.Duration) error {
	if err := checkID("user id", userID); err != nil {
		return err
	}
	if err := checkCutoff(cutoff); err != nil {
		return err
	}
	if ttl <= 0 {
		return errNonPositiveTTL
	}
	// Same precision as the Redis implementation stores.
	cutoff = time.UnixMicro(cutoff.UnixMicro()).UTC()
	exp := r.now().Add(ttl + r.grace)
	r.users.update(userID, func(old ttlEntry[time.Time], found bool) ttlEntry[time.Time] {
		e := ttlEntry[time.Time]{val: cutoff, exp: exp}
		if found && old.val.After(e.val) {
			e.val = old.val
		}
		if found && old.exp.After(e.exp) {
			e.exp = old.exp
		}
		return e
	})
	return nil
}

func (r *memRevocations) UserTokensRevokedBefore(_ context.Context, userID string) (time.Time, error) {
	if err := checkID("user id", userID); err != nil {
		return time.Time{}, err
	}
	v, _ := r.users.get(userID, false)
	return v, nil
}

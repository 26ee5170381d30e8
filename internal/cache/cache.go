// Package cache holds the small pieces of shared, expiring state that API
// replicas need: a byte cache, a rate limiter and a token-revocation store.
//
// Each has two implementations with the same behaviour, checked by one
// shared test suite: an in-process one (the default for a single `serve`
// process, no extra service to run) and a Redis one (so 3–10 replicas behind
// a load balancer share one cache, one rate-limit budget per client and one
// revocation list). Callers see only the interfaces and the Backend bundle.
//
// Redis failures are returned as apperr.Unavailable errors, never hidden and
// never panics: whether to fail open (cache, rate limit) or closed (token
// revocation) is a policy decision that belongs to the caller.
package cache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pathavana/internal/apperr"
)

// Cache is a byte cache with per-key TTLs.
//
// Every entry must have a TTL (ttl > 0): the in-process cache is bounded and
// entries that never expire are how caches turn into memory leaks.
// Values are copied in and out, so callers may reuse their slices.
type Cache interface {
	Get(ctx context.Context, key string) (val []byte, ok bool, err error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	Delete(ctx context.Context, key string) error
	// Take atomically gets and deletes (used for one-shot OAuth state).
	Take(ctx context.Context, key string) (val []byte, ok bool, err error)
	Ping(ctx context.Context) error
}

// Decision is the outcome of one rate-limit check, with what the
// RateLimit-* headers need.
type Decision struct {
	// Allowed reports whether this request fits in the budget.
	Allowed bool
	// Limit is the burst size: requests allowed per window.
	Limit int
	// Remaining is how many more requests would be allowed right now.
	Remaining int
	// ResetAfter is how long until the full burst is available again.
	ResetAfter time.Duration
	// RetryAfter is how long until the next request would be allowed;
	// positive when denied, zero when allowed.
	RetryAfter time.Duration
}

// Limiter allows `limit` requests per `window` per key, with bursts up to
// limit (GCRA, see gcra.go), shared by every replica when backed by Redis.
//
// A key's state assumes one (limit, window) policy: use distinct keys (for
// example "login:ip:1.2.3.4" and "api:user:42") for distinct policies.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (Decision, error)
}

// Revocations remembers revoked access tokens until they expire, and
// per-user cut-offs ("log out everywhere").
//
// Access tokens are stateless (signed), so revocation is the one place where
// the auth path must consult shared state; entries are kept only as long as
// the tokens they concern could still be accepted, plus RevocationGrace.
type Revocations interface {
	// RevokeToken remembers tokenID as revoked until expiresAt (+ grace).
	// A token already past expiresAt+grace needs no record and is ignored.
	RevokeToken(ctx context.Context, tokenID string, expiresAt time.Time) error
	TokenRevoked(ctx context.Context, tokenID string) (bool, error)
	// RevokeUserTokensBefore revokes every token of userID issued before
	// cutoff, remembered for ttl (+ grace; pass the access-token lifetime).
	// It keeps the later of the existing and new cutoff and the longer
	// lifetime, so a stale call can never shorten a revocation.
	RevokeUserTokensBefore(ctx context.Context, userID string, cutoff time.Time, ttl time.Duration) error
	// UserTokensRevokedBefore returns the user's cutoff (UTC, microsecond
	// precision), or the zero time if none.
	UserTokensRevokedBefore(ctx context.Context, userID string) (time.Time, error)
}

// RevocationGrace is how long revocation records outlive the expiry they
// were given. Token validators usually accept tokens a little past `exp`
// (clock-skew leeway) and replicas' clocks drift; without a margin a revoked
// token could come back to life in that gap. A minute costs almost nothing.
const RevocationGrace = time.Minute

// Backend bundles the three plus lifecycle, so `serve` picks one
// implementation from config and passes it down explicitly.
type Backend struct {
	Cache       Cache
	Limiter     Limiter
	Revocations Revocations
	Bus         Bus
	// Kind is "memory" or "redis", for logs, /readyz and `doctor`.
	Kind string
	// Close releases connections; safe to call once at shutdown.
	Close func() error
}

// Observed wraps a Cache and calls onLookup(hit) on every Get/Take (for
// Prometheus hit/miss counters), keeping metrics out of this package.
// A lookup that fails with an error counts as a miss: the caller recomputes.
func Observed(c Cache, onLookup func(hit bool)) Cache {
	if onLookup == nil {
		return c
	}
	return &observedCache{Cache: c, onLookup: onLookup}
}

type observedCache struct {
	Cache
	onLookup func(hit bool)
}

func (o *observedCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, ok, err := o.Cache.Get(ctx, key)
	o.onLookup(ok && err == nil)
	return v, ok, err
}

func (o *observedCache) Take(ctx context.Context, key string) ([]byte, bool, error) {
	v, ok, err := o.Cache.Take(ctx, key)
	o.onLookup(ok && err == nil)
	return v, ok, err
}

// errNonPositiveTTL is returned for Set/RevokeUserTokensBefore without a TTL.
var errNonPositiveTTL = errors.New("cache: ttl must be positive")

// checkLimit rejects policies that make no sense; they are programming
// errors, so they surface as internal errors rather than being guessed at.
func checkLimit(limit int, window time.Duration) error {
	if limit <= 0 || window <= 0 {
		return fmt.Errorf("cache: invalid rate limit %d per %s", limit, window)
	}
	return nil
}

// checkID rejects empty token and user IDs, which would otherwise collide.
func checkID(kind, id string) error {
	if id == "" {
		return fmt.Errorf("cache: empty %s", kind)
	}
	return nil
}

// checkCutoff rejects cutoffs outside what is stored exactly: cutoffs are
// kept as Unix microseconds, which Redis Lua (doubles) holds exactly only
// within ±2^53, and a zero or pre-1970 cutoff is always a bug.
func checkCutoff(cutoff time.Time) error {
	if us := cutoff.UnixMicro(); us <= 0 || us > 1<<53 {
		return fmt.Errorf("cache: cutoff %s out of range", cutoff.Format(time.RFC3339))
	}
	return nil
}

// unavailable marks a backend failure so httpapi can map it to 503 and the
// caller can choose to fail open or closed. The cause stays in Err for logs.
func unavailable(op string, err error) error {
	return apperr.Wrap(fmt.Errorf("redis %s: %w", op, err), apperr.Unavailable, "cache backend unavailable")
}

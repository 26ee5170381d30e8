package secure

import (
	"sync"
	"time"
)

// verifiedCache remembers tokens whose signature and claims already
// verified, so a client sending the same access token on every request pays
// for HMAC and JSON parsing once. Expiry is still checked on every hit, and
// revocation is the caller's job either way. Bounded: when full, an
// arbitrary entry is dropped (map iteration order is random enough).
type verifiedCache struct {
	mu      sync.RWMutex
	entries map[string]AccessClaims
	max     int
}

func newVerifiedCache(max int) *verifiedCache {
	return &verifiedCache{entries: make(map[string]AccessClaims, max), max: max}
}

func (c *verifiedCache) get(token string, now time.Time) (AccessClaims, bool) {
	c.mu.RLock()
	claims, ok := c.entries[token]
	c.mu.RUnlock()
	if ok && !now.Before(claims.ExpiresAt.Add(clockLeeway)) {
		c.mu.Lock()
		delete(c.entries, token)
		c.mu.Unlock()
		return AccessClaims{}, false
	}
	return claims, ok
}

func (c *verifiedCache) put(token string, claims AccessClaims) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[token] = claims
}

package cache

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// memLimiter is the in-process GCRA limiter. Its keys are client-controlled
// (one per IP, per account, …), so the key count is capped: past maxKeys the
// least recently used key is evicted. An attacker rotating through IPs can
// thus only reset the budgets of idle keys, never of one being hammered
// right now (that one is the most recently used). Keys whose TAT has passed
// hold no information (a fresh key behaves the same) and are swept.
type memLimiter struct {
	mu        sync.Mutex
	now       func() time.Time
	maxKeys   int
	keys      map[string]*list.Element // of *limiterEntry
	lru       *list.List               // front = most recently used
	lastSweep time.Time
}

type limiterEntry struct {
	key string
	tat time.Time
}

func newMemLimiter(now func() time.Time, maxKeys int) *memLimiter {
	if maxKeys < 1 {
		maxKeys = 1
	}
	return &memLimiter{
		now:       now,
		maxKeys:   maxKeys,
		keys:      make(map[string]*list.Element),
		lru:       list.New(),
		lastSweep: now(),
	}
}

// Allow applies one GCRA step to key with the injected clock; the single
// mutex makes the read-modify-write atomic across goroutines.
func (l *memLimiter) Allow(_ context.Context, key string, limit int, window time.Duration) (Decision, error) {
	if err := checkLimit(limit, window); err != nil {
		return Decision{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.lastSweep) >= sweepInterval {
		l.sweepLocked(now)
	}

	el, found := l.keys[key]
	var tat time.Time
	if found {
		tat = el.Value.(*limiterEntry).tat
		l.lru.MoveToFront(el)
	}
	d, newTAT := gcraStep(now, tat, limit, window)
	if !d.Allowed {
		return d, nil
	}
	if found {
		el.Value.(*limiterEntry).tat = newTAT
		return d, nil
	}
	for len(l.keys) >= l.maxKeys {
		oldest := l.lru.Back()
		l.lru.Remove(oldest)
		delete(l.keys, oldest.Value.(*limiterEntry).key)
	}
	l.keys[key] = l.lru.PushFront(&limiterEntry{key: key, tat: newTAT})
	return d, nil
}

// sweepLocked drops keys whose TAT has passed: they are equivalent to
// absent ones, so forgetting them changes no decision.
func (l *memLimiter) sweepLocked(now time.Time) {
	for el := l.lru.Back(); el != nil; {
		prev := el.Prev()
		if e := el.Value.(*limiterEntry); !e.tat.After(now) {
			l.lru.Remove(el)
			delete(l.keys, e.key)
		}
		el = prev
	}
	l.lastSweep = now
}

// len counts tracked keys (for tests of the bound).
func (l *memLimiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

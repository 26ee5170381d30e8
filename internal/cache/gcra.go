package cache

import "time"

// Rate limiting uses GCRA (the Generic Cell Rate Algorithm, as in ATM
// networks and in redis-cell/throttled):
//
//   - Smooth: requests are paced at one per interval T = window/limit with a
//     burst tolerance of `limit`, so there is no fixed-window edge where a
//     client can send 2×limit across a window boundary, and a denied client
//     learns exactly when its next request will fit (RetryAfter).
//   - O(1) state per key: one timestamp, the theoretical arrival time (TAT)
//     of the next request, instead of a log of recent requests (sliding log)
//     or two counters (sliding window). That keeps the in-process map small
//     under a flood of IPs and makes the Redis version one GET + one SET
//     inside a Lua script, which is atomic across replicas.
//
// The step, with now the current time and tat the stored TAT (or now when
// absent or in the past):
//
//	newTAT  = max(tat, now) + T
//	allowAt = newTAT - T*limit      // the burst tolerance is T*limit
//	denied  if now < allowAt: RetryAfter = allowAt - now, state unchanged
//	allowed otherwise: store newTAT (expiring at newTAT, after which the key
//	        is indistinguishable from a fresh one), Remaining =
//	        floor((now + T*limit - newTAT) / T), ResetAfter = newTAT - now
//
// redisGCRAScript (redis_limiter.go) is the same arithmetic in Lua, on
// integer microseconds of Redis server TIME.

// gcraInterval is the emission interval T, at least one tick so a limit
// larger than the window's tick count still works.
func gcraInterval(limit int, window, tick time.Duration) time.Duration {
	t := window / time.Duration(limit)
	t -= t % tick
	if t < tick {
		t = tick
	}
	return t
}

// gcraStep applies one GCRA step at now to a key whose stored TAT is tat
// (the zero time when absent). It returns the decision and the TAT to store;
// when denied the returned TAT equals the input and nothing needs writing.
func gcraStep(now, tat time.Time, limit int, window time.Duration) (Decision, time.Time) {
	interval := gcraInterval(limit, window, 1)
	burst := interval * time.Duration(limit)
	if tat.Before(now) {
		tat = now
	}
	newTAT := tat.Add(interval)
	allowAt := newTAT.Add(-burst)
	if now.Before(allowAt) {
		return Decision{
			Allowed:    false,
			Limit:      limit,
			Remaining:  0,
			ResetAfter: tat.Sub(now),
			RetryAfter: allowAt.Sub(now),
		}, tat
	}
	return Decision{
		Allowed:    true,
		Limit:      limit,
		Remaining:  int((burst - newTAT.Sub(now)) / interval),
		ResetAfter: newTAT.Sub(now),
	}, newTAT
}

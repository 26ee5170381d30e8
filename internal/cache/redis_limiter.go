package cache

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisGCRAScript is gcraStep (gcra.go) in Lua, run atomically by Redis so
// concurrent requests on every replica draw from one budget. It reads the
// clock with Redis server TIME rather than taking `now` from the caller:
// replicas whose clocks disagree by a second would otherwise let each other
// through early (or lock clients out). Times are integer microseconds, exact
// in Lua's doubles; %.0f avoids Lua's lossy default number formatting. The
// key expires when its TAT passes, when it would be equivalent to a fresh
// key, so idle clients cost no memory. Scripts calling TIME before writing
// are fine since Redis 5 (effects replication, the only mode in Redis 7).
//
// KEYS[1] = limiter key; ARGV[1] = interval T (µs); ARGV[2] = limit.
// Returns {allowed (0|1), remaining, resetAfter (µs), retryAfter (µs)}.
const redisGCRAScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = interval * tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local newtat = tat + interval
local allowat = newtat - burst
if now < allowat then
  return {0, 0, tat - now, allowat - now}
end
local ttl = math.ceil((newtat - now) / 1000)
redis.call('SET', KEYS[1], string.format('%.0f', newtat), 'PX', string.format('%.0f', ttl))
return {1, math.floor((burst - (newtat - now)) / interval), newtat - now, 0}
`

// redisLimiter is the Redis Limiter. go-redis's Script sends EVALSHA and
// falls back to EVAL when the server has not cached the script yet (after a
// restart or failover), so the script text crosses the wire only then.
type redisLimiter struct {
	c      *redis.Client
	prefix string
	script *redis.Script
}

func (r *redisLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (Decision, error) {
	if err := checkLimit(limit, window); err != nil {
		return Decision{}, err
	}
	interval := gcraInterval(limit, window, time.Microsecond) / time.Microsecond
	res, err := r.script.Run(ctx, r.c, []string{r.prefix + key}, int64(interval), limit).Int64Slice()
	if err != nil {
		return Decision{}, unavailable("rate limit", err)
	}
	if len(res) != 4 {
		return Decision{}, unavailable("rate limit", fmt.Errorf("unexpected script reply %v", res))
	}
	return Decision{
		Allowed:    res[0] == 1,
		Limit:      limit,
		Remaining:  int(res[1]),
		ResetAfter: time.Duration(res[2]) * time.Microsecond,
		RetryAfter: time.Duration(res[3]) * time.Microsecond,
	}, nil
}

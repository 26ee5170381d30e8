package cache

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// NewRedis opens the Redis backend, shared by every API replica. url is
// like redis://[user:pass@]127.0.0.1:6379/0 (rediss:// for TLS; go-redis
// query options such as dial_timeout are accepted). Every key lives under
// prefix (e.g. "pathavana:") so one Redis can serve several deployments and
// `redis-cli --scan --pattern 'pathavana:*'` finds ours. The server is
// pinged before returning, so a bad URL or unreachable server fails `serve`
// at start-up with a clear message instead of at the first request. now is
// used only for token-revocation TTLs; the limiter uses Redis server TIME.
func NewRedis(ctx context.Context, rawURL string, prefix string, now func() time.Time) (*Backend, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("cache: invalid redis URL: %w", redactURLError(err))
	}
	// Maintenance notifications are a Redis Enterprise/Cloud feature; "auto"
	// would probe for them on every connection of a plain Redis.
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	// Fail fast when Redis is down: the limiter and revocation checks sit
	// on every request, and commands already retry (max_retries), so the
	// client's nested dial retries (5 by default, each up to dial_timeout)
	// would multiply the wait before callers can fail open or closed.
	opts.DialerRetries = 2
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 2 * time.Second
	}
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("cache: cannot reach redis at %s (db %d): %w", opts.Addr, opts.DB, err)
	}
	return newRedisBackend(client, prefix, now, RevocationGrace), nil
}

// redactURLError strips the URL (which may hold a password) from url.Parse
// errors, keeping only what was wrong with it.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// newRedisBackend wires the three Redis implementations around one client
// (one connection pool). Tests use it directly to point at a dead server.
func newRedisBackend(client *redis.Client, prefix string, now func() time.Time, grace time.Duration) *Backend {
	if now == nil {
		now = time.Now
	}
	return &Backend{
		Cache:   &redisCache{c: client, prefix: prefix + "cache:"},
		Limiter: &redisLimiter{c: client, prefix: prefix + "rl:", script: redis.NewScript(redisGCRAScript)},
		Revocations: &redisRevocations{
			c:          client,
			now:        now,
			grace:      grace,
			tokenKey:   prefix + "revoked:token:",
			userKey:    prefix + "revoked:user:",
			userScript: redis.NewScript(redisUserCutoffScript),
		},
		Bus:   &redisBus{c: client, prefix: prefix + "bus:"},
		Kind:  "redis",
		Close: client.Close,
	}
}

// redisCache is the Redis Cache: plain strings with PX expiry.
type redisCache struct {
	c      *redis.Client
	prefix string
}

func (r *redisCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	return bytesResult("get", r.c.Get(ctx, r.prefix+key))
}

// Take uses GETDEL (Redis ≥ 6.2), a single command, so it is atomic: of
// concurrent callers on any replicas, exactly one gets the value.
func (r *redisCache) Take(ctx context.Context, key string) ([]byte, bool, error) {
	return bytesResult("getdel", r.c.GetDel(ctx, r.prefix+key))
}

func bytesResult(op string, cmd *redis.StringCmd) ([]byte, bool, error) {
	b, err := cmd.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, unavailable(op, err)
	}
	return b, true, nil
}

func (r *redisCache) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return errNonPositiveTTL
	}
	// go-redis sends PX for sub-second TTLs, rounding up to 1ms.
	if err := r.c.Set(ctx, r.prefix+key, val, ttl).Err(); err != nil {
		return unavailable("set", err)
	}
	return nil
}

func (r *redisCache) Delete(ctx context.Context, key string) error {
	if err := r.c.Del(ctx, r.prefix+key).Err(); err != nil {
		return unavailable("del", err)
	}
	return nil
}

func (r *redisCache) Ping(ctx context.Context) error {
	if err := r.c.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// redisRevocations keeps one key per revoked token and one per user
// cut-off, each with a TTL, so Redis itself forgets them once the tokens
// they concern have expired; nothing needs sweeping.
type redisRevocations struct {
	c          *redis.Client
	now        func() time.Time
	grace      time.Duration
	tokenKey   string
	userKey    string
	userScript *redis.Script
}

func (r *redisRevocations) RevokeToken(ctx context.Context, tokenID string, expiresAt time.Time) error {
	if err := checkID("token id", tokenID); err != nil {
		return err
	}
	ttl := expiresAt.Add(r.grace).Sub(r.now())
	if ttl <= 0 {
		return nil // already expired: nothing to remember
	}
	if err := r.c.Set(ctx, r.tokenKey+tokenID, "1", ttl).Err(); err != nil {
		return unavailable("revoke token", err)
	}
	return nil
}

func (r *redisRevocations) TokenRevoked(ctx context.Context, tokenID string) (bool, error) {
	if err := checkID("token id", tokenID); err != nil {
		return false, err
	}
	n, err := r.c.Exists(ctx, r.tokenKey+tokenID).Result()
	if err != nil {
		return false, unavailable("token revoked", err)
	}
	return n > 0, nil
}

// redisUserCutoffScript stores max(existing, new) cutoff with
// max(remaining, new) TTL in one atomic step, so concurrent "log out
// everywhere" calls on different replicas can never move the cutoff back.
// Cutoffs are Unix microseconds, exact in Lua's doubles; numbers are
// formatted with %.0f because Lua's default tostring would use exponent
// notation and lose digits.
//
// KEYS[1] = user key; ARGV[1] = cutoff (µs); ARGV[2] = ttl (ms).
const redisUserCutoffScript = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local cutoff = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local pttl = redis.call('PTTL', KEYS[1])
if pttl > ttl then ttl = pttl end
if cur > cutoff then cutoff = cur end
redis.call('SET', KEYS[1], string.format('%.0f', cutoff), 'PX', string.format('%.0f', ttl))
return 1
`

func (r *redisRevocations) RevokeUserTokensBefore(ctx context.Context, userID string, cutoff time.Time, ttl time.Duration) error {
	if err := checkID("user id", userID); err != nil {
		return err
	}
	if err := checkCutoff(cutoff); err != nil {
		return err
	}
	if ttl <= 0 {
		return errNonPositiveTTL
	}
	ms := (ttl + r.grace + time.Millisecond - 1) / time.Millisecond
	err := r.userScript.Run(ctx, r.c, []string{r.userKey + userID}, cutoff.UnixMicro(), int64(ms)).Err()
	if err != nil {
		return unavailable("revoke user tokens", err)
	}
	return nil
}

func (r *redisRevocations) UserTokensRevokedBefore(ctx context.Context, userID string) (time.Time, error) {
	if err := checkID("user id", userID); err != nil {
		return time.Time{}, err
	}
	s, err := r.c.Get(ctx, r.userKey+userID).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, unavailable("user tokens revoked before", err)
	}
	us, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("cache: corrupt cutoff %q for user: %w", s, err)
	}
	return time.UnixMicro(us).UTC(), nil
}

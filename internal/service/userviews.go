package service

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"pathavana/internal/model"
)

// userChangedTopic is the bus topic on which replicas announce that a user's
// account or profile changed, so every replica drops its cached view.
const userChangedTopic = "user-changed"

// userViews is a small in-process read cache of account + profile, the
// payload of GET /me, which clients poll. It saves the database round trip
// that dominates that request. Writes invalidate locally and, through the
// cache bus, on every other replica; the TTL bounds staleness if a notice is
// lost (or a write came from outside the API, like `pathavana user
// set-role`). It is a view cache only: authorization never reads it.
type userViews struct {
	ttl time.Duration
	max int
	now func() time.Time
	// gen counts invalidations. A load that started before one must not be
	// stored, or a read racing a write could cache the old row.
	gen atomic.Uint64

	mu      sync.RWMutex
	entries map[string]userView
}

type userView struct {
	user    model.User
	profile model.Profile
	expires time.Time
}

func newUserViews(ttl time.Duration, max int, now func() time.Time) *userViews {
	return &userViews{ttl: ttl, max: max, now: now, entries: map[string]userView{}}
}

func (c *userViews) get(id string) (model.User, model.Profile, bool) {
	if c.ttl <= 0 {
		return model.User{}, model.Profile{}, false
	}
	c.mu.RLock()
	e, ok := c.entries[id]
	c.mu.RUnlock()
	if !ok || !c.now().Before(e.expires) {
		return model.User{}, model.Profile{}, false
	}
	return e.user, e.profile, true
}

// put stores a view loaded while the generation was gen.
func (c *userViews) put(id string, gen uint64, u model.User, p model.Profile) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return
	}
	if len(c.entries) >= c.max {
		// Full: drop everything expired, and if that frees nothing, start
		// over. Rare, and cheaper than an LRU on every read.
		now := c.now()
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[id] = userView{user: u, profile: p, expires: c.now().Add(c.ttl)}
}

func (c *userViews) drop(id string) {
	c.mu.Lock()
	c.gen.Add(1)
	delete(c.entries, id)
	c.mu.Unlock()
}

// forgetUser drops the user's cached view here and on every other replica.
// Call it after any write to the user or profile has committed.
func (s *Service) forgetUser(ctx context.Context, id string) {
	s.views.drop(id)
	if err := s.Cache.Bus.Publish(context.WithoutCancel(ctx), userChangedTopic, id); err != nil {
		s.Log.WarnContext(ctx, "cannot tell other replicas that a user changed; their cached view expires on its own", "err", err)
	}
}

// Listen keeps this replica's caches in step with writes made on other
// replicas, until ctx ends.
func (s *Service) Listen(ctx context.Context) {
	s.Cache.Bus.Subscribe(ctx, userChangedTopic, s.views.drop)
}

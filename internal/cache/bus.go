package cache

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"pathavana/internal/apperr"
)

// Bus carries small best-effort notices between the replicas, such as "user
// 42 changed": each replica drops its local copies when it hears one. A
// notice can be lost (Redis restarting, a replica reconnecting), so whatever
// a replica keeps because of the bus must also expire on its own.
type Bus interface {
	// Publish sends msg to every subscriber of topic, on every replica,
	// including this one.
	Publish(ctx context.Context, topic, msg string) error
	// Subscribe calls fn for every message on topic until ctx ends. fn runs
	// on one goroutine per subscription, so it must be quick.
	Subscribe(ctx context.Context, topic string, fn func(msg string))
}

// memBus delivers within the process: with the in-process backend there is
// only one replica.
type memBus struct {
	mu   sync.RWMutex
	subs map[string]map[*func(string)]struct{}
}

func newMemBus() *memBus { return &memBus{subs: map[string]map[*func(string)]struct{}{}} }

func (b *memBus) Publish(_ context.Context, topic, msg string) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for fn := range b.subs[topic] {
		(*fn)(msg)
	}
	return nil
}

func (b *memBus) Subscribe(ctx context.Context, topic string, fn func(string)) {
	key := &fn
	b.mu.Lock()
	if b.subs[topic] == nil {
		b.subs[topic] = map[*func(string)]struct{}{}
	}
	b.subs[topic][key] = struct{}{}
	b.mu.Unlock()
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		delete(b.subs[topic], key)
		b.mu.Unlock()
	})
}

// redisBus is Redis pub/sub. go-redis resubscribes after a reconnect;
// messages published while a replica was disconnected are lost, which the
// Bus contract allows.
type redisBus struct {
	c      *redis.Client
	prefix string
}

func (b *redisBus) Publish(ctx context.Context, topic, msg string) error {
	if err := b.c.Publish(ctx, b.prefix+topic, msg).Err(); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cache: redis publish failed")
	}
	return nil
}

func (b *redisBus) Subscribe(ctx context.Context, topic string, fn func(string)) {
	ps := b.c.Subscribe(ctx, b.prefix+topic)
	// Wait (briefly) for Redis to confirm, so that a message published right
	// after Subscribe returns is delivered. If Redis is down, go-redis keeps
	// retrying in the background and the subscription starts late.
	confirm, cancel := context.WithTimeout(ctx, 2*time.Second)
	_, _ = ps.Receive(confirm)
	cancel()
	ch := ps.Channel()
	go func() {
		defer ps.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				fn(m.Payload)
			}
		}
	}()
}

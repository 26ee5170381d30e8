package httpapi_test

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"pathavana/internal/cache"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

// sharedBackends returns the cache backends of two API replicas: two Redis
// clients on one prefix when Redis is available (the production set-up),
// else one in-process backend both replicas use.
func sharedBackends(t *testing.T) (*cache.Backend, *cache.Backend) {
	url := os.Getenv("PATHAVANA_TEST_REDIS_URL")
	if url == "" {
		b := cache.NewMemory(time.Now)
		return b, b
	}
	prefix := "test:" + t.Name() + ":" + time.Now().Format("150405.000000") + ":"
	open := func() *cache.Backend {
		b, err := cache.NewRedis(context.Background(), url, prefix, time.Now)
		if err != nil {
			t.Fatalf("NewRedis: %v", err)
		}
		t.Cleanup(func() { _ = b.Close() })
		return b
	}
	return open(), open()
}

// TestMeCacheFollowsWritesAcrossReplicas: GET /me is served from each
// replica's cache, and a profile change made through one replica is seen at
// once through the other.
func TestMeCacheFollowsWritesAcrossReplicas(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ca, cb := sharedBackends(t)
		a := testapp.New(t, db, testapp.Options{Cache: ca})
		b := testapp.New(t, db, testapp.Options{Cache: cb})
		s := a.SignUp(t, "cache@example.com")

		currency := func() string {
			r := b.Do(t, "GET", "/api/v1/me", s.Access, nil)
			if r.Status != http.StatusOK {
				t.Fatalf("me: %d %s", r.Status, r.Body)
			}
			return r.Map(t)["profile"].(map[string]any)["currency"].(string)
		}
		if got := currency(); got != "USD" {
			t.Fatalf("currency = %s, want USD", got)
		}

		// A write behind the API's back is not seen while the view is
		// cached: proof that replica b answers from its cache.
		prof, err := db.GetProfile(context.Background(), s.UserID)
		if err != nil {
			t.Fatal(err)
		}
		prof.Currency = "JPY"
		if err := db.UpdateProfile(context.Background(), prof); err != nil {
			t.Fatal(err)
		}
		if got := currency(); got != "USD" {
			t.Fatalf("currency = %s right after a direct database write; the view should have been cached", got)
		}

		// A write through replica a reaches b's cache through the bus.
		if r := a.Do(t, "PATCH", "/api/v1/me/profile", s.Access, map[string]string{"currency": "EUR"}); r.Status != http.StatusOK {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		deadline := time.Now().Add(3 * time.Second)
		for currency() != "EUR" {
			if time.Now().After(deadline) {
				t.Fatal("replica b still serves the old profile 3 s after replica a changed it")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

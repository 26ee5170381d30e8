package service

import (
	"testing"
	"time"

	"pathavana/internal/model"
)

func TestUserViews(t *testing.T) {
	now := time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	c := newUserViews(5*time.Second, 2, clock)
	u := model.User{ID: "u1", Email: "a@example.com"}
	p := model.Profile{UserID: "u1", Currency: "EUR"}

	c.put("u1", c.gen.Load(), u, p)
	if got, gotP, ok := c.get("u1"); !ok || got.Email != u.Email || gotP.Currency != "EUR" {
		t.Fatalf("get after put = %v %v %v", got, gotP, ok)
	}
	now = now.Add(5 * time.Second)
	if _, _, ok := c.get("u1"); ok {
		t.Fatal("entry served at its expiry time")
	}

	// A load that began before an invalidation must not be stored: it may
	// hold the row as it was before the write.
	gen := c.gen.Load()
	c.drop("u1")
	c.put("u1", gen, u, p)
	if _, _, ok := c.get("u1"); ok {
		t.Fatal("a view loaded before an invalidation was cached")
	}

	// Bounded: a third user on a full cache of live entries starts over.
	c.put("a", c.gen.Load(), u, p)
	c.put("b", c.gen.Load(), u, p)
	c.put("c", c.gen.Load(), u, p)
	if len(c.entries) > 2 {
		t.Fatalf("cache holds %d entries, max 2", len(c.entries))
	}
	if _, _, ok := c.get("c"); !ok {
		t.Fatal("the newest entry was not kept")
	}

	off := newUserViews(0, 10, clock)
	off.put("u1", off.gen.Load(), u, p)
	if _, _, ok := off.get("u1"); ok {
		t.Fatal("a TTL of 0 must disable the cache")
	}
}

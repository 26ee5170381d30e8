package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
)

// t0 has sub-microsecond digits on purpose: the store keeps microseconds on
// both engines, and tests compare against want(t).
var t0 = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.UTC)

// want is what a stored time reads back as.
func want(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

var seq atomic.Int64

// newID returns a unique id per call within the test binary.
func newID(prefix string) string { return fmt.Sprintf("%s-%d", prefix, seq.Add(1)) }

// mkUser creates a user with defaults and returns it as stored.
func mkUser(t *testing.T, db *store.DB) model.User {
	t.Helper()
	id := newID("user")
	u := model.User{
		ID: id, Email: id + "@example.com", PasswordHash: "hash", Role: model.RoleUser,
		TokensValidAfter: t0, CreatedAt: t0, UpdatedAt: t0,
	}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want %s", code)
	}
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("got code %s (%v), want %s", got, err, code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func sameTime(t *testing.T, name string, got, exp time.Time) {
	t.Helper()
	if !got.Equal(want(exp)) || got.Location() != time.UTC {
		t.Errorf("%s = %v (%v), want %v UTC", name, got, got.Location(), want(exp))
	}
}

func sameTimePtr(t *testing.T, name string, got, exp *time.Time) {
	t.Helper()
	switch {
	case got == nil && exp == nil:
	case got == nil || exp == nil:
		t.Errorf("%s = %v, want %v", name, got, exp)
	default:
		sameTime(t, name, *got, *exp)
	}
}

func ptr[T any](v T) *T { return &v }

func newUserValue(id string) model.User {
	return model.User{ID: id, Email: id + "@example.com", Role: model.RoleUser,
		TokensValidAfter: t0, CreatedAt: t0, UpdatedAt: t0}
}

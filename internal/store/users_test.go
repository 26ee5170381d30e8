package store_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func TestUsers(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		nyc, err := time.LoadLocation("America/New_York")
		must(t, err)
		verified := t0.Add(time.Hour).In(nyc) // non-UTC input must come back as the same instant in UTC
		u := model.User{
			ID: "0192d1f2-7c3a-7000-8000-000000000001", Email: "Ada@Example.com", PasswordHash: "argon2id$x",
			Role: model.RoleAdmin, EmailVerifiedAt: &verified, FailedLogins: 2,
			TokensValidAfter: t0.In(nyc), CreatedAt: t0, UpdatedAt: t0.Add(time.Second),
		}
		must(t, db.CreateUser(ctx, u))

		got, err := db.GetUser(ctx, u.ID)
		must(t, err)
		if got.ID != u.ID || got.Email != u.Email || got.PasswordHash != u.PasswordHash ||
			got.Role != model.RoleAdmin || got.FailedLogins != 2 || got.LockedUntil != nil {
			t.Fatalf("GetUser = %+v", got)
		}
		sameTimePtr(t, "EmailVerifiedAt", got.EmailVerifiedAt, &verified)
		sameTime(t, "TokensValidAfter", got.TokensValidAfter, t0)
		sameTime(t, "CreatedAt", got.CreatedAt, t0)
		sameTime(t, "UpdatedAt", got.UpdatedAt, t0.Add(time.Second))

		byEmail, err := db.GetUserByEmail(ctx, "Ada@Example.com")
		must(t, err)
		if !reflect.DeepEqual(byEmail, got) {
			t.Fatalf("GetUserByEmail = %+v, want %+v", byEmail, got)
		}
		// Stored exactly as given: lookups are exact.
		_, err = db.GetUserByEmail(ctx, "ada@example.com")
		wantCode(t, err, apperr.NotFound)
		if !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("NotFound should wrap sql.ErrNoRows: %v", err)
		}
		_, err = db.GetUser(ctx, "nope")
		wantCode(t, err, apperr.NotFound)

		dup := u
		dup.ID = "other"
		err = db.CreateUser(ctx, dup)
		wantCode(t, err, apperr.Conflict)
		if e, _ := apperr.As(err); e.Message != "an account with this email already exists" {
			t.Errorf("message = %q", e.Message)
		}
		// The failed create must not leave a profile behind.
		_, err = db.GetProfile(ctx, "other")
		wantCode(t, err, apperr.NotFound)

		// Zero times and empty role round-trip to zero / default.
		plain := model.User{ID: "plain", Email: "plain@example.com"}
		must(t, db.CreateUser(ctx, plain))
		got, err = db.GetUser(ctx, "plain")
		must(t, err)
		if got.Role != model.RoleUser || !got.TokensValidAfter.IsZero() || !got.CreatedAt.IsZero() ||
			got.EmailVerifiedAt != nil || got.PasswordHash != "" {
			t.Fatalf("plain user = %+v", got)
		}
	})
}

func TestUserUpdates(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)

		at := t0.Add(2 * time.Hour)
		must(t, db.SetEmailVerified(ctx, u.ID, at))
		got, _ := db.GetUser(ctx, u.ID)
		sameTimePtr(t, "EmailVerifiedAt", got.EmailVerifiedAt, &at)
		sameTime(t, "UpdatedAt", got.UpdatedAt, at)

		tva := t0.Add(3 * time.Hour)
		must(t, db.SetPassword(ctx, u.ID, "new-hash", tva))
		got, _ = db.GetUser(ctx, u.ID)
		if got.PasswordHash != "new-hash" {
			t.Errorf("PasswordHash = %q", got.PasswordHash)
		}
		sameTime(t, "TokensValidAfter", got.TokensValidAfter, tva)

		tva2 := t0.Add(4 * time.Hour)
		must(t, db.SetTokensValidAfter(ctx, u.ID, tva2))
		got, _ = db.GetUser(ctx, u.ID)
		sameTime(t, "TokensValidAfter", got.TokensValidAfter, tva2)

		must(t, db.SetRole(ctx, u.ID, model.RoleAdmin))
		got, _ = db.GetUser(ctx, u.ID)
		if got.Role != model.RoleAdmin {
			t.Errorf("Role = %q", got.Role)
		}

		for name, err := range map[string]error{
			"SetEmailVerified":    db.SetEmailVerified(ctx, "nope", at),
			"SetPassword":         db.SetPassword(ctx, "nope", "h", at),
			"SetTokensValidAfter": db.SetTokensValidAfter(ctx, "nope", at),
			"SetRole":             db.SetRole(ctx, "nope", model.RoleUser),
			"ResetLoginFailures":  db.ResetLoginFailures(ctx, "nope"),
		} {
			if apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("%s(unknown) = %v, want NotFound", name, err)
			}
		}
	})
}

func TestLoginFailures(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		lockAt3 := func(n int) time.Duration {
			if n >= 3 {
				return time.Duration(n) * time.Minute
			}
			return 0
		}
		for i := 1; i <= 2; i++ {
			n, locked, err := db.RecordLoginFailure(ctx, u.ID, t0, lockAt3)
			must(t, err)
			if n != i || locked != nil {
				t.Fatalf("failure %d: n=%d locked=%v", i, n, locked)
			}
		}
		n, locked, err := db.RecordLoginFailure(ctx, u.ID, t0, lockAt3)
		must(t, err)
		if n != 3 || locked == nil {
			t.Fatalf("third failure: n=%d locked=%v", n, locked)
		}
		sameTime(t, "lockedUntil", *locked, t0.Add(3*time.Minute))
		got, _ := db.GetUser(ctx, u.ID)
		if got.FailedLogins != 3 {
			t.Errorf("FailedLogins = %d", got.FailedLogins)
		}
		sameTimePtr(t, "LockedUntil", got.LockedUntil, locked)

		// nil policy: count only, existing lock reported.
		n, locked, err = db.RecordLoginFailure(ctx, u.ID, t0, nil)
		must(t, err)
		if n != 4 || locked == nil {
			t.Fatalf("nil policy: n=%d locked=%v", n, locked)
		}

		must(t, db.ResetLoginFailures(ctx, u.ID))
		got, _ = db.GetUser(ctx, u.ID)
		if got.FailedLogins != 0 || got.LockedUntil != nil {
			t.Fatalf("after reset: %+v", got)
		}

		_, _, err = db.RecordLoginFailure(ctx, "nope", t0, lockAt3)
		wantCode(t, err, apperr.NotFound)

		// Concurrent failures are all counted.
		const workers = 10
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				if _, _, err := db.RecordLoginFailure(ctx, u.ID, t0, nil); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, _ = db.GetUser(ctx, u.ID)
		if got.FailedLogins != workers {
			t.Errorf("FailedLogins after %d concurrent failures = %d", workers, got.FailedLogins)
		}
	})
}

func TestIdentities(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		id := model.Identity{UserID: u.ID, Issuer: "https://accounts.example.com", Subject: "1234",
			Email: "x@example.com", CreatedAt: t0}
		must(t, db.CreateIdentity(ctx, id))
		got, err := db.GetIdentity(ctx, id.Issuer, id.Subject)
		must(t, err)
		if got.UserID != u.ID || got.Email != id.Email || got.Issuer != id.Issuer || got.Subject != id.Subject {
			t.Fatalf("GetIdentity = %+v", got)
		}
		sameTime(t, "CreatedAt", got.CreatedAt, t0)

		wantCode(t, db.CreateIdentity(ctx, id), apperr.Conflict)
		other := id
		other.Subject = "5678"
		other.UserID = "nope"
		wantCode(t, db.CreateIdentity(ctx, other), apperr.NotFound)
		_, err = db.GetIdentity(ctx, id.Issuer, "5678")
		wantCode(t, err, apperr.NotFound)
	})
}

func TestProfiles(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		p, err := db.GetProfile(ctx, u.ID)
		must(t, err)
		if p.UserID != u.ID || p.Currency != "USD" || p.Language != "en" || p.DisplayName != "" ||
			!reflect.DeepEqual(p.Preferences, model.Preferences{}) {
			t.Fatalf("empty profile = %+v", p)
		}
		sameTime(t, "UpdatedAt", p.UpdatedAt, t0)

		upd := model.Profile{
			UserID: u.ID, DisplayName: "Ada Lovelace", HomeAirport: "BOS", HomeCity: "Boston",
			Currency: "EUR", Language: "en-GB", UpdatedAt: t0.Add(time.Minute),
			Preferences: model.Preferences{
				Cabin: "business", Seat: "aisle", PreferAirlines: []string{"BA", "AA"},
				AvoidAirlines: []string{"XX"}, StayType: "entire_home", Dietary: []string{"vegetarian"},
				Interests: []string{"museums", "hiking", "ünïcödé \"quoted\""}, Pace: "relaxed",
			},
		}
		must(t, db.UpdateProfile(ctx, upd))
		got, err := db.GetProfile(ctx, u.ID)
		must(t, err)
		sameTime(t, "UpdatedAt", got.UpdatedAt, upd.UpdatedAt)
		got.UpdatedAt = upd.UpdatedAt
		if !reflect.DeepEqual(got, upd) {
			t.Fatalf("GetProfile = %+v\nwant %+v", got, upd)
		}

		_, err = db.GetProfile(ctx, "nope")
		wantCode(t, err, apperr.NotFound)
		upd.UserID = "nope"
		wantCode(t, db.UpdateProfile(ctx, upd), apperr.NotFound)
	})
}

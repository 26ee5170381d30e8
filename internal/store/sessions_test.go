package store_test

import (
	"context"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func TestSessions(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, other := mkUser(t, db), mkUser(t, db)
		mk := func(user model.User, family, ua string, created time.Time) model.RefreshToken {
			rt := model.RefreshToken{ID: newID("rt"), FamilyID: family, UserID: user.ID, Hash: newID("hash"),
				ExpiresAt: created.Add(time.Hour), CreatedAt: created, UserAgent: ua}
			must(t, db.CreateRefreshToken(ctx, rt))
			return rt
		}
		// Phone: signed in at t0, refreshed at t0+10m. Laptop: signed in at t0+5m.
		first := mk(u, "fam-phone", "Phone/1.0", t0)
		rotated, err := db.MarkRefreshTokenRotated(ctx, first.ID, t0.Add(10*time.Minute))
		must(t, err)
		if !rotated {
			t.Fatal("rotation failed")
		}
		mk(u, "fam-phone", "Phone/1.0", t0.Add(10*time.Minute))
		mk(u, "fam-laptop", "Laptop/2.0", t0.Add(5*time.Minute))
		mk(other, "fam-other", "Other/1.0", t0)

		got, err := db.ListSessions(ctx, u.ID, t0.Add(20*time.Minute))
		must(t, err)
		if len(got) != 2 || got[0].ID != "fam-phone" || got[1].ID != "fam-laptop" {
			t.Fatalf("sessions = %+v, want phone (most recent) then laptop", got)
		}
		sameTime(t, "phone started", got[0].StartedAt, t0)
		sameTime(t, "phone last used", got[0].LastUsedAt, t0.Add(10*time.Minute))
		if got[0].UserAgent != "Phone/1.0" {
			t.Fatalf("user agent = %q", got[0].UserAgent)
		}

		// Another user's session is not found, and stays alive.
		wantCode(t, db.RevokeSession(ctx, u.ID, "fam-other", t0.Add(20*time.Minute)), apperr.NotFound)
		if s, _ := db.ListSessions(ctx, other.ID, t0.Add(20*time.Minute)); len(s) != 1 {
			t.Fatal("revoking someone else's session touched it")
		}
		must(t, db.RevokeSession(ctx, u.ID, "fam-laptop", t0.Add(20*time.Minute)))
		wantCode(t, db.RevokeSession(ctx, u.ID, "fam-laptop", t0.Add(21*time.Minute)), apperr.NotFound)
		got, err = db.ListSessions(ctx, u.ID, t0.Add(20*time.Minute))
		must(t, err)
		if len(got) != 1 || got[0].ID != "fam-phone" {
			t.Fatalf("after revoking the laptop: %+v", got)
		}
		// Expired sessions are not listed.
		if got, _ := db.ListSessions(ctx, u.ID, t0.Add(2*time.Hour)); len(got) != 0 {
			t.Fatalf("expired sessions listed: %+v", got)
		}
	})
}

func TestGetUserWithProfile(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		prof, err := db.GetProfile(ctx, u.ID)
		must(t, err)
		prof.DisplayName, prof.Preferences.Dietary = "Ana", []string{"vegetarian"}
		must(t, db.UpdateProfile(ctx, prof))
		gu, gp, err := db.GetUserWithProfile(ctx, u.ID)
		must(t, err)
		want, _ := db.GetUser(ctx, u.ID)
		wantProf, _ := db.GetProfile(ctx, u.ID)
		if gu.Email != want.Email || !gu.CreatedAt.Equal(want.CreatedAt) || gp.DisplayName != "Ana" ||
			len(gp.Preferences.Dietary) != 1 || !gp.UpdatedAt.Equal(wantProf.UpdatedAt) || gp.UserID != u.ID {
			t.Fatalf("joined read differs: %+v %+v", gu, gp)
		}
		_, _, err = db.GetUserWithProfile(ctx, "nobody")
		wantCode(t, err, apperr.NotFound)
	})
}

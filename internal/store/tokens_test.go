package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func TestOneTimeTokens(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		tok := model.OneTimeToken{Hash: newID("hash"), UserID: u.ID, Purpose: model.PurposeVerifyEmail,
			ExpiresAt: t0.Add(time.Hour), CreatedAt: t0}
		must(t, db.CreateOneTimeToken(ctx, tok))
		wantCode(t, db.CreateOneTimeToken(ctx, tok), apperr.Conflict)
		orphan := tok
		orphan.Hash, orphan.UserID = newID("hash"), "nope"
		wantCode(t, db.CreateOneTimeToken(ctx, orphan), apperr.NotFound)

		// Wrong purpose, expired and unknown all look the same.
		_, err := db.ConsumeOneTimeToken(ctx, tok.Hash, model.PurposeResetPassword, t0)
		wantCode(t, err, apperr.NotFound)
		_, err = db.ConsumeOneTimeToken(ctx, tok.Hash, model.PurposeVerifyEmail, t0.Add(time.Hour))
		wantCode(t, err, apperr.NotFound)
		_, err = db.ConsumeOneTimeToken(ctx, "unknown", model.PurposeVerifyEmail, t0)
		wantCode(t, err, apperr.NotFound)

		now := t0.Add(59 * time.Minute)
		got, err := db.ConsumeOneTimeToken(ctx, tok.Hash, model.PurposeVerifyEmail, now)
		must(t, err)
		if got.Hash != tok.Hash || got.UserID != u.ID || got.Purpose != model.PurposeVerifyEmail {
			t.Fatalf("consumed = %+v", got)
		}
		sameTimePtr(t, "UsedAt", got.UsedAt, &now)
		sameTime(t, "ExpiresAt", got.ExpiresAt, tok.ExpiresAt)
		sameTime(t, "CreatedAt", got.CreatedAt, t0)
		// Single use.
		_, err = db.ConsumeOneTimeToken(ctx, tok.Hash, model.PurposeVerifyEmail, now)
		wantCode(t, err, apperr.NotFound)

		// DeleteOneTimeTokens removes only the given purpose.
		keep := model.OneTimeToken{Hash: newID("hash"), UserID: u.ID, Purpose: model.PurposeVerifyEmail,
			ExpiresAt: t0.Add(time.Hour), CreatedAt: t0}
		drop := keep
		drop.Hash, drop.Purpose = newID("hash"), model.PurposeResetPassword
		must(t, db.CreateOneTimeToken(ctx, keep))
		must(t, db.CreateOneTimeToken(ctx, drop))
		must(t, db.DeleteOneTimeTokens(ctx, u.ID, model.PurposeResetPassword))
		_, err = db.ConsumeOneTimeToken(ctx, drop.Hash, model.PurposeResetPassword, t0)
		wantCode(t, err, apperr.NotFound)
		_, err = db.ConsumeOneTimeToken(ctx, keep.Hash, model.PurposeVerifyEmail, t0)
		must(t, err)
	})
}

func TestConsumeOneTimeTokenConcurrent(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		tok := model.OneTimeToken{Hash: newID("hash"), UserID: u.ID, Purpose: model.PurposeResetPassword,
			ExpiresAt: t0.Add(time.Hour), CreatedAt: t0}
		must(t, db.CreateOneTimeToken(ctx, tok))
		var wins, losses atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 20 {
			wg.Go(func() {
				<-start
				_, err := db.ConsumeOneTimeToken(ctx, tok.Hash, model.PurposeResetPassword, t0)
				switch {
				case err == nil:
					wins.Add(1)
				case apperr.Is(err, apperr.NotFound):
					losses.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		if wins.Load() != 1 || losses.Load() != 19 {
			t.Fatalf("wins=%d losses=%d, want 1 and 19", wins.Load(), losses.Load())
		}
	})
}

func TestRefreshTokens(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		fam := newID("family")
		rt := func(i int) model.RefreshToken {
			return model.RefreshToken{ID: newID("rt"), FamilyID: fam, UserID: u.ID, Hash: newID("rthash"),
				ExpiresAt: t0.Add(time.Duration(i) * time.Hour), CreatedAt: t0}
		}
		a, b := rt(1), rt(2)
		must(t, db.CreateRefreshToken(ctx, a))
		must(t, db.CreateRefreshToken(ctx, b))
		dupHash := rt(1)
		dupHash.Hash = a.Hash
		wantCode(t, db.CreateRefreshToken(ctx, dupHash), apperr.Conflict)
		orphan := rt(1)
		orphan.UserID = "nope"
		wantCode(t, db.CreateRefreshToken(ctx, orphan), apperr.NotFound)

		got, err := db.GetRefreshTokenByHash(ctx, a.Hash)
		must(t, err)
		if got.ID != a.ID || got.FamilyID != fam || got.UserID != u.ID || got.RotatedAt != nil || got.RevokedAt != nil {
			t.Fatalf("GetRefreshTokenByHash = %+v", got)
		}
		sameTime(t, "ExpiresAt", got.ExpiresAt, a.ExpiresAt)
		_, err = db.GetRefreshTokenByHash(ctx, "unknown")
		wantCode(t, err, apperr.NotFound)

		now := t0.Add(time.Minute)
		ok, err := db.MarkRefreshTokenRotated(ctx, a.ID, now)
		must(t, err)
		if !ok {
			t.Fatal("first rotation should win")
		}
		ok, err = db.MarkRefreshTokenRotated(ctx, a.ID, now)
		must(t, err)
		if ok {
			t.Fatal("second rotation should lose")
		}
		got, _ = db.GetRefreshTokenByHash(ctx, a.Hash)
		sameTimePtr(t, "RotatedAt", got.RotatedAt, &now)
		_, err = db.MarkRefreshTokenRotated(ctx, "unknown", now)
		wantCode(t, err, apperr.NotFound)

		// Revoking the family revokes b; a revoked token cannot rotate.
		must(t, db.RevokeRefreshFamily(ctx, fam, now))
		got, _ = db.GetRefreshTokenByHash(ctx, b.Hash)
		sameTimePtr(t, "RevokedAt", got.RevokedAt, &now)
		ok, err = db.MarkRefreshTokenRotated(ctx, b.ID, now)
		must(t, err)
		if ok {
			t.Fatal("revoked token rotated")
		}
		// Revocation keeps the first revocation time.
		must(t, db.RevokeRefreshFamily(ctx, fam, now.Add(time.Hour)))
		got, _ = db.GetRefreshTokenByHash(ctx, b.Hash)
		sameTimePtr(t, "RevokedAt", got.RevokedAt, &now)

		// RevokeUserRefreshTokens covers every family of the user only.
		other := mkUser(t, db)
		c := rt(3)
		c.FamilyID = newID("family")
		d := rt(3)
		d.UserID = other.ID
		must(t, db.CreateRefreshToken(ctx, c))
		must(t, db.CreateRefreshToken(ctx, d))
		must(t, db.RevokeUserRefreshTokens(ctx, u.ID, now))
		got, _ = db.GetRefreshTokenByHash(ctx, c.Hash)
		if got.RevokedAt == nil {
			t.Error("user's token not revoked")
		}
		got, _ = db.GetRefreshTokenByHash(ctx, d.Hash)
		if got.RevokedAt != nil {
			t.Error("other user's token revoked")
		}
	})
}

func TestMarkRefreshTokenRotatedConcurrent(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		tok := model.RefreshToken{ID: newID("rt"), FamilyID: newID("family"), UserID: u.ID,
			Hash: newID("rthash"), ExpiresAt: t0.Add(time.Hour), CreatedAt: t0}
		must(t, db.CreateRefreshToken(ctx, tok))
		var wins atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 20 {
			wg.Go(func() {
				<-start
				ok, err := db.MarkRefreshTokenRotated(ctx, tok.ID, t0)
				if err != nil {
					t.Errorf("MarkRefreshTokenRotated: %v", err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("wins = %d, want 1", wins.Load())
		}
	})
}

func TestDeleteExpiredTokens(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		for _, exp := range []time.Duration{-time.Hour, -time.Second, time.Hour} {
			must(t, db.CreateOneTimeToken(ctx, model.OneTimeToken{Hash: newID("hash"), UserID: u.ID,
				Purpose: model.PurposeVerifyEmail, ExpiresAt: t0.Add(exp), CreatedAt: t0}))
			must(t, db.CreateRefreshToken(ctx, model.RefreshToken{ID: newID("rt"), FamilyID: "f",
				UserID: u.ID, Hash: newID("h"), ExpiresAt: t0.Add(exp), CreatedAt: t0}))
		}
		n, err := db.DeleteExpiredTokens(ctx, t0)
		must(t, err)
		if n != 4 {
			t.Fatalf("deleted %d, want 4", n)
		}
		n, err = db.DeleteExpiredTokens(ctx, t0)
		must(t, err)
		if n != 0 {
			t.Fatalf("second run deleted %d, want 0", n)
		}
	})
}

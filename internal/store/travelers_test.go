package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// sealedTraveler returns a stored-form traveler with opaque "ciphertexts":
// the store must keep bytes exactly, including NULL for unset fields.
func sealedTraveler(owner, passportBidx string) model.SealedTraveler {
	return model.SealedTraveler{ID: newID("trav"), OwnerID: owner, Label: "Mãe",
		Fields: map[string][]byte{
			model.TravelerGivenNames:     {1, 0, 0xff, 'g'},
			model.TravelerFamilyName:     {1, 2, 3},
			model.TravelerPassportNumber: {9, 9, 0},
		},
		KeyID: "k1", DataKey: []byte{0xde, 0xad, 0, 0xbe, 0xef}, PassportBidx: passportBidx, NameBidx: "name-idx",
		Version: 1, CreatedAt: t0, UpdatedAt: t0}
}

func TestTravelersStore(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		alice, bob := mkUser(t, db), mkUser(t, db)
		a1 := sealedTraveler(alice.ID, "p-1")
		must(t, db.CreateTraveler(ctx, a1))
		got, err := db.GetTraveler(ctx, alice.ID, a1.ID)
		must(t, err)
		if len(got.Fields) != 3 || !bytes.Equal(got.Fields[model.TravelerGivenNames], []byte{1, 0, 0xff, 'g'}) ||
			!bytes.Equal(got.DataKey, a1.DataKey) || got.PassportBidx != "p-1" || got.Label != "Mãe" || got.Version != 1 {
			t.Fatalf("stored traveler = %+v", got)
		}
		if _, ok := got.Fields[model.TravelerDateOfBirth]; ok {
			t.Fatal("an unset field came back set")
		}
		sameTime(t, "created_at", got.CreatedAt, t0)

		// Another owner's traveler is not found, for every operation.
		for name, err := range map[string]error{
			"get":    func() error { _, err := db.GetTraveler(ctx, bob.ID, a1.ID); return err }(),
			"delete": db.DeleteTraveler(ctx, bob.ID, a1.ID),
			"update": func() error { u := a1; u.OwnerID, u.Version = bob.ID, 2; return db.UpdateTraveler(ctx, u) }(),
			"find":   func() error { _, err := db.FindTravelerByPassport(ctx, bob.ID, "p-1"); return err }(),
		} {
			if !apperr.Is(err, apperr.NotFound) {
				t.Errorf("%s as another owner: %v", name, err)
			}
		}

		// One passport per owner; other owners and travelers without one are free.
		if err := db.CreateTraveler(ctx, sealedTraveler(alice.ID, "p-1")); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("duplicate passport: %v", err)
		}
		must(t, db.CreateTraveler(ctx, sealedTraveler(bob.ID, "p-1")))
		a2, a3 := sealedTraveler(alice.ID, ""), sealedTraveler(alice.ID, "")
		must(t, db.CreateTraveler(ctx, a2))
		must(t, db.CreateTraveler(ctx, a3))
		if f, err := db.FindTravelerByPassport(ctx, alice.ID, "p-1"); err != nil || f.ID != a1.ID {
			t.Fatalf("find by passport = %v, %v", f.ID, err)
		}

		page, err := db.ListTravelers(ctx, alice.ID, "", 2)
		must(t, err)
		if len(page) != 2 || page[0].ID != a1.ID {
			t.Fatalf("first page %d", len(page))
		}
		rest, err := db.ListTravelers(ctx, alice.ID, page[1].ID, 10)
		must(t, err)
		if len(rest) != 1 || rest[0].ID != a3.ID {
			t.Fatalf("second page %+v", rest)
		}

		// Updates are compare-and-swap on the version.
		up := got
		up.Fields = map[string][]byte{model.TravelerGivenNames: {7}, model.TravelerFamilyName: {8}}
		up.PassportBidx, up.Version, up.UpdatedAt, up.DataKey = "", 2, t0.Add(time.Hour), []byte{5}
		must(t, db.UpdateTraveler(ctx, up))
		if err := db.UpdateTraveler(ctx, up); !apperr.Is(err, apperr.Precondition) {
			t.Fatalf("stale update: %v", err)
		}
		got, err = db.GetTraveler(ctx, alice.ID, a1.ID)
		must(t, err)
		if got.Version != 2 || len(got.Fields) != 2 || got.PassportBidx != "" || !bytes.Equal(got.DataKey, []byte{5}) {
			t.Fatalf("updated = %+v", got)
		}
		dup := got
		dup.ID, dup.PassportBidx, dup.Version = a2.ID, "p-1", 2
		must(t, db.CreateTraveler(ctx, func() model.SealedTraveler { x := sealedTraveler(alice.ID, "p-9"); return x }()))
		dup.PassportBidx = "p-9"
		if err := db.UpdateTraveler(ctx, dup); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("update onto another traveler's passport: %v", err)
		}

		// Rotation: only rows under other keys, compare-and-swap on the wrap.
		keys, err := db.TravelerKeysNotUnder(ctx, "k2", "", 100)
		must(t, err)
		if len(keys) != 5 {
			t.Fatalf("keys not under k2: %d", len(keys))
		}
		ok, err := db.RewrapTravelerKey(ctx, keys[0], "k2", []byte{0x42})
		must(t, err)
		if !ok {
			t.Fatal("rewrap did not apply")
		}
		if ok, _ := db.RewrapTravelerKey(ctx, keys[0], "k2", []byte{0x43}); ok {
			t.Fatal("rewrap of a changed row applied")
		}
		counts, err := db.CountTravelersByKey(ctx)
		must(t, err)
		if counts["k1"] != 4 || counts["k2"] != 1 {
			t.Fatalf("counts = %v", counts)
		}
		if left, _ := db.TravelerKeysNotUnder(ctx, "k2", "", 100); len(left) != 4 {
			t.Fatalf("left after one rewrap: %d", len(left))
		}

		must(t, db.DeleteTraveler(ctx, alice.ID, a1.ID))
		if err := db.DeleteTraveler(ctx, alice.ID, a1.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("second delete: %v", err)
		}
		if err := db.CreateTraveler(ctx, sealedTraveler("no-such-user", "")); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("traveler of a missing user: %v", err)
		}
	})
}

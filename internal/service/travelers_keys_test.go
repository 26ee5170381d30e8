package service

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/secure"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func piiWith(t *testing.T, keys ...secure.MasterKey) *secure.PII {
	t.Helper()
	kr, err := secure.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	p, err := secure.NewPII(kr, bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRotationWhileServing: a rotation running beside updates leaves every
// traveler readable with the new key alone, whichever wins each row.
func TestRotationWhileServing(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		oldK := secure.MasterKey{ID: "old", Key: bytes.Repeat([]byte{1}, 32)}
		newK := secure.MasterKey{ID: "new", Key: bytes.Repeat([]byte{3}, 32)}
		now := time.Now()
		uid := "0190c0de-0000-7000-8000-0000000000c1"
		if err := db.CreateUser(ctx, model.User{ID: uid, Email: "r@example.com", Role: model.RoleUser,
			TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		p := Principal{UserID: uid, Role: model.RoleUser}
		before := New(Deps{Store: db, PII: piiWith(t, oldK)})
		str := func(s string) *string { return &s }
		var ids []string
		for i := range 40 {
			tr, err := before.CreateTraveler(ctx, p, TravelerPatch{GivenNames: str("Ana"), FamilyName: str(fmt.Sprint("Silva ", string(rune('A'+i%26)))),
				KnownTravelerNumber: str(fmt.Sprintf("KTN%05d", i))})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tr.ID)
		}
		during := New(Deps{Store: db, PII: piiWith(t, newK, oldK)})
		var wg sync.WaitGroup
		var rot KeyRotation
		var rotErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			rot, rotErr = during.RotateTravelerKeys(ctx, 7)
		}()
		for i, id := range ids {
			if i%3 == 0 {
				if _, err := during.UpdateTraveler(ctx, p, id, 0, TravelerPatch{Label: str("updated")}); err != nil {
					t.Fatal(err)
				}
			}
		}
		wg.Wait()
		if rotErr != nil {
			t.Fatal(rotErr)
		}
		if _, err := during.RotateTravelerKeys(ctx, 7); err != nil { // finishes any raced rows
			t.Fatal(err)
		}
		counts, _ := db.CountTravelersByKey(ctx)
		if counts["new"] != 40 || len(counts) != 1 {
			t.Fatalf("after rotation: %v (first run %+v)", counts, rot)
		}
		after := New(Deps{Store: db, PII: piiWith(t, newK)})
		for i, id := range ids {
			tr, err := after.RevealTraveler(ctx, p, id)
			if err != nil || tr.KnownTravelerNumber != fmt.Sprintf("KTN%05d", i) {
				t.Fatalf("traveler %d after rotation: %+v %v", i, tr, err)
			}
		}
	})
}

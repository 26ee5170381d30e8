package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func newBooking(owner, key string) model.Booking {
	id, _ := uuid.NewV7()
	now := t0
	return model.Booking{ID: id.String(), OwnerID: owner, IdempotencyKey: key, RequestHash: "h-" + key, Kind: "stay",
		Provider: "sandbox", OfferRef: "stay-1", State: model.BookingConfirmed, Title: "Loft", StartsOn: "2027-05-10",
		EndsOn: "2027-05-12", Quantity: 1, TravelerIDs: []string{"t1"}, TotalMinor: 19800, Currency: "EUR",
		ConfirmationCode: "PV" + key, CreatedAt: now, UpdatedAt: now, ConfirmedAt: &now}
}

func twoNights(capacity, n int) []model.Hold {
	return []model.Hold{{Resource: "stay:stay-1", Day: "2027-05-10", Quantity: n, Capacity: capacity},
		{Resource: "stay:stay-1", Day: "2027-05-11", Quantity: n, Capacity: capacity}}
}

// TestLastRoomIsSoldOnce: 100 travelers book the last room at once; one
// gets it, everyone else a Conflict, and the counts stay exact.
func TestLastRoomIsSoldOnce(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// 4 rooms, 3 already taken by one booking: one left on both nights.
		_, created, err := db.CreateBooking(ctx, newBooking("o0", "early"), twoNights(4, 3))
		if err != nil || !created {
			t.Fatalf("first booking: %v %v", created, err)
		}
		var won, soldOut atomic.Int32
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Go(func() {
				_, created, err := db.CreateBooking(ctx, newBooking(fmt.Sprintf("o%d", i+1), "k"), twoNights(4, 1))
				switch {
				case err == nil && created:
					won.Add(1)
				case apperr.Is(err, apperr.Conflict) && errors.Is(err, store.ErrSoldOut):
					soldOut.Add(1)
				default:
					t.Errorf("booker %d: created %v err %v", i, created, err)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 || soldOut.Load() != 99 {
			t.Fatalf("won %d, sold out %d", won.Load(), soldOut.Load())
		}
		for _, day := range []string{"2027-05-10", "2027-05-11"} {
			inv, err := db.GetInventory(ctx, "stay:stay-1", day)
			if err != nil || inv.Sold != 4 || inv.Capacity != 4 {
				t.Fatalf("%s: %+v %v", day, inv, err)
			}
		}
		// A booking that fits the first night but not the second takes
		// neither.
		partial := []model.Hold{{Resource: "stay:stay-1", Day: "2027-05-09", Quantity: 1, Capacity: 4},
			{Resource: "stay:stay-1", Day: "2027-05-10", Quantity: 1, Capacity: 4}}
		if _, _, err := db.CreateBooking(ctx, newBooking("late", "k"), partial); !errors.Is(err, store.ErrSoldOut) {
			t.Fatalf("partial: %v", err)
		}
		if inv, err := db.GetInventory(ctx, "stay:stay-1", "2027-05-09"); err == nil && inv.Sold != 0 {
			t.Fatalf("the first night stayed taken: %+v", inv)
		}
		if _, err := db.GetBookingByKey(ctx, "late", "k"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a sold-out booking was stored: %v", err)
		}
	})
}

// TestLastSeatIsSoldOnce: the same race on a flight's last seat.
func TestLastSeatIsSoldOnce(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seat := []model.Hold{{Resource: "flight:TP202:economy", Day: "2027-05-10", Quantity: 1, Capacity: 1}}
		var won atomic.Int32
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Go(func() {
				b := newBooking(fmt.Sprintf("o%d", i), "k")
				b.Kind, b.OfferRef = "flight", "TP202"
				_, created, err := db.CreateBooking(ctx, b, seat)
				if created {
					won.Add(1)
				} else if !errors.Is(err, store.ErrSoldOut) {
					t.Errorf("booker %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		if inv, err := db.GetInventory(ctx, seat[0].Resource, seat[0].Day); won.Load() != 1 || err != nil || inv.Sold != 1 {
			t.Fatalf("won %d, inventory %+v %v", won.Load(), inv, err)
		}
	})
}

// TestBookingIdempotency: ten retries with one key, some at once, make one
// booking; the key with another request is refused.
func TestBookingIdempotency(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var created atomic.Int32
		ids := make([]string, 10)
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Go(func() {
				b, c, err := db.CreateBooking(ctx, newBooking("alice", "retry-me"), twoNights(10, 2))
				if err != nil {
					t.Errorf("retry %d: %v", i, err)
				}
				if c {
					created.Add(1)
				}
				ids[i] = b.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("retries answered different bookings: %v", ids)
			}
		}
		list, err := db.ListBookings(ctx, "alice", "", "", 100)
		must(t, err)
		if created.Load() != 1 || len(list) != 1 {
			t.Fatalf("%d created, %d stored", created.Load(), len(list))
		}
		if inv, _ := db.GetInventory(ctx, "stay:stay-1", "2027-05-10"); inv.Sold != 2 {
			t.Fatalf("inventory taken per retry: %+v", inv)
		}
		other := newBooking("alice", "retry-me")
		other.RequestHash = "something else"
		if _, _, err := db.CreateBooking(ctx, other, nil); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("reused key: %v", err)
		}
		// Keys are per owner.
		if _, c, err := db.CreateBooking(ctx, newBooking("bob", "retry-me"), nil); err != nil || !c {
			t.Fatalf("bob's key: %v %v", c, err)
		}
	})
}

func TestCancelBookingReleasesInventory(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b, _, err := db.CreateBooking(ctx, newBooking("alice", "k1"), twoNights(3, 3))
		must(t, err)
		if _, err := db.GetBooking(ctx, "bob", b.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("bob reads alice's booking: %v", err)
		}
		if _, err := db.CancelBooking(ctx, "bob", b.ID, 0, t0); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("bob cancels alice's booking: %v", err)
		}
		at := t0.Add(time.Hour)
		c, err := db.CancelBooking(ctx, "alice", b.ID, 15000, at)
		must(t, err)
		if c.State != model.BookingCancelled || c.RefundMinor == nil || *c.RefundMinor != 15000 || c.CancelledAt == nil {
			t.Fatalf("cancelled %+v", c)
		}
		for _, day := range []string{"2027-05-10", "2027-05-11"} {
			if inv, _ := db.GetInventory(ctx, "stay:stay-1", day); inv.Sold != 0 {
				t.Fatalf("%s not released: %+v", day, inv)
			}
		}
		if _, err := db.CancelBooking(ctx, "alice", b.ID, 0, at); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second cancel: %v", err)
		}
		// Released rooms can be booked again.
		if _, c, err := db.CreateBooking(ctx, newBooking("carol", "k"), twoNights(3, 3)); err != nil || !c {
			t.Fatalf("rebook: %v", err)
		}

		pending := newBooking("alice", "k2")
		pending.State, pending.ConfirmedAt, pending.Provider = model.BookingPending, nil, "amadeus"
		_, _, err = db.CreateBooking(ctx, pending, nil)
		must(t, err)
		if _, err := db.CancelBooking(ctx, "alice", pending.ID, 0, at); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("cancel pending: %v", err)
		}
		pending.State, pending.ProviderRef, pending.ConfirmedAt = model.BookingConfirmed, "eJzTd9f3NjIJ", &at
		must(t, db.FinishBooking(ctx, pending))
		if err := db.FinishBooking(ctx, pending); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("finished twice: %v", err)
		}
		got, err := db.GetBooking(ctx, "alice", pending.ID)
		if err != nil || got.State != model.BookingConfirmed || got.ProviderRef != "eJzTd9f3NjIJ" || got.TravelerIDs[0] != "t1" {
			t.Fatalf("finished %+v %v", got, err)
		}
		page, err := db.ListBookings(ctx, "alice", "", "", 1)
		must(t, err)
		rest, err := db.ListBookings(ctx, "alice", "", page[0].ID, 10)
		must(t, err)
		if len(page) != 1 || page[0].ID != pending.ID || len(rest) != 1 || rest[0].ID != b.ID {
			t.Fatalf("pages %v %v", page, rest)
		}
	})
}

// TestFailStalePendingBookings: only pending bookings older than the
// cutoff fail, once.
func TestFailStalePendingBookings(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		old := newBooking("alice", "old")
		old.State, old.ConfirmedAt = model.BookingPending, nil
		fresh := newBooking("alice", "fresh")
		fresh.State, fresh.ConfirmedAt = model.BookingPending, nil
		fresh.UpdatedAt = t0.Add(time.Hour)
		done := newBooking("alice", "done") // confirmed at t0
		for _, b := range []model.Booking{old, fresh, done} {
			_, _, err := db.CreateBooking(ctx, b, nil)
			must(t, err)
		}
		cutoff := t0.Add(30 * time.Minute)
		ids, err := db.FailStalePendingBookings(ctx, cutoff, cutoff, "no answer")
		must(t, err)
		if len(ids) != 1 || ids[0] != old.ID {
			t.Fatalf("failed %v, want only %s", ids, old.ID)
		}
		got, _ := db.GetBooking(ctx, "alice", old.ID)
		if got.State != model.BookingFailed || got.Failure != "no answer" {
			t.Fatalf("stale booking: %+v", got)
		}
		for _, b := range []model.Booking{fresh, done} {
			if got, _ := db.GetBooking(ctx, "alice", b.ID); got.State != b.State {
				t.Fatalf("%s changed to %s", b.IdempotencyKey, got.State)
			}
		}
		if ids, _ := db.FailStalePendingBookings(ctx, cutoff, cutoff, "again"); len(ids) != 0 {
			t.Fatalf("failed twice: %v", ids)
		}
	})
}

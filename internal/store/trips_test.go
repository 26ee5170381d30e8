package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func uid() string { return uuid.Must(uuid.NewV7()).String() }

func newTrip(owner string) model.Trip {
	budget := int64(250000)
	return model.Trip{ID: uid(), OwnerID: owner, Title: "Lisboa <em>& Porto</em>", Status: model.TripPlanning,
		StartsOn: "2027-03-26", EndsOn: "2027-03-30", Destinations: []string{"LIS", "OPO"}, CoverCity: "Lisboa",
		Party: model.Party{Adults: 2, Children: 1}, BudgetMinor: &budget, Currency: "EUR", CreatedAt: t0, UpdatedAt: t0}
}

func newItem(tripID string, day int, title string) model.TripItem {
	cost := int64(1234)
	return model.TripItem{ID: uid(), TripID: tripID, Day: day, Kind: model.ItemRestaurant, Title: title,
		StartsAt: "2027-03-27T20:00", TimeZone: "Europe/Lisbon", CostMinor: &cost, Currency: "EUR",
		Details: `{"cuisine":"portuguese"}`, CreatedAt: t0, UpdatedAt: t0}
}

// titles returns the item titles of one day in position order, checking
// positions are 1..n.
func titles(t *testing.T, tr model.Trip, day int) []string {
	t.Helper()
	var out []string
	for _, it := range tr.Items {
		if it.Day == day {
			out = append(out, it.Title)
			if it.Position != len(out) {
				t.Fatalf("day %d: %q at position %d, want %d", day, it.Title, it.Position, len(out))
			}
		}
	}
	return out
}

func TestTripCRUD(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, other := mkUser(t, db), mkUser(t, db)
		tr := newTrip(u.ID)
		must(t, db.CreateTrip(ctx, tr))
		got, err := db.GetTrip(ctx, u.ID, tr.ID)
		must(t, err)
		if got.Version != 1 || got.Title != tr.Title || !slices.Equal(got.Destinations, tr.Destinations) ||
			*got.BudgetMinor != 250000 || got.Party != tr.Party || len(got.Items) != 0 || !got.CreatedAt.Equal(want(t0)) {
			t.Fatalf("got %+v", got)
		}
		_, err = db.GetTrip(ctx, other.ID, tr.ID)
		wantCode(t, err, apperr.NotFound)

		tr.Title, tr.BudgetMinor, tr.Status = "Portugal", nil, model.TripBooked
		v, err := db.UpdateTrip(ctx, tr, 1)
		must(t, err)
		if v != 2 {
			t.Fatalf("version %d", v)
		}
		_, err = db.UpdateTrip(ctx, tr, 1)
		wantCode(t, err, apperr.Precondition)
		tr.OwnerID = other.ID
		_, err = db.UpdateTrip(ctx, tr, 0)
		wantCode(t, err, apperr.NotFound)
		got, _ = db.GetTrip(ctx, u.ID, tr.ID)
		if got.Title != "Portugal" || got.BudgetMinor != nil || got.Status != model.TripBooked || got.Version != 2 {
			t.Fatalf("after update %+v", got)
		}

		it, v, err := db.AddTripItem(ctx, u.ID, newItem(tr.ID, 2, "Dinner"), 2)
		must(t, err)
		if v != 3 || it.Position != 1 {
			t.Fatalf("add: v%d %+v", v, it)
		}
		_, _, err = db.AddTripItem(ctx, other.ID, newItem(tr.ID, 2, "Intruder"), 0)
		wantCode(t, err, apperr.NotFound)
		it.Title, it.CostMinor, it.StartsAt = "Late dinner", nil, ""
		v, err = db.UpdateTripItem(ctx, u.ID, it, 3)
		must(t, err)
		must(t, db.SetItemBooking(ctx, u.ID, tr.ID, it.ID, "", "bk-1", t0))
		wantCode(t, db.SetItemBooking(ctx, other.ID, tr.ID, it.ID, "", "bk-2", t0), apperr.NotFound)
		wantCode(t, db.SetItemBooking(ctx, u.ID, tr.ID, "nope", "", "bk-2", t0), apperr.NotFound)
		wantCode(t, db.SetItemBooking(ctx, u.ID, tr.ID, it.ID, "", "bk-2", t0), apperr.Conflict) // already booked
		got, _ = db.GetTrip(ctx, u.ID, tr.ID)
		if g := got.Items[0]; g.Title != "Late dinner" || g.CostMinor != nil || g.StartsAt != "" || g.BookingID != "bk-1" ||
			g.Details != `{"cuisine":"portuguese"}` && g.Details != `{"cuisine": "portuguese"}` || got.Version != v+1 {
			t.Fatalf("item %+v (version %d)", g, got.Version)
		}

		// Booking the item inside the caller's transaction commits with it.
		must(t, db.InTx(ctx, func(q *store.Queries) error { return q.SetItemBooking(ctx, u.ID, tr.ID, it.ID, "bk-1", "bk-3", t0) }))
		got, _ = db.GetTrip(ctx, u.ID, tr.ID)
		if got.Items[0].BookingID != "bk-3" {
			t.Fatalf("booking in tx: %+v", got.Items[0])
		}

		list, err := db.ListTrips(ctx, u.ID, "", 10)
		must(t, err)
		if len(list) != 1 || list[0].ID != tr.ID {
			t.Fatalf("list %+v", list)
		}
		if l, _ := db.ListTrips(ctx, other.ID, "", 10); len(l) != 0 {
			t.Fatalf("other owner sees %d trips", len(l))
		}

		_, err = db.DeleteTripItem(ctx, other.ID, tr.ID, it.ID, 0, t0)
		wantCode(t, err, apperr.NotFound)
		wantCode(t, db.DeleteTrip(ctx, u.ID, tr.ID, 1), apperr.Precondition)
		wantCode(t, db.DeleteTrip(ctx, other.ID, tr.ID, 0), apperr.NotFound)
		must(t, db.DeleteTrip(ctx, u.ID, tr.ID, got.Version))
		_, err = db.GetTrip(ctx, u.ID, tr.ID)
		wantCode(t, err, apperr.NotFound)
	})
}

func TestTripItemMoveRenumbers(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		tr := newTrip(u.ID)
		must(t, db.CreateTrip(ctx, tr))
		ids := map[string]string{}
		for _, n := range []string{"a", "b", "c", "d"} {
			it, _, err := db.AddTripItem(ctx, u.ID, newItem(tr.ID, 1, n), 0)
			must(t, err)
			ids[n] = it.ID
		}
		// Insert at position 2 shifts b, c, d down.
		x := newItem(tr.ID, 1, "x")
		x.Position = 2
		_, _, err := db.AddTripItem(ctx, u.ID, x, 0)
		must(t, err)
		get := func() model.Trip { g, err := db.GetTrip(ctx, u.ID, tr.ID); must(t, err); return g }
		if got := titles(t, get(), 1); !slices.Equal(got, []string{"a", "x", "b", "c", "d"}) {
			t.Fatalf("after insert %v", got)
		}
		_, err = db.MoveTripItem(ctx, u.ID, tr.ID, ids["d"], 1, 1, 0, t0)
		must(t, err)
		if got := titles(t, get(), 1); !slices.Equal(got, []string{"d", "a", "x", "b", "c"}) {
			t.Fatalf("after move up %v", got)
		}
		_, err = db.MoveTripItem(ctx, u.ID, tr.ID, ids["a"], 3, 0, 0, t0)
		must(t, err)
		_, err = db.MoveTripItem(ctx, u.ID, tr.ID, ids["b"], 3, 1, 0, t0)
		must(t, err)
		g := get()
		if d1, d3 := titles(t, g, 1), titles(t, g, 3); !slices.Equal(d1, []string{"d", "x", "c"}) || !slices.Equal(d3, []string{"b", "a"}) {
			t.Fatalf("after moves: day1 %v day3 %v", d1, d3)
		}
		_, err = db.MoveTripItem(ctx, u.ID, tr.ID, ids["c"], 1, 99, g.Version-1, t0)
		wantCode(t, err, apperr.Precondition)
		_, err = db.MoveTripItem(ctx, u.ID, tr.ID, "missing", 1, 1, 0, t0)
		wantCode(t, err, apperr.NotFound)
		_, err = db.DeleteTripItem(ctx, u.ID, tr.ID, ids["d"], 0, t0)
		must(t, err)
		if got := titles(t, get(), 1); !slices.Equal(got, []string{"x", "c"}) {
			t.Fatalf("after delete %v", got)
		}
	})
}

// TestConcurrentItemAddsKeepPositionsUnique: parallel adds to one day
// serialise on the trip row; every item gets its own position.
func TestConcurrentItemAddsKeepPositionsUnique(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db)
		tr := newTrip(u.ID)
		must(t, db.CreateTrip(ctx, tr))
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				it := newItem(tr.ID, 2, fmt.Sprintf("i%d", i))
				it.Position = i % 3
				if _, _, err := db.AddTripItem(ctx, u.ID, it, 0); err != nil {
					t.Errorf("add %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		g, err := db.GetTrip(ctx, u.ID, tr.ID)
		must(t, err)
		if got := titles(t, g, 2); len(got) != 20 {
			t.Fatalf("%d items", len(got))
		}
		if g.Version != 21 {
			t.Fatalf("version %d, want 21", g.Version)
		}
	})
}

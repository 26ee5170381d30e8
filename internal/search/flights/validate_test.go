package flights

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
)

func TestValidation(t *testing.T) {
	ix := testIndex(t, Options{}, fl("TP1", "LIS", "OPO", "07:00", "07:55", 0, 100))
	base := func() Query { return oneWay("LIS", "OPO", "2027-03-10") }
	for _, tc := range []struct {
		name, field, message string
		edit                 func(*Query)
	}{
		{"no slices", "slices", "at least one", func(q *Query) { q.Slices = nil }},
		{"too many slices", "slices", "at most 6", func(q *Query) {
			for range 6 {
				q.Slices = append(q.Slices, q.Slices[0])
			}
		}},
		{"unknown origin", "slices[0].from", `unknown airport "XYZ"`, func(q *Query) { q.Slices[0].From = []string{"XYZ"} }},
		{"no destination", "slices[0].to", "at least one airport", func(q *Query) { q.Slices[0].To = nil }},
		{"same airports", "slices[0].to", "must differ", func(q *Query) { q.Slices[0].To = []string{"LIS"} }},
		{"too many airports", "slices[0].to", "at most 10", func(q *Query) { q.Slices[0].To = strings.Split("OPO,FAO,MAD,BCN,FRA,MUC,LHR,CDG,JFK,LGA,EWR", ",") }},
		{"past date", "slices[0].date", "in the past", func(q *Query) { q.Slices[0].Date = date("2026-12-31") }},
		{"no date", "slices[0].date", "required", func(q *Query) { q.Slices[0].Date = catalog.Date{} }},
		{"flex", "slices[0].date_flex", "0–3", func(q *Query) { q.Slices[0].DateFlex = 4 }},
		{"stops", "max_stops", "0–2", func(q *Query) { q.MaxStops = 3 }},
		{"negative stops", "max_stops", "0–2", func(q *Query) { q.MaxStops = -1 }},
		{"no adult", "passengers.adults", "at least one adult", func(q *Query) { q.Passengers = Passengers{Children: 2} }},
		{"infants", "passengers.infants", "each lap infant", func(q *Query) { q.Passengers = Passengers{Adults: 1, Infants: 2} }},
		{"too many", "passengers", "at most 9", func(q *Query) { q.Passengers = Passengers{Adults: 5, Children: 5} }},
		{"cabin", "cabin", "must be one of", func(q *Query) { q.Cabin = "steerage" }},
		{"sort", "sort", "must be one of", func(q *Query) { q.Sort = "cheapest" }},
		{"limit", "limit", "1–100", func(q *Query) { q.Limit = 101 }},
		{"airline", "airlines", `unknown airline "ZZ"`, func(q *Query) { q.Airlines = []string{"ZZ"} }},
		{"excluded airline", "exclude_airlines", "unknown airline", func(q *Query) { q.ExcludeAirlines = []string{"??"} }},
		{"window", "depart_before", "must not be before depart_after", func(q *Query) {
			q.DepartAfter, q.DepartBefore = clock("18:00"), clock("08:00")
		}},
		{"duration", "max_duration", "negative", func(q *Query) { q.MaxDuration = -time.Hour }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := base()
			tc.edit(&q)
			its, err := ix.Search(context.Background(), q)
			if its != nil {
				t.Errorf("returned itineraries with an error")
			}
			wantInvalid(t, err, tc.field)
			e, _ := apperr.As(err)
			var msg string
			for _, f := range e.Fields {
				if f.Field == tc.field {
					msg = f.Message
				}
			}
			if !strings.Contains(msg, tc.message) {
				t.Errorf("%s: message %q does not say %q", tc.field, msg, tc.message)
			}
		})
	}
	// Every problem is reported at once.
	q := base()
	q.MaxStops, q.Limit, q.Sort = 9, -1, "x"
	_, err := ix.Search(context.Background(), q)
	if e, ok := apperr.As(err); !ok || len(e.Fields) != 3 {
		t.Errorf("want 3 field errors, got %v", err)
	}
	// Today is not the past, whatever the zone: 2027-01-01 has begun in
	// Auckland and not yet ended in Honolulu.
	if _, err := ix.Search(context.Background(), oneWay("LIS", "OPO", "2027-01-01")); err != nil {
		t.Errorf("today rejected: %v", err)
	}
	// Zero passengers mean one adult.
	if _, err := ix.Search(context.Background(), base()); err != nil {
		t.Errorf("zero passengers rejected: %v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	ix := testIndex(t, Options{}, fl("TP1", "LIS", "OPO", "07:00", "07:55", 0, 100))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, oneWay("LIS", "OPO", "2027-03-10")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

package search

import (
	"context"
	"testing"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/search/flights"
)

// TestAmadeusFlightOrder: a searched itinerary is found again, priced and
// ordered on the fake, and the order can be deleted.
func TestAmadeusFlightOrder(t *testing.T) {
	a, fake := newAmadeus(t)
	ctx := context.Background()
	q := flights.Query{Slices: []flights.Slice{{From: []string{"MAD"}, To: []string{"JFK"}, Date: day(30)}},
		Passengers: flights.Passengers{Adults: 1}, MaxStops: 0}
	its, err := a.SearchFlights(ctx, q)
	if err != nil || len(its) == 0 {
		t.Fatalf("search: %v %v", its, err)
	}
	sg := its[0].Legs[0].Segments[0]
	segs := []flights.SegmentRef{{Number: sg.Flight.Number, From: sg.Flight.From, To: sg.Flight.To, Date: day(30)}}
	priced, err := a.PriceItinerary(ctx, segs, catalog.Economy, q.Passengers)
	if err != nil {
		t.Fatal(err)
	}
	if priced.Total != its[0].Price || priced.Departs.IsZero() {
		t.Fatalf("priced %v, searched %v", priced.Total, its[0].Price)
	}
	id, pnr, err := a.Order(ctx, priced, []Passenger{{GivenNames: "Ana Maria", FamilyName: "Silva", DateOfBirth: day(-30 * 365)}})
	if err != nil || id == "" || pnr == "" {
		t.Fatalf("order: %q %q %v", id, pnr, err)
	}
	if len(fake.RequestsTo("/v1/booking/flight-orders")) != 1 || len(fake.RequestsTo("/v1/shopping/flight-offers/pricing")) != 1 {
		t.Fatalf("requests: %+v", fake.Requests())
	}
	if err := a.CancelOrder(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Client.GetFlightOrder(ctx, id); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("deleted order still there: %v", err)
	}

	gone := []flights.SegmentRef{{Number: "IB9999", From: "MAD", To: "JFK", Date: day(30)}}
	if _, err := a.PriceItinerary(ctx, gone, catalog.Economy, q.Passengers); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown flight: %v", err)
	}
}

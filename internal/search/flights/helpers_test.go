package flights

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// testNow is the fixed clock of the hand-written tests.
var testNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// testAirports are real airports with their real IANA zones.
var testAirports = []catalog.Airport{
	{IATA: "AKL", Country: "NZ", Lat: -37.008, Lon: 174.792, Zone: "Pacific/Auckland"},
	{IATA: "HNL", Country: "US", Lat: 21.318, Lon: -157.922, Zone: "Pacific/Honolulu"},
	{IATA: "SYD", Country: "AU", Lat: -33.946, Lon: 151.177, Zone: "Australia/Sydney"},
	{IATA: "LAX", Country: "US", Lat: 33.942, Lon: -118.408, Zone: "America/Los_Angeles"},
	{IATA: "SFO", Country: "US", Lat: 37.619, Lon: -122.375, Zone: "America/Los_Angeles"},
	{IATA: "JFK", Country: "US", Lat: 40.640, Lon: -73.779, Zone: "America/New_York"},
	{IATA: "LGA", Country: "US", Lat: 40.777, Lon: -73.872, Zone: "America/New_York"},
	{IATA: "EWR", Country: "US", Lat: 40.692, Lon: -74.168, Zone: "America/New_York"},
	{IATA: "BOS", Country: "US", Lat: 42.365, Lon: -71.009, Zone: "America/New_York"},
	{IATA: "ORD", Country: "US", Lat: 41.978, Lon: -87.905, Zone: "America/Chicago"},
	{IATA: "DFW", Country: "US", Lat: 32.897, Lon: -97.038, Zone: "America/Chicago"},
	{IATA: "DEN", Country: "US", Lat: 39.856, Lon: -104.674, Zone: "America/Denver"},
	{IATA: "LHR", Country: "GB", Lat: 51.470, Lon: -0.454, Zone: "Europe/London"},
	{IATA: "CDG", Country: "FR", Lat: 49.010, Lon: 2.550, Zone: "Europe/Paris"},
	{IATA: "LIS", Country: "PT", Lat: 38.774, Lon: -9.134, Zone: "Europe/Lisbon"},
	{IATA: "OPO", Country: "PT", Lat: 41.248, Lon: -8.681, Zone: "Europe/Lisbon"},
	{IATA: "FAO", Country: "PT", Lat: 37.014, Lon: -7.966, Zone: "Europe/Lisbon"},
	{IATA: "MAD", Country: "ES", Lat: 40.472, Lon: -3.561, Zone: "Europe/Madrid"},
	{IATA: "BCN", Country: "ES", Lat: 41.297, Lon: 2.078, Zone: "Europe/Madrid"},
	{IATA: "FRA", Country: "DE", Lat: 50.033, Lon: 8.570, Zone: "Europe/Berlin"},
	{IATA: "MUC", Country: "DE", Lat: 48.354, Lon: 11.786, Zone: "Europe/Berlin"},
}

// fl is a daily flight with an economy fare in USD cents; number's first
// two characters are the carrier.
func fl(number, from, to, departs, arrives string, arrivalDay int, fareCents int64) catalog.Flight {
	return catalog.Flight{
		Carrier: number[:2], Number: number, From: from, To: to,
		Departs: clock(departs), Arrives: clock(arrives), ArrivalDay: arrivalDay,
		Days:  catalog.Daily,
		Fares: map[catalog.Cabin]money.Money{catalog.Economy: {Minor: fareCents, Currency: "USD"}},
	}
}

func clock(s string) catalog.Clock {
	c, err := catalog.ParseClock(s)
	if err != nil {
		panic(err)
	}
	return c
}

func date(s string) catalog.Date {
	d, err := catalog.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func testIndex(t testing.TB, opts Options, flights ...catalog.Flight) *Index {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	ix, err := NewIndex(&catalog.Data{Airports: testAirports, Flights: flights}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// oneWay is a one-way query for one adult with up to two stops.
func oneWay(from, to, day string) Query {
	return Query{Slices: []Slice{{From: []string{from}, To: []string{to}, Date: date(day)}}, MaxStops: 2}
}

func search(t testing.TB, ix *Index, q Query) []Itinerary {
	t.Helper()
	its, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	return its
}

// numbers renders itineraries as "A1+B2 | C3" lines for readable diffs.
func numbers(its []Itinerary) []string {
	out := make([]string, len(its))
	for i, it := range its {
		var legs []string
		for _, l := range it.Legs {
			var segs []string
			for _, s := range l.Segments {
				segs = append(segs, s.Flight.Number)
			}
			legs = append(legs, strings.Join(segs, "+"))
		}
		out[i] = strings.Join(legs, " | ")
	}
	return out
}

func wantNumbers(t *testing.T, its []Itinerary, want ...string) {
	t.Helper()
	got := numbers(its)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("itineraries = %q, want %q", got, want)
	}
}

// wantInvalid asserts a validation error naming field.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid {
		t.Fatalf("error = %v, want a validation error", err)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("fields = %+v, want one named %q", e.Fields, field)
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

package search

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/provider/amadeus"
	"pathavana/internal/search/flights"
	"pathavana/internal/testkit/amadeusfake"
)

var testZones = map[string]string{"SYD": "Australia/Sydney", "MNL": "Asia/Manila", "MAD": "Europe/Madrid",
	"JFK": "America/New_York", "LHR": "Europe/London", "DOH": "Asia/Qatar", "BKK": "Asia/Bangkok"}

func zoneOf(iata string) *time.Location {
	loc, err := time.LoadLocation(testZones[iata])
	if err != nil {
		return nil
	}
	return loc
}

func newAmadeus(t *testing.T) (*AmadeusFlights, *amadeusfake.Server) {
	t.Helper()
	fake := amadeusfake.New(t, amadeusfake.Options{TPS: -1})
	c, err := amadeus.New(amadeus.Config{BaseURL: fake.URL(), ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(),
		RetryBase: time.Millisecond, RetryMax: 5 * time.Millisecond, Timeout: 2 * time.Second, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &AmadeusFlights{Client: c, Zone: zoneOf}, fake
}

func day(offset int) catalog.Date {
	d := time.Now().UTC().AddDate(0, 0, offset)
	return catalog.Date{Time: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)}
}

func oneWay(from, to string, date catalog.Date) flights.Query {
	return flights.Query{Slices: []flights.Slice{{From: []string{from}, To: []string{to}, Date: date}},
		Passengers: flights.Passengers{Adults: 1}, MaxStops: 2}
}

func TestAmadeusFlightsConvertsOffers(t *testing.T) {
	a, _ := newAmadeus(t)
	date := day(30)
	its, err := a.SearchFlights(context.Background(), oneWay("SYD", "MNL", date))
	if err != nil {
		t.Fatal(err)
	}
	if len(its) < 2 {
		t.Fatalf("want the fake's two SYD→MNL offers, got %d", len(its))
	}
	var overnight *flights.Segment
	for _, it := range its {
		if len(it.Legs) != 1 || it.Price.Currency == "" || it.PerAdult.IsZero() {
			t.Fatalf("bad itinerary %+v", it)
		}
		s := &it.Legs[0].Segments[0]
		if s.Flight.Number == "PR210" {
			overnight = s
		}
	}
	if overnight == nil {
		t.Fatal("PR210 missing")
	}
	// 22:00 in Sydney, 05:15 the next day in Manila: 9h15m in the southern
	// winter, 10h15m while Sydney is on daylight time. The zones decide.
	d := date.Time
	want := time.Date(d.Year(), d.Month(), d.Day()+1, 5, 15, 0, 0, zoneOf("MNL")).
		Sub(time.Date(d.Year(), d.Month(), d.Day(), 22, 0, 0, 0, zoneOf("SYD")))
	if overnight.Flight.ArrivalDay != 1 || overnight.Arrives.Sub(overnight.Departs) != want {
		t.Fatalf("PR210: arrival day %d, block %s", overnight.Flight.ArrivalDay, overnight.Arrives.Sub(overnight.Departs))
	}
	if overnight.Departs.Location().String() != "Australia/Sydney" || overnight.Departs.Hour() != 22 {
		t.Fatalf("PR210 departs %s", overnight.Departs)
	}

	q := oneWay("SYD", "MNL", date)
	q.NoRedEye = true
	its, err = a.SearchFlights(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range its {
		if it.Legs[0].Segments[0].Flight.Number == "PR210" {
			t.Fatal("no_red_eye kept the 22:00 overnight flight")
		}
	}
}

func TestAmadeusFlightsUnsupported(t *testing.T) {
	a, fake := newAmadeus(t)
	q := oneWay("SYD", "MNL", day(30))
	q.Slices = append(q.Slices, flights.Slice{From: []string{"MNL"}, To: []string{"BKK"}, Date: day(35)})
	_, err := a.SearchFlights(context.Background(), q)
	var u *UnsupportedError
	if !asUnsupported(err, &u) {
		t.Fatalf("open-jaw: err = %v, want UnsupportedError", err)
	}
	if n := len(fake.RequestsTo("/v2/shopping")); n != 0 {
		t.Fatalf("an unsupported query still sent %d requests", n)
	}
}

func asUnsupported(err error, u **UnsupportedError) bool {
	e, ok := err.(*UnsupportedError)
	*u = e
	return ok
}

// smallCatalog is internal/catalog/testdata/small.jsonl: LIS and BOS with TAP
// flights, no sandbox.
func smallCatalog(t *testing.T) *Catalog {
	t.Helper()
	f, err := os.Open("../catalog/testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := catalog.Parse(nil, catalog.Source{Name: "small.jsonl", Reader: f})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCatalog(d, "small", nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type failingFlights struct{ err error }

func (f failingFlights) Name() string { return "amadeus" }
func (f failingFlights) SearchFlights(context.Context, flights.Query) ([]flights.Itinerary, error) {
	return nil, f.err
}

func TestSearcherFallsBackToCatalog(t *testing.T) {
	c := smallCatalog(t)
	log := slog.New(slog.DiscardHandler)
	date := nextWeekday(time.Monday)
	q := oneWay("LIS", "BOS", date)

	s := NewSearcher(c, Providers{Flights: failingFlights{err: context.DeadlineExceeded}}, log)
	its, origin, err := s.Flights(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if origin.Source != "small" || origin.Fallback != "amadeus did not answer in time" || origin.Sandbox {
		t.Fatalf("origin = %+v", origin)
	}
	if len(its) == 0 || its[0].Legs[0].Segments[0].Flight.Number != "TP218" {
		t.Fatalf("catalog answer = %+v", its)
	}

	// Without a provider there is no fallback to report.
	_, origin, err = NewSearcher(c, Providers{}, log).Flights(context.Background(), q)
	if err != nil || origin.Fallback != "" || origin.Source != "small" {
		t.Fatalf("catalog only: origin %+v, err %v", origin, err)
	}
}

func TestSearcherFallsBackWhenAmadeusFails(t *testing.T) {
	a, fake := newAmadeus(t)
	fake.SetFaults(amadeusfake.Faults{ServerErrors: 100})
	s := NewSearcher(smallCatalog(t), Providers{Flights: a}, slog.New(slog.DiscardHandler))
	its, origin, err := s.Flights(context.Background(), oneWay("LIS", "BOS", nextWeekday(time.Wednesday)))
	if err != nil {
		t.Fatal(err)
	}
	if origin.Fallback != "amadeus is unavailable" || len(its) == 0 {
		t.Fatalf("origin %+v, %d itineraries", origin, len(its))
	}
}

func TestOverlayReplacesAndLayers(t *testing.T) {
	base := smallCatalog(t)
	over := &catalog.Data{Airlines: []catalog.Airline{{IATA: "TP", Name: "TAP Renamed"}}}
	c, err := NewCatalog(base.Data, "small", []Overlay{{Name: "rates", Version: "v1", Data: over}}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Label != "small+rates" || c.Version == base.Version {
		t.Fatalf("label %q version %q", c.Label, c.Version)
	}
	if len(c.Data.Airlines) != 1 || c.Data.Airlines[0].Name != "TAP Renamed" || len(c.Data.Flights) != len(base.Data.Flights) {
		t.Fatalf("layered data: %+v", c.Data.Airlines)
	}
	r, err := NewCatalog(base.Data, "small", []Overlay{{Name: "only", Replace: true, Data: over}}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Label != "only+sandbox-local" || len(r.Data.Flights) != 0 || !r.Sandbox {
		t.Fatalf("replace kept the base: label %q, %d flights, sandbox %v", r.Label, len(r.Data.Flights), r.Sandbox)
	}
	// With local inventory of its own, a replacing catalog uses only that.
	withStay := &catalog.Data{Cities: base.Data.Cities, Stays: base.Data.Stays}
	r, err = NewCatalog(base.Data, "small", []Overlay{{Name: "own", Replace: true, Data: withStay}}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	lisbon := base.Data.Stays[0].City
	if r.Label != "own" || r.Sandbox || len(r.Local.Stays(lisbon)) != 1 {
		t.Fatalf("own local inventory: label %q, sandbox %v, %d stays", r.Label, r.Sandbox, len(r.Local.Stays(lisbon)))
	}
}

// nextWeekday is a date at least a week ahead falling on wd (the small
// catalog's flights run on some weekdays only).
func nextWeekday(wd time.Weekday) catalog.Date {
	d := day(8).Time
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return catalog.Date{Time: d}
}

package search

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
	"pathavana/internal/search/local"
	"pathavana/internal/testkit/amadeusfake"
)

func newAmadeusStays(t *testing.T, cities map[string]catalog.City) (*AmadeusStays, *amadeusfake.Server) {
	t.Helper()
	flights, fake := newAmadeus(t)
	return &AmadeusStays{Client: flights.Client, City: func(id string) (catalog.City, bool) {
		c, ok := cities[id]
		return c, ok
	}}, fake
}

var london = map[string]catalog.City{"2643743": {ID: "2643743", Name: "London", Country: "GB"}}

func londonStays(guests int) local.StayQuery {
	return local.StayQuery{Area: local.Area{City: "2643743"}, CheckIn: day(30), CheckOut: day(33), Guests: local.Guests{Adults: guests}}
}

func TestAmadeusStaysPricesThePartysRooms(t *testing.T) {
	a, fake := newAmadeusStays(t, london)
	res, err := a.SearchStays(context.Background(), londonStays(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("want the fake's one London hotel, got %+v", res)
	}
	r := res[0]
	// The fake's MCLONGHM costs GBP 716.00 a room a night.
	if r.Stay.ID != "amadeus:MCLONGHM" || r.Stay.RoomType != catalog.HotelRoom || r.Stay.City != "2643743" ||
		r.Rooms != 1 || r.Nights != 3 || r.Total.String() != "2148.00" || r.Total.Currency != "GBP" ||
		r.Stay.PricePerNight.String() != "716.00" || r.NightlyTotal.String() != "716.00" || r.Stay.Lat == 0 {
		t.Fatalf("converted %+v", r)
	}

	// Five guests need three rooms; the city code is not looked up again.
	locations := func() (n int) {
		for _, req := range fake.Requests() {
			if req.Path == "/v1/reference-data/locations" {
				n++
			}
		}
		return n
	}
	before := locations()
	res, err = a.SearchStays(context.Background(), londonStays(5))
	if err != nil || len(res) != 1 || res[0].Rooms != 3 || res[0].Total.String() != "6444.00" || res[0].Stay.MaxOccupancy != 2 {
		t.Fatalf("five guests: %v %+v", err, res)
	}
	if locations() != before || before != 1 {
		t.Fatalf("locations requests: %d then %d, want one in all", before, locations())
	}

	q := londonStays(2)
	q.MaxTotal = &money.Money{Minor: 200000, Currency: "GBP"}
	if res, err := a.SearchStays(context.Background(), q); err != nil || len(res) != 0 {
		t.Fatalf("over the total budget: %v %+v", err, res)
	}
	q.MaxTotal = &money.Money{Minor: 200000, Currency: "EUR"}
	var unsupported *UnsupportedError
	if _, err := a.SearchStays(context.Background(), q); !errors.As(err, &unsupported) {
		t.Fatalf("a limit in another currency: %v", err)
	}
	q = londonStays(2)
	q.RadiusKM = 2
	if _, err := a.SearchStays(context.Background(), q); !errors.As(err, &unsupported) {
		t.Fatalf("a radius: %v", err)
	}
}

// TestAmadeusStaysCityWithoutHotels: Amadeus' "nothing found" (the fake has
// no Barcelona hotels) is an empty answer from Amadeus, not a failure.
func TestAmadeusStaysCityWithoutHotels(t *testing.T) {
	barcelona := map[string]catalog.City{"3128760": {ID: "3128760", Name: "Barcelona", Country: "ES"}}
	a, _ := newAmadeusStays(t, barcelona)
	q := londonStays(2)
	q.City = "3128760"
	res, err := a.SearchStays(context.Background(), q)
	if err != nil || len(res) != 0 {
		t.Fatalf("barcelona: %v %+v", err, res)
	}
}

// TestAmadeusStaysFallBack: what Amadeus cannot answer, or a failing
// Amadeus, is answered from the catalog, saying why.
func TestAmadeusStaysFallBack(t *testing.T) {
	c := smallCatalog(t)
	lisbon := c.Data.Stays[0].City
	cities := map[string]catalog.City{lisbon: {ID: lisbon, Name: "London", Country: "GB"}}
	a, fake := newAmadeusStays(t, cities)
	s := NewSearcher(c, Providers{Stays: a}, slog.New(slog.DiscardHandler))
	q := local.StayQuery{Area: local.Area{City: lisbon}, CheckIn: day(30), CheckOut: day(33), Guests: local.Guests{Adults: 2}}

	res, origin, err := s.Stays(context.Background(), q)
	if err != nil || origin.Source != "amadeus" || origin.Sandbox || len(res) != 1 {
		t.Fatalf("from amadeus: %v %+v %d", err, origin, len(res))
	}
	q.Rules.Pets = true
	res, origin, err = s.Stays(context.Background(), q)
	if err != nil || origin.Source != c.Label || !strings.Contains(origin.Fallback, "house rules") || len(res) != 1 ||
		res[0].Stay.ID != c.Data.Stays[0].ID {
		t.Fatalf("house rules: %v %+v %+v", err, origin, res)
	}
	q.Rules.Pets = false
	fake.SetFaults(amadeusfake.Faults{ServerErrors: 10})
	res, origin, err = s.Stays(context.Background(), q)
	if err != nil || origin.Source != c.Label || origin.Fallback == "" || len(res) != 1 {
		t.Fatalf("amadeus down: %v %+v %d", err, origin, len(res))
	}
}

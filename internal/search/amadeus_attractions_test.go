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

func TestAmadeusAttractions(t *testing.T) {
	flights, fake := newAmadeus(t)
	madrid := catalog.City{ID: "3117735", Name: "Madrid", Country: "ES", Lat: 40.4165, Lon: -3.70256}
	a := &AmadeusAttractions{Client: flights.Client, City: func(id string) (catalog.City, bool) { return madrid, id == madrid.ID }}
	q := local.AttractionQuery{Area: local.Area{City: madrid.ID}, Adults: 2, Children: 1, Sort: local.SortPrice, Date: day(20)}
	res, err := a.SearchAttractions(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	// The fake's Madrid: two priced tours and a flamenco show without a price.
	if len(res) != 2 || res[0].Attraction.ID != "amadeus:4615" || res[1].Attraction.ID != "amadeus:23642" {
		t.Fatalf("results %+v", res)
	}
	tour := res[0]
	if tour.PartyCost.String() != "87.50" || tour.PartyCost.Currency != "EUR" || tour.Attraction.Minutes != 180 ||
		tour.Attraction.Rating != 4.5 || tour.Open == nil || tour.Attraction.City != madrid.ID {
		t.Fatalf("the churros tour: %+v open %+v", tour, tour.Open)
	}
	q.MaxPrice = &money.Money{Minor: 10000, Currency: "EUR"}
	if res, err := a.SearchAttractions(context.Background(), q); err != nil || len(res) != 1 {
		t.Fatalf("under EUR 100: %v %+v", err, res)
	}

	q.MaxPrice = &money.Money{Minor: 10000, Currency: "USD"}
	var unsupported *UnsupportedError
	if _, err := a.SearchAttractions(context.Background(), q); !errors.As(err, &unsupported) {
		t.Fatalf("a limit in another currency: %v", err)
	}
	q.MaxPrice = nil
	q.Categories = []string{"museum"}
	if _, err := a.SearchAttractions(context.Background(), q); !errors.As(err, &unsupported) {
		t.Fatalf("museums: %v", err)
	}

	// Around a point: distances are measured and the nearest comes first.
	point := local.AttractionQuery{Area: local.Area{Lat: madrid.Lat, Lon: madrid.Lon, RadiusKM: 10}, Sort: local.SortDistance}
	res, err = a.SearchAttractions(context.Background(), point)
	if err != nil || len(res) != 2 || res[0].DistanceKM > res[1].DistanceKM || res[1].DistanceKM == 0 {
		t.Fatalf("around a point: %v %+v", err, res)
	}

	// A failing Amadeus: the catalog answers, saying so.
	c := smallCatalog(t)
	anywhere := &AmadeusAttractions{Client: flights.Client, City: func(string) (catalog.City, bool) { return madrid, true }}
	s := NewSearcher(c, Providers{Attractions: anywhere}, slog.New(slog.DiscardHandler))
	fake.SetFaults(amadeusfake.Faults{ServerErrors: 10})
	lisbon := c.Data.Attractions[0].City
	res, origin, err := s.Attractions(context.Background(), local.AttractionQuery{Area: local.Area{City: lisbon}})
	if err != nil || origin.Source != c.Label || !strings.Contains(origin.Fallback, "amadeus") || strings.Contains(origin.Fallback, "cannot answer") || len(res) != 1 {
		t.Fatalf("amadeus down: %v %+v %d", err, origin, len(res))
	}
	if minutesOf("90 minutes") != 90 || minutesOf("1 hour") != 60 || minutesOf("a while") != 0 {
		t.Fatal("minutesOf")
	}
}

package search

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"pathavana/internal/catalog/openflights"
	"pathavana/internal/catalog/world"
	"pathavana/internal/search/flights"
)

// openFlightsDir is the full OpenFlights snapshot, present beside the
// repository on the team's machines and in CI, absent elsewhere.
const openFlightsDir = "../../../shared/data/openflights"

// openFlightsCatalog builds the catalog `catalog import-openflights` makes,
// as the replacing overlay it is stored as.
func openFlightsCatalog(t testing.TB) *Catalog {
	t.Helper()
	if _, err := os.Stat(openFlightsDir + "/routes.dat"); err != nil {
		t.Skip("no OpenFlights data at " + openFlightsDir)
	}
	w, err := world.Load()
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := openflights.ReadDir(w, openFlightsDir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCatalog(d, "openflights", nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOpenFlightsBusiestCitiesConnect: over the OpenFlights network, trips
// between big cities are found, with every segment joining the last.
func TestOpenFlightsBusiestCitiesConnect(t *testing.T) {
	if testing.Short() {
		t.Skip("converts the full OpenFlights files")
	}
	c := openFlightsCatalog(t)
	top := topCityAirports(t, c, 200)
	if len(top) < 150 {
		t.Fatalf("only %d of the 200 biggest cities have airports in the OpenFlights catalog", len(top))
	}
	date := day(40)
	found, pairs := 0, 0
	for i := range len(top) {
		from, to := top[i%len(top)], top[(i*7+13)%len(top)]
		if slices.Equal(from, to) {
			continue
		}
		pairs++
		its, err := c.Flights.Search(context.Background(), flights.Query{Slices: []flights.Slice{{From: from, To: to, Date: date, DateFlex: 1}},
			Passengers: flights.Passengers{Adults: 1}, MaxStops: 2})
		if err != nil {
			t.Fatalf("%v → %v: %v", from, to, err)
		}
		if len(its) > 0 {
			found++
		}
		for _, it := range its {
			segs := it.Legs[0].Segments
			for k := 1; k < len(segs); k++ {
				if segs[k].Flight.From != segs[k-1].Flight.To || !segs[k].Departs.After(segs[k-1].Arrives) {
					t.Fatalf("%v → %v: broken connection %s then %s", from, to, segs[k-1].Flight.Number, segs[k].Flight.Number)
				}
			}
		}
	}
	// OpenFlights is a 2014 snapshot: some big cities' airports have a
	// handful of routes or none (Aleppo, Damascus, Karaj, Tianshui), so
	// not every pair connects within two stops (169 of these 200 do).
	if found < pairs*80/100 {
		t.Fatalf("%d of %d big-city pairs connect", found, pairs)
	}
	t.Logf("%d of %d big-city pairs connect", found, pairs)
}

// BenchmarkOpenFlightsFlightSearch is the acceptance benchmark: one-way
// searches with up to two connections between the 500 biggest cities'
// airports over the full OpenFlights network, uncached.
func BenchmarkOpenFlightsFlightSearch(b *testing.B) { benchTopCityFlights(b, openFlightsCatalog(b)) }

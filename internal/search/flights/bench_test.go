package flights

import (
	"context"
	"slices"
	"testing"
	"time"

	"pathavana/internal/catalog"
)

var benchNow = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)

// BenchmarkSearch measures the OpenFlights-sized synthetic network
// (3,000 airports, 100k+ flights). The network is built once; each case
// runs uncached (every Search call starts from an empty memo).
func BenchmarkSearch(b *testing.B) {
	d := syntheticNetwork(b, benchNetwork)
	opts := Options{Now: func() time.Time { return benchNow }, Pricer: hashPricer}
	ix, err := NewIndex(d, opts)
	if err != nil {
		b.Fatal(err)
	}
	day := catalog.Date{Time: time.Date(2027, 3, 16, 0, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	direct, far := benchPairs(b, ix, d, day)
	b.Logf("%d flights; direct %v, two-stop %v", len(d.Flights), direct, far)
	// The worst case: the two biggest hubs far apart, every connection
	// within reach, a week of dates.
	hubs := Query{Slices: []Slice{{From: []string{d.Airports[0].IATA}, To: []string{farthestBigHub(ix, d)}, Date: day, DateFlex: 3}}, MaxStops: 2}

	b.Run("NewIndex", func(b *testing.B) {
		for b.Loop() {
			if _, err := NewIndex(d, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	oneWay := func(pair [2]string) Query {
		return Query{Slices: []Slice{{From: []string{pair[0]}, To: []string{pair[1]}, Date: day}}, MaxStops: 2}
	}
	run := func(name string, q Query) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("OneWayDirect", oneWay(direct))
	run("OneWayTwoStopsFar", oneWay(far))
	rt := oneWay(far)
	rt.Slices = append(rt.Slices, Slice{From: []string{far[1]}, To: []string{far[0]}, Date: catalog.Date{Time: day.AddDate(0, 0, 7)}})
	run("RoundTripTwoStops", rt)
	run("HubToHubTwoStopsFlex3", hubs)
	hubs.Slices[0].DateFlex = 0
	run("HubToHubTwoStops", hubs)
	flex := oneWay(far)
	flex.Slices[0].DateFlex = 3
	run("OneWayTwoStopsFlex3", flex)
	b.Run("Calendar31Days", func(b *testing.B) {
		q := CalendarQuery{From: []string{far[0]}, To: []string{far[1]}, Month: day, MaxStops: 2}
		for b.Loop() {
			if _, err := ix.Calendar(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Random pairs over all airports (mostly small ones, like OpenFlights),
	// and over the 300 busiest (big cities: hubs and many connections).
	percentiles := func(name string, pool int) {
		b.Run(name, func(b *testing.B) {
			sub := *d
			sub.Airports = d.Airports[:pool]
			queries := make([]Query, 500)
			for i := range queries {
				q := randomQuery(&sub, 10_000+i)
				q.MaxStops, q.Limit = 2, DefaultLimit
				q.Slices[0].Date = catalog.Date{Time: day.AddDate(0, 0, i%14)}
				queries[i] = q
			}
			var took []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, err := ix.Search(ctx, queries[i%len(queries)]); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				i++
			}
			reportPercentiles(b, took)
		})
	}
	percentiles("RandomOneWayPercentiles", len(d.Airports))
	percentiles("RandomBigCityPercentiles", 300)
}

func reportPercentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	at := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Nanoseconds())
	}
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
	b.ReportMetric(float64(took[len(took)-1].Nanoseconds()), "max-ns")
}

// benchPairs picks a hub pair with a nonstop and two spokes on different
// continents whose best answers need two stops, deterministically.
func benchPairs(b *testing.B, ix *Index, d *catalog.Data, day catalog.Date) (direct, far [2]string) {
	b.Helper()
	direct = [2]string{d.Flights[0].From, d.Flights[0].To}
	for i := len(d.Airports) - 1; i > 0; i -= 7 {
		for j := 0; j < len(d.Airports)/2; j += 13 {
			from, to := d.Airports[i].IATA, d.Airports[len(d.Airports)-1-j].IATA
			ai, aj := &ix.airports[ix.byCode[from]], &ix.airports[ix.byCode[to]]
			if from == to || greatCircleKM(ai, aj) < 9000 {
				continue
			}
			its, err := ix.Search(context.Background(), Query{Slices: []Slice{{From: []string{from}, To: []string{to}, Date: day}}, MaxStops: 2})
			if err == nil && len(its) >= 5 && its[0].Legs[0].Stops == 2 {
				return direct, [2]string{from, to}
			}
		}
	}
	b.Fatal("no far spoke pair with two-stop answers")
	return
}

// farthestBigHub is the first of the ten biggest airports at least 8,000 km
// from the biggest one.
func farthestBigHub(ix *Index, d *catalog.Data) string {
	first := &ix.airports[ix.byCode[d.Airports[0].IATA]]
	for _, a := range d.Airports[1:10] {
		if greatCircleKM(first, &ix.airports[ix.byCode[a.IATA]]) > 8000 {
			return a.IATA
		}
	}
	return d.Airports[1].IATA
}

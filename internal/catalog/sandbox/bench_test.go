package sandbox

import (
	"testing"
	"time"

	"pathavana/internal/catalog"
)

// BenchmarkBuild reports the whole sandbox build (world already loaded)
// with the sizes of what it makes.
func BenchmarkBuild(b *testing.B) {
	w := mustWorld(b)
	b.ReportAllocs()
	var d *catalog.Data
	for b.Loop() {
		var err error
		if d, err = Build(w); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(d.Flights)), "flights")
	b.ReportMetric(float64(len(d.Ground)), "ground_legs")
}

func BenchmarkNetwork(b *testing.B) {
	w := mustWorld(b)
	b.ReportAllocs()
	var routes []Route
	for b.Loop() {
		routes = Network(w)
	}
	b.ReportMetric(float64(len(routes)), "routes")
}

func BenchmarkLocalFor(b *testing.B) {
	big := lisbon
	big.Population = 10000000 // the largest counts: 60 + 60 + 30 places
	b.ReportAllocs()
	for b.Loop() {
		LocalFor(big, portugal)
	}
}

func BenchmarkFare(b *testing.B) {
	f := testFlight()
	day := time.Date(2027, 7, 16, 0, 0, 0, 0, time.UTC)
	today := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		Fare(f, catalog.Economy, day, today)
	}
}

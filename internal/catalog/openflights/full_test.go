package openflights

import (
	"crypto/sha256"
	"os"
	"runtime"
	"testing"
)

// fullDir holds the real OpenFlights files next to the repository (see
// DESIGN.md §4); the project must not depend on it, so tests skip without.
const fullDir = "../../../../shared/data/openflights"

func needFull(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(fullDir + "/routes.dat"); err != nil {
		t.Skipf("full OpenFlights files not found at %s", fullDir)
	}
}

func TestFullFiles(t *testing.T) {
	needFull(t)
	w := mustWorld(t)
	d, rep, err := ReadDir(w, fullDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", rep)
	if rep.RoutesRead < 67000 || rep.RoutesRead > 68000 {
		t.Errorf("%d routes read, want about 67,663", rep.RoutesRead)
	}
	if rep.RoutesKept < 50000 || rep.AirportsKept < 5500 || rep.AirlinesKept < 500 || rep.Flights < rep.RoutesKept {
		t.Errorf("kept %d routes, %d airports, %d airlines; %d flights", rep.RoutesKept, rep.AirportsKept, rep.AirlinesKept, rep.Flights)
	}
	airports := map[string]bool{}
	for _, a := range d.Airports {
		airports[a.IATA] = true
	}
	airlines := map[string]bool{}
	for _, a := range d.Airlines {
		airlines[a.IATA] = true
	}
	for _, f := range d.Flights {
		if !airports[f.From] || !airports[f.To] || !airlines[f.Carrier] {
			t.Fatalf("%s %s>%s: unknown airport or airline", f.Number, f.From, f.To)
		}
	}
	first := sha256.Sum256(roundTrip(t, d))
	if testing.Short() || raceEnabled {
		return
	}
	d2, _, err := ReadDir(w, fullDir)
	if err != nil {
		t.Fatal(err)
	}
	var buf hashWriter
	if err := WriteJSONL(&buf, d2); err != nil {
		t.Fatal(err)
	}
	if buf.sum() != first {
		t.Error("two conversions of the same files differ")
	}
}

func BenchmarkConvertFull(b *testing.B) {
	needFull(b)
	w := mustWorld(b)
	b.ReportAllocs()
	var heap uint64
	for b.Loop() {
		d, _, err := ReadDir(w, fullDir)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = ms.HeapAlloc
		runtime.KeepAlive(d)
	}
	b.ReportMetric(float64(heap)/(1<<20), "MB-heap")
}

func BenchmarkWriteJSONLFull(b *testing.B) {
	needFull(b)
	d, _, err := ReadDir(mustWorld(b), fullDir)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var w hashWriter
		if err := WriteJSONL(&w, d); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(w.n)
	}
}

// hashWriter hashes what is written to it.
type hashWriter struct {
	h interface {
		Write([]byte) (int, error)
		Sum([]byte) []byte
	}
	n int64
}

func (w *hashWriter) Write(p []byte) (int, error) {
	if w.h == nil {
		w.h = sha256.New()
	}
	w.n += int64(len(p))
	return w.h.Write(p)
}

func (w *hashWriter) sum() (s [32]byte) {
	copy(s[:], w.h.Sum(nil))
	return s
}

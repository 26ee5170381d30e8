package sandbox

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/world"
)

// The world and the built catalog are shared by the tests: loading and
// building take a noticeable time under the race detector.
var (
	worldOnce sync.Once
	testWorld *world.World
	worldErr  error

	buildOnce sync.Once
	built     *catalog.Data
	buildErr  error
)

func mustWorld(t testing.TB) *world.World {
	t.Helper()
	worldOnce.Do(func() { testWorld, worldErr = world.Load() })
	if worldErr != nil {
		t.Fatalf("world.Load: %v", worldErr)
	}
	return testWorld
}

func mustBuild(t testing.TB) *catalog.Data {
	t.Helper()
	w := mustWorld(t)
	buildOnce.Do(func() { built, buildErr = Build(w) })
	if buildErr != nil {
		t.Fatalf("Build: %v", buildErr)
	}
	return built
}

// airportMap indexes the catalog airports by IATA.
func airportMap(d *catalog.Data) map[string]catalog.Airport {
	m := make(map[string]catalog.Airport, len(d.Airports))
	for _, a := range d.Airports {
		m[a.IATA] = a
	}
	return m
}

// jsonLines writes entries as catalog JSON Lines of the given type, so the
// catalog's own parser can validate them.
func jsonLines[T any](t testing.TB, buf *bytes.Buffer, kind string, entries []T) {
	t.Helper()
	for i := range entries {
		b, err := json.Marshal(entries[i])
		if err != nil {
			t.Fatalf("marshal %s %d: %v", kind, i, err)
		}
		buf.WriteString(`{"type":"` + kind + `",`)
		buf.Write(b[1:])
		buf.WriteByte('\n')
	}
}

// validate runs the catalog parser (field checks and references) over d.
func validate(t testing.TB, d *catalog.Data) {
	t.Helper()
	var buf bytes.Buffer
	jsonLines(t, &buf, "country", d.Countries)
	jsonLines(t, &buf, "region", d.Regions)
	jsonLines(t, &buf, "city", d.Cities)
	jsonLines(t, &buf, "airport", d.Airports)
	jsonLines(t, &buf, "airline", d.Airlines)
	jsonLines(t, &buf, "flight", d.Flights)
	jsonLines(t, &buf, "stay", d.Stays)
	jsonLines(t, &buf, "restaurant", d.Restaurants)
	jsonLines(t, &buf, "attraction", d.Attractions)
	jsonLines(t, &buf, "ground", d.Ground)
	if _, err := catalog.Parse(nil, catalog.Source{Name: "sandbox", Reader: &buf}); err != nil {
		t.Fatalf("catalog validation: %v", err)
	}
}

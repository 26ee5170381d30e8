package openflights

import (
	"bytes"
	"sync"
	"testing"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/world"
)

var loadWorld = sync.OnceValues(world.Load)

func mustWorld(t testing.TB) *world.World {
	t.Helper()
	w, err := loadWorld()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// roundTrip writes d as JSON Lines and parses it back as a stand-alone
// catalog, failing on any problem; it returns the bytes.
func roundTrip(t testing.TB, d *catalog.Data) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, d); err != nil {
		t.Fatal(err)
	}
	back, err := catalog.Parse(nil, catalog.Source{Name: "openflights.jsonl", Reader: bytes.NewReader(buf.Bytes())})
	if err != nil {
		t.Fatalf("catalog.Parse: %v", err)
	}
	if back.Count() != d.Count() {
		t.Fatalf("parsed %d entries, wrote %d", back.Count(), d.Count())
	}
	return buf.Bytes()
}

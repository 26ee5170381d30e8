package httpapi_test

import (
	"net/http"
	"testing"

	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

// BenchmarkCachedFlightSearch is GET /api/v1/search/flights answered from
// the search cache, over loopback HTTP.
func BenchmarkCachedFlightSearch(b *testing.B) {
	app := testapp.New(b, testkit.NewTestStore(b), testapp.Options{})
	path := "/api/v1/search/flights?from=LIS&to=JFK&adults=2&date=" + ahead(30)
	if r := app.Do(b, "GET", path, "", nil); r.Status != http.StatusOK {
		b.Fatalf("%d %s", r.Status, r.Body)
	}
	for b.Loop() {
		app.Do(b, "GET", path, "", nil)
	}
}

package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/cache"
	"pathavana/internal/catalog"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

// ahead is a date n days from now, as the API takes it.
func ahead(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format(time.DateOnly) }

type flightsBody struct {
	Source      string `json:"source"`
	Sandbox     bool   `json:"sandbox"`
	Notice      string `json:"notice"`
	Itineraries []struct {
		Price struct{ Amount, Currency string } `json:"price"`
		Legs  []struct {
			From, To string
			Departs  time.Time `json:"departs"`
			Arrives  time.Time `json:"arrives"`
			Stops    int       `json:"stops"`
			Segments []struct {
				FlightNumber string    `json:"flight_number"`
				From         string    `json:"from"`
				To           string    `json:"to"`
				Departs      time.Time `json:"departs"`
				Arrives      time.Time `json:"arrives"`
			} `json:"segments"`
		} `json:"legs"`
	} `json:"itineraries"`
}

func TestSearchEndpoints(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})

	r := app.Do(t, "GET", "/api/v1/places?q=Lisboa", "", nil)
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"name":"Lisbon"`) || !strings.Contains(string(r.Body), `"LIS"`) {
		t.Fatalf("places: %d %s", r.Status, r.Body)
	}

	// Lisbon to New York by city names: any of the city's airports, local
	// times with the right offsets, legs that chain.
	r = app.Do(t, "GET", "/api/v1/search/flights?from=Lisbon&to=New+York&date="+ahead(30)+"&return="+ahead(37)+"&adults=2", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("flights: %d %s", r.Status, r.Body)
	}
	var fb flightsBody
	r.JSON(t, &fb)
	if !fb.Sandbox || fb.Source != "sandbox" || fb.Notice == "" || len(fb.Itineraries) == 0 {
		t.Fatalf("flights answer: %s", r.Body)
	}
	nyc := map[string]bool{"JFK": true, "LGA": true, "EWR": true}
	for _, it := range fb.Itineraries {
		if len(it.Legs) != 2 || it.Price.Currency != "USD" {
			t.Fatalf("round trip itinerary: %+v", it)
		}
		out := it.Legs[0]
		if out.From != "LIS" || !nyc[out.To] {
			t.Fatalf("outbound %s→%s", out.From, out.To)
		}
		if _, off := out.Departs.Zone(); off != 0 && off != 3600 {
			t.Fatalf("Lisbon departure offset %d", off)
		}
		for i := 1; i < len(out.Segments); i++ {
			if out.Segments[i].From != out.Segments[i-1].To || !out.Segments[i].Departs.After(out.Segments[i-1].Arrives) {
				t.Fatalf("segments do not chain: %+v", out.Segments)
			}
		}
		if !it.Legs[1].Departs.After(out.Arrives) {
			t.Fatal("return leaves before the outbound lands")
		}
	}

	// Multi-city through POST.
	body := fmt.Sprintf(`{"slices":[{"from":"LIS","to":"OPO","date":%q},{"from":"OPO","to":"MAD","date":%q}],"max_stops":1}`, ahead(30), ahead(33))
	r = app.Do(t, "POST", "/api/v1/search/flights", "", body)
	if r.Status != http.StatusOK {
		t.Fatalf("multi-city: %d %s", r.Status, r.Body)
	}

	r = app.Do(t, "GET", "/api/v1/search/flights/calendar?from=LIS&to=JFK&month="+ahead(40)[:7], "", nil)
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"days"`) {
		t.Fatalf("calendar: %d %s", r.Status, r.Body)
	}

	q := url.Values{"city": {"Lisbon"}, "check_in": {ahead(30)}, "check_out": {ahead(33)}, "adults": {"2"},
		"children": {"1"}, "children_under_10": {"1"}}
	r = app.Do(t, "GET", "/api/v1/search/stays?"+q.Encode(), "", nil)
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"nights":3`) {
		t.Fatalf("stays: %d %s", r.Status, r.Body)
	}
	r = app.Do(t, "GET", "/api/v1/search/restaurants?city=Lisbon&party=4&limit=5", "", nil)
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"party_cost"`) {
		t.Fatalf("restaurants: %d %s", r.Status, r.Body)
	}
	r = app.Do(t, "GET", "/api/v1/search/attractions?city=Lisbon&date="+ahead(31), "", nil)
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"open"`) {
		t.Fatalf("attractions: %d %s", r.Status, r.Body)
	}
}

func TestSearchBadInput(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})
	for _, c := range []struct{ path, field string }{
		{"/api/v1/places", "q"},
		{"/api/v1/search/flights?from=LIS&to=JFK&date=tomorrow", "date"},
		{"/api/v1/search/flights?from=Xqzvplace&to=JFK&date=" + ahead(10), "from"},
		{"/api/v1/search/flights?from=LIS&to=JFK&date=" + ahead(10) + "&max_stops=5", "max_stops"},
		{"/api/v1/search/flights?from=LIS&to=JFK&date=" + ahead(10) + "&adults=two", "adults"},
		{"/api/v1/search/stays?city=Lisbon&check_in=" + ahead(10) + "&check_out=" + ahead(5), "check_out"},
		{"/api/v1/search/stays?check_in=" + ahead(10) + "&check_out=" + ahead(12), "city"},
		{"/api/v1/search/restaurants?city=Lisbon&max_cost=cheap", "max_cost"},
	} {
		r := app.Do(t, "GET", c.path, "", nil)
		if r.Status != http.StatusUnprocessableEntity || r.Header.Get("Content-Type") != "application/problem+json" ||
			!strings.Contains(string(r.Body), `"field":"`+c.field+`"`) {
			t.Errorf("%s: %d %s %s, want a 422 problem naming %s", c.path, r.Status, r.Header.Get("Content-Type"), r.Body, c.field)
		}
	}
	r := app.Do(t, "GET", "/api/v1/search/flights?from=LIS&to=JFK&date="+time.Now().AddDate(0, 0, -3).Format(time.DateOnly), "", nil)
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("date in the past: %d %s", r.Status, r.Body)
	}
	r = app.Do(t, "POST", "/api/v1/search/flights", "", `{"slices":[{"from":"LIS","to":"JFK","date":"2027-01-01"}],"bogus":1}`)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "bogus") {
		t.Errorf("unknown field: %d %s", r.Status, r.Body)
	}
}

// TestSearchCache: the second identical search is served from the cache,
// and a cache that fails degrades to uncached search, not to errors.
func TestSearchCache(t *testing.T) {
	var hits atomic.Int32
	backend := cache.NewMemory(time.Now)
	backend.Cache = cache.Observed(backend.Cache, func(hit bool) {
		if hit {
			hits.Add(1)
		}
	})
	db := testkit.NewTestStore(t)
	app := testapp.New(t, db, testapp.Options{Cache: backend})
	path := "/api/v1/search/flights?from=LIS&to=MAD&date=" + ahead(20)
	first := app.Do(t, "GET", path, "", nil)
	second := app.Do(t, "GET", path, "", nil) // from this replica's memo
	if first.Status != http.StatusOK || string(first.Body) != string(second.Body) {
		t.Fatalf("answers differ: %s / %s", first.Body, second.Body)
	}
	// Another replica on the same shared cache gets the stored answer.
	replica := testapp.New(t, db, testapp.Options{Cache: backend})
	if r := replica.Do(t, "GET", path, "", nil); string(r.Body) != string(first.Body) || hits.Load() != 1 {
		t.Fatalf("replica: shared cache hits = %d, body equal %v", hits.Load(), string(r.Body) == string(first.Body))
	}
	if other := app.Do(t, "GET", path+"&cabin=business", "", nil); other.Status != http.StatusOK || hits.Load() != 1 ||
		string(other.Body) == string(first.Body) {
		t.Fatalf("another cabin must be another cache entry: %d, hits %d", other.Status, hits.Load())
	}

	broken := cache.NewMemory(time.Now)
	broken.Cache = failingCache{}
	app = testapp.New(t, testkit.NewTestStore(t), testapp.Options{Cache: broken})
	if r := app.Do(t, "GET", path, "", nil); r.Status != http.StatusOK || string(r.Body) != string(first.Body) {
		t.Fatalf("with the cache down: %d %s", r.Status, r.Body)
	}
}

type failingCache struct{}

var errCacheDown = apperr.New(apperr.Unavailable, "cache down")

func (failingCache) Get(context.Context, string) ([]byte, bool, error) {
	return nil, false, errCacheDown
}
func (failingCache) Set(context.Context, string, []byte, time.Duration) error { return errCacheDown }
func (failingCache) Delete(context.Context, string) error                     { return errCacheDown }
func (failingCache) Take(context.Context, string) ([]byte, bool, error) {
	return nil, false, errCacheDown
}
func (failingCache) Ping(context.Context) error { return errCacheDown }

// TestSearchMemoFollowsCatalog: a repeated URL is answered from the
// replica's memo only while the catalog is the same; an import changes the
// answer at once.
func TestSearchMemoFollowsCatalog(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})
	path := "/api/v1/search/stays?city=Lisbon&sort=price&limit=100&check_in=" + ahead(20) + "&check_out=" + ahead(22)
	first := app.Do(t, "GET", path, "", nil)
	if again := app.Do(t, "GET", path, "", nil); first.Status != http.StatusOK || string(again.Body) != string(first.Body) {
		t.Fatalf("repeat: %d, equal %v", first.Status, string(again.Body) == string(first.Body))
	}
	cheap := `{"type":"stay","id":"memo-test-cot","name":"Memo Test Cot","city":"2267057","lat":38.71,"lon":-9.13,"room_type":"shared_room","price_per_night":{"amount":"1.00","currency":"USD"},"max_occupancy":4,"min_nights":1,"rules":{},"rating":3}`
	if _, err := app.Service.ImportCatalog(context.Background(), "cot", false,
		[]catalog.Source{{Name: "cot.jsonl", Reader: strings.NewReader(cheap)}}); err != nil {
		t.Fatal(err)
	}
	if after := app.Do(t, "GET", path, "", nil); after.Status != http.StatusOK || !strings.Contains(string(after.Body), "memo-test-cot") {
		t.Fatalf("after the import: %d, new stay present %v", after.Status, strings.Contains(string(after.Body), "memo-test-cot"))
	}
}

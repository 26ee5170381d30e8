package service_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/cache"
	"pathavana/internal/catalog"
	"pathavana/internal/search"
	"pathavana/internal/search/flights"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

// smallBase builds catalogs over internal/catalog/testdata/small.jsonl
// instead of the sandbox, which keeps these tests fast.
func smallBase(t *testing.T) func([]search.Overlay) (*search.Catalog, error) {
	t.Helper()
	f, err := os.Open("../catalog/testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := catalog.Parse(nil, catalog.Source{Name: "small.jsonl", Reader: f})
	if err != nil {
		t.Fatal(err)
	}
	return func(overlays []search.Overlay) (*search.Catalog, error) {
		return search.NewCatalog(d, "base", overlays, time.Now)
	}
}

const portoCatalog = `{"type":"city","id":"2735943","name":"Porto","alt_names":["Oporto"],"country":"PT","lat":41.14961,"lon":-8.61099,"population":249633,"zone":"Europe/Lisbon"}
{"type":"airport","iata":"OPO","icao":"LPPR","name":"Francisco Sá Carneiro Airport","city":"2735943","country":"PT","lat":41.2481,"lon":-8.6814,"zone":"Europe/Lisbon"}
{"type":"flight","carrier":"TP","number":"TP1940","from":"LIS","to":"OPO","departs":"08:00","arrives":"08:55","days":"1234567","fares":{"economy":{"amount":"69.00","currency":"EUR"}}}
{"type":"stay","id":"opo-ribeira","name":"Ribeira Rooms","city":"2735943","lat":41.1408,"lon":-8.6131,"room_type":"private_room","price_per_night":{"amount":"75.00","currency":"EUR"},"max_occupancy":2,"min_nights":1,"rules":{"children_under_10":true},"rating":4.4}
`

type replica struct {
	app *testapp.App
	srv *search.Searcher
}

func newReplica(t *testing.T, db *store.DB, bus *cache.Backend, build func([]search.Overlay) (*search.Catalog, error)) replica {
	t.Helper()
	base, err := build(nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := search.NewSearcher(base, search.Providers{}, slog.New(slog.DiscardHandler))
	app := testapp.New(t, db, testapp.Options{Cache: bus, Search: srv, BuildCatalog: build})
	return replica{app, srv}
}

func lisbonToPorto(t *testing.T, s *search.Searcher) []flights.Itinerary {
	t.Helper()
	day, _ := catalog.ParseDate("2027-05-10")
	its, _, err := s.Flights(context.Background(), flights.Query{Slices: []flights.Slice{{From: []string{"LIS"}, To: []string{"OPO"}, Date: day}},
		Passengers: flights.Passengers{Adults: 1}})
	if err != nil && !strings.Contains(err.Error(), `unknown airport "OPO"`) {
		t.Fatalf("LIS→OPO: %v", err)
	}
	return its
}

func hasStay(s *search.Searcher, id string) bool {
	for _, st := range s.Catalog().Data.Stays {
		if st.ID == id {
			return true
		}
	}
	return false
}

func TestImportedCatalogsAcrossReplicas(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		build := smallBase(t)
		bus := cache.NewMemory(time.Now)
		one, two := newReplica(t, db, bus, build), newReplica(t, db, bus, build)
		watching := make(chan struct{})
		go func() { close(watching); two.app.Service.WatchCatalogs(ctx) }()
		<-watching

		if its := lisbonToPorto(t, one.srv); len(its) != 0 {
			t.Fatalf("LIS→OPO before the import: %d itineraries", len(its))
		}
		imp, err := one.app.Service.ImportCatalog(ctx, "porto", false,
			[]catalog.Source{{Name: "porto.jsonl", Reader: strings.NewReader(portoCatalog)}})
		if err != nil {
			t.Fatal(err)
		}
		if imp.Seq != 1 || imp.Entries != 4 || len(imp.Version) != 64 || imp.Content != nil {
			t.Fatalf("import = %+v", imp)
		}
		if got := one.srv.Catalog().Label; got != "base+porto" {
			t.Fatalf("label = %q", got)
		}
		its := lisbonToPorto(t, one.srv)
		if len(its) != 1 || its[0].Legs[0].Segments[0].Flight.Number != "TP1940" {
			t.Fatalf("LIS→OPO after the import = %+v", its)
		}
		if p := one.srv.Places("Oporto", 1); len(p) != 1 || p[0].Name != "Porto" {
			t.Fatalf("places(Oporto) = %+v", p)
		}

		// The other replica hears of it on the bus, long before its poll.
		waitFor(t, "replica two to load porto", func() bool { return two.srv.Catalog().Label == "base+porto" })
		if len(lisbonToPorto(t, two.srv)) != 1 {
			t.Fatal("replica two does not find LIS→OPO")
		}
		if changed, err := two.app.Service.ReloadCatalogs(ctx); err != nil || changed {
			t.Fatalf("reload with nothing new: changed=%v err=%v", changed, err)
		}

		// A bad file: every problem reported, nothing stored or loaded.
		before := one.srv.Catalog().Version
		bad := "{\"type\":\"stay\",\"id\":\"x\",\"name\":\"X\",\"city\":\"nowhere\",\"lat\":1,\"lon\":1,\"room_type\":\"castle\",\"price_per_night\":{\"amount\":\"1.00\",\"currency\":\"EUR\"},\"max_occupancy\":2,\"min_nights\":1,\"rating\":3}\n" +
			"not json\n" +
			"{\"type\":\"flight\",\"carrier\":\"TP\",\"number\":\"TP9\",\"from\":\"OPO\",\"to\":\"ZZZ\",\"departs\":\"08:00\",\"arrives\":\"09:00\",\"days\":\"1\",\"fares\":{\"economy\":{\"amount\":\"9.00\",\"currency\":\"EUR\"}}}\n"
		_, err = one.app.Service.ImportCatalog(ctx, "bad", false, []catalog.Source{{Name: "bad.jsonl", Reader: strings.NewReader(bad)}})
		var ie *catalog.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("bad import: %v", err)
		}
		lines := map[int]bool{}
		for _, p := range ie.Problems {
			if p.File != "bad.jsonl" {
				t.Errorf("problem in %q, want bad.jsonl", p.File)
			}
			lines[p.Line] = true
		}
		if !lines[1] || !lines[2] || !lines[3] {
			t.Fatalf("problems %v do not cover lines 1-3", ie.Problems)
		}
		if list, _ := one.app.Service.ListCatalogs(ctx); len(list) != 1 || one.srv.Catalog().Version != before {
			t.Fatalf("a failed import changed something: %+v", list)
		}

		// Re-importing a name replaces it in place; both replicas follow.
		fixed := strings.Replace(portoCatalog, "opo-ribeira", "opo-ribeira-2", 1)
		imp2, err := one.app.Service.ImportCatalog(ctx, "porto", false, []catalog.Source{{Name: "porto.jsonl", Reader: strings.NewReader(fixed)}})
		if err != nil {
			t.Fatal(err)
		}
		if imp2.Seq != 1 || imp2.Version == imp.Version {
			t.Fatalf("re-import = %+v", imp2)
		}
		waitFor(t, "replica two to load the new porto", func() bool { return hasStay(two.srv, "opo-ribeira-2") })
		if hasStay(two.srv, "opo-ribeira") {
			t.Fatal("the old stay is still there")
		}

		// A catalog on top that depends on porto: porto can then be neither
		// removed nor re-imported without the city.
		upper := `{"type":"restaurant","id":"opo-1","name":"Tasca","city":"2735943","lat":41.14,"lon":-8.61,"cuisines":["portuguese"],"avg_cost":{"amount":"20.00","currency":"EUR"},"rating":4.1}`
		if _, err := one.app.Service.ImportCatalog(ctx, "porto-food", false, []catalog.Source{{Name: "food.jsonl", Reader: strings.NewReader(upper)}}); err != nil {
			t.Fatal(err)
		}
		err = one.app.Service.RemoveCatalog(ctx, "porto")
		if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "porto-food") {
			t.Fatalf("removing porto under porto-food: %v", err)
		}
		noCity := strings.Join(strings.Split(fixed, "\n")[1:], "\n")
		_, err = one.app.Service.ImportCatalog(ctx, "porto", false, []catalog.Source{{Name: "porto.jsonl", Reader: strings.NewReader(noCity)}})
		if err == nil {
			t.Fatal("porto re-imported without the city its airport needs")
		}

		// A replacing catalog stands alone; removing it brings the layers back.
		solo := strings.Join(strings.Split(mustRead(t, "../catalog/testdata/small.jsonl"), "\n")[:6], "\n")
		if _, err := one.app.Service.ImportCatalog(ctx, "solo", true, []catalog.Source{{Name: "solo.jsonl", Reader: strings.NewReader(solo)}}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "replica two to load solo", func() bool { return two.srv.Catalog().Label == "solo+sandbox-local" })
		c := one.srv.Catalog()
		if len(c.Data.Flights) != 0 || hasStay(one.srv, "opo-ribeira-2") {
			t.Fatal("a replacing catalog kept what was below it")
		}
		// Having no stays, restaurants or attractions of its own, it gets
		// generated ones for its cities, and says they are sandbox.
		if !c.Sandbox || len(c.Local.Stays("2267057")) == 0 {
			t.Fatalf("solo: sandbox=%v, %d Lisbon stays", c.Sandbox, len(c.Local.Stays("2267057")))
		}
		if err := one.app.Service.RemoveCatalog(ctx, "solo"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, one.app.Service.RemoveCatalog(ctx, "solo"), apperr.NotFound)
		waitFor(t, "replica two to drop solo", func() bool { return two.srv.Catalog().Label == "base+porto+porto-food" })

		// A new replica starting on this database loads the stack.
		three := newReplica(t, db, bus, build)
		if changed, err := three.app.Service.ReloadCatalogs(ctx); err != nil || !changed {
			t.Fatalf("first load: changed=%v err=%v", changed, err)
		}
		if three.srv.Catalog().Version != one.srv.Catalog().Version {
			t.Fatalf("replica three has %q, replica one %q", three.srv.Catalog().Version, one.srv.Catalog().Version)
		}
	})
}

func TestImportCatalogRejectsBadNames(t *testing.T) {
	r := newReplica(t, testkit.NewTestStore(t), nil, smallBase(t))
	for _, name := range []string{"", "Upper", "-x", strings.Repeat("a", 41), "a b", "../x"} {
		_, err := r.app.Service.ImportCatalog(context.Background(), name, false,
			[]catalog.Source{{Name: "p.jsonl", Reader: strings.NewReader(portoCatalog)}})
		wantCode(t, err, apperr.Invalid)
	}
	_, err := r.app.Service.ImportCatalog(context.Background(), "empty", false, nil)
	wantCode(t, err, apperr.Invalid)
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

package places

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/sandbox"
	"pathavana/internal/catalog/world"
)

var sandboxData = sync.OnceValues(func() (*catalog.Data, error) {
	w, err := world.Load()
	if err != nil {
		return nil, err
	}
	return sandbox.Build(w)
})

func resolver(t testing.TB) *Resolver {
	t.Helper()
	d, err := sandboxData()
	if err != nil {
		t.Fatal(err)
	}
	return NewResolver(d)
}

func TestResolveTopMatch(t *testing.T) {
	r := resolver(t)
	cases := []struct {
		query, kind, name, country string
	}{
		{"LIS", "airport", "", "PT"},
		{"lppt", "airport", "", "PT"},
		{"Lisbon", "city", "Lisbon", "PT"},
		{"Lisboa", "city", "Lisbon", "PT"},
		{"lisbon", "city", "Lisbon", "PT"},
		{"Sao Paulo", "city", "São Paulo", "BR"},
		{"São Paulo", "city", "São Paulo", "BR"},
		{"Zurich", "city", "Zürich", "CH"},
		{"Sna Francisco", "city", "San Francisco", "US"},
		{"Lisbn", "city", "Lisbon", "PT"},
		{"Barcelonna", "city", "Barcelona", "ES"},
		{"Paris", "city", "Paris", "FR"},
		{"Texas", "region", "Texas", "US"},
		{"California", "region", "California", "US"},
		{"Portugal", "country", "Portugal", "PT"},
		{"USA", "country", "", "US"},
		{"United States", "country", "", "US"},
		{"UK", "country", "", "GB"},
		{"Bombay", "city", "Mumbai", "IN"},
		{"Portland, Maine", "city", "Portland", "US"},
		{"NYC", "city", "New York City", "US"},
		{"Lis", "airport", "", "PT"}, // a 3-letter query is first an IATA code
		{"Lisb", "city", "Lisbon", "PT"},
		{"new yo", "city", "New York City", "US"},
	}
	for _, c := range cases {
		got := r.Resolve(c.query, 5)
		if len(got) == 0 {
			t.Errorf("%q: no result", c.query)
			continue
		}
		p := got[0]
		if string(p.Kind) != c.kind || (c.name != "" && p.Name != c.name) || p.Country != c.country {
			var alts []string
			for _, g := range got {
				alts = append(alts, string(g.Kind)+":"+g.Name+"/"+g.Country+"/"+g.Match)
			}
			t.Errorf("%q: top = %s %q %s, want %s %q %s; all: %s", c.query, p.Kind, p.Name, p.Country,
				c.kind, c.name, c.country, strings.Join(alts, ", "))
		}
	}
}

func TestMultiAirportCities(t *testing.T) {
	r := resolver(t)
	for query, want := range map[string][]string{
		"New York": {"JFK", "LGA", "EWR"},
		"NYC":      {"JFK", "LGA", "EWR"},
		"London":   {"LHR", "LGW"},
	} {
		got := r.Resolve(query, 3)
		if len(got) == 0 {
			t.Fatalf("%q: nothing", query)
		}
		for _, a := range want {
			if !slices.Contains(got[0].Airports, a) {
				t.Errorf("%q → %s %v: missing %s", query, got[0].Name, got[0].Airports, a)
			}
		}
	}
}

func TestAmbiguityReturnsAlternatives(t *testing.T) {
	r := resolver(t)
	got := r.Resolve("Portland", 10)
	var states []string
	for _, p := range got {
		if p.Kind == KindCity && p.Name == "Portland" {
			states = append(states, p.Region)
		}
	}
	if len(states) < 2 || states[0] != "US-OR" {
		t.Fatalf("Portland: want Oregon first then others, got %v", states)
	}
	if top := r.Resolve("Portland, ME", 3); len(top) == 0 || top[0].Region != "US-ME" {
		t.Fatalf("Portland, ME → %+v", top)
	}
}

func TestGarbageIsEmptyNotPanic(t *testing.T) {
	r := resolver(t)
	for _, q := range []string{"", "   ", ",", ",,,", "zzzzqqqq", strings.Repeat("a", 5000), "\x00\xff", "🙂"} {
		if got := r.Resolve(q, 5); len(got) > 0 && q != "🙂" {
			t.Errorf("%q: got %d results", q, len(got))
		}
	}
}

func TestCitiesInAndNearby(t *testing.T) {
	r := resolver(t)
	tx := r.CitiesIn("US-TX", 3)
	if len(tx) != 3 || tx[0].Name != "Houston" {
		t.Fatalf("cities in Texas: %+v", tx)
	}
	lis, _ := r.City("2267057")
	near := r.Nearby(lis.Lat, lis.Lon, 30, 5)
	if len(near) == 0 || near[0].Code != "2267057" {
		t.Fatalf("nearby Lisbon: %+v", near)
	}
	for _, p := range near {
		if distanceKM(lis.Lat, lis.Lon, p.Lat, p.Lon) > 30 {
			t.Fatalf("%s is outside the radius", p.Name)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		max  int
		want int
	}{
		{"sna", "san", 2, 1}, {"lisbon", "lisbn", 2, 1}, {"abc", "abc", 1, 0},
		{"kitten", "sitting", 3, 3}, {"kitten", "sitting", 1, 2}, {"", "ab", 2, 2},
	} {
		if got := editDistance(c.a, c.b, c.max); got != c.want {
			t.Errorf("editDistance(%q,%q,%d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
}

func FuzzResolve(f *testing.F) {
	r := resolver(f)
	for _, s := range []string{"Lisbon", "NYC", "Sna Francisco", "Portland, Maine", "São", ",", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got := r.Resolve(q, 5)
		if len(got) > 5 {
			t.Fatalf("%d results for limit 5", len(got))
		}
		for i := 1; i < len(got); i++ {
			if got[i].Score > got[i-1].Score {
				t.Fatalf("not sorted by score: %v", got)
			}
		}
	})
}

func BenchmarkNewResolver(b *testing.B) {
	d, err := sandboxData()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		NewResolver(d)
	}
}

func benchResolve(b *testing.B, q string) {
	r := resolver(b)
	for b.Loop() {
		r.Resolve(q, 10)
	}
}

func BenchmarkResolveExact(b *testing.B)  { benchResolve(b, "Lisbon") }
func BenchmarkResolveCode(b *testing.B)   { benchResolve(b, "JFK") }
func BenchmarkResolvePrefix(b *testing.B) { benchResolve(b, "San") }
func BenchmarkResolveFuzzy(b *testing.B)  { benchResolve(b, "Sna Francisco") }

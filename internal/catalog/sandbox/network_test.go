package sandbox

import (
	"cmp"
	"slices"
	"testing"

	"pathavana/internal/catalog/world"
)

// topAirports lists, independently of the network code, the airports of
// the 500 most populous cities that have an airport (ties by id).
func topAirports(w *world.World) []string {
	byCity := map[int64][]string{}
	for _, a := range w.Airports {
		byCity[a.CityID] = append(byCity[a.CityID], a.IATA)
	}
	var cities []world.City
	for _, c := range w.Cities {
		if len(byCity[c.ID]) > 0 {
			cities = append(cities, c)
		}
	}
	slices.SortFunc(cities, func(a, b world.City) int {
		return cmp.Or(cmp.Compare(b.Population, a.Population), cmp.Compare(a.ID, b.ID))
	})
	var out []string
	for _, c := range cities[:min(500, len(cities))] {
		out = append(out, byCity[c.ID]...)
	}
	slices.Sort(out)
	return out
}

// TestNetworkConnectsTopCities checks by breadth-first search that any two
// airports of the 500 most populous cities with airports are at most three
// flights (two connections) apart, and reports the failing pairs.
func TestNetworkConnectsTopCities(t *testing.T) {
	w := mustWorld(t)
	routes := Network(w)
	index := map[string]int{}
	for _, a := range w.Airports {
		index[a.IATA] = len(index)
	}
	adj := make([][]int, len(index))
	for _, r := range routes {
		adj[index[r.From]] = append(adj[index[r.From]], index[r.To])
	}
	top := topAirports(w)
	dist := make([]int, len(index))
	failing := 0
	var examples []string
	for _, from := range top {
		for i := range dist {
			dist[i] = -1
		}
		queue := []int{index[from]}
		dist[index[from]] = 0
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			if dist[v] == 3 {
				continue
			}
			for _, u := range adj[v] {
				if dist[u] < 0 {
					dist[u] = dist[v] + 1
					queue = append(queue, u)
				}
			}
		}
		for _, to := range top {
			if dist[index[to]] < 0 {
				failing++
				if len(examples) < 10 {
					examples = append(examples, from+">"+to)
				}
			}
		}
	}
	t.Logf("%d top airports, %d ordered pairs, %d more than 3 flights apart; %d routes", len(top), len(top)*(len(top)-1), failing, len(routes))
	if failing > 0 {
		t.Errorf("%d pairs need more than 3 flights, e.g. %v", failing, examples)
	}
}

func TestNetworkRoutesArePlausible(t *testing.T) {
	w := mustWorld(t)
	routes := Network(w)
	airlines := map[string]bool{}
	for _, a := range w.Airlines {
		airlines[a.IATA] = true
	}
	n := newNetwork(w)
	seen := map[Route]bool{}
	for _, r := range routes {
		seen[r] = true
	}
	if len(seen) != len(routes) {
		t.Fatal("duplicate routes")
	}
	if !slices.IsSortedFunc(routes, func(a, b Route) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Carrier, b.Carrier))
	}) {
		t.Error("routes are not sorted by From, To, Carrier")
	}
	longHaul := 0
	for _, r := range routes {
		if !seen[Route{r.Carrier, r.To, r.From, r.Aircraft}] {
			t.Fatalf("%v has no return route with the same carrier and aircraft", r)
		}
		if !airlines[r.Carrier] {
			t.Fatalf("%v: carrier not in the world's airlines", r)
		}
		if _, ok := aircraftTypes[r.Aircraft]; !ok {
			t.Fatalf("%v: unknown aircraft", r)
		}
		i, j := n.byIATA[r.From], n.byIATA[r.To]
		d := n.dist(i, j)
		if d < minRouteKM || d > maxNonstopKM {
			t.Fatalf("%v: %.0f km is outside %d–%d km", r, d, minRouteKM, maxNonstopKM)
		}
		if d > 4500 {
			longHaul++
			a, b := &n.nodes[i], &n.nodes[j]
			bigOrTop := func(x *node) bool { return x.tier <= tierBig || x.top }
			if !(a.tier <= tierRegionalHub && bigOrTop(b)) && !(b.tier <= tierRegionalHub && bigOrTop(a)) {
				t.Errorf("%v: %.0f km long-haul between %s (tier %d) and %s (tier %d); needs a hub and a big city", r, d, a.ap.IATA, a.tier, b.ap.IATA, b.tier)
			}
		}
		if aircraftTypes[r.Aircraft].turboprop && d > 700 {
			t.Errorf("%v: turboprop over %.0f km", r, d)
		}
	}
	t.Logf("%d routes, %d long-haul (over 4,500 km)", len(routes), longHaul)
}

func TestNetworkPrefersLocalCarriers(t *testing.T) {
	w := mustWorld(t)
	country := map[string]string{}
	for _, a := range w.Airports {
		country[a.IATA] = a.Country
	}
	carrierCountry := map[string]string{}
	for _, a := range w.Airlines {
		carrierCountry[a.IATA] = a.Country
	}
	routes := Network(w)
	local := 0
	for _, r := range routes {
		cc := carrierCountry[r.Carrier]
		if cc == country[r.From] || cc == country[r.To] {
			local++
		}
	}
	share := float64(local) / float64(len(routes))
	t.Logf("%.1f%% of routes flown by an airline of an endpoint's country", 100*share)
	if share < 0.85 {
		t.Errorf("only %.1f%% of routes have a carrier from an endpoint's country", 100*share)
	}
	for _, want := range []Route{{"TP", "LIS", "OPO", ""}, {"BA", "LHR", "JFK", ""}, {"DL", "LHR", "JFK", ""}} {
		found := false
		for _, r := range routes {
			if r.Carrier == want.Carrier && r.From == want.From && r.To == want.To {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s route %s-%s", want.Carrier, want.From, want.To)
		}
	}
}

func TestNetworkHubTablesMatchTheWorld(t *testing.T) {
	w := mustWorld(t)
	airports, airlines := map[string]bool{}, map[string]bool{}
	for _, a := range w.Airports {
		airports[a.IATA] = true
	}
	for _, a := range w.Airlines {
		airlines[a.IATA] = true
	}
	for _, list := range [][]hub{tier1Hubs, tier2Hubs} {
		for _, h := range list {
			if !airports[h.iata] {
				t.Errorf("hub %s is not a world airport", h.iata)
			}
			if h.carrier != "" && !airlines[h.carrier] {
				t.Errorf("hub %s carrier %s is not a world airline", h.iata, h.carrier)
			}
		}
	}
	for country, list := range countryCarriers {
		for _, c := range list {
			if !airlines[c] {
				t.Errorf("carrier %s of %s is not a world airline", c, country)
			}
		}
	}
}

func TestNetworkNilWorld(t *testing.T) {
	if r := Network(nil); r != nil {
		t.Errorf("Network(nil) = %d routes", len(r))
	}
	if r := Network(&world.World{}); len(r) != 0 {
		t.Errorf("empty world gave %d routes", len(r))
	}
}

package sandbox

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"pathavana/internal/catalog/world"
)

// Route is a directed airport pair flown by one carrier.
type Route struct {
	Carrier, From, To, Aircraft string
}

// Network constants (see docs/sandbox-model.md).
const (
	maxNonstopKM = 15600 // about the longest nonstop flown today (SIN–JFK)
	minRouteKM   = 50    // shorter hops are left to the road
	metroKM      = 40    // cities this close count towards an airport's catchment
	topCities    = 500   // the connectivity guarantee covers this many cities
)

// Tiers of airports, from the biggest.
const (
	tierGlobalHub   = 1 // hand-listed intercontinental hub
	tierRegionalHub = 2 // hand-listed regional hub, or a country's main airport
	tierBig         = 3 // catchment of at least 1 million people
	tierMid         = 4 // catchment of at least 150,000 people
	tierSmall       = 5
)

// localReachKM and localPartners bound the gravity links of each tier:
// how far an airport looks for partners and how many it picks itself
// (partners also gain links picked by others).
var (
	localReachKM  = [6]float64{0, 3000, 3000, 2500, 1500, 800}
	localPartners = [6]int{0, 20, 16, 6, 3, 2}
)

// node is one airport with what the network needs to know about it.
type node struct {
	ap      *world.Airport
	city    *world.City // nil when the airport's city is missing
	size    float64     // catchment in millions of people, share of the city's airports
	tier    int
	carrier string // home carrier of a hub ("" otherwise or when unknown)
	minor   bool   // military field, heliport, airpark...
	top     bool   // serves one of the topCities most populous cities with airports
	served  bool   // gets scheduled service
	pt      point
}

// network builds the undirected set of airport pairs, then the routes.
type network struct {
	nodes    []node
	byIATA   map[string]int
	pairs    map[[2]int]bool // node indexes, lower first
	adj      [][]int
	grid     *grid
	airlines map[string]bool
	byCntry  map[string][]string // world airlines per country, by IATA
}

// Network derives the sandbox route network from the world: hubs by city
// population and airport role, short-haul between nearby airports by a
// gravity model, long-haul only between hubs and big cities, each route
// flown by a plausible carrier. Every airport serving one of the 500 most
// populous cities that have airports reaches every other such airport with
// at most two connections. Routes come in both directions, sorted by From,
// To and Carrier.
func Network(w *world.World) []Route {
	if w == nil {
		return nil
	}
	n := newNetwork(w)
	n.linkHubCore()
	n.linkHubsAndBigCities()
	n.linkLocal()
	n.linkFeeders()
	n.repairTopConnectivity()
	return n.routes()
}

func newNetwork(w *world.World) *network {
	n := &network{
		byIATA:   make(map[string]int, len(w.Airports)),
		pairs:    map[[2]int]bool{},
		airlines: make(map[string]bool, len(w.Airlines)),
		byCntry:  map[string][]string{},
	}
	for _, a := range w.Airlines {
		n.airlines[a.IATA] = true
		if a.Country != "" {
			n.byCntry[a.Country] = append(n.byCntry[a.Country], a.IATA)
		}
	}
	for _, list := range n.byCntry {
		slices.Sort(list)
	}
	cities := make(map[int64]*world.City, len(w.Cities))
	for i := range w.Cities {
		cities[w.Cities[i].ID] = &w.Cities[i]
	}
	n.nodes = make([]node, len(w.Airports))
	for i := range w.Airports {
		a := &w.Airports[i]
		n.nodes[i] = node{ap: a, city: cities[a.CityID], minor: isMinorAirport(a.Name), pt: pointOf(a.Lat, a.Lon)}
		n.byIATA[a.IATA] = i
	}
	n.adj = make([][]int, len(n.nodes))
	n.assignSizes(w, cities)
	n.markTop()
	n.assignTiers()
	n.grid = newGrid(len(n.nodes), func(i int) (float64, float64) { return n.nodes[i].ap.Lat, n.nodes[i].ap.Lon })
	return n
}

// isMinorAirport spots fields without airline service in practice.
func isMinorAirport(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"air base", "air force", "afb", "raf ", "naval", "navy", "marine corps",
		"army", "air station", "heliport", "airpark", "executive", "water aerodrome", "seaplane"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// assignSizes spreads each city's catchment (its population plus cities
// within metroKM) over its airports: hand-listed hubs share it, otherwise
// the best-ranked civil airport takes all; other airports get a quarter
// ("International" in the name) or a tenth, minor fields a fiftieth.
func (n *network) assignSizes(w *world.World, cities map[int64]*world.City) {
	cityGrid := newGrid(len(w.Cities), func(i int) (float64, float64) { return w.Cities[i].Lat, w.Cities[i].Lon })
	byCity := map[int64][]int{}
	for i := range n.nodes {
		byCity[n.nodes[i].ap.CityID] = append(byCity[n.nodes[i].ap.CityID], i)
	}
	hubs := hubTable()
	for id, idx := range byCity {
		catchment := 0.0
		if c := cities[id]; c != nil {
			catchment = float64(c.Population)
			cityGrid.within(c.Lat, c.Lon, metroKM, func(j int, _ float64) {
				if w.Cities[j].ID != id {
					catchment += float64(w.Cities[j].Population)
				}
			})
		}
		slices.SortFunc(idx, func(a, b int) int { return n.compareRole(a, b, hubs) })
		listed := 0
		for _, i := range idx {
			if _, ok := hubs[n.nodes[i].ap.IATA]; ok {
				listed++
			}
		}
		for rank, i := range idx {
			share := 0.1 // another airport of the city
			if strings.Contains(n.nodes[i].ap.Name, "International") {
				share = 0.25
			}
			switch {
			case listed > 0:
				if _, ok := hubs[n.nodes[i].ap.IATA]; ok {
					share = 1 / float64(listed)
				}
			case rank == 0 && !n.nodes[i].minor:
				share = 1
			}
			floor := 0.005 // a made-up town still has a few thousand people around
			if n.nodes[i].minor {
				share, floor = 0.02, 0.001
			}
			n.nodes[i].size = math.Max(floor, catchment*share/1e6)
		}
	}
}

// compareRole orders the airports of one city: listed hubs, civil before
// minor, "International" in the name, then IATA.
func (n *network) compareRole(a, b int, hubs map[string]hubInfo) int {
	rank := func(i int) int {
		r := 0
		if _, ok := hubs[n.nodes[i].ap.IATA]; !ok {
			r += 4
		}
		if n.nodes[i].minor {
			r += 2
		}
		if !strings.Contains(n.nodes[i].ap.Name, "International") {
			r++
		}
		return r
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(n.nodes[a].ap.IATA, n.nodes[b].ap.IATA))
}

// markTop flags the airports of the topCities most populous cities that
// have an airport (ties by GeoNames id), and decides which airports are
// served: all but minor fields, unless they are the only airport of their
// city or serve a top city.
func (n *network) markTop() {
	type cityAirports struct {
		city *world.City
		idx  []int
	}
	byCity := map[int64]*cityAirports{}
	for i := range n.nodes {
		c := n.nodes[i].city
		if c == nil {
			continue
		}
		if byCity[c.ID] == nil {
			byCity[c.ID] = &cityAirports{city: c}
		}
		byCity[c.ID].idx = append(byCity[c.ID].idx, i)
	}
	list := make([]*cityAirports, 0, len(byCity))
	for _, ca := range byCity {
		list = append(list, ca)
	}
	slices.SortFunc(list, func(a, b *cityAirports) int {
		return cmp.Or(cmp.Compare(b.city.Population, a.city.Population), cmp.Compare(a.city.ID, b.city.ID))
	})
	for rank, ca := range list {
		civil := 0
		for _, i := range ca.idx {
			if !n.nodes[i].minor {
				civil++
			}
		}
		for _, i := range ca.idx {
			n.nodes[i].top = rank < topCities
			n.nodes[i].served = !n.nodes[i].minor || civil == 0 || n.nodes[i].top
		}
	}
	for i := range n.nodes {
		if n.nodes[i].city == nil {
			n.nodes[i].served = !n.nodes[i].minor
		}
	}
}

// hubInfo is a hub's tier and home carrier.
type hubInfo struct {
	tier    int
	carrier string
}

func hubTable() map[string]hubInfo {
	m := make(map[string]hubInfo, len(tier1Hubs)+len(tier2Hubs))
	for _, h := range tier2Hubs {
		m[h.iata] = hubInfo{tierRegionalHub, h.carrier}
	}
	for _, h := range tier1Hubs {
		m[h.iata] = hubInfo{tierGlobalHub, h.carrier}
	}
	return m
}

// assignTiers applies the hub tables, makes the biggest served airport of
// every country without a listed hub a regional hub, and sizes the rest.
func (n *network) assignTiers() {
	hubs := hubTable()
	hasHub := map[string]bool{}
	best := map[string]int{}
	for i := range n.nodes {
		nd := &n.nodes[i]
		if !nd.served {
			nd.tier = tierSmall
			continue
		}
		if h, ok := hubs[nd.ap.IATA]; ok {
			nd.tier = h.tier
			if n.airlines[h.carrier] {
				nd.carrier = h.carrier
			}
			hasHub[nd.ap.Country] = true
			continue
		}
		switch {
		case nd.size >= 1:
			nd.tier = tierBig
		case nd.size >= 0.15:
			nd.tier = tierMid
		default:
			nd.tier = tierSmall
		}
		if b, ok := best[nd.ap.Country]; !ok || nd.size > n.nodes[b].size {
			best[nd.ap.Country] = i
		}
	}
	for country, i := range best {
		if !hasHub[country] {
			n.nodes[i].tier = tierRegionalHub
		}
	}
}

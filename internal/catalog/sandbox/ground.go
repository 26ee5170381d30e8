package sandbox

import (
	"cmp"
	"math"
	"slices"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/world"
)

// Ground-leg constants (see docs/sandbox-model.md).
const (
	groundReachKM     = 400    // straight-line reach between two cities
	groundNeighbours  = 5      // nearest cities each city links to
	groundMinKM       = 5      // closer places are the same town
	groundMinPop      = 100000 // cities without an airport need this many people
	roadFactor        = 1.3    // road distance / great-circle distance
	taxiMaxRoadKM     = 150    // taxis only on shorter legs
	driveFixedUSD     = 45     // a day's car rental
	drivePerKMUSD     = 0.18   // fuel, tolls, wear
	taxiFixedUSD      = 4
	taxiPerKMUSD      = 1.6
	taxiPickupMinutes = 5
)

// openBorders are countries whose cities are joined across borders
// (Schengen area, EU and microstates); elsewhere ground legs stay domestic.
var openBorders = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CH": true, "CY": true, "CZ": true, "DE": true, "DK": true,
	"EE": true, "ES": true, "FI": true, "FR": true, "GR": true, "HR": true, "HU": true, "IS": true,
	"IE": true, "IT": true, "LI": true, "LT": true, "LU": true, "LV": true, "MT": true, "NL": true,
	"NO": true, "PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true, "AD": true,
	"MC": true, "SM": true, "VA": true,
}

// groundLegs links each eligible city (with an airport, or at least
// groundMinPop people) to its groundNeighbours nearest eligible cities
// within groundReachKM: self-drive both ways, and taxi both ways when the
// road is at most taxiMaxRoadKM. cities are the converted world cities, in
// the same order.
func groundLegs(w *world.World, cities []catalog.City) []catalog.GroundLeg {
	hasAirport := make(map[int64]bool, len(w.Airports))
	for _, a := range w.Airports {
		hasAirport[a.CityID] = true
	}
	var eligible []int
	for i, c := range w.Cities {
		if hasAirport[c.ID] || c.Population >= groundMinPop {
			eligible = append(eligible, i)
		}
	}
	g := newGrid(len(eligible), func(k int) (float64, float64) { return w.Cities[eligible[k]].Lat, w.Cities[eligible[k]].Lon })
	levels := make(map[string]float64, len(w.Countries))
	for _, c := range w.Countries {
		levels[c.Code] = c.PriceLevel
	}
	pairs := map[[2]int]float64{} // eligible positions, lower first → km
	var nearest []neighbour
	for k, i := range eligible {
		c := &w.Cities[i]
		nearest = nearest[:0]
		g.within(c.Lat, c.Lon, groundReachKM, func(m int, d float64) {
			o := &w.Cities[eligible[m]]
			if m != k && d >= groundMinKM && (o.Country == c.Country || (openBorders[o.Country] && openBorders[c.Country])) {
				nearest = keepNearest(nearest, neighbour{m, d}, groundNeighbours)
			}
		})
		for _, n := range nearest {
			pairs[[2]int{min(k, n.k), max(k, n.k)}] = n.d
		}
	}
	keys := make([][2]int, 0, len(pairs))
	for p := range pairs {
		keys = append(keys, p)
	}
	slices.SortFunc(keys, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	out := make([]catalog.GroundLeg, 0, 3*len(keys))
	for _, p := range keys {
		a, b := eligible[p[0]], eligible[p[1]]
		level := (levels[w.Cities[a].Country] + levels[w.Cities[b].Country]) / 2
		for _, dir := range [][2]int{{a, b}, {b, a}} {
			out = append(out, groundPair(cities[dir[0]].ID, cities[dir[1]].ID, pairs[p], level)...)
		}
	}
	return out
}

type neighbour struct {
	k int
	d float64
}

// keepNearest inserts n into list (sorted by distance, then position) and
// keeps at most k.
func keepNearest(list []neighbour, n neighbour, k int) []neighbour {
	pos := len(list)
	for pos > 0 && (list[pos-1].d > n.d || (list[pos-1].d == n.d && list[pos-1].k > n.k)) {
		pos--
	}
	if pos >= k {
		return list
	}
	list = slices.Insert(list, pos, n)
	if len(list) > k {
		list = list[:k]
	}
	return list
}

// groundPair is the legs from one city to another crowKM away, priced at
// the two countries' mean price level.
func groundPair(from, to string, crowKM, priceLevel float64) []catalog.GroundLeg {
	road := math.Round(crowKM*roadFactor*10) / 10
	level := clamp(priceLevel, 0.25, 1.5)
	minutes := driveMinutes(road)
	legs := []catalog.GroundLeg{{From: from, To: to, Mode: catalog.SelfDrive, DistanceKM: road, Minutes: minutes,
		Cost: usd(int64(math.Round((driveFixedUSD + drivePerKMUSD*road) * level)))}}
	if road <= taxiMaxRoadKM {
		legs = append(legs, catalog.GroundLeg{From: from, To: to, Mode: catalog.Taxi, DistanceKM: road, Minutes: minutes + taxiPickupMinutes,
			Cost: usd(int64(math.Round((taxiFixedUSD + taxiPerKMUSD*road) * level)))})
	}
	return legs
}

// driveMinutes: 10 minutes to get going plus the road at an average speed
// rising from 50 km/h (town) to 80 km/h (150 km and more), rounded up to 5.
func driveMinutes(roadKM float64) int {
	speed := 50 + 30*math.Min(1, roadKM/150)
	return int(math.Ceil((10+roadKM/speed*60)/5)) * 5
}

// GroundLegs exposes the ground-leg model to other catalog builders (the
// OpenFlights importer). cities are w.Cities converted to catalog cities,
// in the same order; a city counts as having an airport when some
// w.Airports entry names its ID, and w.Countries gives price levels.
func GroundLegs(w *world.World, cities []catalog.City) []catalog.GroundLeg {
	return groundLegs(w, cities)
}

// Package places resolves what people type ("Lisboa", "NYC", "Sna
// Francisco", "Portland, Maine", "Texas") to airports, cities, regions and
// countries of a catalog, ranked so the likely place comes first and the
// alternatives follow.
//
// Matching, in order of strength: IATA/ICAO and metropolitan codes; exact
// names and alternate names (accent- and case-insensitive); name prefixes
// (type-ahead); and, only when nothing else matched, misspellings within a
// small edit distance. Within a strength, bigger places (population, or
// departures for airports) rank first. "Name, Qualifier" keeps the matches
// whose region or country matches the qualifier.
package places

import (
	"math"
	"slices"
	"sort"
	"strings"

	"pathavana/internal/catalog"
)

// Kind is what a place is.
type Kind string

const (
	KindAirport Kind = "airport"
	KindCity    Kind = "city"
	KindRegion  Kind = "region"
	KindCountry Kind = "country"
)

// Place is one answer.
type Place struct {
	Kind Kind
	// Code is the IATA code (airport), City.ID (city), ISO 3166-2 (region)
	// or ISO 3166-1 alpha-2 (country).
	Code        string
	Name        string
	Region      string
	Country     string
	CountryName string
	Lat, Lon    float64
	Zone        string
	Population  int
	// Airports serve the place, busiest first: an airport itself; a city's
	// own airports and, for big cities, the airports around them (New York:
	// JFK, LGA, EWR); a region's or country's biggest cities' airports.
	Airports []string
	Score    float64 // higher is better
	Match    string  // iata, icao, metro, name, alt_name, prefix, fuzzy
}

// Limits.
const (
	DefaultLimit   = 10
	MaxLimit       = 50
	maxQueryLen    = 200
	nearbyAirports = 60.0 // km: airports this close serve a big city
	bigCity        = 1_000_000
	maxAirports    = 6
	maxAreaAirport = 10
)

type entry struct {
	kind  Kind
	idx   int
	match string
}

// Resolver answers place queries over one catalog. It is read-only after
// NewResolver, so safe for concurrent use.
type Resolver struct {
	cities    []catalog.City
	airports  []catalog.Airport
	regions   []catalog.Region
	countries []catalog.Country

	cityByID      map[string]int
	airportByIATA map[string]int
	airportByICAO map[string]int
	regionByCode  map[string]int
	countryByCode map[string]int

	entries  map[string][]entry // normalized key → places
	keys     []string           // sorted distinct keys, for prefixes
	byLength map[int][]string   // keys by rune count, for misspellings

	traffic      map[string]int // departures per week by airport
	cityAirports [][]string     // by city index
	areas        map[string]*areaSummary
	metro        map[string][]string
}

// NewResolver indexes d's places.
func NewResolver(d *catalog.Data) *Resolver {
	r := &Resolver{
		cities: d.Cities, airports: d.Airports, regions: d.Regions, countries: d.Countries,
		cityByID: map[string]int{}, airportByIATA: map[string]int{}, airportByICAO: map[string]int{},
		regionByCode: map[string]int{}, countryByCode: map[string]int{},
		entries: map[string][]entry{}, byLength: map[int][]string{}, traffic: map[string]int{},
	}
	for _, f := range d.Flights {
		r.traffic[f.From] += max(bitCount(uint8(f.Days)), 1)
	}
	for i, c := range r.cities {
		r.cityByID[c.ID] = i
		r.addKey(c.Name, entry{KindCity, i, "name"})
		for _, alt := range c.AltNames {
			r.addKey(alt, entry{KindCity, i, "alt_name"})
		}
	}
	for i, a := range r.airports {
		r.airportByIATA[a.IATA] = i
		if a.ICAO != "" {
			r.airportByICAO[a.ICAO] = i
		}
		r.addKey(a.Name, entry{KindAirport, i, "name"})
	}
	for i, g := range r.regions {
		r.regionByCode[g.Code] = i
		r.addKey(g.Name, entry{KindRegion, i, "name"})
	}
	for i, c := range r.countries {
		r.countryByCode[c.Code] = i
		r.addKey(c.Name, entry{KindCountry, i, "name"})
	}
	for alias, code := range countryAliases {
		if i, ok := r.countryByCode[code]; ok {
			r.addKey(alias, entry{KindCountry, i, "alt_name"})
		}
	}
	for k := range r.entries {
		r.keys = append(r.keys, k)
		n := len([]rune(k))
		r.byLength[n] = append(r.byLength[n], k)
	}
	sort.Strings(r.keys)
	for _, ks := range r.byLength {
		sort.Strings(ks)
	}
	r.cityAirports = r.servingAirports()
	r.areas = r.summariseAreas()
	r.metro = map[string][]string{}
	for code, list := range metroCodes {
		var known []string
		for _, a := range list {
			if _, ok := r.airportByIATA[a]; ok {
				known = append(known, a)
			}
		}
		if len(known) > 0 {
			r.metro[code] = known
		}
	}
	return r
}

func bitCount(b uint8) int {
	n := 0
	for ; b != 0; b &= b - 1 {
		n++
	}
	return n
}

func (r *Resolver) addKey(name string, e entry) {
	k := normalize(name)
	if k == "" {
		return
	}
	for _, have := range r.entries[k] {
		if have.kind == e.kind && have.idx == e.idx {
			return
		}
	}
	r.entries[k] = append(r.entries[k], e)
}

// servingAirports lists each city's airports: its own, busiest first, then
// for big cities the busy airports nearby that belong to much smaller
// places (Newark for New York), nearest first.
func (r *Resolver) servingAirports() [][]string {
	out := make([][]string, len(r.cities))
	for _, a := range r.airports {
		if i, ok := r.cityByID[a.City]; ok {
			out[i] = append(out[i], a.IATA)
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i], func(a, b string) int { return r.traffic[b] - r.traffic[a] })
	}
	var busy []catalog.Airport
	for _, a := range r.airports {
		if r.traffic[a.IATA] > 0 {
			busy = append(busy, a)
		}
	}
	for i, c := range r.cities {
		if c.Population < bigCity {
			continue
		}
		type near struct {
			iata string
			d    float64
		}
		var extra []near
		for _, a := range busy {
			if a.City == c.ID || math.Abs(a.Lat-c.Lat) > 0.6 { // 0.6° of latitude ≈ 67 km
				continue
			}
			d := distanceKM(c.Lat, c.Lon, a.Lat, a.Lon)
			if d > nearbyAirports {
				continue
			}
			if j, ok := r.cityByID[a.City]; ok && r.cities[j].Population*3 > c.Population {
				continue // a big city of its own
			}
			extra = append(extra, near{a.IATA, d})
		}
		slices.SortFunc(extra, func(a, b near) int { return cmpFloat(a.d, b.d) })
		for _, n := range extra {
			if len(out[i]) >= maxAirports {
				break
			}
			out[i] = append(out[i], n.iata)
		}
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// City returns the city with the given ID.
func (r *Resolver) City(id string) (catalog.City, bool) {
	i, ok := r.cityByID[id]
	if !ok {
		return catalog.City{}, false
	}
	return r.cities[i], true
}

// Airport returns the airport with the given IATA code.
func (r *Resolver) Airport(iata string) (catalog.Airport, bool) {
	i, ok := r.airportByIATA[iata]
	if !ok {
		return catalog.Airport{}, false
	}
	return r.airports[i], true
}

// CitiesIn lists the cities of a region (ISO 3166-2, including its
// subdivisions) or a country (ISO 3166-1), biggest first.
func (r *Resolver) CitiesIn(code string, limit int) []catalog.City {
	var out []catalog.City
	for _, c := range r.cities {
		if c.Country == code || c.Region == code || strings.HasPrefix(c.Region, code+"-") {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b catalog.City) int { return b.Population - a.Population })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Nearby lists cities within radiusKM of a point, nearest first.
func (r *Resolver) Nearby(lat, lon, radiusKM float64, limit int) []Place {
	type hit struct {
		i int
		d float64
	}
	var hits []hit
	for i, c := range r.cities {
		if d := distanceKM(lat, lon, c.Lat, c.Lon); d <= radiusKM {
			hits = append(hits, hit{i, d})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmpFloat(a.d, b.d) })
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Place, 0, len(hits))
	for _, h := range hits {
		out = append(out, r.cityPlace(h.i, "name", 0))
	}
	return out
}

func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKM = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * earthKM * math.Asin(math.Min(1, math.Sqrt(h)))
}

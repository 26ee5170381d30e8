package places

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// Base scores by strength of match; size adds up to about 220 on top.
const (
	scoreCode   = 1000
	scoreExact  = 500
	scoreAlt    = 480
	scorePrefix = 200
	scoreFuzzy  = 100
)

// Resolve returns the best matches for free text, best first.
func (r *Resolver) Resolve(query string, limit int) []Place {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	query = strings.TrimSpace(query)
	if query == "" || len(query) > maxQueryLen {
		return nil
	}
	name, qualifier, _ := strings.Cut(query, ",")
	key, qkey := normalize(name), normalize(qualifier)
	if key == "" {
		return nil
	}
	found := map[Kind]map[string]Place{}
	add := func(p Place) {
		if found[p.Kind] == nil {
			found[p.Kind] = map[string]Place{}
		}
		if have, ok := found[p.Kind][p.Code]; !ok || p.Score > have.Score {
			found[p.Kind][p.Code] = p
		}
	}

	code := strings.ToUpper(strings.TrimSpace(name))
	if len(code) == 3 {
		if i, ok := r.airportByIATA[code]; ok {
			add(r.airportPlace(i, "iata", scoreCode))
		}
		if list, ok := r.metro[code]; ok {
			if i, ok := r.cityByID[r.airports[r.airportByIATA[list[0]]].City]; ok {
				p := r.cityPlace(i, "metro", scoreCode-10)
				p.Airports = list
				add(p)
			}
		}
	}
	if len(code) == 4 {
		if i, ok := r.airportByICAO[code]; ok {
			add(r.airportPlace(i, "icao", scoreCode))
		}
	}
	for _, e := range r.entries[key] {
		base := float64(scoreExact)
		if e.match == "alt_name" {
			base = scoreAlt
		}
		add(r.place(e, e.match, base))
	}
	if len(key) >= 2 {
		start := sort.SearchStrings(r.keys, key)
		for n, i := 0, start; i < len(r.keys) && strings.HasPrefix(r.keys[i], key) && n < 300; i, n = i+1, n+1 {
			if r.keys[i] == key {
				continue
			}
			for _, e := range r.entries[r.keys[i]] {
				add(r.place(e, "prefix", scorePrefix))
			}
		}
	}
	if len(found) == 0 && len([]rune(key)) >= 4 {
		r.misspelt(key, add)
	}

	var out []Place
	for _, byCode := range found {
		for _, p := range byCode {
			if qkey == "" || r.qualifies(p, qkey) {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b Place) int {
		if a.Score != b.Score {
			return cmpFloat(b.Score, a.Score)
		}
		if a.Name != b.Name {
			return strings.Compare(a.Name, b.Name)
		}
		return strings.Compare(a.Code, b.Code)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// misspelt adds places whose key is within a small edit distance of key:
// one edit for short words, two for longer ones. Candidates must share the
// first or second letter, which keeps the scan cheap and still catches the
// usual slips (swapped, doubled or missing letters).
func (r *Resolver) misspelt(key string, add func(Place)) {
	rk := []rune(key)
	maxd := 1
	if len(rk) >= 7 {
		maxd = 2
	}
	for n := len(rk) - maxd; n <= len(rk)+maxd; n++ {
		for _, k := range r.byLength[n] {
			kr := []rune(k)
			if kr[0] != rk[0] && (len(kr) < 2 || kr[1] != rk[1]) {
				continue
			}
			if d := editDistance(key, k, maxd); d <= maxd {
				for _, e := range r.entries[k] {
					add(r.place(e, "fuzzy", scoreFuzzy-20*float64(d)))
				}
			}
		}
	}
}

// qualifies reports whether p is in the region or country the qualifier of
// "Name, Qualifier" names: "Maine", "ME", "US-ME", "USA", "Texas", "PT".
func (r *Resolver) qualifies(p Place, qkey string) bool {
	up := strings.ToUpper(qkey)
	if p.Country == up || p.Region == up || strings.HasSuffix(p.Region, "-"+up) {
		return true
	}
	if normalize(p.CountryName) == qkey {
		return true
	}
	if i, ok := r.regionByCode[p.Region]; ok && normalize(r.regions[i].Name) == qkey {
		return true
	}
	for alias, code := range countryAliases {
		if alias == qkey && code == p.Country {
			return true
		}
	}
	return false
}

func (r *Resolver) place(e entry, match string, base float64) Place {
	switch e.kind {
	case KindCity:
		return r.cityPlace(e.idx, match, base)
	case KindAirport:
		return r.airportPlace(e.idx, match, base)
	case KindRegion:
		return r.regionPlace(e.idx, match, base)
	default:
		return r.countryPlace(e.idx, match, base)
	}
}

func sizeBonus(n int) float64 { return 30 * math.Log10(float64(n)+1) }

func (r *Resolver) countryName(code string) string {
	if i, ok := r.countryByCode[code]; ok {
		return r.countries[i].Name
	}
	return ""
}

func (r *Resolver) cityPlace(i int, match string, base float64) Place {
	c := r.cities[i]
	return Place{Kind: KindCity, Code: c.ID, Name: c.Name, Region: c.Region, Country: c.Country,
		CountryName: r.countryName(c.Country), Lat: c.Lat, Lon: c.Lon, Zone: c.Zone, Population: c.Population,
		Airports: slices.Clone(r.cityAirports[i]), Score: base + sizeBonus(c.Population), Match: match}
}

func (r *Resolver) airportPlace(i int, match string, base float64) Place {
	a := r.airports[i]
	p := Place{Kind: KindAirport, Code: a.IATA, Name: a.Name, Country: a.Country, CountryName: r.countryName(a.Country),
		Lat: a.Lat, Lon: a.Lon, Zone: a.Zone, Airports: []string{a.IATA},
		Score: base + 1.5*sizeBonus(r.traffic[a.IATA]), Match: match}
	if j, ok := r.cityByID[a.City]; ok {
		p.Region, p.Population = r.cities[j].Region, r.cities[j].Population
	}
	return p
}

func (r *Resolver) regionPlace(i int, match string, base float64) Place {
	g := r.regions[i]
	p := Place{Kind: KindRegion, Code: g.Code, Name: g.Name, Region: g.Code, Country: g.Country,
		CountryName: r.countryName(g.Country), Match: match}
	p.Lat, p.Lon, p.Zone, p.Population, p.Airports = r.area(g.Code)
	p.Score = base + 60 + sizeBonus(p.Population)/2
	return p
}

func (r *Resolver) countryPlace(i int, match string, base float64) Place {
	c := r.countries[i]
	p := Place{Kind: KindCountry, Code: c.Code, Name: c.Name, Country: c.Code, CountryName: c.Name, Match: match}
	p.Lat, p.Lon, p.Zone, p.Population, p.Airports = r.area(c.Code)
	p.Score = base + 120 + sizeBonus(p.Population)/2
	return p
}

// areaSummary describes a region or country by its biggest cities: the
// centre and zone of the biggest, their total population and the busiest
// airports among them.
type areaSummary struct {
	lat, lon   float64
	zone       string
	population int
	airports   []string
}

func (r *Resolver) area(code string) (lat, lon float64, zone string, pop int, airports []string) {
	a := r.areas[code]
	if a == nil {
		return 0, 0, "", 0, nil
	}
	return a.lat, a.lon, a.zone, a.population, slices.Clone(a.airports)
}

// summariseAreas computes every region's and country's summary in one pass
// over the cities, biggest first.
func (r *Resolver) summariseAreas() map[string]*areaSummary {
	order := make([]int, len(r.cities))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return r.cities[b].Population - r.cities[a].Population })
	out := map[string]*areaSummary{}
	for _, i := range order {
		c := r.cities[i]
		for _, code := range []string{c.Country, c.Region} {
			if code == "" {
				continue
			}
			a := out[code]
			if a == nil {
				a = &areaSummary{lat: c.Lat, lon: c.Lon, zone: c.Zone}
				out[code] = a
			}
			a.population += c.Population
			for _, ap := range r.cityAirports[i] {
				if len(a.airports) < maxAreaAirport && r.traffic[ap] > 0 && !slices.Contains(a.airports, ap) {
					a.airports = append(a.airports, ap)
				}
			}
		}
	}
	return out
}

// metroCodes are IATA metropolitan-area codes: one code for all of a
// city's airports.
var metroCodes = map[string][]string{
	"NYC": {"JFK", "EWR", "LGA"}, "LON": {"LHR", "LGW", "STN", "LTN", "LCY", "SEN"},
	"PAR": {"CDG", "ORY", "BVA"}, "TYO": {"HND", "NRT"}, "CHI": {"ORD", "MDW"},
	"WAS": {"IAD", "DCA", "BWI"}, "MIL": {"MXP", "LIN", "BGY"}, "ROM": {"FCO", "CIA"},
	"STO": {"ARN", "BMA", "NYO"}, "MOW": {"SVO", "DME", "VKO"}, "SAO": {"GRU", "CGH", "VCP"},
	"BUE": {"EZE", "AEP"}, "YTO": {"YYZ", "YTZ"}, "OSA": {"KIX", "ITM"}, "SEL": {"ICN", "GMP"},
	"BJS": {"PEK", "PKX"}, "RIO": {"GIG", "SDU"}, "JKT": {"CGK", "HLP"}, "YMQ": {"YUL"},
	"BER": {"BER"}, "DTT": {"DTW"}, "QDF": {"DFW", "DAL"}, "QHO": {"IAH", "HOU"},
}

// countryAliases are names people use for countries besides the official
// short name.
var countryAliases = map[string]string{
	"usa": "US", "us": "US", "u s a": "US", "united states of america": "US", "america": "US",
	"uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
	"uae": "AE", "emirates": "AE", "holland": "NL", "the netherlands": "NL", "czechia": "CZ", "czech republic": "CZ",
	"south korea": "KR", "korea": "KR", "russia": "RU", "vietnam": "VN", "viet nam": "VN", "turkey": "TR", "turkiye": "TR",
	"ivory coast": "CI", "cote d ivoire": "CI", "burma": "MM", "persia": "IR", "iran": "IR", "syria": "SY", "laos": "LA",
	"bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "macedonia": "MK", "north macedonia": "MK",
	"taiwan": "TW", "hong kong": "HK", "macau": "MO", "macao": "MO", "deutschland": "DE", "espana": "ES", "brasil": "BR",
}

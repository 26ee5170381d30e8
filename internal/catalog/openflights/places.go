package openflights

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/sandbox"
	"pathavana/internal/catalog/world"
)

// City matching radii (see the package doc).
const (
	sameIATAKM = 100 // a world airport with the same code farther away is another field
	sameNameKM = 60  // a same-named city this close is the airport's city
	nearestKM  = 25  // else the nearest city this close
	maxNameLen = 200 // catalog names are 1–200 characters
)

var (
	reIATA = regexp.MustCompile(`^[A-Z]{3}$`)
	reICAO = regexp.MustCompile(`^[A-Z0-9]{4}$`)
)

// place is a city an airport can be matched to.
type place struct {
	city catalog.City
	made bool // made up for an airport
}

// places knows the world's countries, cities and airports and collects the
// cities made up for airports.
type places struct {
	countryByName map[string]string // folded name → code, countries.dat first, then world names
	known         map[string]bool   // world country codes
	onlyZone      map[string]string // country code → its zone, for one-zone countries
	countryZones  map[string]map[string]bool
	worldAirports map[string]world.Airport
	cityIndex     map[int64]int // world city id → position in list
	list          []place       // world cities in world order, then made-up ones
	byCountry     map[string][]int
	byName        map[string][]int // country + "|" + folded name → positions
	zones         map[string]bool  // IANA zone → loads
}

func newPlaces(w *world.World, countriesDat map[string]string) *places {
	p := &places{countryByName: map[string]string{}, known: map[string]bool{}, onlyZone: map[string]string{}, countryZones: map[string]map[string]bool{},
		worldAirports: make(map[string]world.Airport, len(w.Airports)), cityIndex: make(map[int64]int, len(w.Cities)),
		byCountry: map[string][]int{}, byName: map[string][]int{}, zones: map[string]bool{}}
	for _, c := range w.Countries {
		p.known[c.Code] = true
		p.countryZones[c.Code] = map[string]bool{}
		for _, z := range c.Zones {
			p.countryZones[c.Code][z] = true
		}
		if len(c.Zones) == 1 {
			p.onlyZone[c.Code] = c.Zones[0]
		}
	}
	for name, code := range countriesDat {
		if p.known[code] { // a code the world lacks would leave cities without a country
			p.countryByName[name] = code
		}
	}
	for _, c := range w.Countries {
		if _, ok := p.countryByName[fold(c.Name)]; !ok {
			p.countryByName[fold(c.Name)] = c.Code
		}
	}
	for _, a := range w.Airports {
		p.worldAirports[a.IATA] = a
	}
	for _, c := range w.Cities {
		p.cityIndex[c.ID] = len(p.list)
		p.add(place{city: catalog.City{ID: sandbox.CityID(c.ID), Name: c.Name, AltNames: c.AltNames, Region: c.Region,
			Country: c.Country, Lat: c.Lat, Lon: c.Lon, Population: c.Population, Zone: c.Zone}},
			append([]string{c.Name, c.ASCII}, c.AltNames...))
	}
	return p
}

// add appends a place, indexed under its country and the given names.
func (p *places) add(pl place, names []string) int {
	i := len(p.list)
	p.list = append(p.list, pl)
	p.byCountry[pl.city.Country] = append(p.byCountry[pl.city.Country], i)
	seen := map[string]bool{}
	for _, n := range names {
		if k := pl.city.Country + "|" + fold(n); n != "" && !seen[k] {
			seen[k] = true
			p.byName[k] = append(p.byName[k], i)
		}
	}
	return i
}

// cities is every world city, then the made-up ones by id.
func (p *places) cities() []catalog.City {
	out := make([]catalog.City, 0, len(p.list))
	var made []catalog.City
	for _, pl := range p.list {
		if pl.made {
			made = append(made, pl.city)
		} else {
			out = append(out, pl.city)
		}
	}
	slices.SortFunc(made, func(a, b catalog.City) int { return cmp.Compare(a.ID, b.ID) })
	return append(out, made...)
}

func (p *places) validZone(z string) bool {
	if ok, seen := p.zones[z]; seen {
		return ok
	}
	_, err := time.LoadLocation(z)
	ok := err == nil && z != "" && z != "Local"
	p.zones[z] = ok
	return ok
}

// nearest is the closest of the candidates within km, or -1.
func (p *places) nearest(cands []int, lat, lon, km float64) int {
	best, bestD := -1, km
	for _, i := range cands {
		c := &p.list[i].city
		if d := distanceKM(lat, lon, c.Lat, c.Lon); d <= bestD {
			if best < 0 || d < bestD { // ties keep the earlier (world order)
				best, bestD = i, d
			}
		}
	}
	return best
}

// resolveAirports keeps the usable airports, sorted by IATA, each with its
// city (made up when needed), and maps the OpenFlights ids of the kept
// lines to their IATA code.
func (p *places) resolveAirports(raw []rawAirport, rep *Report) ([]catalog.Airport, map[string]string) {
	// IATA order, so made-up cities and name sharing do not depend on the
	// order of lines; the first line wins a duplicated code.
	sorted := slices.Clone(raw)
	slices.SortStableFunc(sorted, func(a, b rawAirport) int { return cmp.Compare(a.iata, b.iata) })
	var out []catalog.Airport
	ids := map[string]string{}
	skip := func(reason string) { rep.AirportsSkipped[reason]++ }
	for k, r := range sorted {
		if !reIATA.MatchString(r.iata) {
			skip(SkipNoIATA)
			continue
		}
		if k > 0 && sorted[k-1].iata == r.iata {
			skip(SkipDuplicateIATA)
			continue
		}
		if r.kind != "" && r.kind != "airport" && r.kind != "unknown" {
			skip(SkipNotAirport)
			continue
		}
		lat, errLat := strconv.ParseFloat(r.lat, 64)
		lon, errLon := strconv.ParseFloat(r.lon, 64)
		if errLat != nil || errLon != nil || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
			skip(SkipCoordinates)
			continue
		}
		wa, hasWA := p.worldAirports[r.iata]
		hasWA = hasWA && distanceKM(lat, lon, wa.Lat, wa.Lon) <= sameIATAKM
		// Country: the country name's, else the world airport's. When both
		// are known and differ, the one using the airport's zone (the world
		// airport's when the file has none) wins:
		// OpenFlights files Emporia, Kansas under Germany; the world data
		// puts Lokichoggio, Kenya in Uganda.
		var cands []string
		if c, ok := p.countryByName[fold(r.country)]; ok {
			cands = append(cands, c)
		}
		if hasWA && p.known[wa.Country] {
			cands = append(cands, wa.Country)
		}
		tz := r.tz
		if !p.validZone(tz) && hasWA {
			tz = wa.Zone
		}
		country := ""
		for _, c := range cands {
			if p.countryZones[c][tz] {
				country = c
				break
			}
		}
		if country == "" && len(cands) > 0 {
			country = cands[0]
		}
		if country == "" {
			skip(SkipCountry)
			continue
		}
		// City: the world airport's, a same-named one, the nearest one.
		city, how := -1, &rep.CityByIATA
		if hasWA {
			if i, ok := p.cityIndex[wa.CityID]; ok {
				city = i
			}
		}
		if city < 0 {
			city, how = p.nearest(p.byName[country+"|"+fold(r.city)], lat, lon, sameNameKM), &rep.CityByName
		}
		if city < 0 {
			var world []int
			for _, i := range p.byCountry[country] {
				if !p.list[i].made {
					world = append(world, i)
				}
			}
			city, how = p.nearest(world, lat, lon, nearestKM), &rep.CityByDistance
		}
		// Zone: the airport's own, else its city's, else its country's
		// when the country has a single one.
		zone := r.tz
		if !p.validZone(zone) && city >= 0 {
			zone = p.list[city].city.Zone
		}
		if !p.validZone(zone) {
			zone = p.onlyZone[country]
		}
		if !p.validZone(zone) {
			skip(SkipZone)
			continue
		}
		name := clean(r.name, r.city, r.iata)
		if city >= 0 {
			*how++
		} else {
			city = p.add(place{made: true, city: catalog.City{ID: "of-" + r.iata, Name: clean(r.city, r.name, r.iata),
				Country: country, Lat: lat, Lon: lon, Zone: zone}}, []string{r.city})
			rep.CitiesSynthesized++
		}
		icao := r.icao
		if !reICAO.MatchString(icao) {
			icao = ""
		}
		out = append(out, catalog.Airport{IATA: r.iata, ICAO: icao, Name: name, City: p.list[city].city.ID,
			Country: country, Lat: lat, Lon: lon, Zone: zone})
		if r.id != "" {
			ids[r.id] = r.iata
		}
	}
	rep.AirportsKept = len(out)
	return out, ids
}

// clean is the first non-blank of the names with its whitespace
// collapsed, cut to the catalog's 200-byte name limit.
func clean(names ...string) string {
	for _, n := range names {
		n = strings.Join(strings.Fields(n), " ")
		if n == "" {
			continue
		}
		for len(n) > maxNameLen {
			_, size := utf8.DecodeLastRuneInString(n)
			n = strings.TrimSpace(n[:len(n)-size])
		}
		return n
	}
	return ""
}

// foldMap spells accented Latin letters without their marks.
var foldMap = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a", 'æ': "ae",
	'ç': "c", 'ć': "c", 'č': "c", 'ĉ': "c", 'ċ': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e", 'ĕ': "e",
	'ğ': "g", 'ģ': "g", 'ĝ': "g", 'ġ': "g", 'ĥ': "h", 'ħ': "h",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'į': "i", 'ı': "i", 'ĩ': "i", 'ĵ': "j", 'ķ': "k",
	'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ł': "l", 'ŀ': "l", 'ñ': "n", 'ń': "n", 'ņ': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'œ': "oe",
	'ŕ': "r", 'ř': "r", 'ŗ': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ș': "s", 'ŝ': "s", 'ß': "ss",
	'ť': "t", 'ţ': "t", 'ț': "t", 'ŧ': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u", 'ų': "u", 'ũ': "u",
	'ý': "y", 'ÿ': "y", 'ŷ': "y", 'ź': "z", 'ż': "z", 'ž': "z", 'ŵ': "w",
}

// fold makes names comparable: lower case, Latin accents dropped, and
// every run of characters other than letters and digits one space ("São
// Paulo" and "Sao-Paulo" both fold to "sao paulo").
func fold(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		if f, ok := foldMap[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// distanceKM is the great-circle distance (haversine, mean earth radius,
// as in the sandbox model).
func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad, earthKM = math.Pi / 180, 6371.0088
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthKM * math.Asin(math.Min(1, math.Sqrt(a)))
}

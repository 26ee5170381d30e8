package catalog

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"pathavana/internal/money"
)

// kind knows how to decode and check one entry type.
type kind struct {
	decode func(p *parser, at pos, raw []byte) error
}

var kinds = map[string]kind{
	"country":    {entryOf(checkCountry, func(d *Data, v Country) { d.Countries = append(d.Countries, v) })},
	"region":     {entryOf(checkRegion, func(d *Data, v Region) { d.Regions = append(d.Regions, v) })},
	"city":       {entryOf(checkCity, func(d *Data, v City) { d.Cities = append(d.Cities, v) })},
	"airport":    {entryOf(checkAirport, func(d *Data, v Airport) { d.Airports = append(d.Airports, v) })},
	"airline":    {entryOf(checkAirline, func(d *Data, v Airline) { d.Airlines = append(d.Airlines, v) })},
	"flight":     {entryOf(checkFlight, func(d *Data, v Flight) { d.Flights = append(d.Flights, v) })},
	"stay":       {entryOf(checkStay, func(d *Data, v Stay) { d.Stays = append(d.Stays, v) })},
	"restaurant": {entryOf(checkRestaurant, func(d *Data, v Restaurant) { d.Restaurants = append(d.Restaurants, v) })},
	"attraction": {entryOf(checkAttraction, func(d *Data, v Attraction) { d.Attractions = append(d.Attractions, v) })},
	"ground":     {entryOf(checkGround, func(d *Data, v GroundLeg) { d.Ground = append(d.Ground, v) })},
}

func kindNames() string {
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// entryOf builds a decoder that decodes a T strictly, checks it, rejects a
// second entry with the same key, and stores it.
func entryOf[T keyed](check func(*T) []string, add func(*Data, T)) func(*parser, pos, []byte) error {
	return func(p *parser, at pos, raw []byte) error {
		v, err := strictDecode[T](raw)
		if err != nil {
			return err
		}
		for _, problem := range check(&v) {
			p.fail(at, "%s", problem)
		}
		id := fmt.Sprintf("%T:%s", v, v.Key())
		if first, dup := p.where[id]; dup {
			p.fail(at, "duplicate of the entry at %s:%d (same key %q)", first.file, first.line, v.Key())
			return nil
		}
		p.where[id] = at
		add(&p.data, v)
		return nil
	}
}

var (
	reCountry = regexp.MustCompile(`^[A-Z]{2}$`)
	reRegion  = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)
	reIATA    = regexp.MustCompile(`^[A-Z]{3}$`)
	reICAO    = regexp.MustCompile(`^[A-Z0-9]{4}$`)
	reCarrier = regexp.MustCompile(`^[A-Z0-9]{2}$`)
	reFlight  = regexp.MustCompile(`^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?$`)
	reID      = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)
)

// problems collects field problems of one entry.
type problems []string

func (ps *problems) add(cond bool, format string, args ...any) {
	if cond {
		*ps = append(*ps, fmt.Sprintf(format, args...))
	}
}

func (ps *problems) name(field, v string) {
	ps.add(strings.TrimSpace(v) == "" || len(v) > 200, "%s: must be 1–200 characters", field)
}

func (ps *problems) coords(lat, lon float64) {
	ps.add(math.IsNaN(lat) || lat < -90 || lat > 90, "lat: must be between -90 and 90")
	ps.add(math.IsNaN(lon) || lon < -180 || lon > 180, "lon: must be between -180 and 180")
}

func (ps *problems) zone(z string) {
	if z == "" {
		*ps = append(*ps, "zone: an IANA time zone like Europe/Lisbon is required")
		return
	}
	if _, err := time.LoadLocation(z); err != nil || z == "Local" {
		*ps = append(*ps, fmt.Sprintf("zone: %q is not an IANA time zone", z))
	}
}

func (ps *problems) price(field string, m money.Money, allowZero bool) {
	ps.add(!reCurrencyCode.MatchString(m.Currency), "%s: currency must be an ISO 4217 code like EUR", field)
	ps.add(m.Minor < 0 || (!allowZero && m.Minor == 0), "%s: must be positive", field)
}

var reCurrencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

func (ps *problems) rating(r float64) {
	ps.add(math.IsNaN(r) || r < 0 || r > 5, "rating: must be between 0 and 5")
}

func checkCountry(c *Country) []string {
	var ps problems
	ps.add(!reCountry.MatchString(c.Code), "code: must be an ISO 3166-1 alpha-2 code like PT")
	ps.name("name", c.Name)
	ps.add(!reCurrencyCode.MatchString(c.Currency), "currency: must be an ISO 4217 code like EUR")
	ps.add(c.PriceLevel <= 0 || c.PriceLevel > 10 || math.IsNaN(c.PriceLevel), "price_level: must be above 0 and at most 10 (USA = 1)")
	for _, z := range c.Zones {
		ps.zone(z)
	}
	return ps
}

func checkRegion(r *Region) []string {
	var ps problems
	ps.add(!reRegion.MatchString(r.Code), "code: must be an ISO 3166-2 code like US-TX")
	ps.name("name", r.Name)
	ps.add(!reCountry.MatchString(r.Country) || !strings.HasPrefix(r.Code, r.Country+"-"), "country: must be the alpha-2 code the region code starts with")
	return ps
}

func checkCity(c *City) []string {
	var ps problems
	ps.add(!reID.MatchString(c.ID), "id: must be 1–64 letters, digits or ._:-")
	ps.name("name", c.Name)
	for _, a := range c.AltNames {
		ps.name("alt_names", a)
	}
	ps.add(!reCountry.MatchString(c.Country), "country: must be an ISO 3166-1 alpha-2 code")
	ps.add(c.Region != "" && !strings.HasPrefix(c.Region, c.Country+"-"), "region: must be an ISO 3166-2 code of the city's country")
	ps.coords(c.Lat, c.Lon)
	ps.add(c.Population < 0, "population: must not be negative")
	ps.zone(c.Zone)
	return ps
}

func checkAirport(a *Airport) []string {
	var ps problems
	ps.add(!reIATA.MatchString(a.IATA), "iata: must be a 3-letter code like LIS")
	ps.add(a.ICAO != "" && !reICAO.MatchString(a.ICAO), "icao: must be a 4-character code like LPPT")
	ps.name("name", a.Name)
	ps.add(a.City == "", "city: the id of the city the airport serves is required")
	ps.add(!reCountry.MatchString(a.Country), "country: must be an ISO 3166-1 alpha-2 code")
	ps.coords(a.Lat, a.Lon)
	ps.zone(a.Zone)
	return ps
}

func checkAirline(a *Airline) []string {
	var ps problems
	ps.add(!reCarrier.MatchString(a.IATA), "iata: must be a 2-character code like TP")
	ps.name("name", a.Name)
	ps.add(a.Country != "" && !reCountry.MatchString(a.Country), "country: must be an ISO 3166-1 alpha-2 code")
	return ps
}

func checkFlight(f *Flight) []string {
	var ps problems
	ps.add(!reCarrier.MatchString(f.Carrier), "carrier: must be a 2-character airline code")
	ps.add(!reFlight.MatchString(f.Number) || !strings.HasPrefix(f.Number, f.Carrier), "number: must be the carrier code and 1–4 digits, like %s123", f.Carrier)
	ps.add(!reIATA.MatchString(f.From) || !reIATA.MatchString(f.To) || f.From == f.To, "from/to: must be two different 3-letter airport codes")
	ps.add(f.ArrivalDay < -1 || f.ArrivalDay > 2, "arrival_day: must be -1, 0, 1 or 2")
	// A same-day arrival at an earlier clock time is normal (AKL 19:30 →
	// LAX 10:45 the same day; a short hop into a zone behind), so the block
	// time can only be checked with the zones: the flight index does that.
	ps.add(f.Days == 0, "days: the days of operation are required, like \"1234567\"")
	ps.add(!f.ValidFrom.IsZero() && !f.ValidTo.IsZero() && f.ValidTo.Before(f.ValidFrom.Time), "valid_to: must not be before valid_from")
	ps.add(len(f.Fares) == 0, "fares: at least one cabin fare is required")
	for c, m := range f.Fares {
		ps.add(!slices.Contains(Cabins, c), "fares: unknown cabin %q", c)
		ps.price("fares."+string(c), m, false)
	}
	for c, n := range f.Seats {
		ps.add(!slices.Contains(Cabins, c) || n < 0 || n > 1000, "seats.%s: must be a known cabin with 0–1000 seats", c)
	}
	return ps
}

func checkStay(s *Stay) []string {
	var ps problems
	ps.add(!reID.MatchString(s.ID), "id: must be 1–64 letters, digits or ._:-")
	ps.name("name", s.Name)
	ps.add(s.City == "", "city: required")
	ps.coords(s.Lat, s.Lon)
	ps.add(!slices.Contains(RoomTypes, s.RoomType), "room_type: must be one of hotel_room, entire_home, private_room, shared_room")
	ps.price("price_per_night", s.PricePerNight, false)
	ps.add(s.MaxOccupancy < 1 || s.MaxOccupancy > 30, "max_occupancy: must be 1–30")
	ps.add(s.MinNights < 1 || s.MinNights > 90, "min_nights: must be 1–90")
	ps.rating(s.Rating)
	return ps
}

func checkRestaurant(r *Restaurant) []string {
	var ps problems
	ps.add(!reID.MatchString(r.ID), "id: must be 1–64 letters, digits or ._:-")
	ps.name("name", r.Name)
	ps.add(r.City == "", "city: required")
	ps.coords(r.Lat, r.Lon)
	ps.add(len(r.Cuisines) == 0, "cuisines: at least one is required")
	for i, c := range r.Cuisines {
		r.Cuisines[i] = strings.ToLower(strings.TrimSpace(c))
		ps.name("cuisines", c)
	}
	ps.price("avg_cost", r.AvgCost, false)
	ps.rating(r.Rating)
	return ps
}

func checkAttraction(a *Attraction) []string {
	var ps problems
	ps.add(!reID.MatchString(a.ID), "id: must be 1–64 letters, digits or ._:-")
	ps.name("name", a.Name)
	ps.add(a.City == "", "city: required")
	ps.coords(a.Lat, a.Lon)
	ps.name("category", a.Category)
	ps.price("price", a.Price, true)
	ps.add(a.Minutes < 0 || a.Minutes > 24*60, "minutes: must be 0–1440")
	ps.rating(a.Rating)
	return ps
}

func checkGround(g *GroundLeg) []string {
	var ps problems
	ps.add(g.From == "" || g.To == "" || g.From == g.To, "from/to: two different city ids are required")
	ps.add(g.Mode != SelfDrive && g.Mode != Taxi, "mode: must be self_drive or taxi")
	ps.add(g.DistanceKM <= 0 || g.DistanceKM > 5000 || math.IsNaN(g.DistanceKM), "distance_km: must be above 0 and at most 5000")
	ps.add(g.Minutes <= 0 || g.Minutes > 7*24*60, "minutes: must be positive")
	ps.price("cost", g.Cost, false)
	return ps
}

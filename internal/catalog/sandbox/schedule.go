package sandbox

import (
	"cmp"
	"fmt"
	"slices"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// Timetable constants (see docs/sandbox-model.md).
const (
	dayStart       = 6 * 60  // first regular departure, 06:00
	dayEnd         = 22 * 60 // regular departures end before 22:00
	curfewFrom     = 30      // long-haul arrivals avoid 00:30–05:30
	curfewTo       = 5*60 + 30
	longBlock      = 180 // block minutes from which arrivals avoid the curfew
	redEyeBlock    = 240 // block minutes from which a red-eye may be scheduled
	redEyeChance   = 0.3 // share of eligible route directions with one red-eye
	maxFlightNo    = 9999
	freqExponent   = 0.35 // departures/day = ((deg+degOffset)×(deg'+degOffset))^freqExponent / freqDivisor × distance factor
	freqDivisor    = 8.0
	degOffset      = 2
	dailyThreshold = 0.75 // below this many departures a day, the route runs some days only
)

// routeKey identifies a carrier's service between two airports, lower
// IATA first.
type routeKey struct{ carrier, lo, hi string }

// service is what Schedule knows about one routeKey.
type service struct {
	key                    routeKey
	dist                   float64
	aircraftLo, aircraftHi string // from the lower / higher IATA; "" when not flown that way
}

// aircraftFrom is the aircraft flying out of the given endpoint.
func (s *service) aircraftFrom(iata string) string {
	if iata == s.key.lo {
		return s.aircraftLo
	}
	return s.aircraftHi
}

// Schedule turns routes into scheduled flights: departures per day from
// the endpoints' number of partners and the distance, local departure
// times spread over the day, arrivals from block time and the zones'
// standard UTC offsets, days of operation, base fares per cabin from
// distance, seats by aircraft, flight numbers unique per carrier (odd one
// way, even the other). Routes with an unknown airport or zone, or a bad
// code, are skipped. Flights of one route share their Fares and Seats
// maps: treat them as read-only.
func Schedule(routes []Route, airports map[string]catalog.Airport) []catalog.Flight {
	flights, _ := schedule(routes, airports)
	return flights
}

// schedule also returns how many flights were dropped because a carrier
// ran out of flight numbers or the timetable could not be published.
func schedule(routes []Route, airports map[string]catalog.Airport) ([]catalog.Flight, int) {
	zones := offsets{}
	services, degree := collectServices(routes, airports, zones)
	perPair := map[[2]string]int{}
	for _, s := range services {
		perPair[[2]string{s.key.lo, s.key.hi}]++
	}
	slices.SortFunc(services, func(a, b *service) int {
		return cmp.Or(cmp.Compare(a.key.carrier, b.key.carrier), cmp.Compare(band(a.dist), band(b.dist)),
			cmp.Compare(a.key.lo, b.key.lo), cmp.Compare(a.key.hi, b.key.hi))
	})
	network := networkCarriers()
	seatMaps := map[string]map[catalog.Cabin]int{}
	out := make([]catalog.Flight, 0, 4*len(services))
	dropped := 0
	nextNumber := map[string]int{}
	for _, s := range services {
		outbound, inbound := s.key.lo, s.key.hi
		if degree[inbound] > degree[outbound] {
			outbound, inbound = inbound, outbound
		}
		perDay := departuresPerDay(degree[s.key.lo], degree[s.key.hi], s.dist, perPair[[2]string{s.key.lo, s.key.hi}])
		days := operatingDays(perDay, s.key)
		count := departureCount(perDay, s.dist)
		fareMaps := map[string]map[catalog.Cabin]money.Money{} // by aircraft: shared by the route's flights
		base := max(1, nextNumber[s.key.carrier])
		if base%2 == 0 {
			base++
		}
		nextNumber[s.key.carrier] = base + 2*count
		for dirIdx, from := range []string{outbound, inbound} {
			to := inbound
			if dirIdx == 1 {
				to = outbound
			}
			craft := s.aircraftFrom(from)
			if craft == "" {
				continue
			}
			seats := seatsFor(craft, network[s.key.carrier], seatMaps)
			if len(seats) == 0 {
				continue
			}
			fares, ok := fareMaps[craft]
			if !ok {
				fares = faresFor(s.dist, seats)
				fareMaps[craft] = fares
			}
			offFrom, _ := zones.standardOffset(airports[from].Zone)
			offTo, _ := zones.standardOffset(airports[to].Zone)
			block := blockMinutes(s.dist, speedOf(craft))
			times := departureTimes(s.key, from, count, block, offTo-offFrom)
			for i, dep := range times {
				number := base + 2*i + dirIdx
				arr, day := arrival(dep, block, offTo-offFrom)
				if number > maxFlightNo || day < -1 || day > 2 {
					dropped++
					continue
				}
				out = append(out, catalog.Flight{
					Carrier: s.key.carrier, Number: fmt.Sprintf("%s%d", s.key.carrier, number),
					From: from, To: to, Departs: catalog.Clock(dep), Arrives: catalog.Clock(arr), ArrivalDay: day,
					Days: days, Fares: fares, Seats: seats, Aircraft: craft,
				})
			}
		}
	}
	return sortFlights(out), dropped
}

// sortFlights orders flights by From, To, Departs, Carrier and Number. It
// sorts integer keys (airport ranks and departure) rather than comparing
// strings or moving the large structs around.
func sortFlights(in []catalog.Flight) []catalog.Flight {
	codes := make([]string, 0, 2*len(in))
	for i := range in {
		codes = append(codes, in[i].From, in[i].To)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	rank := make(map[string]uint64, len(codes))
	for i, c := range codes {
		rank[c] = uint64(i)
	}
	type sortKey struct {
		key uint64 // from rank, to rank, departure
		i   int32
	}
	keys := make([]sortKey, len(in))
	for i := range in {
		f := &in[i]
		keys[i] = sortKey{rank[f.From]<<40 | rank[f.To]<<16 | uint64(f.Departs), int32(i)}
	}
	slices.SortFunc(keys, func(x, y sortKey) int {
		if c := cmp.Compare(x.key, y.key); c != 0 {
			return c
		}
		a, b := &in[x.i], &in[y.i]
		return cmp.Or(cmp.Compare(a.Carrier, b.Carrier), cmp.Compare(a.Number, b.Number))
	})
	out := make([]catalog.Flight, len(in))
	for i, k := range keys {
		out[i] = in[k.i]
	}
	return out
}

// collectServices groups valid routes by carrier and airport pair and
// counts each airport's distinct partners.
func collectServices(routes []Route, airports map[string]catalog.Airport, zones offsets) ([]*service, map[string]int) {
	cmpRoute := func(a, b Route) int { // Network's order, so its output needs no sorting
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Carrier, b.Carrier), cmp.Compare(a.Aircraft, b.Aircraft))
	}
	sorted := routes
	if !slices.IsSortedFunc(routes, cmpRoute) {
		sorted = slices.Clone(routes)
		slices.SortFunc(sorted, cmpRoute)
	}
	byKey := map[routeKey]*service{}
	var services []*service
	pairs := map[[2]string]bool{}
	degree := map[string]int{}
	for _, r := range sorted {
		from, okFrom := airports[r.From]
		to, okTo := airports[r.To]
		if !okFrom || !okTo || r.From == r.To || !validCarrier(r.Carrier) || !validIATA(r.From) || !validIATA(r.To) ||
			!validCoords(from.Lat, from.Lon) || !validCoords(to.Lat, to.Lon) {
			continue
		}
		if _, ok := aircraftTypes[r.Aircraft]; !ok {
			continue
		}
		if _, ok := zones.standardOffset(from.Zone); !ok {
			continue
		}
		if _, ok := zones.standardOffset(to.Zone); !ok {
			continue
		}
		key := routeKey{r.Carrier, min(r.From, r.To), max(r.From, r.To)}
		s := byKey[key]
		if s == nil {
			s = &service{key: key, dist: distanceKM(from.Lat, from.Lon, to.Lat, to.Lon)}
			byKey[key] = s
			services = append(services, s)
		}
		switch {
		case r.From == key.lo && s.aircraftLo == "":
			s.aircraftLo = r.Aircraft
		case r.From == key.hi && s.aircraftHi == "":
			s.aircraftHi = r.Aircraft
		}
		if pair := [2]string{key.lo, key.hi}; !pairs[pair] {
			pairs[pair] = true
			degree[key.lo]++
			degree[key.hi]++
		}
	}
	return services, degree
}

func validCoords(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 // false for NaN too
}

func validCarrier(s string) bool { return len(s) == 2 && isUpperAlnum(s) }

func validIATA(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 'A' || s[i] > 'Z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// band orders a carrier's flight numbers: long-haul first, then medium,
// then short.
func band(distKM float64) int {
	switch {
	case distKM >= 4500:
		return 0
	case distKM >= 1500:
		return 1
	}
	return 2
}

func speedOf(craft string) float64 {
	if aircraftTypes[craft].turboprop {
		return turbopropSpeedKMH
	}
	return jetSpeedKMH
}

// seatsFor returns the shared seat map of an aircraft for a network or
// other carrier: other carriers fly narrow-bodies economy only and sell no
// first class.
func seatsFor(craft string, networkCarrier bool, cache map[string]map[catalog.Cabin]int) map[catalog.Cabin]int {
	key := fmt.Sprintf("%s/%t", craft, networkCarrier)
	if m, ok := cache[key]; ok {
		return m
	}
	t, ok := aircraftTypes[craft]
	if !ok {
		return nil
	}
	m := map[catalog.Cabin]int{}
	switch {
	case networkCarrier:
		for c, n := range t.seats {
			m[c] = n
		}
	case t.wide:
		for c, n := range t.seats {
			if c != catalog.First {
				m[c] = n
			}
		}
	default:
		m[catalog.Economy] = t.lowCostEconomy
	}
	cache[key] = m
	return m
}

// faresFor returns the base fares of the cabins a seat map sells.
func faresFor(distKM float64, seats map[catalog.Cabin]int) map[catalog.Cabin]money.Money {
	m := make(map[catalog.Cabin]money.Money, len(seats))
	for c := range seats {
		m[c] = usd(baseFareUSD(distKM, c))
	}
	return m
}

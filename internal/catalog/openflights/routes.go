package openflights

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/sandbox"
)

var (
	reCarrier     = regexp.MustCompile(`^[A-Z0-9]{2}$`)
	reAirlineICAO = regexp.MustCompile(`^[A-Z]{3}$`)
)

// sandboxTypes are the aircraft the sandbox model has seats and speeds for
// (aircraftTypes in internal/catalog/sandbox/aircraft.go).
var sandboxTypes = map[string]bool{
	"AT7": true, "DH4": true, "E75": true, "CR9": true, "320": true, "738": true, "32N": true,
	"7M8": true, "339": true, "789": true, "359": true, "77W": true, "388": true,
}

// similarType flies an OpenFlights equipment code as the sandbox type of
// about its size and range (IATA codes as used in routes.dat).
var similarType = map[string]string{}

func init() {
	for craft, codes := range map[string]string{
		// turboprops and small props
		"AT7": "AT4 AT5 AT6 ATR ATP SF3 SFB F50 J31 J32 J41 BEH BE1 BES D28 D38 DHT DH7 EM2 EMB L4T SH6 SWM AN4 AN6 YK4 CNA CNC CN1 CN2 BNI BNT DO8 PL2 PL6 IL4",
		"DH4": "DH8 DH1 DH2 DH3 DHH Q400",
		// regional jets and short-haul hundred-seaters
		"CR9": "CRJ CR1 CR2 CR7 CRK CRA ER3 ER4 ERJ ERD EM4 EM5 ER5 F70 100 F28 F21 F24 146 141 142 143 AR1 AR7 AR8 ARJ 717 YK2 YK4 T20",
		"E75": "E70 E7W E7S E75 E90 E95 E9S E9W EMJ E17 E19 E1S E2E SU9 SU1 CS1",
		// narrow-bodies
		"320": "318 319 321 32S 32A 32B 31A 31B 31F CS3 M80 M81 M82 M83 M87 M88 M90 MD8 MD9 DC9 D9S D91 D92 D93 D94 D95 TU5 TU3 T54 YK42 BA1",
		"32N": "31N 20N 21N 32Q 32R",
		"738": "737 733 734 735 736 739 73C 73G 73H 73J 73M 73W 73Y 73F 73X 73E 73L 73N 73R 73S 73Q 731 732 757 752 753 75W 75T 75F 72S 727 721 722 72B",
		"7M8": "7M7 7M9 7MJ 7S8",
		// wide-bodies
		"339": "330 332 333 338 33X 310 312 313 300 AB3 AB6 ABF ABY 30B 340 342 343 L10 L15 D10 D1C",
		"789": "787 788 781 78X 78J 767 762 763 764 76W 76F 76X 76Y IL9 IL6 ILW",
		"359": "350 351 35K 345 346 M11 M1F",
		"77W": "777 772 773 77L 77X 779 778 744 747 74H 742 743 74E 74F 74L 74R 74M 74Y",
		"388": "380 38F",
	} {
		for _, c := range strings.Fields(codes) {
			similarType[c] = craft
		}
	}
}

// Distances for guessing an aircraft when no listed code helps.
const (
	turbopropKM = 600
	narrowKM    = 3000
)

// aircraftFor picks the type of a route: the first listed code the sandbox
// knows, else the first with a similar sandbox type, else by distance. The
// sandbox schedule needs a known type (seats, speed) for every route.
func aircraftFor(equipment string, distKM float64, rep *Report) string {
	codes := strings.Fields(equipment)
	for _, c := range codes {
		if sandboxTypes[c] {
			rep.AircraftListed++
			return c
		}
	}
	for _, c := range codes {
		if t, ok := similarType[c]; ok {
			rep.AircraftSimilar++
			return t
		}
	}
	rep.AircraftByDistance++
	switch {
	case distKM <= turbopropKM:
		return "AT7"
	case distKM <= narrowKM:
		return "320"
	}
	return "789"
}

// resolveRoutes keeps the usable routes (carrier, from, to, aircraft) and
// returns them with the airlines they name, sorted by IATA.
// byID maps OpenFlights airport ids of the kept lines to their IATA code.
func resolveRoutes(in input, pl *places, airports []catalog.Airport, byID map[string]string, rep *Report) ([]sandbox.Route, []catalog.Airline) {
	byIATA := make(map[string]*catalog.Airport, len(airports))
	byICAO := map[string]string{}
	for i := range airports {
		byIATA[airports[i].IATA] = &airports[i]
		if airports[i].ICAO != "" {
			byICAO[airports[i].ICAO] = airports[i].IATA
		}
	}
	// Routes name airports by IATA code, by id, or (rarely) by ICAO code.
	airport := func(code, id string) string {
		if _, ok := byIATA[code]; ok {
			return code
		}
		if c, ok := byID[id]; ok {
			return c
		}
		return byICAO[code]
	}
	// Airlines with a usable IATA code and a name, by code, in file order.
	candidates := map[string][]int{}
	for i, a := range in.airlines {
		if reCarrier.MatchString(a.iata) && clean(a.name) != "" {
			candidates[a.iata] = append(candidates[a.iata], i)
		}
	}
	type key struct{ carrier, from, to string }
	seen := map[key]bool{}
	refs := map[string]int{} // airline id → kept routes naming it
	var routes []sandbox.Route
	skip := func(reason string) { rep.RoutesSkipped[reason]++ }
	for _, r := range in.routes {
		from, to := airport(r.from, r.fromID), airport(r.to, r.toID)
		k := key{r.airline, from, to}
		switch {
		case r.codeshare == "Y":
			skip(SkipCodeshare)
		case r.stops != "0" && r.stops != "":
			skip(SkipStops)
		case !reCarrier.MatchString(r.airline):
			skip(SkipAirlineCode)
		case len(candidates[r.airline]) == 0:
			skip(SkipUnknownAirline)
		case from == "" || to == "":
			skip(SkipUnknownAirport)
		case from == to:
			skip(SkipSelfLoop)
		case seen[k]:
			skip(SkipDuplicateRoute)
		default:
			seen[k] = true
			refs[r.airlineID]++
			a, b := byIATA[from], byIATA[to]
			routes = append(routes, sandbox.Route{Carrier: r.airline, From: from, To: to,
				Aircraft: aircraftFor(r.equipment, distanceKM(a.Lat, a.Lon, b.Lat, b.Lon), rep)})
		}
	}
	rep.RoutesKept = len(routes)
	for _, r := range routes {
		if !seen[key{r.Carrier, r.To, r.From}] {
			rep.OneWay++
		}
	}
	// One airline per used code: the line most kept routes name by id, then
	// an active one, then the first.
	used := map[string]bool{}
	for _, r := range routes {
		used[r.Carrier] = true
	}
	var airlines []catalog.Airline
	for code := range used {
		best := slices.MaxFunc(candidates[code], func(i, j int) int {
			a, b := in.airlines[i], in.airlines[j]
			return cmp.Or(cmp.Compare(refs[a.id], refs[b.id]), cmp.Compare(btoi(a.on == "Y"), btoi(b.on == "Y")), cmp.Compare(j, i))
		})
		a := in.airlines[best]
		icao := a.icao
		if !reAirlineICAO.MatchString(icao) {
			icao = ""
		}
		airlines = append(airlines, catalog.Airline{IATA: code, ICAO: icao, Name: clean(a.name), Country: pl.countryByName[fold(a.country)]})
	}
	slices.SortFunc(airlines, func(a, b catalog.Airline) int { return cmp.Compare(a.IATA, b.IATA) })
	rep.AirlinesKept = len(airlines)
	return routes, airlines
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

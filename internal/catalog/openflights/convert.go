package openflights

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/sandbox"
	"pathavana/internal/catalog/world"
)

// Files are the OpenFlights inputs. Name is used in error messages.
// Countries is optional: leave its Reader nil when there is none.
type Files struct {
	Airports, Airlines, Routes, Countries catalog.Source
}

// Field counts of the .dat files.
const (
	airportFields = 14
	airlineFields = 8
	routeFields   = 9
	countryFields = 3
)

// Report counts what the conversion read, kept and skipped, for the CLI.
type Report struct {
	AirportsRead, AirportsKept int
	AirportsSkipped            map[string]int // by reason
	CodesFromRoutes            int            // airports without IATA code that took the one routes.dat uses
	// How kept airports found their city: the world airport with the same
	// IATA code, a same-named city, the nearest city, or a made-up one.
	CityByIATA, CityByName, CityByDistance int
	CitiesSynthesized                      int // "of-<IATA>" cities made up
	Cities                                 int // in the result: world + made up

	AirlinesRead, AirlinesKept int

	RoutesRead, RoutesKept int
	RoutesSkipped          map[string]int // by reason
	OneWay                 int            // kept routes whose reverse direction is not kept
	// How kept routes got their aircraft: listed in the equipment field, a
	// close type for a listed one, or guessed from the distance.
	AircraftListed, AircraftSimilar, AircraftByDistance int

	Flights    int
	GroundLegs int
}

// Reasons for skipping an airport or a route (Report keys).
const (
	SkipNoIATA         = "no IATA code"
	SkipDuplicateIATA  = "duplicate IATA code"
	SkipNotAirport     = "not an airport (station, port)"
	SkipCoordinates    = "invalid coordinates"
	SkipCountry        = "unknown country"
	SkipZone           = "no time zone"
	SkipCodeshare      = "codeshare"
	SkipStops          = "not nonstop"
	SkipAirlineCode    = "airline code is not IATA"
	SkipUnknownAirline = "unknown airline"
	SkipUnknownAirport = "unknown or skipped airport"
	SkipSelfLoop       = "same airport both ends"
	SkipDuplicateRoute = "duplicate carrier and airport pair"
)

// String lists the counts, skip reasons sorted by name.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "airports: %d read, %d kept (%d with the IATA code routes use for them)\n", r.AirportsRead, r.AirportsKept, r.CodesFromRoutes)
	writeReasons(&b, r.AirportsSkipped)
	fmt.Fprintf(&b, "cities: %d (%d made up); airports placed by IATA %d, by name %d, by distance %d\n",
		r.Cities, r.CitiesSynthesized, r.CityByIATA, r.CityByName, r.CityByDistance)
	fmt.Fprintf(&b, "airlines: %d read, %d kept\n", r.AirlinesRead, r.AirlinesKept)
	fmt.Fprintf(&b, "routes: %d read, %d kept (%d one way)\n", r.RoutesRead, r.RoutesKept, r.OneWay)
	writeReasons(&b, r.RoutesSkipped)
	fmt.Fprintf(&b, "aircraft: %d listed, %d similar type, %d by distance\n", r.AircraftListed, r.AircraftSimilar, r.AircraftByDistance)
	fmt.Fprintf(&b, "flights: %d; ground legs: %d\n", r.Flights, r.GroundLegs)
	return b.String()
}

func writeReasons(b *strings.Builder, m map[string]int) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(b, "  skipped %d: %s\n", m[k], k)
	}
}

// ReadDir converts the files in dir: airports.dat, airlines.dat and
// routes.dat are required, countries.dat is used when present.
func ReadDir(w *world.World, dir string) (*catalog.Data, Report, error) {
	var files Files
	for _, f := range []struct {
		name     string
		src      *catalog.Source
		optional bool
	}{
		{"airports.dat", &files.Airports, false},
		{"airlines.dat", &files.Airlines, false},
		{"routes.dat", &files.Routes, false},
		{"countries.dat", &files.Countries, true},
	} {
		path := filepath.Join(dir, f.name)
		fh, err := os.Open(path)
		if f.optional && errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, Report{}, fmt.Errorf("openflights: %s is required: %w", f.name, err)
		}
		defer fh.Close()
		*f.src = catalog.Source{Name: path, Reader: fh}
	}
	return Convert(w, files)
}

// Convert reads the files and builds the catalog (see the package doc for
// the rules). Structurally broken lines fail the whole conversion with a
// *catalog.ImportError.
func Convert(w *world.World, files Files) (*catalog.Data, Report, error) {
	if w == nil {
		return nil, Report{}, errors.New("openflights: no world data")
	}
	for _, s := range []catalog.Source{files.Airports, files.Airlines, files.Routes} {
		if s.Reader == nil {
			return nil, Report{}, fmt.Errorf("openflights: %q has no reader", s.Name)
		}
	}
	in, ps := readAll(files)
	if len(ps) > 0 {
		return nil, Report{}, &catalog.ImportError{Problems: ps}
	}
	rep := Report{AirportsSkipped: map[string]int{}, RoutesSkipped: map[string]int{},
		AirportsRead: len(in.airports), AirlinesRead: len(in.airlines), RoutesRead: len(in.routes)}

	rep.CodesFromRoutes = adoptRouteCodes(&in)
	pl := newPlaces(w, in.countries)
	airports, ids := pl.resolveAirports(in.airports, &rep)
	routes, airlines := resolveRoutes(in, pl, airports, ids, &rep)

	byIATA := make(map[string]catalog.Airport, len(airports))
	for _, a := range airports {
		byIATA[a.IATA] = a
	}
	d := &catalog.Data{
		Countries: make([]catalog.Country, len(w.Countries)),
		Regions:   make([]catalog.Region, len(w.Regions)),
		Cities:    pl.cities(),
		Airports:  airports,
		Airlines:  airlines,
		Flights:   sandbox.Schedule(routes, byIATA),
	}
	for i, c := range w.Countries {
		d.Countries[i] = catalog.Country{Code: c.Code, Name: c.Name, Currency: c.Currency, PriceLevel: c.PriceLevel, Zones: c.Zones}
	}
	for i, r := range w.Regions {
		d.Regions[i] = catalog.Region{Code: r.Code, Name: r.Name, Country: r.Country}
	}
	d.Ground = groundLegs(w, d.Cities, airports)
	rep.Cities, rep.Flights, rep.GroundLegs = len(d.Cities), len(d.Flights), len(d.Ground)
	return d, rep, nil
}

// groundLegs runs the sandbox ground model over the result's cities. The
// model reads a world (cities, airports' cities, countries' price levels),
// so it gets one made of the result: cities numbered by position.
func groundLegs(w *world.World, cities []catalog.City, airports []catalog.Airport) []catalog.GroundLeg {
	gw := &world.World{Countries: w.Countries, Cities: make([]world.City, len(cities)), Airports: make([]world.Airport, len(airports))}
	pos := make(map[string]int64, len(cities))
	for i, c := range cities {
		pos[c.ID] = int64(i + 1)
		gw.Cities[i] = world.City{ID: int64(i + 1), Name: c.Name, Country: c.Country, Lat: c.Lat, Lon: c.Lon, Population: c.Population, Zone: c.Zone}
	}
	for i, a := range airports {
		gw.Airports[i] = world.Airport{IATA: a.IATA, CityID: pos[a.City]}
	}
	return sandbox.GroundLegs(gw, cities)
}

// Raw lines of the files, fields as read ("" for null).
type (
	rawAirport struct {
		line                                          int
		id, name, city, country, iata, icao, lat, lon string
		tz, kind                                      string
	}
	rawAirline struct {
		line                              int
		id, name, iata, icao, country, on string
	}
	rawRoute struct {
		line                                       int
		airline, airlineID, from, fromID, to, toID string
		codeshare, stops, equipment                string
	}
	input struct {
		airports  []rawAirport
		airlines  []rawAirline
		routes    []rawRoute
		countries map[string]string // folded name → alpha-2
	}
)

// readAll reads every file, collecting structural problems.
func readAll(files Files) (input, problems) {
	var in input
	var ps problems
	in.countries = map[string]string{}
	if files.Countries.Reader != nil {
		readRecords(files.Countries.Name, files.Countries.Reader, countryFields, &ps, func(_ int, f []string) {
			if f[1] != "" {
				in.countries[fold(f[0])] = strings.ToUpper(f[1])
			}
		})
	}
	readRecords(files.Airports.Name, files.Airports.Reader, airportFields, &ps, func(line int, f []string) {
		in.airports = append(in.airports, rawAirport{line: line, id: f[0], name: f[1], city: f[2], country: f[3],
			iata: f[4], icao: f[5], lat: f[6], lon: f[7], tz: f[11], kind: f[12]})
	})
	readRecords(files.Airlines.Name, files.Airlines.Reader, airlineFields, &ps, func(line int, f []string) {
		in.airlines = append(in.airlines, rawAirline{line: line, id: f[0], name: f[1], iata: f[3], icao: f[4], country: f[6], on: f[7]})
	})
	readRecords(files.Routes.Name, files.Routes.Reader, routeFields, &ps, func(line int, f []string) {
		in.routes = append(in.routes, rawRoute{line: line, airline: f[0], airlineID: f[1], from: f[2], fromID: f[3],
			to: f[4], toID: f[5], codeshare: f[6], stops: f[7], equipment: f[8]})
	})
	return in, ps
}

// adoptRouteCodes gives an airport line without an IATA code the code
// routes.dat uses with its id (Yinchuan, id 4085, is "INC" in routes but
// \N in airports.dat), when all those routes agree on one code that no
// other airport line has. It returns how many lines took a code.
func adoptRouteCodes(in *input) int {
	taken := map[string]bool{}
	for _, a := range in.airports {
		taken[a.iata] = true
	}
	codes := map[string]map[string]bool{} // airport id → codes routes use with it
	note := func(id, code string) {
		if id == "" {
			return
		}
		if codes[id] == nil {
			codes[id] = map[string]bool{}
		}
		codes[id][code] = true
	}
	for _, r := range in.routes {
		note(r.fromID, r.from)
		note(r.toID, r.to)
	}
	n := 0
	for i := range in.airports {
		a := &in.airports[i]
		if reIATA.MatchString(a.iata) || len(codes[a.id]) != 1 {
			continue
		}
		for code := range codes[a.id] { // the only one
			if reIATA.MatchString(code) && !taken[code] {
				a.iata, taken[code] = code, true
				n++
			}
		}
	}
	return n
}

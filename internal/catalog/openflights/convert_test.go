package openflights

import (
	"errors"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pathavana/internal/catalog"
)

const fixture = "testdata/small"

func convertFixture(t *testing.T) (*catalog.Data, Report) {
	t.Helper()
	d, rep, err := ReadDir(mustWorld(t), fixture)
	if err != nil {
		t.Fatal(err)
	}
	return d, rep
}

func TestFixtureReport(t *testing.T) {
	_, rep := convertFixture(t)
	want := Report{
		AirportsRead: 17, AirportsKept: 13, CodesFromRoutes: 1, // Beja takes BYJ from routes.dat
		AirportsSkipped: map[string]int{SkipNoIATA: 1, SkipDuplicateIATA: 1, SkipZone: 1, SkipCountry: 1},
		CityByIATA:      8, CityByName: 2, CityByDistance: 1, CitiesSynthesized: 2,
		Cities:       len(mustWorld(t).Cities) + 2,
		AirlinesRead: 7, AirlinesKept: 4,
		RoutesRead: 25, RoutesKept: 17, OneWay: 1,
		RoutesSkipped: map[string]int{SkipDuplicateRoute: 1, SkipStops: 1, SkipCodeshare: 1, SkipAirlineCode: 1,
			SkipUnknownAirline: 1, SkipUnknownAirport: 2, SkipSelfLoop: 1},
		AircraftListed: 7, AircraftSimilar: 8, AircraftByDistance: 2,
	}
	want.Flights, want.GroundLegs = rep.Flights, rep.GroundLegs // checked below
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report\n got %+v\nwant %+v", rep, want)
	}
	if rep.Flights < rep.RoutesKept || rep.GroundLegs == 0 { // every kept direction flies
		t.Errorf("%d flights, %d ground legs", rep.Flights, rep.GroundLegs)
	}
	if s := rep.String(); !strings.Contains(s, "skipped 2: unknown or skipped airport") || !strings.Contains(s, "routes: 25 read, 17 kept (1 one way)") {
		t.Errorf("String():\n%s", s)
	}
}

func TestFixturePlaces(t *testing.T) {
	d, _ := convertFixture(t)
	cities := map[string]catalog.City{}
	for _, c := range d.Cities {
		cities[c.ID] = c
	}
	airports := map[string]catalog.Airport{}
	for _, a := range d.Airports {
		airports[a.IATA] = a
	}
	if got := strings.Join(slices.Sorted(maps.Keys(airports)), " "); got != "BYJ CBP FAO FNC JFK LHR LIS MAD OPO PDL QZD QZV QZW" {
		t.Errorf("airports %s", got)
	}
	for iata, want := range map[string]string{
		"LIS": "2267057", // the world airport's city
		"FAO": "2268339",
		"CBP": "2740637", // Coimbra by name
		"QZD": "2740637", // Lousã: nearest city (Coimbra, 17 km)
		"BYJ": "of-BYJ",  // made up: no city near Beja
		"QZV": "of-QZV",
		"QZW": "of-QZV", // "Evora" folds to the made-up "Évora"
	} {
		if got := airports[iata].City; got != want {
			t.Errorf("%s city %q, want %q", iata, got, want)
		}
	}
	if c := cities["of-QZV"]; c.Name != "Évora" || c.Country != "PT" || c.Population != 0 || c.Zone != "Europe/Lisbon" || c.Lat != 38.5333 {
		t.Errorf("of-QZV %+v", c)
	}
	if a := airports["FAO"]; a.Zone != "Europe/Lisbon" { // \N in the file: the city's zone
		t.Errorf("FAO zone %q", a.Zone)
	}
	if a := airports["QZV"]; a.Name != `Herdade "Évora" Airfield` || a.ICAO != "LPEV" {
		t.Errorf("QZV %+v", a)
	}
	if a := airports["LIS"]; a.ICAO != "LPPT" { // the first LIS line wins
		t.Errorf("LIS %+v", a)
	}
	var airlines []string
	for _, a := range d.Airlines {
		airlines = append(airlines, a.IATA+":"+a.Name+":"+a.Country)
	}
	if got := strings.Join(airlines, " "); got != "BA:British Airways:GB FR:Ryanair:IE S4:SATA International:PT TP:TAP Portugal:PT" {
		t.Errorf("airlines %s", got)
	}
}

// standardOffset is the model's zone offset: the smaller of mid-January
// and mid-July 2025, in minutes.
func standardOffset(t *testing.T, zone string) int {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	_, jan := time.Date(2025, 1, 15, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(2025, 7, 15, 12, 0, 0, 0, loc).Zone()
	return min(jan, jul) / 60
}

func TestFixtureFlights(t *testing.T) {
	d, _ := convertFixture(t)
	airports := map[string]catalog.Airport{}
	for _, a := range d.Airports {
		airports[a.IATA] = a
	}
	legs := map[string]string{} // "LIS>OPO" → carriers and aircraft
	for _, f := range d.Flights {
		from, to := airports[f.From], airports[f.To]
		if from.IATA == "" || to.IATA == "" {
			t.Fatalf("%s: unknown airport", f.Number)
		}
		// Published times follow the block time and the zones' standard offsets.
		speed := 800.0
		if f.Aircraft == "AT7" || f.Aircraft == "DH4" {
			speed = 500
		}
		block := int(math.Ceil((30+distanceKM(from.Lat, from.Lon, to.Lat, to.Lon)/speed*60)/5)) * 5
		zoneDiff := standardOffset(t, to.Zone) - standardOffset(t, from.Zone)
		if got := int(f.Arrives) + 1440*f.ArrivalDay - int(f.Departs) - zoneDiff; got != block {
			t.Errorf("%s %s>%s %s–%s%+d: %d min, want block %d", f.Number, f.From, f.To, f.Departs, f.Arrives, f.ArrivalDay, got, block)
		}
		key := f.From + ">" + f.To
		if s := f.Carrier + "/" + f.Aircraft; !strings.Contains(legs[key], s) {
			legs[key] = strings.TrimSpace(legs[key] + " " + s)
		}
	}
	want := map[string]string{
		"LIS>OPO": "TP/320", "OPO>LIS": "TP/320", // 319 flies as a 320
		"LIS>JFK": "TP/339", "JFK>LIS": "TP/339",
		"LIS>FNC": "TP/32N", "FNC>LIS": "TP/32N",
		"LHR>LIS": "BA/320", "LIS>LHR": "BA/320",
		"OPO>MAD": "FR/738",                      // MAD>OPO is not listed: not flown
		"OPO>FAO": "FR/738", "FAO>OPO": "FR/738", // airports by ICAO code and id
		"PDL>LIS": "S4/320", "LIS>PDL": "S4/320", // by distance (1,450 km)
		"LIS>BYJ": "TP/AT7", "BYJ>LIS": "TP/AT7",
		"OPO>QZV": "TP/DH4", "QZV>OPO": "TP/CR9",
	}
	if !reflect.DeepEqual(legs, want) {
		t.Errorf("legs\n got %v\nwant %v", legs, want)
	}
	// The zone check above is not vacuous: New York is 5 hours behind
	// Lisbon, the Azores 1 hour.
	if a, b := standardOffset(t, "America/New_York")-standardOffset(t, "Europe/Lisbon"), standardOffset(t, "Atlantic/Azores"); a != -300 || b != -60 {
		t.Errorf("offsets %d %d", a, b)
	}
}

func TestFixtureRoundTrip(t *testing.T) {
	d, _ := convertFixture(t)
	first := roundTrip(t, d)
	d2, _ := convertFixture(t)
	if second := roundTrip(t, d2); string(first) != string(second) {
		t.Error("two conversions of the fixture differ")
	}
	if !strings.HasPrefix(string(first), `{"type":"country","code":`) {
		t.Errorf("first line %.60s", first)
	}
}

// Broken lines fail the whole conversion, each reported with its place.
func TestBrokenLines(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(fixture, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	airports := read("airports.dat") + `18,"Broken "quote",x` + "\n" + `19,"Short","Line"` + "\n"
	routes := read("routes.dat") + "TP,1,LIS,1,OPO\n"
	files := Files{
		Airports: catalog.Source{Name: "airports.dat", Reader: strings.NewReader(airports)},
		Airlines: catalog.Source{Name: "airlines.dat", Reader: strings.NewReader(read("airlines.dat") + "\xff\xfe\n")},
		Routes:   catalog.Source{Name: "routes.dat", Reader: strings.NewReader(routes)},
	}
	d, _, err := Convert(mustWorld(t), files)
	var ie *catalog.ImportError
	if !errors.As(err, &ie) || d != nil {
		t.Fatalf("want an ImportError and no data, got %v", err)
	}
	var got []string
	for _, p := range ie.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		"airports.dat:18: field 2: text after the closing quote",
		"airports.dat:19: 3 fields, want 14",
		"airlines.dat:8: not UTF-8 text",
		"routes.dat:26: 5 fields, want 9",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems\n got %q\nwant %q", got, want)
	}
}

func TestReadDirMissingFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"airports.dat", "airlines.dat"} {
		b, _ := os.ReadFile(filepath.Join(fixture, name))
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	_, _, err := ReadDir(mustWorld(t), dir)
	if err == nil || !strings.Contains(err.Error(), "routes.dat is required") {
		t.Fatalf("err = %v", err)
	}
	// countries.dat is optional: the world's country names do.
	b, _ := os.ReadFile(filepath.Join(fixture, "routes.dat"))
	os.WriteFile(filepath.Join(dir, "routes.dat"), b, 0o644)
	_, rep, err := ReadDir(mustWorld(t), dir)
	if err != nil || rep.AirportsKept != 13 || rep.RoutesKept != 17 {
		t.Fatalf("without countries.dat: %v, %d airports, %d routes", err, rep.AirportsKept, rep.RoutesKept)
	}
}

func TestSplitRecord(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{`1,"a, b","say ""hi""",\N,"\N",`, `1|a, b|say "hi"||\N|`, ""},
		{``, ``, ""},
		{`"",x`, `|x`, ""},
		{`"open`, ``, "field 1: unterminated quoted field"},
		{`a,b"c`, ``, "field 2: quote inside an unquoted field"},
		{`"a"b`, ``, "field 1: text after the closing quote"},
	} {
		got, err := splitRecord(nil, c.in)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: err %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != c.want {
			t.Errorf("%q: %q %v, want %q", c.in, got, err, c.want)
		}
	}
}

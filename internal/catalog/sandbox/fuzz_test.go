package sandbox

import (
	"math"
	"testing"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// FuzzLocalFor feeds arbitrary cities (an operator's catalog can hold
// anything the parser accepts) and checks that generation never panics,
// stays deterministic and produces entries the catalog accepts.
func FuzzLocalFor(f *testing.F) {
	f.Add("2267057", "Lisbon", "PT", 38.7, -9.1, 517802, 0.62)
	f.Add("-12", "", "", 0.0, 0.0, 0, 0.0)
	f.Add("x", "Ünïcödé 城市", "ZZ", -90.0, 180.0, math.MaxInt32, math.NaN())
	f.Fuzz(func(t *testing.T, id, name, country string, lat, lon float64, pop int, level float64) {
		if math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 || pop < 0 {
			return // the catalog parser rejects such cities before anyone asks for their places
		}
		city := catalog.City{ID: id, Name: name, Country: country, Lat: lat, Lon: lon, Population: pop}
		l := LocalFor(city, catalog.Country{Code: country, PriceLevel: level})
		again := LocalFor(city, catalog.Country{Code: country, PriceLevel: level})
		if len(l.Stays) != len(again.Stays) || len(l.Stays) < 3 || len(l.Stays) > 60 ||
			len(l.Restaurants) < 4 || len(l.Restaurants) > 60 || len(l.Attractions) < 2 || len(l.Attractions) > 30 {
			t.Fatalf("counts %d/%d/%d", len(l.Stays), len(l.Restaurants), len(l.Attractions))
		}
		for i, s := range l.Stays {
			if s != again.Stays[i] {
				t.Fatalf("stay %d differs between calls", i)
			}
			if s.PricePerNight.Minor <= 0 || s.MaxOccupancy < 1 || s.MinNights < 1 || s.Rating < 3 || s.Rating > 5 ||
				s.Lat < -90 || s.Lat > 90 || s.Lon < -180 || s.Lon > 180 {
				t.Fatalf("bad stay %+v", s)
			}
		}
		for _, r := range l.Restaurants {
			if r.AvgCost.Minor <= 0 || len(r.Cuisines) == 0 || r.Name == "" {
				t.Fatalf("bad restaurant %+v", r)
			}
		}
		for _, a := range l.Attractions {
			if a.Price.Minor < 0 || a.Minutes <= 0 || a.Category == "" {
				t.Fatalf("bad attraction %+v", a)
			}
		}
	})
}

// FuzzFare checks Fare on arbitrary dates and fares: no panic, ok only for
// sold cabins and dates not in the past, whole currency units, and the
// price within the extreme factors of the model.
func FuzzFare(f *testing.F) {
	f.Add(int64(47000), int64(0), int64(30), 1)
	f.Add(int64(1), int64(-5000), int64(0), 3)
	f.Add(int64(math.MaxInt32), int64(100000), int64(-1), 0)
	f.Fuzz(func(t *testing.T, minor, dayOffset, lead int64, cabin int) {
		if minor <= 0 || minor > 1e12 || dayOffset < -200000 || dayOffset > 200000 || lead < -1000 || lead > 5000 {
			return
		}
		c := catalog.Cabins[((cabin%4)+4)%4]
		fl := &catalog.Flight{Fares: map[catalog.Cabin]money.Money{catalog.Economy: {Minor: minor, Currency: "USD"}}}
		day := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(dayOffset))
		today := day.AddDate(0, 0, -int(lead))
		p, ok := Fare(fl, c, day, today)
		if ok != (c == catalog.Economy && lead >= 0) {
			t.Fatalf("cabin %s lead %d: ok %v", c, lead, ok)
		}
		if !ok {
			return
		}
		if p.Minor%100 != 0 || p.Currency != "USD" {
			t.Fatalf("price %v not in whole dollars", p)
		}
		low, high := float64(minor)/100*0.88*0.90*0.92-1, float64(minor)/100*1.35*1.12*1.60+1
		if units := float64(p.Minor / 100); units < math.Floor(low) || units > math.Ceil(high) {
			t.Fatalf("price %v outside [%.0f, %.0f] for base %d cents", p, low, high, minor)
		}
	})
}

// FuzzSchedule checks that arbitrary routes never make Schedule panic or
// publish an inconsistent flight.
func FuzzSchedule(f *testing.F) {
	f.Add("TP", "LIS", "JFK", "789", 38.78, -9.13, "Europe/Lisbon", 40.64, -73.78, "America/New_York")
	f.Add("ZZ", "AAA", "BBB", "AT7", 0.0, 0.0, "UTC", 0.0, 0.0001, "Pacific/Kiritimati")
	f.Add("ZZ", "AAA", "BBB", "320", math.NaN(), 0.0, "UTC", 1e300, math.Inf(1), "Local")
	f.Fuzz(func(t *testing.T, carrier, from, to, craft string, lat1, lon1 float64, zone1 string, lat2, lon2 float64, zone2 string) {
		airports := map[string]catalog.Airport{
			from: {IATA: from, Lat: lat1, Lon: lon1, Zone: zone1},
			to:   {IATA: to, Lat: lat2, Lon: lon2, Zone: zone2},
		}
		for _, fl := range Schedule(bothWays(carrier, from, to, craft), airports) {
			if fl.ArrivalDay < -1 || fl.ArrivalDay > 2 || fl.Departs < 0 || fl.Departs >= 1440 || fl.Arrives < 0 || fl.Arrives >= 1440 ||
				fl.Days == 0 || len(fl.Fares) == 0 || len(fl.Fares) != len(fl.Seats) {
				t.Fatalf("inconsistent flight %+v", fl)
			}
		}
	})
}

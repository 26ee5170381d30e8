package sandbox

import (
	"testing"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

func TestBaseFaresRiseWithCabinAndDistance(t *testing.T) {
	prev := map[catalog.Cabin]int64{}
	for d := 50.0; d <= maxNonstopKM; d += 50 {
		var cheaper int64
		for _, c := range catalog.Cabins {
			f := baseFareUSD(d, c)
			if f <= cheaper {
				t.Fatalf("%.0f km: %s $%d not above the cheaper cabin ($%d)", d, c, f, cheaper)
			}
			if f <= prev[c] {
				t.Fatalf("%s: $%d at %.0f km, not above $%d 50 km shorter", c, f, d, prev[c])
			}
			cheaper, prev[c] = f, f
		}
	}
	// Documented examples: 500 km economy 25 + 0.45×500^0.8 = $90; 5,400 km $461.
	for _, c := range []struct {
		km   float64
		want int64
	}{{500, 90}, {5400, 461}} {
		if got := baseFareUSD(c.km, catalog.Economy); got != c.want {
			t.Errorf("economy %.0f km: $%d, want $%d", c.km, got, c.want)
		}
	}
}

func TestFaresOnBuiltFlightsRiseWithDistance(t *testing.T) {
	d := mustBuild(t)
	airports := airportMap(d)
	// Mean economy fare per 1,000 km distance band must rise band by band.
	sum, count := map[int]float64{}, map[int]int{}
	for _, f := range d.Flights {
		a, b := airports[f.From], airports[f.To]
		band := int(distanceKM(a.Lat, a.Lon, b.Lat, b.Lon) / 1000)
		sum[band] += float64(f.Fares[catalog.Economy].Minor)
		count[band]++
	}
	prev := 0.0
	for band := 0; band <= 15; band++ {
		if count[band] == 0 {
			continue
		}
		mean := sum[band] / float64(count[band])
		if mean <= prev {
			t.Errorf("%d–%d km: mean economy %.0f cents, not above the shorter band's %.0f", band*1000, band*1000+999, mean, prev)
		}
		prev = mean
	}
}

func testFlight() *catalog.Flight {
	return &catalog.Flight{Carrier: "ZZ", Number: "ZZ1", From: "LIS", To: "JFK", Days: catalog.Daily,
		Fares: map[catalog.Cabin]money.Money{catalog.Economy: usd(470), catalog.Business: usd(1814)}}
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func fareOf(t *testing.T, f *catalog.Flight, c catalog.Cabin, day, today string) int64 {
	t.Helper()
	p, ok := Fare(f, c, date(day), date(today))
	if !ok {
		t.Fatalf("no %s fare for %s bought %s", c, day, today)
	}
	if p.Currency != "USD" || p.Minor%100 != 0 {
		t.Fatalf("fare %v is not whole US dollars", p)
	}
	return p.Minor / 100
}

func TestFareWorkedExample(t *testing.T) {
	// docs/sandbox-model.md: $470 × July 1.25 × Friday 1.12 × 45 days out 0.92 = 605.36 → $605.
	if got := fareOf(t, testFlight(), catalog.Economy, "2027-07-16", "2027-06-01"); got != 605 {
		t.Errorf("worked example: $%d, want $605", got)
	}
}

func TestFareWeekdays(t *testing.T) {
	f := testFlight()
	// 2027-03-08 is a Monday; buy each day 40 days ahead (same lead, same month).
	price := map[time.Weekday]int64{}
	for i := 0; i < 7; i++ {
		day := date("2027-03-08").AddDate(0, 0, i)
		today := day.AddDate(0, 0, -40)
		p, _ := Fare(f, catalog.Economy, day, today)
		price[day.Weekday()] = p.Minor
	}
	if !(price[time.Friday] > price[time.Monday] && price[time.Sunday] > price[time.Monday] &&
		price[time.Tuesday] < price[time.Monday] && price[time.Wednesday] < price[time.Monday] &&
		price[time.Friday] == maxOf(price) && price[time.Tuesday] == minOf(price)) {
		t.Errorf("weekday prices %v: want Friday dearest, Sunday above Monday, Tuesday cheapest, Wednesday cheap", price)
	}
}

func maxOf(m map[time.Weekday]int64) int64 {
	best := int64(0)
	for _, v := range m {
		best = max(best, v)
	}
	return best
}

func minOf(m map[time.Weekday]int64) int64 {
	best := int64(1 << 62)
	for _, v := range m {
		best = min(best, v)
	}
	return best
}

func TestFareSeasons(t *testing.T) {
	f := testFlight()
	// Same weekday (Wednesday) and lead (40 days) in every case.
	cases := []struct{ dearer, cheaper string }{
		{"2027-07-14", "2027-02-10"}, // summer over February
		{"2027-12-22", "2027-12-08"}, // Christmas peak over early December
		{"2027-03-24", "2027-03-10"}, // Holy Week (Easter 2027-03-28) over early March
		{"2027-08-11", "2027-11-10"}, // August over November
	}
	for _, c := range cases {
		hi := fareOf(t, f, catalog.Economy, c.dearer, date(c.dearer).AddDate(0, 0, -40).Format(time.DateOnly))
		lo := fareOf(t, f, catalog.Economy, c.cheaper, date(c.cheaper).AddDate(0, 0, -40).Format(time.DateOnly))
		if hi <= lo {
			t.Errorf("%s $%d should be dearer than %s $%d", c.dearer, hi, c.cheaper, lo)
		}
	}
	if e := easterSunday(2027); e.Format(time.DateOnly) != "2027-03-28" {
		t.Errorf("Easter 2027 computed as %s", e.Format(time.DateOnly))
	}
	if e := easterSunday(2025); e.Format(time.DateOnly) != "2025-04-20" {
		t.Errorf("Easter 2025 computed as %s", e.Format(time.DateOnly))
	}
}

func TestFareLeadTime(t *testing.T) {
	f := testFlight()
	day := date("2027-10-13") // a Wednesday in October
	at := func(lead int) int64 {
		p, ok := Fare(f, catalog.Economy, day, day.AddDate(0, 0, -lead))
		if !ok {
			t.Fatalf("lead %d: not on sale", lead)
		}
		return p.Minor
	}
	if !(at(0) > at(7) && at(7) > at(14) && at(14) > at(21)) {
		t.Errorf("last-minute should be dearest and fall towards 3 weeks: %d %d %d %d", at(0), at(7), at(14), at(21))
	}
	sweet := at(30)
	for _, lead := range []int{21, 40, 56} {
		if at(lead) != sweet {
			t.Errorf("lead %d: %d, want the sweet-spot price %d", lead, at(lead), sweet)
		}
	}
	if !(at(120) > sweet && at(240) > at(120) && at(330) > at(240) && at(400) == at(330)) {
		t.Errorf("far-future should be dearer than the sweet spot: %d %d %d %d", at(120), at(240), at(330), at(400))
	}
}

func TestFareNotSold(t *testing.T) {
	f := testFlight()
	if _, ok := Fare(f, catalog.First, date("2027-05-05"), date("2027-04-01")); ok {
		t.Error("first class is not sold on this flight")
	}
	if _, ok := Fare(f, catalog.Economy, date("2027-05-05"), date("2027-05-06")); ok {
		t.Error("a departure in the past is not on sale")
	}
	if _, ok := Fare(nil, catalog.Economy, date("2027-05-05"), date("2027-05-01")); ok {
		t.Error("nil flight has a fare")
	}
	// Dates count, not instants: late tonight and early today are 0 days apart.
	lisbon, _ := time.LoadLocation("Europe/Lisbon")
	day := time.Date(2027, 5, 5, 23, 30, 0, 0, lisbon)
	today := time.Date(2027, 5, 5, 0, 15, 0, 0, lisbon)
	if _, ok := Fare(f, catalog.Economy, day, today); !ok {
		t.Error("same-day purchase refused")
	}
}

func TestFareCabinsKeepTheirOrder(t *testing.T) {
	d := mustBuild(t)
	for i := 0; i < len(d.Flights); i += 97 {
		f := &d.Flights[i]
		prev := int64(0)
		for _, c := range catalog.Cabins {
			if p, ok := Fare(f, c, date("2027-06-18"), date("2027-05-02")); ok {
				if p.Minor <= prev {
					t.Fatalf("%s: %s %v not above the cheaper cabin", f.Number, c, p)
				}
				prev = p.Minor
			}
		}
	}
}

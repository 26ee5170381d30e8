package flights

import (
	"testing"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

func TestAirlineFilters(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("TP1", "LIS", "FRA", "07:00", "10:45", 0, 30000),
		fl("LH2", "LIS", "FRA", "12:00", "16:00", 0, 20000),
		fl("IB3", "LIS", "MAD", "06:00", "08:10", 0, 5000),
		fl("IB4", "MAD", "FRA", "09:30", "12:00", 0, 12000),
		fl("TP5", "LIS", "MAD", "05:00", "07:10", 0, 4000),
	)
	for _, tc := range []struct {
		name          string
		allow, reject []string
		want          []string
	}{
		{"any", nil, nil, []string{"TP5+IB4", "IB3+IB4", "LH2", "TP1"}},
		{"only IB", []string{"IB"}, nil, []string{"IB3+IB4"}},
		{"only TP or LH", []string{"tp", "LH"}, nil, []string{"LH2", "TP1"}},
		{"not TP", nil, []string{"TP"}, []string{"IB3+IB4", "LH2"}},
		{"IB but not IB", []string{"IB"}, []string{"IB"}, nil},
	} {
		q := oneWay("LIS", "FRA", "2027-03-10")
		q.Sort, q.Airlines, q.ExcludeAirlines = SortPrice, tc.allow, tc.reject
		wantNumbers(t, search(t, ix, q), tc.want...)
	}
}

func TestDepartureWindow(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("TP1", "LIS", "OPO", "06:00", "06:55", 0, 100),
		fl("TP2", "LIS", "OPO", "12:00", "12:55", 0, 100),
		fl("TP3", "LIS", "OPO", "18:00", "18:55", 0, 100),
	)
	for _, tc := range []struct {
		after, before string
		want          []string
	}{
		{"00:00", "00:00", []string{"TP1", "TP2", "TP3"}},
		{"10:00", "13:00", []string{"TP2"}},
		{"12:00", "12:00", []string{"TP2"}}, // inclusive both ends
		{"12:01", "00:00", []string{"TP3"}}, // no upper bound
		{"00:00", "06:00", []string{"TP1"}},
		{"00:00", "05:59", nil},
	} {
		q := oneWay("LIS", "OPO", "2027-03-10")
		q.Sort, q.DepartAfter, q.DepartBefore = SortDeparture, clock(tc.after), clock(tc.before)
		wantNumbers(t, search(t, ix, q), tc.want...)
	}
}

func TestNoRedEye(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("AA1", "LAX", "JFK", "23:00", "07:20", 1, 20000), // overnight
		fl("AA2", "LAX", "JFK", "00:30", "08:50", 0, 21000), // leaves after midnight: still the night
		fl("AA3", "LAX", "JFK", "08:00", "16:30", 0, 30000),
		fl("AA4", "LAX", "SFO", "22:30", "23:50", 0, 9000), // late but lands before midnight
		fl("AA5", "SFO", "JFK", "06:00", "14:30", 0, 9000),
	)
	q := oneWay("LAX", "JFK", "2027-03-10")
	q.Sort = SortPrice
	wantNumbers(t, search(t, ix, q), "AA4+AA5", "AA1", "AA2", "AA3")
	q.NoRedEye = true
	wantNumbers(t, search(t, ix, q), "AA4+AA5", "AA3")
}

func TestMaxDuration(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("BA1", "LHR", "JFK", "10:00", "13:00", 0, 60000), // 8 h
		fl("IB2", "LHR", "MAD", "07:00", "10:20", 0, 10000),
		fl("IB3", "MAD", "JFK", "11:30", "13:30", 0, 20000), // 11 h 30 in all
	)
	q := oneWay("LHR", "JFK", "2027-03-10")
	q.Sort = SortPrice
	wantNumbers(t, search(t, ix, q), "IB2+IB3", "BA1")
	q.MaxDuration = 11*time.Hour + 29*time.Minute
	wantNumbers(t, search(t, ix, q), "BA1")
	q.MaxDuration = 11*time.Hour + 30*time.Minute // inclusive
	wantNumbers(t, search(t, ix, q), "IB2+IB3", "BA1")
}

func TestSorts(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("TP1", "LIS", "FRA", "07:00", "10:45", 0, 30000), // 2h45
		fl("LH2", "LIS", "FRA", "12:00", "16:00", 0, 20000), // 3h
		fl("IB3", "LIS", "MAD", "06:00", "08:10", 0, 7000),  // 5h in all, 170.00
		fl("IB4", "MAD", "FRA", "09:30", "12:00", 0, 10000),
		fl("TP5", "LIS", "FRA", "09:00", "12:45", 0, 25000), // 2h45
	)
	for _, tc := range []struct {
		sort string
		want []string
	}{
		{SortPrice, []string{"IB3+IB4", "LH2", "TP5", "TP1"}},
		{SortDuration, []string{"TP5", "TP1", "LH2", "IB3+IB4"}}, // TP5 and TP1 tie: cheaper first
		{SortDeparture, []string{"IB3+IB4", "TP1", "TP5", "LH2"}},
		// best = price × (1 + duration / nonstop estimate ≈ 171 min)
		{SortBest, []string{"LH2", "IB3+IB4", "TP5", "TP1"}},
		{"", []string{"LH2", "IB3+IB4", "TP5", "TP1"}},
	} {
		q := oneWay("LIS", "FRA", "2027-03-10")
		q.Sort = tc.sort
		wantNumbers(t, search(t, ix, q), tc.want...)
		q.Limit = 2
		wantNumbers(t, search(t, ix, q), tc.want[:2]...)
	}
}

func TestPassengerPricingAndSeats(t *testing.T) {
	f := fl("TP1", "LIS", "OPO", "07:00", "07:55", 0, 6000)
	f.Seats = map[catalog.Cabin]int{catalog.Economy: 3}
	g := fl("TP2", "OPO", "FAO", "09:00", "10:00", 0, 4100)
	biz := fl("TP3", "LIS", "OPO", "08:00", "08:55", 0, 0)
	biz.Fares = map[catalog.Cabin]money.Money{catalog.Business: {Minor: 50000, Currency: "USD"}}
	biz.Seats = map[catalog.Cabin]int{catalog.Business: 0}
	ix := testIndex(t, Options{}, f, g, biz)

	q := oneWay("LIS", "FAO", "2027-03-10")
	q.Passengers = Passengers{Adults: 2, Children: 1, Infants: 1}
	its := search(t, ix, q)
	wantNumbers(t, its, "TP1+TP2")
	// 101.00 per adult: 2 × 101.00 + 75.75 + 10.10
	if it := its[0]; it.PerAdult != (money.Money{Minor: 10100, Currency: "USD"}) || it.Price != (money.Money{Minor: 28785, Currency: "USD"}) {
		t.Fatalf("per adult %v, total %v; want 101.00 and 287.85", it.PerAdult, it.Price)
	}
	if its[0].Cabin != catalog.Economy {
		t.Errorf("cabin = %q, want economy by default", its[0].Cabin)
	}
	// Three seats left: four seated travellers do not fit; lap infants need no seat.
	q.Passengers = Passengers{Adults: 3, Children: 1}
	wantNumbers(t, search(t, ix, q))
	q.Passengers = Passengers{Adults: 3, Infants: 3}
	wantNumbers(t, search(t, ix, q), "TP1+TP2")
	// Child and infant rounding is half up per traveller: 0.75 × 0.05 = 0.0375 → 0.04.
	if got, _ := partyPrice(money.Money{Minor: 5, Currency: "USD"}, Passengers{Adults: 1, Children: 1, Infants: 1}); got.Minor != 5+4+1 {
		t.Errorf("party price of 0.05 = %v, want 0.10", got)
	}

	// Business is on sale on TP3 but has no seats; economy is not sold on it.
	q = oneWay("LIS", "OPO", "2027-03-10")
	q.Cabin = catalog.Business
	wantNumbers(t, search(t, ix, q))
	q.Cabin = catalog.Economy
	wantNumbers(t, search(t, ix, q), "TP1")
}

func TestDaysOfOperationAndValidity(t *testing.T) {
	f := fl("TP1", "LIS", "OPO", "07:00", "07:55", 0, 6000)
	f.Days = 1<<1 | 1<<3 | 1<<5 // Monday, Wednesday, Friday
	f.ValidFrom, f.ValidTo = date("2027-03-01"), date("2027-03-31")
	ix := testIndex(t, Options{}, f)
	for _, tc := range []struct {
		day  string
		flex int
		want []string
	}{
		{"2027-03-01", 0, []string{"TP1"}}, // Monday, first valid day
		{"2027-03-02", 0, nil},             // Tuesday
		{"2027-03-31", 0, []string{"TP1"}}, // Wednesday, last valid day
		{"2027-02-26", 0, nil},             // Friday before the season
		{"2027-04-02", 0, nil},             // Friday after it
		{"2027-03-02", 1, []string{"TP1", "TP1"}},
		{"2027-02-27", 2, []string{"TP1"}}, // Feb 25 (Thu) – Mar 1 (Mon)
	} {
		q := oneWay("LIS", "OPO", tc.day)
		q.Slices[0].DateFlex, q.Sort = tc.flex, SortDeparture
		its := search(t, ix, q)
		wantNumbers(t, its, tc.want...)
		for _, it := range its {
			d := it.Legs[0].Segments[0].Departs
			if !f.Days.Has(d.Weekday()) || d.Before(f.ValidFrom.Time) {
				t.Errorf("%s ±%d: flies on %s", tc.day, tc.flex, d.Format("Mon 2006-01-02"))
			}
		}
	}
}

func TestNoDepartedFlights(t *testing.T) {
	now := time.Date(2027, 3, 10, 9, 0, 0, 0, time.UTC) // 09:00 in Lisbon
	ix := testIndex(t, Options{Now: func() time.Time { return now }},
		fl("TP1", "LIS", "OPO", "07:00", "07:55", 0, 100),
		fl("TP2", "LIS", "OPO", "12:00", "12:55", 0, 100))
	wantNumbers(t, search(t, ix, oneWay("LIS", "OPO", "2027-03-10")), "TP2")
}

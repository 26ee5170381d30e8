package flights

import (
	"testing"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

func TestRoundTrip(t *testing.T) {
	eur := fl("LH9", "FRA", "LIS", "20:00", "22:00", 0, 100)
	eur.Fares = map[catalog.Cabin]money.Money{catalog.Economy: {Minor: 100, Currency: "EUR"}}
	ix := testIndex(t, Options{},
		fl("TP1", "LIS", "FRA", "07:00", "10:45", 0, 30000),
		fl("LH2", "LIS", "FRA", "12:00", "16:00", 0, 20000),
		fl("TP3", "FRA", "LIS", "08:00", "10:00", 0, 15000),
		fl("LH4", "FRA", "LIS", "14:00", "16:00", 0, 25000),
		eur, // cheapest return, but no fare in one currency with the outbound
	)
	trip := func(out, back string) Query {
		return Query{Sort: SortPrice, Passengers: Passengers{Adults: 2}, Slices: []Slice{
			{From: []string{"LIS"}, To: []string{"FRA"}, Date: date(out)},
			{From: []string{"FRA"}, To: []string{"LIS"}, Date: date(back)},
		}}
	}
	its := search(t, ix, trip("2027-03-10", "2027-03-17"))
	wantNumbers(t, its, "LH2 | TP3", "TP1 | TP3", "LH2 | LH4", "TP1 | LH4") // the 450.00 tie goes to the shorter trip
	if it := its[0]; len(it.Legs) != 2 || it.PerAdult.Minor != 35000 || it.Price.Minor != 70000 {
		t.Fatalf("first itinerary: %d legs, %v per adult, %v total", len(it.Legs), it.PerAdult, it.Price)
	}
	if d := its[0].Legs[1].Segments[0].Departs.Format(time.DateOnly); d != "2027-03-17" {
		t.Errorf("return departs %s, want 2027-03-17", d)
	}
	// Same-day return: only flights leaving 2 h after the outbound lands.
	wantNumbers(t, search(t, ix, trip("2027-03-10", "2027-03-10")), "TP1 | LH4")
	// The return date may not come before the outbound.
	_, err := ix.Search(t.Context(), trip("2027-03-10", "2027-03-09"))
	wantInvalid(t, err, "slices[1].date")
}

func TestMultiCity(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("TP1", "LIS", "FRA", "07:00", "10:45", 0, 30000),
		fl("LH2", "FRA", "MUC", "09:00", "10:00", 0, 9000),
		fl("LH3", "FRA", "MUC", "18:00", "19:00", 0, 8000),
		fl("LH4", "MUC", "LIS", "12:00", "14:30", 0, 25000),
		fl("TP5", "MUC", "OPO", "11:00", "13:30", 0, 22000),
	)
	q := Query{Sort: SortPrice, Slices: []Slice{
		{From: []string{"LIS"}, To: []string{"FRA"}, Date: date("2027-03-10")},
		{From: []string{"FRA"}, To: []string{"MUC"}, Date: date("2027-03-12")},
		{From: []string{"MUC"}, To: []string{"LIS", "OPO"}, Date: date("2027-03-15")},
	}}
	its := search(t, ix, q)
	wantNumbers(t, its, "TP1 | LH3 | TP5", "TP1 | LH2 | TP5", "TP1 | LH3 | LH4", "TP1 | LH2 | LH4")
	if its[0].PerAdult.Minor != 30000+8000+22000 {
		t.Errorf("per adult = %v", its[0].PerAdult)
	}
	for _, it := range its {
		for i := 1; i < len(it.Legs); i++ {
			prev := it.Legs[i-1].Segments[len(it.Legs[i-1].Segments)-1].Arrives
			if !it.Legs[i].Segments[0].Departs.After(prev) {
				t.Errorf("%v: leg %d departs before leg %d arrives", numbers([]Itinerary{it}), i, i-1)
			}
		}
	}
	q.Sort = SortDeparture
	wantNumbers(t, search(t, ix, q), "TP1 | LH2 | TP5", "TP1 | LH2 | LH4", "TP1 | LH3 | TP5", "TP1 | LH3 | LH4")
}

func TestCalendar(t *testing.T) {
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	weekend := fl("TP2", "LIS", "OPO", "09:00", "09:55", 0, 3000)
	weekend.Days = 1<<6 | 1<<7
	ix := testIndex(t, Options{
		Now: func() time.Time { return now },
		// Fares rise by 1.00 a day through the month, so each day's cheapest is distinct.
		Pricer: func(f *catalog.Flight, c catalog.Cabin, day, today time.Time) (money.Money, bool) {
			m, ok := f.Fares[c]
			m.Minor += int64(day.Day()) * 100
			return m, ok && !today.After(day)
		},
	},
		fl("TP1", "LIS", "OPO", "13:00", "13:55", 0, 5000),
		weekend,
		fl("TP3", "LIS", "FAO", "08:00", "08:45", 0, 500),
		fl("TP4", "FAO", "OPO", "10:00", "11:00", 0, 500),
	)
	days, err := ix.Calendar(t.Context(), CalendarQuery{From: []string{"LIS"}, To: []string{"OPO"},
		Month: date("2027-03-20"), MaxStops: 1, Passengers: Passengers{Adults: 1, Children: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 31 {
		t.Fatalf("%d days, want 31", len(days))
	}
	for i, d := range days {
		dom := i + 1
		if d.Date.Day() != dom || d.Date.Month() != time.March {
			t.Fatalf("day %d is %s", i, d.Date)
		}
		if dom < 10 {
			if d.Found {
				t.Errorf("%s is past but found", d.Date)
			}
			continue
		}
		// Options: the 13:00 nonstop (50.00 + day), the weekend 09:00
		// nonstop (30.00 + day) and the 1-stop via FAO (2 × (5.00 + day)),
		// whose 08:00 departure has already left on March 10 (now is 12:00
		// in Lisbon). On a tie the shorter nonstop wins.
		wd := d.Date.Weekday()
		options := []struct {
			adult int64
			stops int
			ok    bool
		}{
			{int64(5000 + 100*dom), 0, true},
			{int64(3000 + 100*dom), 0, wd == time.Saturday || wd == time.Sunday},
			{int64(1000 + 200*dom), 1, dom != 10},
		}
		wantAdult, wantStops := int64(1<<62), 0
		for _, o := range options {
			if o.ok && (o.adult < wantAdult || (o.adult == wantAdult && o.stops < wantStops)) {
				wantAdult, wantStops = o.adult, o.stops
			}
		}
		// One adult and one child at 75%.
		want := wantAdult + (wantAdult*3+2)/4
		if !d.Found || d.Price.Minor != want || d.Stops != wantStops {
			t.Errorf("%s: found %v %v (%d stops), want %d (%d stops)", d.Date, d.Found, d.Price, d.Stops, want, wantStops)
		}
	}
	_, err = ix.Calendar(t.Context(), CalendarQuery{From: []string{"LIS"}, To: []string{"OPO"}, Month: date("2027-02-28")})
	wantInvalid(t, err, "month")
	_, err = ix.Calendar(t.Context(), CalendarQuery{From: []string{"LIS"}, To: []string{"XXX"}, Month: date("2027-04-01"), MaxStops: 5})
	wantInvalid(t, err, "to")
	wantInvalid(t, err, "max_stops")
}

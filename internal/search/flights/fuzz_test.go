package flights

import (
	"context"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
)

// FuzzSearch feeds arbitrary query fields (as an API client might send
// them) to a small real-zone catalog: the search must never panic, must
// reject bad input with a validation error, and must answer good input
// with itineraries that obey the rules.
func FuzzSearch(f *testing.F) {
	f.Add("LIS", "FRA", 70, 0, 2, "best", 20, 0, 0, 1, 0, 0, false, int64(0), "", "")
	f.Add("AKL", "LAX", 40, 1, 1, "price", 5, 360, 1200, 2, 1, 1, true, int64(3600e9), "NZ", "")
	f.Add("JFK,LGA", "LHR", 80, 3, 0, "departure", 100, 0, 0, 9, 0, 9, false, int64(0), "", "BA")
	f.Add("", "???", -5, 9, 7, "x", -1, -3, 5000, -1, -1, -1, false, int64(-1), "zz", "")
	ix := testIndex(f, Options{}, fuzzFlights()...)
	f.Fuzz(func(t *testing.T, from, to string, dayOffset, flex, stops int, sort string, limit, after, before, adults, children, infants int,
		noRedEye bool, maxDur int64, airline, exclude string) {
		q := Query{
			Slices: []Slice{{From: splitCodes(from), To: splitCodes(to),
				Date: catalog.Date{Time: testNow.AddDate(0, 0, dayOffset%4000)}, DateFlex: flex}},
			Passengers: Passengers{Adults: adults, Children: children, Infants: infants},
			MaxStops:   stops, Sort: sort, Limit: limit, NoRedEye: noRedEye, MaxDuration: time.Duration(maxDur),
			DepartAfter: catalog.Clock(after), DepartBefore: catalog.Clock(before),
			Airlines: splitCodes(airline), ExcludeAirlines: splitCodes(exclude),
		}
		if dayOffset%3 == 0 {
			back := q.Slices[0]
			back.From, back.To = back.To, back.From
			back.Date = catalog.Date{Time: back.Date.AddDate(0, 0, 2)}
			q.Slices = append(q.Slices, back)
		}
		its, err := ix.Search(context.Background(), q)
		if err != nil {
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("non-validation error %v", err)
			}
			return
		}
		if err := checkItineraries(ix, q, its, testNow); err != nil {
			t.Fatal(err)
		}
	})
}

func splitCodes(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// fuzzFlights connect the test airports across the date line, DST changes
// and borders.
func fuzzFlights() []catalog.Flight {
	return []catalog.Flight{
		fl("NZ8", "AKL", "HNL", "08:00", "17:45", -1, 80000),
		fl("NZ9", "HNL", "AKL", "23:30", "06:15", 2, 80000),
		fl("HA3", "HNL", "LAX", "20:00", "04:30", 1, 30000),
		fl("HA451", "HNL", "SYD", "14:00", "21:00", 1, 60000),
		fl("QF1", "SYD", "AKL", "07:00", "12:00", 0, 40000),
		fl("AA1", "LAX", "JFK", "23:00", "07:20", 1, 20000),
		fl("AA2", "JFK", "LAX", "08:00", "11:30", 0, 20000),
		fl("DL1", "LGA", "BOS", "08:00", "09:10", 0, 9000),
		fl("BA1", "LHR", "JFK", "10:00", "13:00", 0, 50000),
		fl("BA2", "JFK", "LHR", "18:00", "06:00", 1, 50000),
		fl("BA3", "LGA", "LHR", "19:00", "07:10", 1, 45000),
		fl("TP1", "LIS", "FRA", "07:00", "10:45", 0, 30000),
		fl("TP2", "LIS", "MAD", "06:00", "08:10", 0, 7000),
		fl("IB1", "MAD", "FRA", "09:30", "12:00", 0, 10000),
		fl("LH1", "FRA", "LIS", "14:00", "16:00", 0, 25000),
		fl("LH2", "FRA", "LHR", "11:00", "11:45", 0, 12000),
		fl("AF1", "CDG", "JFK", "10:00", "12:00", 0, 50000),
		fl("AF2", "LHR", "CDG", "08:00", "10:15", 0, 9000),
	}
}

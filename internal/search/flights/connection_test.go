package flights

import (
	"fmt"
	"testing"
	"time"

	"pathavana/internal/catalog"
)

func TestMinimumConnectionTime(t *testing.T) {
	// MAD becomes a large airport (700+ weekly departures) with filler
	// flights, which raises its international minimum to 90 minutes.
	var filler []catalog.Flight
	for i := range 100 {
		filler = append(filler, fl(fmt.Sprintf("IB%d", 1000+i), "MAD", "BCN", "06:00", "07:15", 0, 9000))
	}
	twoHours := func(airport string, intl bool) time.Duration {
		if airport == "MAD" {
			return 2 * time.Hour
		}
		return time.Hour
	}
	for _, tc := range []struct {
		name          string
		first, second catalog.Flight
		extra         []catalog.Flight
		opts          Options
		ok            bool
	}{
		// ORD→DFW→LAX stays in the US: 45 minutes.
		{"domestic exactly MCT", fl("AA1", "ORD", "DFW", "08:00", "10:00", 0, 100), fl("AA2", "DFW", "LAX", "10:45", "11:50", 0, 100), nil, Options{}, true},
		{"domestic 1 min short", fl("AA1", "ORD", "DFW", "08:00", "10:00", 0, 100), fl("AA2", "DFW", "LAX", "10:44", "11:50", 0, 100), nil, Options{}, false},
		// LIS→MAD→FRA crosses borders: 60 minutes at a small airport.
		{"international exactly MCT", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "11:10", "13:40", 0, 100), nil, Options{}, true},
		{"international 1 min short", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "11:09", "13:40", 0, 100), nil, Options{}, false},
		// A domestic flight connecting to an international one is international.
		{"domestic to international", fl("TP1", "OPO", "LIS", "08:00", "09:00", 0, 100), fl("TP2", "LIS", "MAD", "09:45", "12:00", 0, 100), nil, Options{}, false},
		{"large airport exactly MCT", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "11:40", "14:10", 0, 100), filler, Options{}, true},
		{"large airport 1 min short", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "11:39", "14:10", 0, 100), filler, Options{}, false},
		{"custom MCT exactly", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "12:10", "14:40", 0, 100), nil, Options{MinConnection: twoHours}, true},
		{"custom MCT 1 min short", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "12:09", "14:40", 0, 100), nil, Options{MinConnection: twoHours}, false},
		// Twelve hours is the longest layover while a shorter trip exists;
		// when none does, up to 24 hours, and never more.
		{"layover exactly 12 h", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "22:10", "00:40", 1, 100), nil, Options{}, true},
		{"layover 12 h 1 min, nothing shorter", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "22:11", "00:41", 1, 100), nil, Options{}, true},
		{"layover 24 h 1 min", fl("IB1", "LIS", "MAD", "08:00", "10:10", 0, 100), fl("IB2", "MAD", "FRA", "10:11", "12:41", 0, 100), nil, Options{}, false},
		{"overnight, nothing shorter", fl("IB1", "LIS", "MAD", "18:00", "20:10", 0, 100), fl("IB2", "MAD", "FRA", "09:00", "11:30", 0, 100), nil, Options{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := testIndex(t, tc.opts, append([]catalog.Flight{tc.first, tc.second}, tc.extra...)...)
			its := search(t, ix, oneWay(tc.first.From, tc.second.To, "2027-03-10"))
			if tc.ok {
				wantNumbers(t, its, tc.first.Number+"+"+tc.second.Number)
			} else {
				wantNumbers(t, its)
			}
		})
	}
}

func TestMaxStops(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("TP1", "LIS", "MAD", "07:00", "09:10", 0, 100),
		fl("IB2", "MAD", "FRA", "10:30", "13:00", 0, 100),
		fl("LH3", "FRA", "MUC", "14:00", "15:00", 0, 100),
		fl("TP4", "OPO", "LIS", "05:00", "06:00", 0, 100),
		fl("TP5", "LIS", "MUC", "18:00", "22:00", 0, 900),
	)
	for _, tc := range []struct {
		from  string
		stops int
		want  []string
	}{
		{"LIS", 0, []string{"TP5"}},
		{"LIS", 1, []string{"TP5"}},
		{"LIS", 2, []string{"TP1+IB2+LH3", "TP5"}},
		{"OPO", 2, []string{"TP4+TP5"}}, // OPO→LIS→MAD→FRA→MUC would be three stops
	} {
		q := oneWay(tc.from, "MUC", "2027-03-10")
		q.MaxStops = tc.stops
		q.Sort = SortPrice
		its := search(t, ix, q)
		wantNumbers(t, its, tc.want...)
		for _, it := range its {
			if it.Legs[0].Stops > tc.stops || it.Legs[0].Stops != len(it.Legs[0].Segments)-1 {
				t.Errorf("%s max %d: leg has %d stops", tc.from, tc.stops, it.Legs[0].Stops)
			}
		}
	}
}

func TestNoRevisitsOrCityDetours(t *testing.T) {
	ix := testIndex(t, Options{},
		// LIS→FAO→LIS→OPO would revisit LIS.
		fl("TP1", "LIS", "FAO", "06:00", "06:45", 0, 100),
		fl("TP2", "FAO", "LIS", "08:00", "08:45", 0, 100),
		fl("TP3", "LIS", "OPO", "12:00", "12:55", 0, 100),
		// JFK→LGA→BOS would pass through another airport of the origin city.
		fl("DL1", "JFK", "LGA", "06:00", "06:40", 0, 100),
		fl("DL2", "LGA", "BOS", "08:00", "09:10", 0, 100),
	)
	q := oneWay("LIS", "OPO", "2027-03-10")
	q.DepartBefore = clock("07:00") // rules out the nonstop
	wantNumbers(t, search(t, ix, q))
	q = oneWay("JFK", "BOS", "2027-03-10")
	q.Slices[0].From = []string{"JFK", "LGA"}
	wantNumbers(t, search(t, ix, q), "DL2")
}

func TestGeographicPruning(t *testing.T) {
	ix := testIndex(t, Options{},
		// LIS→FRA→MAD flies 3,300 km for a 500 km trip: never offered.
		fl("LH1", "LIS", "FRA", "06:00", "09:45", 0, 100),
		fl("LH2", "FRA", "MAD", "11:00", "13:30", 0, 100),
		// LIS→OPO→MAD is a small detour.
		fl("TP3", "LIS", "OPO", "07:00", "07:55", 0, 100),
		fl("TP4", "OPO", "MAD", "09:00", "11:10", 0, 100),
	)
	wantNumbers(t, search(t, ix, oneWay("LIS", "MAD", "2027-03-10")), "TP3+TP4")
}

// TestNoOvernightWhenSameDayExists: the long-layover pass runs only when the
// strict one finds nothing, so an overnight wait is never offered next to a
// same-evening connection.
func TestNoOvernightWhenSameDayExists(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("IB1", "LIS", "MAD", "18:00", "20:10", 0, 100),
		fl("IB2", "MAD", "FRA", "09:00", "11:30", 0, 50),
		fl("IB3", "MAD", "FRA", "21:30", "00:05", 1, 200))
	wantNumbers(t, search(t, ix, oneWay("LIS", "FRA", "2027-03-10")), "IB1+IB3")
}

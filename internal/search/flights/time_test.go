package flights

import (
	"strings"
	"testing"
	"time"

	"pathavana/internal/catalog"
)

// Flights across the date line arrive on the previous or next local date;
// the instants must be right and connections must find the onward flight
// on the earlier local date.
func TestDateLine(t *testing.T) {
	hnlLax := fl("HA3", "HNL", "LAX", "20:00", "04:30", 1, 30000)
	hnlLax.Days = 1 << 2 // Tuesdays only: 2027-02-09, the HNL date of the connection
	ix := testIndex(t, Options{},
		fl("NZ8", "AKL", "HNL", "08:00", "17:45", -1, 80000),
		fl("HA451", "HNL", "SYD", "14:00", "21:00", 1, 60000),
		hnlLax,
	)
	for _, tc := range []struct {
		from, to, day  string
		want           []string
		depUTC, arrUTC string
		duration       time.Duration
	}{
		{"AKL", "HNL", "2027-02-10", []string{"NZ8"}, "2027-02-09T19:00:00Z", "2027-02-10T03:45:00Z", 8*time.Hour + 45*time.Minute},
		{"HNL", "SYD", "2027-02-10", []string{"HA451"}, "2027-02-11T00:00:00Z", "2027-02-11T10:00:00Z", 10 * time.Hour},
		{"AKL", "LAX", "2027-02-10", []string{"NZ8+HA3"}, "2027-02-09T19:00:00Z", "2027-02-10T12:30:00Z", 17*time.Hour + 30*time.Minute},
	} {
		its := search(t, ix, oneWay(tc.from, tc.to, tc.day))
		wantNumbers(t, its, tc.want...)
		leg := its[0].Legs[0]
		first, last := leg.Segments[0], leg.Segments[len(leg.Segments)-1]
		if !first.Departs.Equal(utc(tc.depUTC)) || !last.Arrives.Equal(utc(tc.arrUTC)) {
			t.Errorf("%s→%s: %v → %v, want %s → %s", tc.from, tc.to, first.Departs.UTC(), last.Arrives.UTC(), tc.depUTC, tc.arrUTC)
		}
		if leg.Duration != tc.duration {
			t.Errorf("%s→%s: duration %v, want %v", tc.from, tc.to, leg.Duration, tc.duration)
		}
		for _, s := range leg.Segments {
			if got := s.Departs.Format("15:04"); got != s.Flight.Departs.String() {
				t.Errorf("%s departs %s local, scheduled %s", s.Flight.Number, got, s.Flight.Departs)
			}
			if s.Departs.Location().String() != zoneOf(s.Flight.From) || s.Arrives.Location().String() != zoneOf(s.Flight.To) {
				t.Errorf("%s times are in %s/%s, want the airports' zones", s.Flight.Number, s.Departs.Location(), s.Arrives.Location())
			}
		}
	}
	// The HNL-local date of the connection is a Tuesday; on a day when the
	// Tuesday flight cannot be reached there is no LAX itinerary.
	wantNumbers(t, search(t, ix, oneWay("AKL", "LAX", "2027-02-11")))
}

func zoneOf(code string) string {
	for _, a := range testAirports {
		if a.IATA == code {
			return a.Zone
		}
	}
	return ""
}

// The same local schedule takes a different time when only one end has
// changed to summer time (US 2027-03-14, Europe 2027-03-28).
func TestDSTChangesDuration(t *testing.T) {
	ix := testIndex(t, Options{},
		fl("BA1", "LHR", "JFK", "10:00", "13:00", 0, 50000),
		fl("AF2", "CDG", "JFK", "10:00", "12:00", 0, 50000),
	)
	for _, tc := range []struct {
		from, day string
		want      time.Duration
	}{
		{"LHR", "2027-03-10", 8 * time.Hour},
		{"LHR", "2027-03-13", 8 * time.Hour},
		{"LHR", "2027-03-14", 7 * time.Hour}, // New York springs forward at 02:00 that day
		{"LHR", "2027-03-20", 7 * time.Hour},
		{"LHR", "2027-03-28", 8 * time.Hour}, // London follows
		{"LHR", "2027-04-01", 8 * time.Hour},
		{"CDG", "2027-03-27", 7 * time.Hour},
		{"CDG", "2027-03-28", 8 * time.Hour},
	} {
		q := oneWay(tc.from, "JFK", tc.day)
		q.MaxStops = 0
		its := search(t, ix, q)
		if len(its) != 1 {
			t.Fatalf("%s %s: %d itineraries", tc.from, tc.day, len(its))
		}
		if got := its[0].Legs[0].Duration; got != tc.want {
			t.Errorf("%s→JFK on %s: duration %v, want %v", tc.from, tc.day, got, tc.want)
		}
		seg := its[0].Legs[0].Segments[0]
		if seg.Departs.Format(time.DateOnly) != tc.day || seg.Arrives.Format("15:04") != seg.Flight.Arrives.String() {
			t.Errorf("%s %s: %v → %v does not keep the local schedule", tc.from, tc.day, seg.Departs, seg.Arrives)
		}
	}
}

func TestNewIndexReportsBadData(t *testing.T) {
	bad := append([]catalog.Airport{}, testAirports...)
	bad = append(bad, catalog.Airport{IATA: "XXX", Country: "US", Zone: "Mars/Olympus_Mons"})
	_, err := NewIndex(&catalog.Data{Airports: bad, Flights: []catalog.Flight{fl("ZZ1", "LIS", "QQQ", "10:00", "11:00", 0, 100)}},
		Options{Now: func() time.Time { return testNow }})
	if err == nil {
		t.Fatal("NewIndex accepted an invalid zone and an unknown airport")
	}
	for _, want := range []string{"XXX", "Mars/Olympus_Mons", "unknown airport QQQ", "2 problem(s)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

package nlu

import (
	"testing"
	"time"
)

// today is a Sunday.
var today = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseDates(t *testing.T) {
	for _, c := range []struct {
		text       string
		start, end string
		days       int
		flexible   bool
	}{
		{"March 16th to 18th, 2027", "2027-03-16", "2027-03-18", 3, false},
		{"from march 16 to march 18", "2027-03-16", "2027-03-18", 3, false},
		{"May 30 - June 2", "2027-05-30", "2027-06-02", 4, false},
		{"Dec 28 to Jan 3", "2026-12-28", "2027-01-03", 7, false},
		{"16-18 March 2027", "2027-03-16", "2027-03-18", 3, false},
		{"30 may to 2 june", "2027-05-30", "2027-06-02", 4, false},
		{"2027-05-10 to 2027-05-14", "2027-05-10", "2027-05-14", 5, false},
		{"leaving 2027-05-10 for 5 days", "2027-05-10", "2027-05-14", 5, false},
		{"on May 10 for a week", "2027-05-10", "2027-05-16", 7, false},
		{"July 4th, 3 nights", "2027-07-04", "2027-07-07", 4, false},
		{"the 10th of december", "2026-12-10", "", 0, false},
		{"next Friday", "2026-12-11", "", 0, false},
		{"this saturday for the weekend", "2026-12-12", "2026-12-13", 2, false},
		{"next weekend", "2026-12-12", "2026-12-13", 2, false},
		{"tomorrow for 2 nights", "2026-12-07", "2026-12-09", 3, false},
		{"in 3 days, for a week", "2026-12-09", "2026-12-15", 7, false},
		{"in two weeks", "2026-12-20", "", 0, false},
		{"first week of May", "2027-05-01", "2027-05-07", 0, true},
		{"last week of february 2028", "2028-02-23", "2028-02-29", 0, true},
		{"8 days in May", "2027-05-01", "2027-05-31", 8, true},
		{"sometime in december", "2026-12-06", "2026-12-31", 0, true},
		{"next week", "2026-12-07", "2026-12-13", 0, true},
		{"a long weekend in Lisbon", "", "", 3, false},
		{"for 5 days", "", "", 5, false},
		{"4 of us to Lisbon", "", "", 0, false},
		{"February 30", "", "", 0, false},
	} {
		got := ParseDates(c.text, today)
		var want Dates
		if c.start != "" {
			want.Start = day(c.start)
		}
		if c.end != "" {
			want.End = day(c.end)
		}
		want.Days, want.Flexible = c.days, c.flexible
		if got != want {
			t.Errorf("%q: got %s..%s %dd flexible=%v, want %s..%s %dd flexible=%v", c.text,
				got.Start.Format(time.DateOnly), got.End.Format(time.DateOnly), got.Days, got.Flexible,
				c.start, c.end, c.days, c.flexible)
		}
	}
}

func FuzzParseDates(f *testing.F) {
	for _, s := range []string{"March 16th to 18th, 2027", "next friday for 3 nights", "first week of may", "in 99 weeks",
		"31 feb to 1 mar 9999", "2027-13-45 to 0000-00-00", "dec 31 2200 to jan 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseDates(s, today)
		if !d.End.IsZero() && (d.Start.IsZero() || d.End.Before(d.Start)) {
			t.Fatalf("%q: end %v without a start before it (%v)", s, d.End, d.Start)
		}
		if d.Days < 0 || d.Days > 91 {
			t.Fatalf("%q: %d days", s, d.Days)
		}
	})
}

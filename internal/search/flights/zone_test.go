package flights

import (
	"testing"
	"time"

	"pathavana/internal/catalog"
)

// TestZoneTableMatchesTimeDate checks the cached offset arithmetic against
// time.Date for every quarter hour of two years in zones with DST on
// either hemisphere, half-hour and 45-minute offsets, and none at all.
func TestZoneTableMatchesTimeDate(t *testing.T) {
	zones := []string{"America/New_York", "Europe/Lisbon", "Australia/Sydney", "Pacific/Auckland",
		"Pacific/Chatham", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Honolulu", "UTC"}
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	nowMin := from.Unix() / 60
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		z := newZoneTable(loc, nowMin-60*minutesPerDay, nowMin+3*366*minutesPerDay)
		startDay := dayNumber(from) - 90
		for local := startDay * minutesPerDay; local < (startDay+4*365)*minutesPerDay; local += 15 {
			day, m := floorDiv(local, minutesPerDay), floorMod(local, minutesPerDay)
			y, mo, d := dayDate(day)
			want := time.Date(y, mo, d, int(m/60), int(m%60), 0, 0, loc).Unix() / 60
			if got := z.toAbs(local); got != want {
				t.Fatalf("%s: toAbs(%d-%02d-%02d %02d:%02d) = %d, want %d", name, y, mo, d, m/60, m%60, got, want)
			}
			_, off := time.Unix(want*60, 0).In(loc).Zone()
			if got := z.toLocal(want); got != want+int64(off/60) {
				t.Fatalf("%s: toLocal(%d) = %d, want %d", name, want, got, want+int64(off/60))
			}
		}
	}
}

func TestCalendarArithmetic(t *testing.T) {
	for _, tc := range []struct {
		date    string
		weekday time.Weekday
	}{{"1970-01-01", time.Thursday}, {"2027-03-14", time.Sunday}, {"2027-02-09", time.Tuesday}, {"1969-12-31", time.Wednesday}} {
		d := dayNumber(date(tc.date).Time)
		if y, m, dd := dayDate(d); time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Format(time.DateOnly) != tc.date {
			t.Errorf("dayDate(dayNumber(%s)) = %d-%d-%d", tc.date, y, m, dd)
		}
		want := int(tc.weekday)
		if want == 0 {
			want = 7
		}
		if got := isoWeekday(d); got != want {
			t.Errorf("isoWeekday(%s) = %d, want %d", tc.date, got, want)
		}
		if !catalog.Weekdays(1 << want).Has(tc.weekday) {
			t.Errorf("weekday bit convention differs from catalog.Weekdays for %s", tc.date)
		}
	}
}

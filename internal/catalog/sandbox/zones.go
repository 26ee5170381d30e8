package sandbox

import "time"

// offsets caches the standard (winter, non-DST) UTC offset of IANA zones,
// in minutes. The published timetable is computed with standard offsets:
// times are local clock times, as airlines publish them, so the real
// duration of a flight shifts by an hour while only one end observes DST.
type offsets map[string]offsetResult

type offsetResult struct {
	minutes int
	ok      bool
}

// standardOffset is the smaller of the zone's offsets in mid-January and
// mid-July 2025 (DST always moves clocks forward, and a fixed past year
// keeps the result independent of today's date and of future tz rules).
func (o offsets) standardOffset(zone string) (int, bool) {
	if r, ok := o[zone]; ok {
		return r.minutes, r.ok
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || zone == "Local" {
		o[zone] = offsetResult{}
		return 0, false
	}
	_, jan := time.Date(2025, time.January, 15, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(2025, time.July, 15, 12, 0, 0, 0, loc).Zone()
	r := offsetResult{minutes: min(jan, jul) / 60, ok: true}
	o[zone] = r
	return r.minutes, true
}

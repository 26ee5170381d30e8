package flights

import (
	"slices"
	"time"
)

// Times inside the search are "abs minutes": minutes since the Unix epoch,
// UTC. Local times are "local minutes": day number × 1440 + minutes after
// local midnight, where the day number counts days since 1970-01-01.
//
// Converting local minutes to abs minutes with time.Date costs a zone
// lookup each time; the search does it for every flight instance it
// touches. zoneTable caches a zone's UTC-offset transitions over the years
// a search can ask about and converts with plain arithmetic, deferring to
// time.Date within two days of a transition (DST gaps and folds then resolve
// exactly as the standard library resolves them) and outside the range.

const (
	minutesPerDay = 1440
	// nearTransition is how close (in local minutes) a time must be to a
	// transition for the fast path to step aside: two days covers any UTC
	// offset (±14 h) with room to spare.
	nearTransition = 2 * minutesPerDay
)

type zoneTable struct {
	loc    *time.Location
	lo, hi int64   // abs-minute range the table covers
	trans  []int64 // abs minutes of offset changes within [lo, hi]
	offs   []int64 // offs[i]: offset (minutes) in effect before trans[i]; last: after
	exact  bool    // every offset is whole minutes (else always use time.Date)
	// minOff and maxOff bound the offsets in the range, for lower bounds
	// on flight durations.
	minOff, maxOff int64
}

// newZoneTable scans loc's transitions over [lo, hi] abs minutes.
func newZoneTable(loc *time.Location, lo, hi int64) *zoneTable {
	z := &zoneTable{loc: loc, lo: lo, hi: hi, exact: true}
	t := time.Unix(lo*60, 0).In(loc)
	for {
		_, off := t.Zone()
		if off%60 != 0 {
			z.exact = false
		}
		z.offs = append(z.offs, int64(off/60))
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Unix()/60 > hi || len(z.trans) > 64 {
			z.minOff, z.maxOff = slices.Min(z.offs), slices.Max(z.offs)
			if !z.exact { // offsets with seconds: widen by the truncated minute
				z.minOff--
				z.maxOff++
			}
			return z
		}
		z.trans = append(z.trans, floorDiv(end.Unix(), 60))
		t = end
	}
}

// toAbs converts local minutes in this zone to abs minutes.
func (z *zoneTable) toAbs(local int64) int64 {
	if z.exact && local > z.lo+nearTransition && local < z.hi-nearTransition {
		i := 0
		for ; i < len(z.trans); i++ {
			d := local - z.trans[i]
			if d > -nearTransition && d < nearTransition {
				return z.slowToAbs(local)
			}
			if d < 0 {
				break
			}
		}
		return local - z.offs[i]
	}
	return z.slowToAbs(local)
}

func (z *zoneTable) slowToAbs(local int64) int64 {
	day, min := floorDiv(local, minutesPerDay), floorMod(local, minutesPerDay)
	y, m, d := dayDate(day)
	t := time.Date(y, m, d, int(min/60), int(min%60), 0, 0, z.loc)
	return floorDiv(t.Unix(), 60)
}

// toLocal converts abs minutes to local minutes in this zone.
func (z *zoneTable) toLocal(abs int64) int64 {
	if z.exact && abs >= z.lo && abs <= z.hi {
		i := 0
		for i < len(z.trans) && z.trans[i] <= abs {
			i++
		}
		return abs + z.offs[i]
	}
	_, off := time.Unix(abs*60, 0).In(z.loc).Zone()
	return abs + int64(off)/60
}

// localDay is the local day number at abs minutes.
func (z *zoneTable) localDay(abs int64) int64 { return floorDiv(z.toLocal(abs), minutesPerDay) }

// timeAt is abs minutes as a time in this zone, for results.
func (z *zoneTable) timeAt(abs int64) time.Time { return time.Unix(abs*60, 0).In(z.loc) }

// dayNumber is the day number of a civil date (its year, month and day,
// whatever the time's location).
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

// dayDate is the civil date of a day number.
func dayDate(day int64) (int, time.Month, int) {
	return time.Unix(day*86400, 0).UTC().Date()
}

// dayTime is a day number as a UTC-midnight time, the form of dates that
// the catalog and Pricer use.
func dayTime(day int64) time.Time { return time.Unix(day*86400, 0).UTC() }

// isoWeekday is 1 (Monday) to 7 (Sunday) for a day number; day 0,
// 1970-01-01, was a Thursday.
func isoWeekday(day int64) int { return int(floorMod(day+3, 7)) + 1 }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

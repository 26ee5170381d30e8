package flights

import (
	"fmt"
	"slices"
	"strings"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
)

// plan is a validated query in index terms.
type plan struct {
	slices   []slicePlan
	pax      Passengers
	cabin    catalog.Cabin
	maxStops int
	maxDur   int64 // minutes; 0 = no limit
	after    int64 // local clock minutes, inclusive
	before   int64
	allow    []string // sorted; empty = any carrier
	deny     []string // sorted
	noRedEye bool
	sort     string
	limit    int
}

type slicePlan struct {
	from, to []int32
	day      int64 // local departure date at the origin, day number
	flex     int64
}

// fieldErrors collects validation problems in input order.
type fieldErrors []apperr.FieldError

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, apperr.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (fe fieldErrors) err() error {
	if len(fe) == 0 {
		return nil
	}
	return apperr.Validation(fe...)
}

func (ix *Index) validate(q Query) (*plan, error) {
	var fe fieldErrors
	p := &plan{
		pax: ix.checkPassengers(&fe, q.Passengers), cabin: checkCabin(&fe, q.Cabin),
		maxStops: checkStops(&fe, q.MaxStops), noRedEye: q.NoRedEye,
		sort: q.Sort, limit: q.Limit,
	}
	switch {
	case len(q.Slices) == 0:
		fe.add("slices", "at least one slice (from, to, date) is required")
	case len(q.Slices) > MaxSlices:
		fe.add("slices", "at most %d slices are allowed, got %d", MaxSlices, len(q.Slices))
	default:
		for i, s := range q.Slices {
			sp, ok := ix.checkSlice(&fe, fmt.Sprintf("slices[%d]", i), s)
			if ok && i > 0 && len(p.slices) == i && sp.day < p.slices[i-1].day {
				fe.add(fmt.Sprintf("slices[%d].date", i), "must not be before slices[%d].date (%s)", i-1, q.Slices[i-1].Date)
			}
			if ok {
				p.slices = append(p.slices, sp)
			}
		}
	}
	if q.MaxDuration < 0 {
		fe.add("max_duration", "must not be negative")
	}
	p.maxDur = durationMinutes(q.MaxDuration)
	p.after, p.before = int64(q.DepartAfter), int64(q.DepartBefore)
	switch {
	case p.after < 0 || p.after > minutesPerDay:
		fe.add("depart_after", "must be a time of day")
	case p.before < 0 || p.before > minutesPerDay:
		fe.add("depart_before", "must be a time of day")
	case p.before == 0 && (p.after > 0):
		p.before = minutesPerDay
	case p.before == 0 && p.after == 0:
		p.before = minutesPerDay
	case p.after > p.before:
		fe.add("depart_before", "must not be before depart_after (%s)", q.DepartAfter)
	}
	p.allow = ix.checkAirlines(&fe, "airlines", q.Airlines)
	p.deny = ix.checkAirlines(&fe, "exclude_airlines", q.ExcludeAirlines)
	switch p.sort {
	case "":
		p.sort = SortBest
	case SortBest, SortPrice, SortDuration, SortDeparture:
	default:
		fe.add("sort", "must be one of best, price, duration, departure; got %q", q.Sort)
	}
	switch {
	case p.limit == 0:
		p.limit = DefaultLimit
	case p.limit < 0 || p.limit > MaxLimit:
		fe.add("limit", "must be 1–%d, got %d", MaxLimit, q.Limit)
	}
	return p, fe.err()
}

func (ix *Index) checkSlice(fe *fieldErrors, field string, s Slice) (slicePlan, bool) {
	n := len(*fe)
	sp := slicePlan{flex: int64(s.DateFlex)}
	sp.from = ix.checkAirports(fe, field+".from", s.From)
	sp.to = ix.checkAirports(fe, field+".to", s.To)
	for _, a := range sp.from {
		if slices.Contains(sp.to, a) {
			fe.add(field+".to", "must differ from the origin; %s is in both", ix.airports[a].code)
			break
		}
	}
	if s.DateFlex < 0 || s.DateFlex > MaxDateFlex {
		fe.add(field+".date_flex", "must be 0–%d days, got %d", MaxDateFlex, s.DateFlex)
	}
	if s.Date.IsZero() {
		fe.add(field+".date", "is required")
	} else {
		sp.day = dayNumber(s.Date.Time)
		if len(sp.from) > 0 && sp.day < ix.localToday(sp.from) {
			fe.add(field+".date", "%s is in the past", s.Date)
		}
	}
	return sp, len(*fe) == n
}

// localToday is today's date at the earliest-in-the-day of the airports
// (the latest zone), so a date is "past" only once it is over everywhere.
func (ix *Index) localToday(airports []int32) int64 {
	nowAbs := floorDiv(ix.now().Unix(), 60)
	today := int64(-1 << 62)
	for i, a := range airports {
		d := ix.airports[a].zone.localDay(nowAbs)
		if i == 0 || d < today {
			today = d
		}
	}
	return today
}

func (ix *Index) checkAirports(fe *fieldErrors, field string, codes []string) []int32 {
	if len(codes) == 0 {
		fe.add(field, "at least one airport code is required")
		return nil
	}
	if len(codes) > MaxAirportsPerSide {
		fe.add(field, "at most %d airports, got %d", MaxAirportsPerSide, len(codes))
		return nil
	}
	var ids []int32
	for _, c := range codes {
		id, ok := ix.byCode[strings.ToUpper(strings.TrimSpace(c))]
		if !ok {
			fe.add(field, "unknown airport %q", c)
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (ix *Index) checkPassengers(fe *fieldErrors, p Passengers) Passengers {
	if p == (Passengers{}) {
		return Passengers{Adults: 1}
	}
	switch {
	case p.Adults < 1:
		fe.add("passengers.adults", "at least one adult is required")
	case p.Children < 0:
		fe.add("passengers.children", "must not be negative")
	case p.Infants < 0:
		fe.add("passengers.infants", "must not be negative")
	case p.Infants > p.Adults:
		fe.add("passengers.infants", "each lap infant needs an adult: %d infants, %d adults", p.Infants, p.Adults)
	case p.Adults+p.Children > MaxSeated:
		fe.add("passengers", "at most %d seated passengers (adults and children), got %d", MaxSeated, p.Adults+p.Children)
	}
	return p
}

func checkCabin(fe *fieldErrors, c catalog.Cabin) catalog.Cabin {
	if c == "" {
		return catalog.Economy
	}
	if !slices.Contains(catalog.Cabins, c) {
		fe.add("cabin", "must be one of economy, premium_economy, business, first; got %q", c)
	}
	return c
}

func checkStops(fe *fieldErrors, n int) int {
	if n < 0 || n > MaxStopsLimit {
		fe.add("max_stops", "must be 0–%d, got %d", MaxStopsLimit, n)
	}
	return n
}

func (ix *Index) checkAirlines(fe *fieldErrors, field string, codes []string) []string {
	var out []string
	for _, c := range codes {
		c = strings.ToUpper(strings.TrimSpace(c))
		if !ix.carriers[c] {
			fe.add(field, "unknown airline %q", c)
			continue
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

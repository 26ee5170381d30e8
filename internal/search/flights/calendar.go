package flights

import (
	"context"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// Calendar returns the cheapest one-way price for the party on each day of
// the month (local departure dates at the origin), searching each day for
// the single cheapest itinerary. Days already past, or with nothing sold,
// have Found false.
func (ix *Index) Calendar(ctx context.Context, q CalendarQuery) ([]DayPrice, error) {
	var fe fieldErrors
	p := &plan{
		pax: ix.checkPassengers(&fe, q.Passengers), cabin: checkCabin(&fe, q.Cabin),
		maxStops: checkStops(&fe, q.MaxStops), before: minutesPerDay, sort: SortPrice, limit: 1,
	}
	from := ix.checkAirports(&fe, "from", q.From)
	to := ix.checkAirports(&fe, "to", q.To)
	for _, a := range from {
		for _, b := range to {
			if a == b {
				fe.add("to", "must differ from the origin; %s is in both", ix.airports[a].code)
			}
		}
	}
	var first, last int64
	if q.Month.IsZero() {
		fe.add("month", "is required")
	} else {
		y, m, _ := q.Month.Date()
		first = dayNumber(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
		last = dayNumber(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC))
		if len(from) > 0 && last < ix.localToday(from) {
			fe.add("month", "%s is in the past", q.Month.Format("2006-01"))
		}
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	s := ix.newSearcher(ctx, p)
	defer s.release()
	today := ix.localToday(from)
	out := make([]DayPrice, 0, last-first+1)
	for day := first; day <= last; day++ {
		dp := DayPrice{Date: catalog.Date{Time: dayTime(day)}}
		if day >= today {
			paths, err := s.searchSlice(slicePlan{from: from, to: to, day: day}, SortPrice, 1, p.maxStops)
			if err != nil {
				return nil, err
			}
			if len(paths) > 0 {
				total, err := partyPrice(money.Money{Minor: paths[0].price, Currency: s.currencies[paths[0].cur()]}, p.pax)
				if err == nil {
					dp.Price, dp.Stops, dp.Found = total, paths[0].n-1, true
				}
			}
		}
		out = append(out, dp)
	}
	return out, nil
}

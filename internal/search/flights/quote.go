package flights

import (
	"fmt"
	"math"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// SegmentRef names one flight of an itinerary as a booking keeps it: the
// flight number, its airports and the local departure date.
type SegmentRef struct {
	Number string       `json:"number"`
	From   string       `json:"from"`
	To     string       `json:"to"`
	Date   catalog.Date `json:"date"`
}

// Quote is today's price of an itinerary for a party, with each flight's
// seat count in the cabin (0 when the catalog does not say).
type Quote struct {
	Segments []Segment
	Seats    []int
	PerAdult money.Money
	Price    money.Money
}

// maxQuoteSegments bounds an itinerary: a multi-city trip of a few legs
// with up to two connections each.
const maxQuoteSegments = 12

// Quote re-prices a chosen itinerary exactly as Search would price it now:
// the same flights, dates, cabin and party, with the same pricer. It
// refuses a flight that does not exist, does not fly that day, has left or
// does not sell the cabin, so a stale offer is caught before booking.
func (ix *Index) Quote(segs []SegmentRef, cabin catalog.Cabin, pax Passengers) (Quote, error) {
	if len(segs) == 0 || len(segs) > maxQuoteSegments {
		return Quote{}, apperr.New(apperr.Invalid, "an itinerary has 1 to %d flights", maxQuoteSegments)
	}
	if pax.Adults < 1 || pax.Children < 0 || pax.Infants < 0 || pax.Infants > pax.Adults {
		return Quote{}, apperr.New(apperr.Invalid, "the party needs at least one adult and no more lap infants than adults")
	}
	ci := -1
	for i, c := range catalog.Cabins {
		if c == cabin {
			ci = i
		}
	}
	if ci < 0 {
		return Quote{}, apperr.New(apperr.Invalid, "unknown cabin %q", cabin)
	}
	today := dayTime(dayNumber(ix.now().UTC()))
	q := Quote{Segments: make([]Segment, len(segs)), Seats: make([]int, len(segs))}
	var perAdult money.Money
	for i, s := range segs {
		r := ix.findFlight(s)
		name := fmt.Sprintf("%s %s→%s on %s", s.Number, s.From, s.To, s.Date)
		if r == nil {
			return Quote{}, apperr.New(apperr.NotFound, "flight %s is not in the catalog any more", name)
		}
		day := dayNumber(s.Date.Time)
		if !r.operates(day) {
			return Quote{}, apperr.New(apperr.Conflict, "flight %s does not fly that day", name)
		}
		from, to := ix.airports[r.from].zone, ix.airports[r.to].zone
		dep := from.toAbs(day*minutesPerDay + r.dep)
		if dep <= floorDiv(ix.now().Unix(), 60) {
			return Quote{}, apperr.New(apperr.Conflict, "flight %s has already left", name)
		}
		price, ok := ix.pricer(r.f, cabin, dayTime(day), today)
		if !ok || price.Minor < 0 {
			return Quote{}, apperr.New(apperr.Conflict, "flight %s does not sell %s", name, cabin)
		}
		if i == 0 {
			perAdult = money.Money{Currency: price.Currency}
		}
		var err error
		if perAdult, err = perAdult.Add(price); err != nil {
			return Quote{}, apperr.New(apperr.Conflict, "the flights of this itinerary are priced in different currencies")
		}
		arr := to.toAbs((day+r.arrDay)*minutesPerDay + r.arr)
		q.Segments[i] = Segment{Flight: r.f, Departs: from.timeAt(dep), Arrives: to.timeAt(arr)}
		switch n := r.seats[ci]; {
		case n <= 0:
			return Quote{}, apperr.New(apperr.Conflict, "flight %s has no %s seats", name, cabin)
		case n < math.MaxInt:
			q.Seats[i] = n
		}
	}
	total, err := partyPrice(perAdult, pax)
	if err != nil {
		return Quote{}, err
	}
	q.PerAdult, q.Price = perAdult, total
	return q, nil
}

func (ix *Index) findFlight(s SegmentRef) *flightRec {
	from, ok1 := ix.byCode[s.From]
	to, ok2 := ix.byCode[s.To]
	if !ok1 || !ok2 {
		return nil
	}
	ri, ok := ix.pairs[uint64(from)<<32|uint64(to)]
	if !ok {
		return nil
	}
	for _, fi := range ix.routes[ri].flights {
		if r := &ix.flights[fi]; r.f.Number == s.Number && r.operates(dayNumber(s.Date.Time)) {
			return r
		}
	}
	for _, fi := range ix.routes[ri].flights {
		if r := &ix.flights[fi]; r.f.Number == s.Number {
			return r
		}
	}
	return nil
}

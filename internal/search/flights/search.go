package flights

import (
	"cmp"
	"context"
	"slices"
	"time"

	"pathavana/internal/money"
)

// minSliceGapMinutes is the least time between arriving on one slice and
// departing on the next (a round trip's return, a multi-city hop).
const minSliceGapMinutes = 120

// multiSliceExtra widens each slice's answer set beyond Limit when slices
// are combined, so combinations dropped for overlapping in time still
// leave enough to fill the page.
const multiSliceExtra = 20

// Search finds up to q.Limit itineraries, best first under q.Sort. A query
// that matches nothing returns an empty list; an invalid one returns an
// apperr validation error naming the fields.
func (ix *Index) Search(ctx context.Context, q Query) ([]Itinerary, error) {
	p, err := ix.validate(q)
	if err != nil {
		return nil, err
	}
	s := ix.newSearcher(ctx, p)
	defer s.release()
	k := p.limit
	if len(p.slices) > 1 {
		k += multiSliceExtra
	}
	per := make([][]path, len(p.slices))
	for i, sp := range p.slices {
		if per[i], err = s.searchSlice(sp, p.sort, k, p.maxStops); err != nil {
			return nil, err
		}
		if len(per[i]) == 0 {
			return []Itinerary{}, nil
		}
	}
	combos := combine(per, p.sort, p.limit)
	out := make([]Itinerary, 0, len(combos))
	for _, c := range combos {
		if it, ok := ix.itinerary(per, c, p, s.currencies); ok {
			out = append(out, it)
		}
	}
	return out, nil
}

// combo picks one path per slice (by index into that slice's answers).
type combo struct {
	idx   []int
	price int64
	dur   int64
	score float64
}

// combine joins the slices' answers with a beam of width limit: the best
// combinations of the first i slices extended by every answer of slice
// i+1. For the additive orders (price, duration, best) the k best
// combinations of a product are built from the k best of each part, so the
// beam loses nothing but combinations dropped for overlapping in time.
func combine(per [][]path, sort string, limit int) []combo {
	beam := []combo{{}}
	for i, paths := range per {
		width := limit
		if i < len(per)-1 {
			width += multiSliceExtra
		}
		var next []combo
		for _, c := range beam {
			for j := range paths {
				p := &paths[j]
				if i > 0 {
					prev := &per[i-1][c.idx[i-1]]
					if p.dep() < prev.arr()+minSliceGapMinutes || p.cur() != prev.cur() {
						continue
					}
				}
				next = append(next, combo{
					idx:   append(slices.Clip(c.idx), j),
					price: c.price + p.price, dur: c.dur + p.duration(), score: c.score + p.score,
				})
			}
		}
		slices.SortFunc(next, func(a, b combo) int { return compareCombos(per, sort, &a, &b) })
		beam = next[:min(len(next), width)]
	}
	return beam
}

func compareCombos(per [][]path, sort string, a, b *combo) int {
	var c int
	switch sort {
	case SortPrice:
		c = cmp.Or(cmp.Compare(a.price, b.price), cmp.Compare(a.dur, b.dur))
	case SortDuration:
		c = cmp.Or(cmp.Compare(a.dur, b.dur), cmp.Compare(a.price, b.price))
	case SortDeparture:
		for i := 0; i < len(a.idx) && c == 0; i++ {
			c = cmp.Compare(per[i][a.idx[i]].dep(), per[i][b.idx[i]].dep())
		}
		c = cmp.Or(c, cmp.Compare(a.price, b.price), cmp.Compare(a.dur, b.dur))
	default:
		c = cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.price, b.price), cmp.Compare(a.dur, b.dur))
	}
	if c != 0 {
		return c
	}
	return slices.Compare(a.idx, b.idx) // each slice's answers are in a total order
}

// itinerary builds the answer for one combination, pricing the party.
func (ix *Index) itinerary(per [][]path, c combo, p *plan, currencies []string) (Itinerary, bool) {
	it := Itinerary{Cabin: p.cabin, Legs: make([]Leg, len(c.idx))}
	cur := currencies[per[0][c.idx[0]].cur()]
	for i, j := range c.idx {
		it.Legs[i] = ix.leg(&per[i][j])
	}
	perAdult := money.Money{Minor: c.price, Currency: cur}
	total, err := partyPrice(perAdult, p.pax)
	if err != nil {
		return Itinerary{}, false // overflow: no real fare gets here
	}
	it.PerAdult, it.Price = perAdult, total
	return it, true
}

func (ix *Index) leg(p *path) Leg {
	l := Leg{Segments: make([]Segment, p.n), Stops: p.n - 1, Duration: time.Duration(p.duration()) * time.Minute}
	for i := 0; i < p.n; i++ {
		in := &p.segs[i]
		f := &ix.flights[in.flight]
		l.Segments[i] = Segment{
			Flight:  f.f,
			Departs: ix.airports[f.from].zone.timeAt(in.dep),
			Arrives: ix.airports[f.to].zone.timeAt(in.arr),
		}
	}
	return l
}

// partyPrice is the total for the party: adults pay the adult fare,
// children 75% of it and lap infants 10%, each rounded half up to the
// currency's minor unit once per traveller.
func partyPrice(perAdult money.Money, pax Passengers) (money.Money, error) {
	child := money.Money{Minor: (perAdult.Minor*3 + 2) / 4, Currency: perAdult.Currency}
	infant := money.Money{Minor: (perAdult.Minor + 5) / 10, Currency: perAdult.Currency}
	total := money.Money{Currency: perAdult.Currency}
	for _, part := range []struct {
		fare money.Money
		n    int
	}{{perAdult, pax.Adults}, {child, pax.Children}, {infant, pax.Infants}} {
		sum, err := part.fare.MulInt(int64(part.n))
		if err != nil {
			return money.Money{}, err
		}
		if total, err = total.Add(sum); err != nil {
			return money.Money{}, err
		}
	}
	return total, nil
}

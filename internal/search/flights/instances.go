package flights

import (
	"cmp"
	"context"
	"slices"
	"time"

	"pathavana/internal/catalog"
)

// inst is one flight on one local departure date, with its instants and
// adult fare: the unit the search combines.
type inst struct {
	flight   int32
	cur      int32 // fare currency: index into searcher.currencies
	dep, arr int64 // abs minutes
	price    int64 // adult fare, minor units, or unpriced / unsold
	day      int64 // local departure date at the origin, day number
}

// Instances are priced lazily, when a search first looks at them: most
// flights of a route-day fall outside any connection window.
const (
	unpriced = -1
	unsold   = -2
)

// Instances are allocated in slabs, starting small for the typical search
// and doubling: one allocation for many route-days, and no pointers for
// the GC to scan.
const (
	firstSlab = 256
	maxSlab   = 8192
)

// maxSegmentMinutes drops flight instances whose times make no sense (a
// wrong arrival day in the data), rather than letting them poison sorting.
const maxSegmentMinutes = 24 * 60

// searcher holds what one Search or Calendar call shares across slices and
// days: the filters and a memo of flight instances per route and day.
type searcher struct {
	ctx       context.Context
	ix        *Index
	p         *plan
	seated    int
	cabin     int // index of the cabin in catalog.Cabins
	nowAbs    int64
	todayTime time.Time
	memo      map[uint64][]inst
	slab      []inst
	// currencies lists the fare currencies seen, so instances carry a
	// small index instead of a string.
	currencies []string
	steps      int
}

// scratch is a searcher's reusable memory, pooled in the Index: clearing a
// map and reusing a slab is cheaper than allocating and zeroing new ones.
type scratch struct {
	memo map[uint64][]inst
	slab []inst
}

// maxPooledRouteDays keeps an unusually large search's memory out of the pool.
const maxPooledRouteDays = 1 << 14

func (ix *Index) newSearcher(ctx context.Context, p *plan) *searcher {
	now := ix.now()
	sc, _ := ix.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{memo: make(map[uint64][]inst, 256)}
	}
	return &searcher{
		ctx: ctx, ix: ix, p: p,
		seated:    p.pax.Adults + p.pax.Children,
		cabin:     max(0, slices.Index(catalog.Cabins, p.cabin)),
		nowAbs:    floorDiv(now.Unix(), 60),
		todayTime: dayTime(dayNumber(now.UTC())),
		memo:      sc.memo,
		slab:      sc.slab[:0],
	}
}

// release returns the searcher's memory to the pool. Nothing may use its
// instances afterwards (paths hold copies).
func (s *searcher) release() {
	if len(s.memo) > maxPooledRouteDays {
		return
	}
	clear(s.memo)
	s.ix.scratch.Put(&scratch{memo: s.memo, slab: s.slab[:0]})
	s.memo, s.slab = nil, nil
}

// currency is the index of code in s.currencies, adding it if new.
func (s *searcher) currency(code string) int32 {
	for i := len(s.currencies) - 1; i >= 0; i-- {
		if s.currencies[i] == code {
			return int32(i)
		}
	}
	s.currencies = append(s.currencies, code)
	return int32(len(s.currencies) - 1)
}

// cancelled checks the context every few thousand steps: often enough to
// stop within a fraction of a millisecond, rarely enough to cost nothing.
func (s *searcher) cancelled() bool {
	s.steps++
	return s.steps&1023 == 0 && s.ctx.Err() != nil
}

// instances lists the sellable flights of route ri departing on local day
// (at the route's origin), by departure instant. Filters that do not
// depend on the position in the itinerary apply here, once per route and day.
func (s *searcher) instances(ri int32, day int64) []inst {
	key := uint64(uint32(ri))<<32 | uint64(uint32(day))
	if v, ok := s.memo[key]; ok {
		return v
	}
	ix := s.ix
	r := &ix.routes[ri]
	zFrom, zTo := ix.airports[r.from].zone, ix.airports[r.to].zone
	if cap(s.slab)-len(s.slab) < len(r.flights) {
		s.slab = make([]inst, 0, max(min(2*cap(s.slab), maxSlab), firstSlab, len(r.flights)))
	}
	start := len(s.slab)
	for _, fi := range r.flights {
		f := &ix.flights[fi]
		if !f.operates(day) || !s.carrierAllowed(f.carrier) || (s.p.noRedEye && f.redEye) || f.seats[s.cabin] < s.seated {
			continue
		}
		dep := zFrom.toAbs(day*minutesPerDay + f.dep)
		arr := zTo.toAbs((day+f.arrDay)*minutesPerDay + f.arr)
		if arr <= dep || arr-dep > maxSegmentMinutes {
			continue
		}
		s.slab = append(s.slab, inst{flight: fi, day: day, dep: dep, arr: arr, price: unpriced})
	}
	out := s.slab[start:len(s.slab):len(s.slab)]
	// Already in local-clock order; only a DST fold can reorder instants.
	slices.SortStableFunc(out, func(a, b inst) int { return cmp.Compare(a.dep, b.dep) })
	s.memo[key] = out
	return out
}

func (s *searcher) carrierAllowed(c string) bool {
	if len(s.p.allow) > 0 {
		if _, ok := slices.BinarySearch(s.p.allow, c); !ok {
			return false
		}
	}
	_, denied := slices.BinarySearch(s.p.deny, c)
	return !denied
}

// priced prices in on first use and reports whether it is sold.
func (s *searcher) priced(in *inst) bool {
	if in.price == unpriced {
		price, ok := s.ix.pricer(s.ix.flights[in.flight].f, s.p.cabin, dayTime(in.day), s.todayTime)
		if !ok || price.Minor < 0 {
			in.price = unsold
			return false
		}
		in.price, in.cur = price.Minor, s.currency(price.Currency)
	}
	return in.price >= 0
}

// departuresBetween calls fn for each instance of route ri departing in
// [lo, hi] abs minutes, in departure order, until fn returns false.
func (s *searcher) departuresBetween(ri int32, lo, hi int64, fn func(*inst) bool) {
	z := s.ix.airports[s.ix.routes[ri].from].zone
	for day := z.localDay(lo); day <= z.localDay(hi); day++ {
		list := s.instances(ri, day)
		i, _ := slices.BinarySearchFunc(list, lo, func(x inst, t int64) int { return cmp.Compare(x.dep, t) })
		for ; i < len(list) && list[i].dep <= hi; i++ {
			if s.priced(&list[i]) && !fn(&list[i]) {
				return
			}
		}
	}
}

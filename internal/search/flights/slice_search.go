package flights

import (
	"cmp"
	"math"
	"slices"
)

// nonstopKMPerHour and nonstopOverheadMinutes estimate a nonstop flight's
// time from its great-circle distance: the yardstick of the "best" sort.
const (
	nonstopKMPerHour       = 800.0
	nonstopOverheadMinutes = 30.0
)

// sliceSearch finds the k best paths for one slice by branch and bound:
// first flights out of the origins, then connections forward, pruning any
// partial path whose score already exceeds the k-th best complete one.
type sliceSearch struct {
	*searcher
	sp       slicePlan
	maxStops int
	sc       scorer
	top      *topK
	allowed  [][]float64 // [origin][destination] km a path may fly
	bounds   bounds
	// lastInto maps a possible second connection B to the routes from B
	// into a destination (the meet-in-the-middle side of 2-stop search).
	lastInto map[int32][]lastHop
	lastB    []int32
	ones     map[int32][]lastHop // first route → routes A→destination
	mids     map[int32][]midHop  // first route → routes A→B with B in lastInto
	// lastDays bounds the departure instants of a slice's last flights
	// (abs minutes), and cheapest memoizes each last route's lowest fare
	// within them: the price part of the lower bounds.
	lastFrom, lastTo int64
	cheapest         map[int32]int64
	// priceBounds is set when the order depends on price: otherwise the
	// cheapest last fares cost more to find than they prune.
	priceBounds bool
}

// lastFlightWindow is how long after the first departure the last flight
// of a two-stop path can leave: two flights of at most a day each and two
// maximum layovers, rounded up.
const lastFlightWindow = 3 * minutesPerDay

// midHop is a middle flight's route with a lower bound on the minutes from
// landing at B to reaching a destination (connection plus last flight).
type midHop struct {
	route     int32
	tail      int64
	tailPrice int64 // least adult fare of the last flight
}

type lastHop struct {
	route int32
	ti    int // index of the destination in sp.to
}

// firstHop is a first flight instance, with the lower bound of every path
// starting with it.
type firstHop struct {
	in    inst
	route int32
	oi    int
	ti    int // destination index when the flight reaches one, else -1
	lb    float64
}

func (s *searcher) searchSlice(sp slicePlan, sort string, k, maxStops int) ([]path, error) {
	paths, err := s.searchSliceWithin(sp, sort, k, maxStops, strictBounds)
	if err != nil || len(paths) > 0 || maxStops == 0 {
		return paths, err
	}
	return s.searchSliceWithin(sp, sort, k, maxStops, relaxedBounds)
}

func (s *searcher) searchSliceWithin(sp slicePlan, sort string, k, maxStops int, b bounds) ([]path, error) {
	ss := &sliceSearch{searcher: s, sp: sp, maxStops: maxStops, top: newTopK(k), bounds: b,
		ones: map[int32][]lastHop{}, mids: map[int32][]midHop{}, cheapest: map[int32]int64{}}
	ss.sc = scorer{sort: sort, refMinutes: math.Inf(1)}
	ss.priceBounds = sort == SortPrice || sort == SortBest
	ss.allowed = make([][]float64, len(sp.from))
	ss.lastFrom, ss.lastTo = math.MaxInt64, math.MinInt64
	for oi, o := range sp.from {
		z := s.ix.airports[o].zone
		ss.lastFrom = min(ss.lastFrom, z.toAbs((sp.day-sp.flex)*minutesPerDay))
		ss.lastTo = max(ss.lastTo, z.toAbs((sp.day+sp.flex+1)*minutesPerDay)+lastFlightWindow)
		ss.allowed[oi] = make([]float64, len(sp.to))
		for ti, t := range sp.to {
			km := greatCircleKM(&s.ix.airports[o], &s.ix.airports[t])
			ss.allowed[oi][ti] = b.allowedKM(km)
			ss.sc.refMinutes = math.Min(ss.sc.refMinutes, nonstopOverheadMinutes+km/nonstopKMPerHour*60)
		}
	}
	if maxStops >= 2 {
		ss.buildLastInto()
	}
	firsts := ss.sortedByBound(ss.firstHops())
	// Nonstops first, then one stop, then two: the fewer-stop answers set
	// the pruning bound that keeps the wider searches small.
	for i := range firsts {
		if f := &firsts[i]; f.ti >= 0 {
			p := path{n: 1, price: f.in.price}
			p.segs[0] = f.in
			ss.finish(&p)
		}
	}
	for stops := 1; stops <= maxStops; stops++ {
		for i := range firsts {
			f := &firsts[i]
			if f.ti >= 0 {
				continue
			}
			if ss.top.prunes(f.lb) {
				break // firsts are sorted by bound: none of the rest can do better
			}
			if s.cancelled() {
				return nil, s.ctx.Err()
			}
			if stops == 1 {
				ss.oneStop(f)
			} else {
				ss.twoStops(f)
			}
		}
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	out := ss.top.items
	slices.SortFunc(out, func(a, b path) int { return comparePaths(&a, &b) })
	return out, nil
}

// sortedByBound orders first flights by lower bound, then departure and
// flight, sorting small keys rather than the large structs.
func (ss *sliceSearch) sortedByBound(firsts []firstHop) []firstHop {
	type key struct {
		lb     float64
		dep    int64
		flight int32
		i      int32
	}
	keys := make([]key, len(firsts))
	for i, f := range firsts {
		keys[i] = key{f.lb, f.in.dep, f.in.flight, int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.lb, b.lb); c != 0 {
			return c
		}
		if c := cmp.Compare(a.dep, b.dep); c != 0 {
			return c
		}
		return cmp.Compare(a.flight, b.flight)
	})
	out := make([]firstHop, len(firsts))
	for k, key := range keys {
		out[k] = firsts[key.i]
	}
	return out
}

func (ss *sliceSearch) isEnd(a int32) bool {
	return slices.Contains(ss.sp.from, a) || slices.Contains(ss.sp.to, a)
}

// firstHops lists every sellable first flight in the date window that
// either reaches a destination or leaves toward one within the detour limit.
func (ss *sliceSearch) firstHops() []firstHop {
	ix, p := ss.ix, ss.p
	var out []firstHop
	for oi, o := range ss.sp.from {
		type kept struct {
			route int32
			ti    int
		}
		var routes []kept
		for _, ri := range ix.airports[o].out {
			a := ix.routes[ri].to
			if ti := slices.Index(ss.sp.to, a); ti >= 0 {
				routes = append(routes, kept{ri, ti})
			} else if ss.maxStops >= 1 && !ss.isEnd(a) && ss.leadsToward(oi, ri) {
				routes = append(routes, kept{ri, -1})
			}
		}
		today := ix.airports[o].zone.localDay(ss.nowAbs)
		for day := max(ss.sp.day-ss.sp.flex, today); day <= ss.sp.day+ss.sp.flex; day++ {
			for _, k := range routes {
				list := ss.instances(k.route, day)
				for i := range list {
					in := &list[i]
					clock := ix.flights[in.flight].dep
					if clock < p.after || clock > p.before || in.dep < ss.nowAbs ||
						(p.maxDur > 0 && in.arr-in.dep > p.maxDur) || !ss.priced(in) {
						continue
					}
					out = append(out, firstHop{in: *in, route: k.route, oi: oi, ti: k.ti,
						lb: ss.sc.score(in.price, in.dep, in.arr)})
				}
			}
		}
	}
	return out
}

// leadsToward reports whether a first flight on route ri can still be
// part of a path within the detour limit to some destination.
func (ss *sliceSearch) leadsToward(oi int, ri int32) bool {
	r := &ss.ix.routes[ri]
	a := &ss.ix.airports[r.to]
	for ti, t := range ss.sp.to {
		if r.distKM+greatCircleKM(a, &ss.ix.airports[t]) <= ss.allowed[oi][ti] {
			return true
		}
	}
	return false
}

func (ss *sliceSearch) buildLastInto() {
	ss.lastInto = map[int32][]lastHop{}
	for ti, t := range ss.sp.to {
		for _, ri := range ss.ix.airports[t].in {
			b := ss.ix.routes[ri].from
			if ss.isEnd(b) {
				continue
			}
			if _, seen := ss.lastInto[b]; !seen {
				ss.lastB = append(ss.lastB, b)
			}
			ss.lastInto[b] = append(ss.lastInto[b], lastHop{route: ri, ti: ti})
		}
	}
	slices.Sort(ss.lastB)
}

// finish scores a complete path and offers it to the results.
func (ss *sliceSearch) finish(p *path) {
	if ss.p.maxDur > 0 && p.duration() > ss.p.maxDur {
		return
	}
	p.score = ss.sc.score(p.price, p.dep(), p.arr())
	ss.top.offer(p)
}

// extendable reports whether a partial path with this fare so far and
// this arrival can still make the results, and within the duration limit.
func (ss *sliceSearch) extendable(price, dep, arr int64) bool {
	if ss.p.maxDur > 0 && arr-dep > ss.p.maxDur {
		return false
	}
	return !ss.top.prunes(ss.sc.score(price, dep, arr))
}

// connect calls fn for each instance of route next that the traveller
// arriving on prev (flown on route prevRoute) can catch: at least the
// minimum connection time, at most the maximum layover.
func (ss *sliceSearch) connect(prev *inst, prevRoute, next int32, fn func(*inst) bool) {
	lo := prev.arr + ss.connectionMinutes(prevRoute, next)
	ss.departuresBetween(next, lo, prev.arr+ss.bounds.maxLayover, fn)
}

// connectionMinutes is the minimum connection time between two routes:
// international unless all three airports are in one country.
func (ss *sliceSearch) connectionMinutes(prevRoute, next int32) int64 {
	ix := ss.ix
	from, via, to := ix.routes[prevRoute].from, ix.routes[prevRoute].to, ix.routes[next].to
	c := ix.airports[via].country
	if ix.airports[from].country != c || ix.airports[to].country != c {
		return ix.airports[via].mct[1]
	}
	return ix.airports[via].mct[0]
}

func (ss *sliceSearch) oneStop(f *firstHop) {
	dep := f.in.dep
	for _, h := range ss.onesFrom(f.route, f.oi) {
		earliest := f.in.arr + ss.connectionMinutes(f.route, h.route) + ss.ix.routes[h.route].minMinutes
		least, ok := ss.cheapestFare(h.route)
		if !ok || !ss.extendable(f.in.price+least, dep, earliest) {
			continue
		}
		ss.connect(&f.in, f.route, h.route, func(next *inst) bool {
			price := f.in.price + next.price
			if next.cur != f.in.cur || !ss.extendable(price, dep, next.arr) {
				return true
			}
			p := path{n: 2, price: price}
			p.segs[0], p.segs[1] = f.in, *next
			ss.finish(&p)
			return true
		})
	}
}

// onesFrom lists the routes from a first flight's arrival airport to a
// destination that keep within the detour limit.
func (ss *sliceSearch) onesFrom(first int32, oi int) []lastHop {
	if v, ok := ss.ones[first]; ok {
		return v
	}
	ix := ss.ix
	r1 := &ix.routes[first]
	var out []lastHop
	for ti, t := range ss.sp.to {
		if ri, ok := ix.pairs[pairKey(r1.to, t)]; ok && r1.distKM+ix.routes[ri].distKM <= ss.allowed[oi][ti] {
			out = append(out, lastHop{route: ri, ti: ti})
		}
	}
	ss.ones[first] = out
	return out
}

func (ss *sliceSearch) twoStops(f *firstHop) {
	ix := ss.ix
	dep := f.in.dep
	d1 := ix.routes[f.route].distKM
	for _, mh := range ss.midsFrom(f.route, f.oi) {
		mid := mh.route
		earliest := f.in.arr + ss.connectionMinutes(f.route, mid) + ix.routes[mid].minMinutes + mh.tail
		if !ss.extendable(f.in.price+mh.tailPrice, dep, earliest) {
			continue
		}
		d2 := d1 + ix.routes[mid].distKM
		lasts := ss.lastInto[ix.routes[mid].to]
		ss.connect(&f.in, f.route, mid, func(m *inst) bool {
			price2 := f.in.price + m.price
			if m.cur != f.in.cur || !ss.extendable(price2+mh.tailPrice, dep, m.arr+mh.tail) {
				return true
			}
			for _, lh := range lasts {
				if d2+ix.routes[lh.route].distKM > ss.allowed[f.oi][lh.ti] {
					continue
				}
				ss.connect(m, mid, lh.route, func(last *inst) bool {
					price := price2 + last.price
					if last.cur != f.in.cur || !ss.extendable(price, dep, last.arr) {
						return true
					}
					p := path{n: 3, price: price}
					p.segs[0], p.segs[1], p.segs[2] = f.in, *m, *last
					ss.finish(&p)
					return true
				})
			}
			return true
		})
	}
}

// midsFrom lists the routes A→B from a first flight's arrival A to a
// second connection B that has a route into a destination, keeping only
// those that some complete path can fly within the detour limit. It looks
// up airport pairs from whichever side is smaller: A's departures or the
// set of airports with a route into the destinations.
func (ss *sliceSearch) midsFrom(first int32, oi int) []midHop {
	if v, ok := ss.mids[first]; ok {
		return v
	}
	ix := ss.ix
	r1 := &ix.routes[first]
	a := r1.to
	// tail is the least time from landing on ri to a destination, over the
	// last flights within the detour limit; ok is false when there is none.
	var out []midHop
	add := func(ri int32) {
		d := r1.distKM + ix.routes[ri].distKM
		b := &ix.airports[ix.routes[ri].to]
		h := midHop{route: ri, tail: math.MaxInt64, tailPrice: math.MaxInt64}
		for _, lh := range ss.lastInto[ix.routes[ri].to] {
			if d+ix.routes[lh.route].distKM > ss.allowed[oi][lh.ti] {
				continue
			}
			if least, ok := ss.cheapestFare(lh.route); ok {
				h.tail = min(h.tail, min(b.mct[0], b.mct[1])+ix.routes[lh.route].minMinutes)
				h.tailPrice = min(h.tailPrice, least)
			}
		}
		if h.tail != math.MaxInt64 {
			out = append(out, h)
		}
	}
	if outA := ix.airports[a].out; len(outA) <= len(ss.lastB) {
		for _, ri := range outA {
			add(ri)
		}
	} else {
		for _, b := range ss.lastB {
			if ri, ok := ix.pairs[pairKey(a, b)]; ok {
				add(ri)
			}
		}
	}
	ss.mids[first] = out
	return out
}

// cheapestFare is the lowest adult fare of a last flight on route ri
// departing within the slice's last-flight window; ok is false when none
// is sold then, which rules the route out. Without price bounds it is 0.
func (ss *sliceSearch) cheapestFare(ri int32) (int64, bool) {
	if !ss.priceBounds {
		return 0, true
	}
	if v, ok := ss.cheapest[ri]; ok {
		return v, v >= 0
	}
	z := ss.ix.airports[ss.ix.routes[ri].from].zone
	least := int64(-1)
	for day := z.localDay(ss.lastFrom); day <= z.localDay(ss.lastTo); day++ {
		list := ss.instances(ri, day)
		for i := range list {
			in := &list[i]
			if in.dep >= ss.lastFrom && in.dep <= ss.lastTo && ss.priced(in) && (least < 0 || in.price < least) {
				least = in.price
			}
		}
	}
	ss.cheapest[ri] = least
	return least, least >= 0
}

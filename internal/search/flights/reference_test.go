package flights

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"pathavana/internal/catalog"
)

// reference is a deliberately plain implementation of the search rules:
// depth-first over every flight, time.Date for every instant, no indexes
// and no bounds beyond the geometric one. The property test checks that
// the indexed branch-and-bound search returns exactly its top answers.
type reference struct {
	d       *catalog.Data
	now     time.Time
	pricer  Pricer
	airport map[string]*catalog.Airport
	rec     map[string]*airportRec
	loc     map[string]*time.Location
	from    map[string][]int // flight indexes by origin
	large   map[string]bool
}

type refSeg struct {
	fi       int
	f        *catalog.Flight
	day      int64
	dep, arr time.Time
	price    int64
}

type refPath struct {
	segs  []refSeg
	price int64
	km    float64
	score float64
}

func newReference(t testing.TB, d *catalog.Data, now time.Time, pricer Pricer) *reference {
	r := &reference{d: d, now: now, pricer: pricer, airport: map[string]*catalog.Airport{},
		rec: map[string]*airportRec{}, loc: map[string]*time.Location{}, from: map[string][]int{}, large: map[string]bool{}}
	weekly := map[string]int{}
	for i := range d.Airports {
		a := &d.Airports[i]
		r.airport[a.IATA] = a
		r.rec[a.IATA] = &airportRec{lat: a.Lat * math.Pi / 180, lon: a.Lon * math.Pi / 180}
		l, err := time.LoadLocation(a.Zone)
		if err != nil {
			t.Fatal(err)
		}
		r.loc[a.IATA] = l
	}
	for i, f := range d.Flights {
		r.from[f.From] = append(r.from[f.From], i)
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if f.Days.Has(wd) {
				weekly[f.From]++
			}
		}
	}
	for code, n := range weekly {
		r.large[code] = n >= largeAirportWeekly
	}
	return r
}

func (r *reference) km(a, b string) float64 { return greatCircleKM(r.rec[a], r.rec[b]) }

func (r *reference) mct(from, via, to string) time.Duration {
	c := r.airport[via].Country
	switch {
	case r.airport[from].Country == c && r.airport[to].Country == c:
		return 45 * time.Minute
	case r.large[via]:
		return 90 * time.Minute
	}
	return 60 * time.Minute
}

// segment is flight fi departing on local date day, if it is sold to q.
func (r *reference) segment(q Query, fi int, day time.Time) (refSeg, bool) {
	f := &r.d.Flights[fi]
	cabin := cmp.Or(q.Cabin, catalog.Economy)
	if !f.Days.Has(day.Weekday()) || (!f.ValidFrom.IsZero() && day.Before(f.ValidFrom.Time)) ||
		(!f.ValidTo.IsZero() && day.After(f.ValidTo.Time)) {
		return refSeg{}, false
	}
	if len(q.Airlines) > 0 && !slices.Contains(q.Airlines, f.Carrier) || slices.Contains(q.ExcludeAirlines, f.Carrier) {
		return refSeg{}, false
	}
	pax := q.Passengers
	if pax == (Passengers{}) {
		pax.Adults = 1
	}
	if n, ok := f.Seats[cabin]; ok && n < pax.Adults+pax.Children {
		return refSeg{}, false
	}
	dep := int(f.Departs)
	if q.NoRedEye && ((dep >= 22*60 && f.ArrivalDay >= 1) || (dep < 5*60 && f.ArrivalDay >= 0)) {
		return refSeg{}, false
	}
	y, m, dd := day.Date()
	s := refSeg{fi: fi, f: f, day: dayNumber(day),
		dep: time.Date(y, m, dd, dep/60, dep%60, 0, 0, r.loc[f.From]),
		arr: time.Date(y, m, dd+f.ArrivalDay, int(f.Arrives)/60, int(f.Arrives)%60, 0, 0, r.loc[f.To])}
	if !s.arr.After(s.dep) || s.arr.Sub(s.dep) > 24*time.Hour {
		return refSeg{}, false
	}
	price, ok := r.pricer(f, cabin, day, dayTime(dayNumber(r.now.UTC())))
	s.price = price.Minor
	return s, ok && price.Currency == "USD"
}

// search returns every path for a one-way q, best first: within the strict
// bounds, or the relaxed ones when the strict find nothing (as Search does).
func (r *reference) search(q Query) []refPath {
	out := r.searchWithin(q, strictBounds)
	if len(out) == 0 && q.MaxStops > 0 {
		out = r.searchWithin(q, relaxedBounds)
	}
	return out
}

func (r *reference) searchWithin(q Query, b bounds) []refPath {
	sl := q.Slices[0]
	var out []refPath
	refMinutes := math.Inf(1)
	for _, o := range sl.From {
		for _, t := range sl.To {
			refMinutes = math.Min(refMinutes, 30+r.km(o, t)/800*60)
		}
	}
	isEnd := func(a string) bool { return slices.Contains(sl.From, a) || slices.Contains(sl.To, a) }
	before := cmp.Or(int(q.DepartBefore), minutesPerDay)
	var walk func(o string, p []refSeg, km float64)
	walk = func(o string, p []refSeg, km float64) {
		last := p[len(p)-1]
		at := r.d.Flights[last.fi].To
		if slices.Contains(sl.To, at) {
			dur := last.arr.Sub(p[0].dep)
			if km > b.allowedKM(r.km(o, at)) || (q.MaxDuration > 0 && dur > q.MaxDuration) {
				return
			}
			rp := refPath{segs: slices.Clone(p), km: km}
			for _, s := range p {
				rp.price += s.price
			}
			rp.score = scorer{sort: cmp.Or(q.Sort, SortBest), refMinutes: refMinutes}.score(rp.price, p[0].dep.Unix()/60, last.arr.Unix()/60)
			out = append(out, rp)
			return
		}
		if len(p) > q.MaxStops || km+minKM(r, at, sl.To) > maxAllowed(r, o, sl.To, b) {
			return
		}
		prevFrom := r.d.Flights[last.fi].From
		for _, fi := range r.from[at] {
			next := r.d.Flights[fi].To
			if isEnd(next) && !slices.Contains(sl.To, next) || slices.ContainsFunc(p, func(s refSeg) bool { return r.d.Flights[s.fi].From == next }) {
				continue
			}
			lo, hi := last.arr.Add(r.mct(prevFrom, at, next)), last.arr.Add(time.Duration(b.maxLayover)*time.Minute)
			ly, lm, ld := lo.In(r.loc[at]).Date()
			hy, hm, hd := hi.In(r.loc[at]).Date()
			last := time.Date(hy, hm, hd, 0, 0, 0, 0, time.UTC)
			for day := time.Date(ly, lm, ld-1, 0, 0, 0, 0, time.UTC); !day.After(last); day = day.AddDate(0, 0, 1) {
				s, ok := r.segment(q, fi, day)
				if ok && !s.dep.Before(lo) && !s.dep.After(hi) {
					walk(o, append(p, s), km+r.km(at, next))
				}
			}
		}
	}
	for _, o := range sl.From {
		today := r.now.In(r.loc[o])
		for off := -sl.DateFlex; off <= sl.DateFlex; off++ {
			day := sl.Date.AddDate(0, 0, off)
			if y, m, dd := today.Date(); day.Before(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)) {
				continue
			}
			for _, fi := range r.from[o] {
				f := &r.d.Flights[fi]
				if isEnd(f.To) && !slices.Contains(sl.To, f.To) || int(f.Departs) < int(q.DepartAfter) || int(f.Departs) > before {
					continue
				}
				s, ok := r.segment(q, fi, day)
				if !ok || s.dep.Before(r.now) || (q.MaxDuration > 0 && s.arr.Sub(s.dep) > q.MaxDuration) {
					continue
				}
				walk(o, []refSeg{s}, r.km(o, f.To))
			}
		}
	}
	slices.SortFunc(out, compareRef)
	return out
}

func minKM(r *reference, at string, to []string) float64 {
	best := math.Inf(1)
	for _, t := range to {
		best = math.Min(best, r.km(at, t))
	}
	return best
}

func maxAllowed(r *reference, o string, to []string, b bounds) float64 {
	best := 0.0
	for _, t := range to {
		best = math.Max(best, b.allowedKM(r.km(o, t)))
	}
	return best
}

func compareRef(a, b refPath) int {
	dur := func(p refPath) time.Duration { return p.segs[len(p.segs)-1].arr.Sub(p.segs[0].dep) }
	c := cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.price, b.price), cmp.Compare(dur(a), dur(b)),
		a.segs[0].dep.Compare(b.segs[0].dep), cmp.Compare(len(a.segs), len(b.segs)))
	for i := 0; c == 0 && i < len(a.segs); i++ {
		c = cmp.Or(compareFlights(a.segs[i].f, b.segs[i].f), cmp.Compare(a.segs[i].day, b.segs[i].day))
	}
	return c
}

// compareFlights is the canonical flight order of equal itineraries:
// origin, destination, departure time, number.
func compareFlights(a, b *catalog.Flight) int {
	return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Departs, b.Departs), cmp.Compare(a.Number, b.Number))
}

func describeRef(d *catalog.Data, p refPath) string {
	var parts []string
	for _, s := range p.segs {
		parts = append(parts, d.Flights[s.fi].Number+"@"+s.dep.UTC().Format("01-02T15:04"))
	}
	return fmt.Sprintf("%s $%d", strings.Join(parts, "+"), p.price)
}

func describe(it Itinerary) string {
	var parts []string
	for _, s := range it.Legs[0].Segments {
		parts = append(parts, s.Flight.Number+"@"+s.Departs.UTC().Format("01-02T15:04"))
	}
	return fmt.Sprintf("%s $%d", strings.Join(parts, "+"), it.PerAdult.Minor)
}

// randomQuery draws a one-way query from a stable hash of i.
func randomQuery(d *catalog.Data, i int) Query {
	h := func(k uint64) uint64 { return hashOf(uint64(i), k) }
	pick := func(k uint64) string { return d.Airports[h(k)%uint64(len(d.Airports))].IATA }
	from, to := pick(1), pick(2)
	if from == to {
		to = d.Airports[(h(2)+1)%uint64(len(d.Airports))].IATA
	}
	q := Query{
		Slices:   []Slice{{From: []string{from}, To: []string{to}, Date: catalog.Date{Time: time.Date(2027, 3, 9+int(h(3)%24), 0, 0, 0, 0, time.UTC)}, DateFlex: int(h(4) % 2)}},
		MaxStops: []int{0, 1, 2, 2}[h(5)%4],
		Sort:     []string{SortBest, SortPrice, SortDuration, SortDeparture}[h(6)%4],
		Limit:    1 + int(h(7)%25),
	}
	// Sometimes a side has two airports, like a city.
	if extra := pick(11); h(12)%4 == 0 && extra != from && extra != to {
		q.Slices[0].To = append(q.Slices[0].To, extra)
	}
	if extra := pick(13); h(14)%4 == 0 && extra != from && !slices.Contains(q.Slices[0].To, extra) {
		q.Slices[0].From = append(q.Slices[0].From, extra)
	}
	switch h(8) % 8 {
	case 0:
		q.NoRedEye = true
	case 1:
		q.DepartAfter, q.DepartBefore = catalog.Clock(h(9)%720), catalog.Clock(720+h(9)%720)
	case 2:
		q.MaxDuration = time.Duration(3+h(9)%20) * time.Hour
	case 3:
		q.Passengers = Passengers{Adults: 1 + int(h(9)%3), Children: int(h(10) % 3)}
	case 4:
		q.Cabin = catalog.Business
	case 5:
		q.ExcludeAirlines = []string{d.Flights[h(9)%uint64(len(d.Flights))].Carrier}
	}
	return q
}

// TestMatchesReference runs random one-way queries over a synthetic
// network and requires the exact answers of the brute-force reference.
func TestMatchesReference(t *testing.T) {
	d := syntheticNetwork(t, networkSpec{airports: 220, hubs: 25, hubLinks: 14, trunks: 8, freqScale: 100})
	now := time.Date(2027, 3, 8, 15, 0, 0, 0, time.UTC)
	ix, err := NewIndex(d, Options{Now: func() time.Time { return now }, Pricer: hashPricer})
	if err != nil {
		t.Fatal(err)
	}
	ref := newReference(t, d, now, hashPricer)
	queries := 150
	if testing.Short() {
		queries = 30
	}
	found := 0
	for i := range queries {
		q := randomQuery(d, i)
		got, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("query %d %+v: %v", i, q, err)
		}
		want := ref.search(q)
		want = want[:min(len(want), q.Limit)]
		if len(want) > 0 {
			found++
		}
		var g, w []string
		for _, it := range got {
			g = append(g, describe(it))
		}
		for _, p := range want {
			w = append(w, describeRef(d, p))
		}
		if !slices.Equal(g, w) {
			t.Fatalf("query %d %s→%s %s ±%d stops≤%d sort=%s limit=%d:\n got  %q\n want %q", i, q.Slices[0].From, q.Slices[0].To,
				q.Slices[0].Date, q.Slices[0].DateFlex, q.MaxStops, q.Sort, q.Limit, g, w)
		}
	}
	t.Logf("%d of %d queries found itineraries", found, queries)
	if found < queries/3 {
		t.Fatalf("only %d of %d queries found anything: the network is too sparse to test", found, queries)
	}
}

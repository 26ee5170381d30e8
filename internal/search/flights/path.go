package flights

import "cmp"

// maxSegments is one more than the most stops a leg may make.
const maxSegments = MaxStopsLimit + 1

// path is a candidate answer to one slice: up to three flight instances.
type path struct {
	segs  [maxSegments]inst
	n     int
	price int64 // adult fare, minor units
	score float64
}

func (p *path) dep() int64      { return p.segs[0].dep }
func (p *path) arr() int64      { return p.segs[p.n-1].arr }
func (p *path) duration() int64 { return p.arr() - p.dep() }
func (p *path) cur() int32      { return p.segs[0].cur }

// scorer ranks a slice's paths. Every score is monotone: adding a flight
// never lowers it (price and arrival only grow, departure is fixed), so a
// partial path's score is a lower bound for every path that extends it,
// which is what lets the search prune.
type scorer struct {
	sort string
	// refMinutes is the estimated nonstop flying time for the slice, the
	// yardstick of the "best" blend.
	refMinutes float64
}

func (sc scorer) score(price, dep, arr int64) float64 {
	switch sc.sort {
	case SortPrice:
		return float64(price)
	case SortDuration:
		return float64(arr - dep)
	case SortDeparture:
		return float64(dep)
	}
	// best: the price weighted by how long the journey takes relative to
	// a nonstop flight. Currency-neutral (it orders the same whatever the
	// unit), and it trades money for time proportionally: twice the
	// nonstop time costs like half again the price.
	return float64(price) * (1 + float64(arr-dep)/sc.refMinutes)
}

// comparePaths is a total order on a slice's paths: score, then price,
// duration, departure, then the flights themselves, so results never
// depend on the order of exploration.
func comparePaths(a, b *path) int {
	if c := cmp.Compare(a.score, b.score); c != 0 {
		return c
	}
	if c := cmp.Compare(a.price, b.price); c != 0 {
		return c
	}
	if c := cmp.Compare(a.duration(), b.duration()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.dep(), b.dep()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.n, b.n); c != 0 {
		return c
	}
	for i := 0; i < a.n; i++ {
		if c := cmp.Compare(a.segs[i].flight, b.segs[i].flight); c != 0 {
			return c
		}
		if c := cmp.Compare(a.segs[i].day, b.segs[i].day); c != 0 {
			return c
		}
	}
	return 0
}

// topK keeps the k smallest paths under comparePaths in a max-heap.
type topK struct {
	k     int
	items []path
}

func newTopK(k int) *topK { return &topK{k: k, items: make([]path, 0, k)} }

// full reports whether a path scoring above bound can no longer get in.
func (t *topK) prunes(bound float64) bool {
	return len(t.items) == t.k && bound > t.items[0].score
}

func (t *topK) offer(p *path) {
	if len(t.items) < t.k {
		t.items = append(t.items, *p)
		t.up(len(t.items) - 1)
		return
	}
	if comparePaths(p, &t.items[0]) >= 0 {
		return
	}
	t.items[0] = *p
	t.down(0)
}

func (t *topK) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if comparePaths(&t.items[i], &t.items[parent]) <= 0 {
			return
		}
		t.items[i], t.items[parent] = t.items[parent], t.items[i]
		i = parent
	}
}

func (t *topK) down(i int) {
	n := len(t.items)
	for {
		big := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < n && comparePaths(&t.items[c], &t.items[big]) > 0 {
				big = c
			}
		}
		if big == i {
			return
		}
		t.items[i], t.items[big] = t.items[big], t.items[i]
		i = big
	}
}

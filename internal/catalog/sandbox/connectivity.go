package sandbox

import (
	"math/bits"
	"slices"
)

// bitset is a set of top airports (by their position in the top list).
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i/64] |= 1 << (i % 64) }
func (b bitset) or(o bitset) {
	for k := range b {
		b[k] |= o[k]
	}
}
func (b bitset) clear()            { clear(b) }
func (b bitset) copyFrom(o bitset) { copy(b, o) }
func (b bitset) covers(o bitset) bool {
	for k := range b {
		if o[k]&^b[k] != 0 {
			return false
		}
	}
	return true
}

func (b bitset) count() int {
	c := 0
	for _, w := range b {
		c += bits.OnesCount64(w)
	}
	return c
}

// missingFrom writes all minus b into out.
func (b bitset) missingFrom(all, out bitset) {
	for k := range b {
		out[k] = all[k] &^ b[k]
	}
}

func (b bitset) intersectCount(o bitset) int {
	c := 0
	for k := range b {
		c += bits.OnesCount64(b[k] & o[k])
	}
	return c
}

// reach tracks, for every node, which top airports it reaches within one
// (r1) and two (r2) flights, counting itself as reached with none.
type reach struct {
	n      *network
	topPos map[int]int
	r1, r2 []bitset
}

func newReach(n *network, top []int) *reach {
	r := &reach{n: n, topPos: make(map[int]int, len(top)), r1: make([]bitset, len(n.nodes)), r2: make([]bitset, len(n.nodes))}
	for p, i := range top {
		r.topPos[i] = p
	}
	for i := range n.nodes {
		r.r1[i], r.r2[i] = newBitset(len(top)), newBitset(len(top))
	}
	for i := range n.nodes {
		r.updateR1(i)
	}
	for i := range n.nodes {
		r.updateR2(i)
	}
	return r
}

func (r *reach) updateR1(i int) {
	b := r.r1[i]
	b.clear()
	if p, ok := r.topPos[i]; ok {
		b.set(p)
	}
	for _, j := range r.n.adj[i] {
		if p, ok := r.topPos[j]; ok {
			b.set(p)
		}
	}
}

func (r *reach) updateR2(i int) {
	b := r.r2[i]
	b.copyFrom(r.r1[i])
	for _, j := range r.n.adj[i] {
		b.or(r.r1[j])
	}
}

// r3 writes into out what node i reaches within three flights.
func (r *reach) r3(i int, out bitset) {
	out.copyFrom(r.r2[i])
	for _, j := range r.n.adj[i] {
		out.or(r.r2[j])
	}
}

// linked updates the sets after the pair i–j was added.
func (r *reach) linked(i, j int) {
	r.updateR1(i)
	r.updateR1(j)
	touched := append([]int{i, j}, r.n.adj[i]...)
	touched = append(touched, r.n.adj[j]...)
	for _, k := range touched {
		r.updateR2(k)
	}
}

// topIndexes lists the top airports by node index.
func (n *network) topIndexes() []int {
	var top []int
	for i := range n.nodes {
		if n.nodes[i].top && n.nodes[i].served {
			top = append(top, i)
		}
	}
	return top
}

// repairTopConnectivity makes every top airport reach every other within
// three flights. While some top airport misses others, it takes the one
// missing most (ties by IATA, so the remote ones go first and one link
// fixes many pairs) and links it to the nearest hub from which all its
// missing ones are within two flights (or, if none, the hub covering most
// of them).
func (n *network) repairTopConnectivity() {
	top := n.topIndexes()
	if len(top) == 0 {
		return
	}
	r := newReach(n, top)
	all := newBitset(len(top))
	for p := range top {
		all.set(p)
	}
	hubs := n.hubIndexes(tierGlobalHub, tierRegionalHub)
	stuck := map[int]bool{}
	reached, missing, worstMissing := newBitset(len(top)), newBitset(len(top)), newBitset(len(top))
	for {
		worst, worstCount := -1, 0
		for _, i := range top {
			if stuck[i] {
				continue
			}
			r.r3(i, reached)
			reached.missingFrom(all, missing)
			if c := missing.count(); c > worstCount {
				worst, worstCount = i, c
				worstMissing.copyFrom(missing)
			}
		}
		if worst < 0 {
			return
		}
		h := n.bestRepairHub(worst, hubs, r, worstMissing)
		if h < 0 {
			stuck[worst] = true // nothing can help; the connectivity test reports it
			continue
		}
		n.link(worst, h)
		r.linked(worst, h)
	}
}

// bestRepairHub picks the nearest linkable hub covering all of missing
// within two flights, else the one covering most (nearest on ties); -1
// when no hub covers any.
func (n *network) bestRepairHub(i int, hubs []int, r *reach, missing bitset) int {
	best, bestCount := -1, 0
	for _, h := range n.byDistance(i, hubs) {
		if !n.canLink(i, h) || slices.Contains(n.adj[i], h) {
			continue
		}
		if r.r2[h].covers(missing) {
			return h
		}
		if c := r.r2[h].intersectCount(missing); c > bestCount {
			best, bestCount = h, c
		}
	}
	return best
}

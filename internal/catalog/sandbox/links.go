package sandbox

import (
	"cmp"
	"slices"
)

// dist is the great-circle distance between two nodes.
func (n *network) dist(i, j int) float64 {
	return chordKM(chord2(n.nodes[i].pt, n.nodes[j].pt))
}

// byDistance returns candidates ordered by distance from i (ties by index).
func (n *network) byDistance(i int, candidates []int) []int {
	type cand struct {
		j  int
		c2 float64
	}
	list := make([]cand, len(candidates))
	for k, j := range candidates {
		list[k] = cand{j, chord2(n.nodes[i].pt, n.nodes[j].pt)}
	}
	slices.SortFunc(list, func(a, b cand) int { return cmp.Or(cmp.Compare(a.c2, b.c2), cmp.Compare(a.j, b.j)) })
	out := make([]int, len(list))
	for k, c := range list {
		out[k] = c.j
	}
	return out
}

// canLink reports whether i–j may be a route: two served airports of
// different cities, between minRouteKM and maxNonstopKM apart.
func (n *network) canLink(i, j int) bool { return n.canLinkAt(i, j, n.dist(i, j)) }

func (n *network) canLinkAt(i, j int, d float64) bool {
	a, b := &n.nodes[i], &n.nodes[j]
	if i == j || !a.served || !b.served || a.ap.CityID == b.ap.CityID {
		return false
	}
	return d >= minRouteKM && d <= maxNonstopKM
}

// link adds the pair i–j when allowed and reports whether it exists now.
func (n *network) link(i, j int) bool {
	if !n.canLink(i, j) {
		return false
	}
	key := [2]int{min(i, j), max(i, j)}
	if !n.pairs[key] {
		n.pairs[key] = true
		n.adj[i] = append(n.adj[i], j)
		n.adj[j] = append(n.adj[j], i)
	}
	return true
}

// hubIndexes lists served nodes of the given tiers, by index.
func (n *network) hubIndexes(tiers ...int) []int {
	var out []int
	for i := range n.nodes {
		if n.nodes[i].served && slices.Contains(tiers, n.nodes[i].tier) {
			out = append(out, i)
		}
	}
	return out
}

// linkHubCore joins every two global hubs within nonstop range.
func (n *network) linkHubCore() {
	core := n.hubIndexes(tierGlobalHub)
	for x, i := range core {
		for _, j := range core[x+1:] {
			n.link(i, j)
		}
	}
}

// linkHubsAndBigCities gives regional hubs and big cities long-haul links:
// their two nearest global hubs, plus the strongest global and regional
// hubs by gravity within reach.
func (n *network) linkHubsAndBigCities() {
	global := n.hubIndexes(tierGlobalHub)
	hubs := n.hubIndexes(tierGlobalHub, tierRegionalHub)
	for i := range n.nodes {
		nd := &n.nodes[i]
		if !nd.served || (nd.tier != tierRegionalHub && nd.tier != tierBig && nd.tier != tierGlobalHub) {
			continue
		}
		if nd.tier != tierGlobalHub {
			n.linkNearest(i, global, 2)
		}
		reach, picks := 9000.0, 4
		if nd.tier == tierRegionalHub {
			reach, picks = 8000, 6
		}
		if nd.tier == tierGlobalHub {
			reach, picks = 6000, 8 // global hubs also feed the regional hubs around them
		}
		n.linkStrongest(i, hubs, reach, picks)
	}
}

// linkNearest links i to its k nearest candidates that can be linked.
func (n *network) linkNearest(i int, candidates []int, k int) {
	for _, j := range n.byDistance(i, candidates) {
		if k == 0 {
			return
		}
		if n.canLink(i, j) {
			n.link(i, j)
			k--
		}
	}
}

// gravity is the demand proxy between two airports d km apart: the product
// of their sizes (boosted at hubs) over squared distance, damped across
// borders.
func (n *network) gravity(i, j int, d float64) float64 {
	a, b := &n.nodes[i], &n.nodes[j]
	g := a.size * b.size * tierBoost(a.tier) * tierBoost(b.tier)
	if a.ap.Country != b.ap.Country {
		g *= 0.35
	}
	x := d/100 + 1
	return g / (x * x)
}

// tierBoost accounts for connecting passengers at hubs.
func tierBoost(tier int) float64 {
	switch tier {
	case tierGlobalHub:
		return 3
	case tierRegionalHub:
		return 2
	}
	return 1
}

// linkStrongest links i to the k candidates within reachKM with the
// highest gravity (ties by index).
func (n *network) linkStrongest(i int, candidates []int, reachKM float64, k int) {
	limit := chord2Of(reachKM)
	top := make([]candidate, 0, k+1)
	for _, j := range candidates {
		c2 := chord2(n.nodes[i].pt, n.nodes[j].pt)
		if c2 > limit {
			continue
		}
		d := chordKM(c2)
		if !n.canLinkAt(i, j, d) {
			continue
		}
		top = keepStrongest(top, candidate{j, n.gravity(i, j, d)}, k)
	}
	for _, c := range top {
		n.link(i, c.j)
	}
}

type candidate struct {
	j int
	g float64
}

// keepStrongest inserts c into top (sorted by gravity, then index) and
// keeps at most k.
func keepStrongest(top []candidate, c candidate, k int) []candidate {
	pos := len(top)
	for pos > 0 && (top[pos-1].g < c.g || (top[pos-1].g == c.g && top[pos-1].j > c.j)) {
		pos--
	}
	if pos >= k {
		return top
	}
	top = slices.Insert(top, pos, c)
	if len(top) > k {
		top = top[:k]
	}
	return top
}

// linkLocal lets every served airport pick its strongest nearby partners
// (short- and medium-haul). Minor fields are not picked by others.
func (n *network) linkLocal() {
	var pool []int
	for i := range n.nodes {
		if n.nodes[i].served && !n.nodes[i].minor {
			pool = append(pool, i)
		}
	}
	var near []int
	for i := range n.nodes {
		nd := &n.nodes[i]
		if !nd.served {
			continue
		}
		reach := localReachKM[nd.tier]
		candidates := pool
		if reach < 2000 { // the grid pays off for small radii only
			near = near[:0]
			n.grid.within(nd.ap.Lat, nd.ap.Lon, reach, func(j int, _ float64) {
				if n.nodes[j].served && !n.nodes[j].minor {
					near = append(near, j)
				}
			})
			candidates = near // order is irrelevant: ties break by index
		}
		n.linkStrongest(i, candidates, reach, localPartners[nd.tier])
	}
}

// linkFeeders connects every served airport to its nearest hub: one in its
// own country when there is one within 3,000 km, else the nearest anywhere.
// Airports of the top cities also get their nearest global hub. This makes
// the whole network one connected graph.
func (n *network) linkFeeders() {
	hubs := n.hubIndexes(tierGlobalHub, tierRegionalHub)
	global := n.hubIndexes(tierGlobalHub)
	for i := range n.nodes {
		nd := &n.nodes[i]
		if !nd.served {
			continue
		}
		var domestic []int
		for _, h := range hubs {
			if n.nodes[h].ap.Country == nd.ap.Country && n.dist(i, h) <= 3000 {
				domestic = append(domestic, h)
			}
		}
		if nd.tier > tierRegionalHub {
			if len(domestic) > 0 {
				n.linkNearest(i, domestic, 1)
			} else {
				n.linkNearest(i, hubs, 1)
			}
		}
		if nd.top && nd.tier != tierGlobalHub {
			n.linkNearest(i, global, 1)
		}
		if len(n.adj[i]) == 0 { // nothing in reach passed canLink: take any served airport
			var near []int
			n.grid.within(nd.ap.Lat, nd.ap.Lon, 3000, func(j int, _ float64) { near = append(near, j) })
			n.linkNearest(i, near, 1)
		}
	}
}

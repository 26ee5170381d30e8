package sandbox

import (
	"cmp"
	"slices"
)

// routes turns the pairs into directed routes with carriers and aircraft.
func (n *network) routes() []Route {
	keys := make([][2]int, 0, len(n.pairs))
	for k := range n.pairs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	out := make([]Route, 0, 2*len(keys)+len(keys)/8)
	for _, k := range keys {
		a, b := n.nodes[k[0]].ap.IATA, n.nodes[k[1]].ap.IATA
		for _, c := range n.carriers(k[0], k[1]) {
			if c == "" {
				continue // a world without any hub carrier: nobody flies it
			}
			craft := n.aircraft(k[0], k[1], c)
			out = append(out, Route{Carrier: c, From: a, To: b, Aircraft: craft}, Route{Carrier: c, From: b, To: a, Aircraft: craft})
		}
	}
	slices.SortFunc(out, func(x, y Route) int {
		return cmp.Or(cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To), cmp.Compare(x.Carrier, y.Carrier))
	})
	return out
}

// carriers chooses who flies the pair i–j (one carrier; two when two
// global hubs in different countries, at most 9,000 km apart, each have a
// home carrier):
//  1. a hub's home carrier; between two hub carriers, a hash decides;
//  2. else a listed carrier of either country (flag carriers count twice);
//  3. else any world airline of either country;
//  4. else the home carrier of the hub nearest to i.
func (n *network) carriers(i, j int) []string {
	a, b := &n.nodes[i], &n.nodes[j]
	r := newRNG("carrier", a.ap.IATA, b.ap.IATA)
	switch {
	case a.carrier != "" && b.carrier != "" && a.carrier != b.carrier:
		if a.tier == tierGlobalHub && b.tier == tierGlobalHub && a.ap.Country != b.ap.Country && n.dist(i, j) <= 9000 {
			return []string{min(a.carrier, b.carrier), max(a.carrier, b.carrier)}
		}
		if r.chance(0.5) {
			return []string{a.carrier}
		}
		return []string{b.carrier}
	case a.carrier != "" && (b.ap.Country == a.ap.Country || r.chance(0.7) || !n.hasListed(b.ap.Country)):
		return []string{a.carrier}
	case b.carrier != "" && (a.ap.Country == b.ap.Country || r.chance(0.7) || !n.hasListed(a.ap.Country)):
		return []string{b.carrier}
	}
	type weighted struct {
		code string
		w    float64
	}
	var listed []weighted
	for _, country := range uniqueStrings(a.ap.Country, b.ap.Country) {
		first := true
		for _, c := range countryCarriers[country] {
			if n.airlines[c] {
				w := 1.0
				if first {
					w, first = 2, false
				}
				listed = append(listed, weighted{c, w})
			}
		}
	}
	if len(listed) > 0 {
		return []string{pickWeighted(r, listed, func(x weighted) float64 { return x.w }).code}
	}
	any := append(slices.Clone(n.byCntry[a.ap.Country]), n.byCntry[b.ap.Country]...)
	if len(any) > 0 {
		return []string{any[r.intn(len(any))]}
	}
	return []string{n.nearestHubCarrier(i)}
}

func uniqueStrings(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

// hasListed reports whether a country has a listed carrier in the data.
func (n *network) hasListed(country string) bool {
	for _, c := range countryCarriers[country] {
		if n.airlines[c] {
			return true
		}
	}
	return false
}

// nearestHubCarrier is the home carrier of the hub nearest to i (ties by
// IATA); the hub tables always give one.
func (n *network) nearestHubCarrier(i int) string {
	best, bestD := "", 0.0
	for j := range n.nodes {
		if c := n.nodes[j].carrier; c != "" {
			if d := n.dist(i, j); best == "" || d < bestD {
				best, bestD = c, d
			}
		}
	}
	return best
}

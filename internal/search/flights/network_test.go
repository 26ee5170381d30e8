package flights

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/world"
	"pathavana/internal/money"
)

// splitmix64 is the stable hash behind every "random" choice in the
// synthetic network and the random queries.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func hashOf(parts ...uint64) uint64 {
	h := uint64(0x51ed270b)
	for _, p := range parts {
		h = splitmix64(h ^ p)
	}
	return h
}

// networkSpec sizes a synthetic network.
type networkSpec struct {
	airports, hubs int
	hubLinks       int // nearest hubs each hub serves
	trunks         int // largest hubs every hub serves
	freqScale      int // percent of the base frequencies
}

// benchNetwork is OpenFlights-sized: 3,000 airports, 150 hubs, 100k+ flights.
var benchNetwork = networkSpec{airports: 3000, hubs: 150, hubLinks: 30, trunks: 15, freqScale: 150}

// syntheticNetwork builds a realistic network over real airports (real
// coordinates and IANA zones, chosen by the population they serve):
// the largest airports at least 400 km apart become hubs with their own
// airline, meshed with their nearest hubs and the biggest ones; every
// other airport flies to its two or three nearest hubs and sometimes a
// neighbour. Schedules, fares, seats and days of operation come from a
// stable hash, so the same spec always gives the same catalog.
func syntheticNetwork(tb testing.TB, spec networkSpec) *catalog.Data {
	tb.Helper()
	w, err := world.Load()
	if err != nil {
		tb.Fatal(err)
	}
	pop := make(map[int64]int, len(w.Cities))
	for _, c := range w.Cities {
		pop[c.ID] = c.Population
	}
	all := slices.Clone(w.Airports)
	all = slices.DeleteFunc(all, func(a world.Airport) bool { return a.Zone == "" || len(a.IATA) != 3 })
	slices.SortStableFunc(all, func(a, b world.Airport) int {
		return cmp.Or(cmp.Compare(pop[b.CityID], pop[a.CityID]), cmp.Compare(a.IATA, b.IATA))
	})
	all = all[:min(spec.airports, len(all))]

	d := &catalog.Data{}
	recs := make([]airportRec, len(all))
	for i, a := range all {
		d.Airports = append(d.Airports, catalog.Airport{IATA: a.IATA, Name: a.Name, Country: a.Country,
			Lat: a.Lat, Lon: a.Lon, Zone: a.Zone, City: fmt.Sprint(a.CityID)})
		recs[i] = airportRec{lat: a.Lat * math.Pi / 180, lon: a.Lon * math.Pi / 180}
	}
	dist := func(i, j int) float64 { return greatCircleKM(&recs[i], &recs[j]) }

	var hubs []int
	for i := range all {
		if len(hubs) == spec.hubs {
			break
		}
		if !slices.ContainsFunc(hubs, func(h int) bool { return dist(h, i) < 400 }) {
			hubs = append(hubs, i)
		}
	}
	hubRank := map[int]int{}
	for r, h := range hubs {
		hubRank[h] = r
		d.Airlines = append(d.Airlines, catalog.Airline{IATA: carrierCode(r), Name: "Hub airline " + carrierCode(r)})
	}
	// nearest returns the n airports of among closest to i, nearest first.
	nearest := func(i int, among []int, n int) []int {
		type cand struct {
			km float64
			j  int
		}
		best := make([]cand, 0, n+1)
		for _, j := range among {
			if j == i {
				continue
			}
			c := cand{dist(i, j), j}
			if len(best) == n && c.km >= best[n-1].km {
				continue
			}
			at, _ := slices.BinarySearchFunc(best, c, func(a, b cand) int { return cmp.Or(cmp.Compare(a.km, b.km), cmp.Compare(a.j, b.j)) })
			best = slices.Insert(best, at, c)
			best = best[:min(len(best), n)]
		}
		out := make([]int, len(best))
		for k, c := range best {
			out[k] = c.j
		}
		return out
	}

	type link struct{ a, b, carrierHub, freq int }
	seen := map[[2]int]bool{}
	var links []link
	addLink := func(a, b, carrierHub, freq int) {
		key := [2]int{min(a, b), max(a, b)}
		if a == b || seen[key] {
			return
		}
		seen[key] = true
		links = append(links, link{a, b, carrierHub, max(1, freq*spec.freqScale/100)})
	}
	for _, h := range hubs {
		for _, o := range nearest(h, hubs, spec.hubLinks) {
			addLink(h, o, min(hubRank[h], hubRank[o]), 2+int(hashOf(uint64(h), uint64(o))%4))
		}
		for _, o := range hubs[:min(spec.trunks, len(hubs))] {
			addLink(h, o, hubRank[o], 2+int(hashOf(uint64(h), uint64(o), 1)%3))
		}
	}
	var spokes []int
	for i := range all {
		if _, isHub := hubRank[i]; !isHub {
			spokes = append(spokes, i)
		}
	}
	for _, s := range spokes {
		n := 2 + int(hashOf(uint64(s), 2)%2)
		for _, h := range nearest(s, hubs, n) {
			addLink(s, h, hubRank[h], 2+int(hashOf(uint64(s), uint64(h))%3))
		}
		if hashOf(uint64(s), 3)%10 < 4 {
			// Neighbours within 600 km are within 5.4° of latitude.
			near := slices.DeleteFunc(slices.Clone(spokes), func(j int) bool { return math.Abs(recs[j].lat-recs[s].lat) > 0.095 })
			if nb := nearest(s, near, 1); len(nb) == 1 && dist(s, nb[0]) < 600 {
				addLink(s, nb[0], hubRank[nearest(s, hubs, 1)[0]], 1+int(hashOf(uint64(s), 4)%2))
			}
		}
	}

	ref := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	locs := map[string]*time.Location{}
	loc := func(z string) *time.Location {
		if l, ok := locs[z]; ok {
			return l
		}
		l, err := time.LoadLocation(z)
		if err != nil {
			tb.Fatal(err)
		}
		locs[z] = l
		return l
	}
	numbers := map[string]int{}
	total := 0
	for _, l := range links {
		total += 2 * l.freq
	}
	d.Flights = make([]catalog.Flight, 0, total)
	for _, l := range links {
		for dir := range 2 {
			from, to := l.a, l.b
			if dir == 1 {
				from, to = l.b, l.a
			}
			km := dist(from, to)
			minutes := int(30+km/800*60+4) / 5 * 5
			fa, ta := &d.Airports[from], &d.Airports[to]
			for k := range l.freq {
				h := hashOf(uint64(from), uint64(to), uint64(k))
				dep := 6*60 + k*16*60/l.freq + int(h%60)
				start := time.Date(ref.Year(), ref.Month(), ref.Day(), dep/60, dep%60, 0, 0, loc(fa.Zone))
				arrive := start.Add(time.Duration(minutes) * time.Minute).In(loc(ta.Zone))
				ay, am, ad := arrive.Date()
				arrDay := int(dayNumber(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)) - dayNumber(ref))
				carrier := carrierCode(l.carrierHub)
				numbers[carrier]++
				fare := int64(4000+km*8) * int64(70+h>>8%60) / 100
				f := catalog.Flight{
					Carrier: carrier, Number: fmt.Sprintf("%s%d", carrier, numbers[carrier]),
					From: fa.IATA, To: ta.IATA, Departs: catalog.Clock(dep), ArrivalDay: arrDay,
					Arrives: catalog.Clock(arrive.Hour()*60 + arrive.Minute()), Days: catalog.Daily,
					Fares: map[catalog.Cabin]money.Money{
						catalog.Economy:  {Minor: fare, Currency: "USD"},
						catalog.Business: {Minor: fare * 32 / 10, Currency: "USD"},
					},
					Seats: map[catalog.Cabin]int{catalog.Economy: 150, catalog.Business: 12},
				}
				if h>>20%100 < 15 {
					f.Days = catalog.Weekdays(0b11111110 &^ (1 << (1 + h>>28%7)) &^ (1 << (1 + h>>32%7)))
				}
				if h>>40%100 < 5 {
					f.Seats[catalog.Economy] = int(h >> 48 % 4)
				}
				d.Flights = append(d.Flights, f)
			}
		}
	}
	return d
}

func carrierCode(i int) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	return string([]byte{alnum[i/36%26], alnum[i%36]})
}

// hashPricer varies fares by date and lead time, like the sandbox model.
func hashPricer(f *catalog.Flight, c catalog.Cabin, day, today time.Time) (money.Money, bool) {
	m, ok := f.Fares[c]
	if !ok {
		return m, false
	}
	h := hashOf(uint64(f.Departs), uint64(day.Unix()/86400), uint64(len(f.Number)), uint64(f.Number[len(f.Number)-1]))
	m.Minor = m.Minor * int64(80+h%50) / 100
	return m, true
}

func TestSyntheticNetworkShape(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the 100k-flight network")
	}
	d := syntheticNetwork(t, benchNetwork)
	if len(d.Airports) != benchNetwork.airports || len(d.Flights) < 100_000 {
		t.Fatalf("%d airports, %d flights; want %d and 100k+", len(d.Airports), len(d.Flights), benchNetwork.airports)
	}
	again := syntheticNetwork(t, benchNetwork)
	for i := range d.Flights {
		if d.Flights[i].Key() != again.Flights[i].Key() || d.Flights[i].Arrives != again.Flights[i].Arrives {
			t.Fatalf("flight %d differs between builds: not deterministic", i)
		}
	}
	if _, err := NewIndex(d, Options{Now: func() time.Time { return testNow }}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d airports, %d flights", len(d.Airports), len(d.Flights))
}

package sandbox

import (
	"fmt"
	"math"
	"strings"

	"pathavana/internal/catalog"
)

// Local is the generated stays, restaurants and attractions of one city.
type Local struct {
	Stays       []catalog.Stay
	Restaurants []catalog.Restaurant
	Attractions []catalog.Attraction
}

// LocalFor generates, deterministically from the city's id (and its
// name, population and coordinates), the stays, restaurants and
// attractions of one city: counts scaled by population, prices in USD
// scaled by the country's price level and the city's size. See
// docs/sandbox-model.md for the exact model.
func LocalFor(city catalog.City, country catalog.Country) Local {
	g := newLocalGen(city, country)
	counts := localCounts(city.Population)
	return Local{
		Stays:       g.stays(counts.stays),
		Restaurants: g.restaurants(counts.restaurants),
		Attractions: g.attractions(counts.attractions),
	}
}

type counts struct{ stays, restaurants, attractions int }

// localCounts: from 100,000 people, t = log10(pop/100k)/2 capped at 1
// (10 million) scales 12–60 stays, 15–60 restaurants, 8–30 attractions;
// below, s = log10(pop/1000)/2 in [0, 1] scales 3–12, 4–15 and 2–8.
func localCounts(pop int) counts {
	if pop >= 100000 {
		t := clamp(math.Log10(float64(pop)/1e5)/2, 0, 1)
		return counts{iround(12 + 48*t), iround(15 + 45*t), iround(8 + 22*t)}
	}
	s := clamp(math.Log10(math.Max(float64(pop), 1000)/1000)/2, 0, 1)
	return counts{iround(3 + 9*s), iround(4 + 11*s), iround(2 + 6*s)}
}

func iround(v float64) int { return int(math.Round(v)) }

// localGen holds what every generated place of a city shares.
type localGen struct {
	city       catalog.City
	name       string  // the city's name for templates
	priceLevel float64 // country price level, clamped to 0.2–2.5
	sizeFactor float64 // 0.8 (1,000 people or fewer) to 1.15 (10 million)
	size       float64 // 0–1, log scale of population from 1,000 to 10 million
	radiusKM   float64 // places lie within this distance of the centre
	coastal    bool
	zonePrefix string
	used       map[string]bool // names already given in this city
}

func newLocalGen(city catalog.City, country catalog.Country) *localGen {
	level := country.PriceLevel
	if math.IsNaN(level) || level <= 0 {
		level = 1
	}
	size := clamp(math.Log10(math.Max(float64(city.Population), 1000)/1000)/4, 0, 1)
	name := strings.TrimSpace(city.Name)
	if name == "" {
		name = "Town"
	}
	prefix := ""
	if len(country.Zones) > 0 {
		prefix, _, _ = strings.Cut(country.Zones[0], "/")
	}
	return &localGen{
		city: city, name: name, priceLevel: clamp(level, 0.2, 2.5),
		sizeFactor: 0.8 + 0.35*size, size: size, radiusKM: 1.5 + 4.5*size,
		coastal: isCoastal(city, country), zonePrefix: prefix, used: map[string]bool{},
	}
}

// rng returns the generator of one place.
func (g *localGen) rng(kind string, i int) *rng {
	return newRNG("local", g.city.ID, kind, fmt.Sprint(i))
}

// id is the stable id of the i-th place (from 1) of a kind.
func (g *localGen) id(kind string, i int) string {
	return fmt.Sprintf("sbx-%s-%s-%02d", kind, g.city.ID, i)
}

// position is a point within radiusKM of the centre, uniform over the disc.
func (g *localGen) position(r *rng) (float64, float64) {
	d := g.radiusKM * math.Sqrt(r.float())
	return offsetPoint(g.city.Lat, g.city.Lon, d, 360*r.float())
}

// price is a whole-dollar amount: usd × price level × size factor.
func (g *localGen) price(usdAmount float64, minimum int64) int64 {
	return max(minimum, int64(math.Round(usdAmount*g.priceLevel*g.sizeFactor)))
}

// rating is 3.0–5.0 in tenths, skewed high (3 + 2×sqrt(u): mean about 4.3).
func rating(r *rng) float64 {
	return math.Round((3+2*math.Sqrt(r.float()))*10) / 10
}

// unique returns the first candidate name not used yet in the city, or the
// first one numbered.
func (g *localGen) unique(candidates ...string) string {
	for _, c := range candidates {
		if !g.used[c] {
			g.used[c] = true
			return c
		}
	}
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s %d", candidates[0], n)
		if !g.used[c] {
			g.used[c] = true
			return c
		}
	}
}

// fill replaces {City} and {W} (a word from words picked by r) in a
// template.
func (g *localGen) fill(r *rng, template string, words []string) string {
	s := strings.ReplaceAll(template, "{City}", g.name)
	if strings.Contains(s, "{W}") {
		s = strings.ReplaceAll(s, "{W}", words[r.intn(len(words))])
	}
	return s
}

// names gives a few filled candidates from templates, so unique can skip
// taken ones.
func (g *localGen) names(r *rng, templates, words []string) []string {
	out := make([]string, 4)
	for k := range out {
		out[k] = g.fill(r, templates[r.intn(len(templates))], words)
	}
	return out
}

// weightedChoice is a value with a weight.
type weightedChoice[T any] struct {
	v T
	w float64
}

func choose[T any](r *rng, list []weightedChoice[T]) T {
	return pickWeighted(r, list, func(c weightedChoice[T]) float64 { return c.w }).v
}

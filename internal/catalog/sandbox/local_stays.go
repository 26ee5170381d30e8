package sandbox

import (
	"math"

	"pathavana/internal/catalog"
)

// stayProfile is what depends on the room type.
type stayProfile struct {
	baseUSD   float64 // per night, before price level, size and quality
	occupancy []weightedChoice[int]
	minNights []weightedChoice[int]
	// probabilities that a house rule allows something
	smoking, parties, children, pets, visitors float64
	templates                                  []string
}

var stayProfiles = map[catalog.RoomType]stayProfile{
	catalog.HotelRoom: {
		baseUSD:   110,
		occupancy: []weightedChoice[int]{{2, 60}, {3, 20}, {4, 20}},
		minNights: []weightedChoice[int]{{1, 100}},
		smoking:   0.05, parties: 0.02, children: 0.95, pets: 0.15, visitors: 0.70,
		templates: []string{"Hotel {W} {City}", "{City} {W} Hotel", "The {W} {City}", "{W} House Hotel", "Hotel {City} {W}"},
	},
	catalog.EntireHome: {
		baseUSD:   140,
		occupancy: []weightedChoice[int]{{2, 20}, {3, 10}, {4, 35}, {5, 5}, {6, 20}, {8, 10}},
		minNights: []weightedChoice[int]{{1, 35}, {2, 30}, {3, 20}, {5, 5}, {7, 10}},
		smoking:   0.10, parties: 0.15, children: 0.80, pets: 0.30, visitors: 0.85,
		templates: []string{"{W} apartment in {City}", "{W} loft in central {City}", "{W} townhouse near {City} old town", "{W} studio in {City}", "{W} family home in {City}"},
	},
	catalog.PrivateRoom: {
		baseUSD:   55,
		occupancy: []weightedChoice[int]{{1, 30}, {2, 70}},
		minNights: []weightedChoice[int]{{1, 70}, {2, 30}},
		smoking:   0.08, parties: 0.03, children: 0.55, pets: 0.15, visitors: 0.50,
		templates: []string{"Private room in a {W} flat, {City}", "{W} room near {City} centre", "Room in {W} guesthouse, {City}"},
	},
	catalog.SharedRoom: {
		baseUSD:   28,
		occupancy: []weightedChoice[int]{{1, 100}},
		minNights: []weightedChoice[int]{{1, 100}},
		smoking:   0.03, parties: 0.02, children: 0.05, pets: 0, visitors: 0.30,
		templates: []string{"{City} {W} Hostel", "Hostel {W} {City}", "{W} Backpackers {City}"},
	},
}

// stayWords are adjectives and nouns for stay names (no brand names).
var stayWords = []string{
	"Sunny", "Quiet", "Bright", "Cosy", "Garden", "Riverside", "Harbour View", "Old Town", "Central",
	"Panorama", "Heritage", "Courtyard", "Skyline", "Lotus", "Cedar", "Olive", "Sapphire", "Emerald",
	"Golden", "Amber", "Willow", "Maple", "Terrace", "Boutique", "Station", "Market Square", "Hillside",
	"Lantern", "Orchard", "Stone", "Blue Door", "Juniper", "Linden", "Compass", "Cornerstone",
}

// stayTypes: every room type appears once among the first four stays;
// the rest are drawn by weight (small towns have fewer hostels).
func (g *localGen) stayType(r *rng, i int) catalog.RoomType {
	if i < len(catalog.RoomTypes) {
		return catalog.RoomTypes[i]
	}
	shared := 10.0
	if g.city.Population < 100000 {
		shared = 4
	}
	return choose(r, []weightedChoice[catalog.RoomType]{
		{catalog.HotelRoom, 45}, {catalog.EntireHome, 25}, {catalog.PrivateRoom, 20}, {catalog.SharedRoom, shared},
	})
}

// stays generates n stays. Price per night = base (by room type; entire
// homes +$25 per guest above 2) × quality (0.6–1.5, tied to the rating) ×
// price level × size factor, whole dollars, at least $8.
func (g *localGen) stays(n int) []catalog.Stay {
	out := make([]catalog.Stay, 0, n)
	for i := 0; i < n; i++ {
		r := g.rng("stay", i+1)
		rt := g.stayType(r, i)
		p := stayProfiles[rt]
		occupancy := choose(r, p.occupancy)
		score := rating(r)
		quality := 0.6 + 0.9*(0.6*(score-3)/2+0.4*r.float())
		base := p.baseUSD
		if rt == catalog.EntireHome {
			base += 25 * math.Max(0, float64(occupancy-2))
		}
		lat, lon := g.position(r)
		out = append(out, catalog.Stay{
			ID: g.id("stay", i+1), Name: g.unique(g.names(r, p.templates, stayWords)...), City: g.city.ID,
			Lat: lat, Lon: lon, RoomType: rt,
			PricePerNight: usd(g.price(base*quality, 8)),
			MaxOccupancy:  occupancy, MinNights: choose(r, p.minNights),
			Rules: catalog.HouseRules{
				Smoking: r.chance(p.smoking), Parties: r.chance(p.parties), ChildrenUnder10: r.chance(p.children),
				Pets: r.chance(p.pets), Visitors: r.chance(p.visitors),
			},
			Rating: score,
		})
	}
	return out
}

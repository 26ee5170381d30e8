package sandbox

import (
	"math"

	"pathavana/internal/catalog"
)

// sight describes an attraction category.
type sight struct {
	weight     float64
	hours      catalog.Hours
	priceUSD   [2]float64 // range before price level and size; 0 is free
	freeChance float64    // chance of free entry regardless of priceUSD
	minutes    [2]int     // typical visit, rounded to 15
	templates  []string
	subjects   bool // {W} is a museum subject rather than a place word
}

// Opening-hours helpers.
func daily(open, close int) catalog.Hours {
	var h catalog.Hours
	for i := range h {
		h[i] = catalog.Span{Open: catalog.Clock(open), Close: catalog.Clock(close)}
	}
	return h
}

// closedOn closes the given days (0 = Monday).
func closedOn(h catalog.Hours, days ...int) catalog.Hours {
	for _, d := range days {
		h[d] = catalog.Span{Closed: true}
	}
	return h
}

const hour = 60

var sights = map[string]sight{
	"museum": {20, closedOn(daily(10*hour, 18*hour), 0), [2]float64{8, 25}, 0.1, [2]int{90, 180},
		[]string{"{City} Museum of {W}", "Museum of {W}", "{City} {W} Museum"}, true},
	"gallery": {8, closedOn(daily(11*hour, 19*hour), 0, 1), [2]float64{5, 15}, 0.5, [2]int{60, 120},
		[]string{"{W} Gallery", "{City} Contemporary Art Gallery", "{City} Photography Gallery"}, true},
	"park": {15, daily(6*hour, 22*hour), [2]float64{0, 0}, 1, [2]int{60, 120},
		[]string{"{W} Park", "{City} Riverside Park", "{City} City Park"}, false},
	"garden": {5, daily(8*hour, 20*hour), [2]float64{3, 10}, 0.5, [2]int{45, 90},
		[]string{"{City} Botanical Garden", "{W} Gardens"}, false},
	"landmark": {20, daily(9*hour, 19*hour), [2]float64{5, 20}, 0.5, [2]int{30, 90},
		[]string{"{City} Cathedral", "{City} Old Town Hall", "{W} Tower", "{W} Bridge", "{W} Square", "{City} Clock Tower"}, false},
	"historic site": {10, daily(9*hour, 18*hour), [2]float64{5, 20}, 0.2, [2]int{60, 120},
		[]string{"{City} Castle", "{City} Old Fortress", "{W} Palace", "Old {City} Walls", "{W} Monastery"}, false},
	"tour": {12, daily(9*hour, 17*hour), [2]float64{25, 90}, 0, [2]int{120, 240},
		[]string{"{City} Walking Tour", "{City} Food Tour", "{City} Street Art Tour", "{City} by Bike", "Night Tour of {City}", "{City} Countryside Day Trip"}, false},
	"market": {8, closedOn(daily(8*hour, 14*hour), 6), [2]float64{0, 0}, 1, [2]int{45, 90},
		[]string{"{City} Central Market", "{W} Street Market", "{City} Farmers' Market"}, false},
	"viewpoint": {6, daily(0, 24*hour), [2]float64{3, 12}, 0.6, [2]int{20, 45},
		[]string{"{W} Hill Viewpoint", "{City} Lookout"}, false},
	"beach": {8, daily(0, 24*hour), [2]float64{0, 0}, 1, [2]int{120, 240},
		[]string{"{W} Beach", "{City} Beach", "{W} Bay"}, false},
	"zoo": {3, daily(9*hour, 17*hour), [2]float64{15, 35}, 0, [2]int{150, 240},
		[]string{"{City} Zoo", "{City} Aquarium"}, false},
	"theatre": {5, closedOn(daily(18*hour, 23*hour), 0), [2]float64{25, 80}, 0, [2]int{120, 180},
		[]string{"{City} Opera House", "{W} Theatre", "{City} Concert Hall"}, false},
}

// sightOrder fixes the iteration order of sights.
var sightOrder = []string{"landmark", "museum", "park", "tour", "historic site", "market", "gallery", "viewpoint", "garden", "beach", "zoo", "theatre"}

var museumSubjects = []string{
	"Art", "History", "Science", "Natural History", "Modern Art", "Design", "Archaeology", "Folk Art",
	"Textiles", "Railway", "Photography", "Decorative Arts", "Music", "Maritime History", "Ceramics",
}

var placeWords = []string{
	"Liberty", "Victory", "Harbour", "Royal", "Sunset", "Pine", "Lighthouse", "Fountain", "Heritage",
	"Rose", "Oak", "Crescent", "Eagle", "Silver", "Granite", "Old Mill", "Windmill", "Cedar", "Swan",
	"Linden", "Stone", "Golden", "Meadow", "Falcon", "Lantern",
}

// attractions generates n attractions: a landmark, a museum, a park and a
// tour first (as many as n allows), then categories drawn by weight.
// Beaches only in coastal cities, zoos from 1 million people, theatres
// from 300,000. Price = a draw in the category's range × price level ×
// size factor, whole dollars (free by the category's chance).
func (g *localGen) attractions(n int) []catalog.Attraction {
	var list []weightedChoice[string]
	for _, c := range sightOrder {
		switch {
		case c == "beach" && !g.coastal,
			c == "zoo" && g.city.Population < 1000000,
			c == "theatre" && g.city.Population < 300000:
			continue
		}
		list = append(list, weightedChoice[string]{c, sights[c].weight})
	}
	out := make([]catalog.Attraction, 0, n)
	for i := 0; i < n; i++ {
		r := g.rng("attraction", i+1)
		category := choose(r, list)
		if i < 4 {
			category = sightOrder[i]
		}
		s := sights[category]
		price := int64(0)
		if !r.chance(s.freeChance) {
			price = g.price(r.between(s.priceUSD[0], s.priceUSD[1]), 1)
		}
		minutes := s.minutes[0] + r.intn(s.minutes[1]-s.minutes[0]+1)
		minutes = int(math.Round(float64(minutes)/15)) * 15
		words := placeWords
		if s.subjects {
			words = museumSubjects
		}
		lat, lon := g.position(r)
		out = append(out, catalog.Attraction{
			ID: g.id("attraction", i+1), Name: g.unique(g.names(r, s.templates, words)...), City: g.city.ID,
			Lat: lat, Lon: lon, Category: category, Hours: s.hours, Price: usd(price), Minutes: minutes,
			Rating: rating(r),
		})
	}
	return out
}

// landlocked countries never get beaches.
var landlocked = map[string]bool{
	"AD": true, "AF": true, "AM": true, "AT": true, "AZ": true, "BF": true, "BI": true, "BO": true,
	"BT": true, "BW": true, "BY": true, "CF": true, "CH": true, "CZ": true, "ET": true, "HU": true,
	"KG": true, "KZ": true, "LA": true, "LI": true, "LS": true, "LU": true, "MD": true, "MK": true,
	"ML": true, "MN": true, "MW": true, "NE": true, "NP": true, "PY": true, "RS": true, "RW": true,
	"SK": true, "SM": true, "SS": true, "SZ": true, "TD": true, "TJ": true, "TM": true, "UG": true,
	"UZ": true, "VA": true, "XK": true, "ZM": true, "ZW": true,
}

// islandCountries are coastal everywhere.
var islandCountries = map[string]bool{
	"AG": true, "BB": true, "BH": true, "BS": true, "CV": true, "CY": true, "DM": true, "FJ": true,
	"FM": true, "GD": true, "IS": true, "JM": true, "KI": true, "KM": true, "KN": true, "LC": true,
	"LK": true, "MH": true, "MT": true, "MU": true, "MV": true, "NR": true, "NZ": true, "PF": true,
	"PH": true, "PW": true, "SB": true, "SC": true, "SG": true, "ST": true, "TO": true, "TT": true,
	"TV": true, "VC": true, "VU": true, "WS": true, "NC": true, "GU": true, "PR": true, "CU": true,
	"DO": true, "HT": true, "BM": true, "KY": true, "AW": true, "CW": true, "MQ": true, "GP": true,
	"RE": true, "FO": true, "TW": true, "JP": true, "ID": true, "IE": true, "GB": true, "MG": true,
}

// isCoastal approximates whether a city is on the coast (the world data
// has no coastline): never in landlocked countries, always in island
// countries, else for 40% of cities by a hash of the id.
func isCoastal(city catalog.City, country catalog.Country) bool {
	code := country.Code
	if code == "" {
		code = city.Country
	}
	switch {
	case landlocked[code]:
		return false
	case islandCountries[code]:
		return true
	}
	return newRNG("coast", city.ID).chance(0.4)
}

package sandbox

import (
	"strings"

	"pathavana/internal/catalog"
)

// localCuisine is the home cuisine of a country, as restaurant guides
// label it. Countries not listed fall back by their first zone's area.
var localCuisine = map[string]string{
	"PT": "portuguese", "ES": "spanish", "IT": "italian", "FR": "french", "DE": "german", "AT": "austrian",
	"CH": "swiss", "BE": "belgian", "NL": "dutch", "GB": "british", "IE": "irish", "GR": "greek",
	"TR": "turkish", "PL": "polish", "CZ": "czech", "HU": "hungarian", "RU": "russian", "UA": "ukrainian",
	"SE": "scandinavian", "NO": "scandinavian", "DK": "scandinavian", "FI": "scandinavian", "IS": "scandinavian",
	"GE": "georgian", "AM": "armenian", "RO": "romanian", "HR": "balkan", "RS": "balkan", "BA": "balkan",
	"US": "american", "CA": "canadian", "MX": "mexican", "BR": "brazilian", "AR": "argentinian",
	"PE": "peruvian", "CO": "colombian", "CL": "chilean", "CU": "cuban", "VE": "venezuelan",
	"JM": "caribbean", "DO": "caribbean", "PR": "caribbean", "TT": "caribbean",
	"CN": "chinese", "HK": "cantonese", "TW": "taiwanese", "JP": "japanese", "KR": "korean",
	"TH": "thai", "VN": "vietnamese", "IN": "indian", "PK": "pakistani", "BD": "bangladeshi",
	"LK": "sri lankan", "NP": "nepalese", "ID": "indonesian", "MY": "malaysian", "SG": "singaporean",
	"PH": "filipino", "MM": "burmese", "KH": "cambodian", "LA": "lao",
	"LB": "lebanese", "SY": "middle eastern", "JO": "middle eastern", "IL": "israeli", "IR": "persian",
	"IQ": "middle eastern", "SA": "middle eastern", "AE": "middle eastern", "QA": "middle eastern",
	"EG": "egyptian", "MA": "moroccan", "TN": "north african", "DZ": "north african", "ET": "ethiopian",
	"NG": "west african", "GH": "west african", "SN": "west african", "KE": "east african",
	"TZ": "east african", "ZA": "south african", "AU": "australian", "NZ": "new zealand",
}

// areaCuisine is the fallback by IANA zone area.
var areaCuisine = map[string]string{
	"Europe": "european", "Africa": "african", "America": "latin american", "Asia": "asian",
	"Australia": "australian", "Pacific": "pacific islander", "Indian": "creole", "Atlantic": "seafood",
}

// globalCuisines are found almost everywhere, with their weights; the
// local cuisine gets localWeight on top.
var globalCuisines = []weightedChoice[string]{
	{"italian", 10}, {"chinese", 8}, {"indian", 7}, {"japanese", 6}, {"mexican", 5}, {"american", 5},
	{"thai", 4}, {"french", 4}, {"mediterranean", 4}, {"middle eastern", 3}, {"korean", 3},
	{"vietnamese", 3}, {"spanish", 2}, {"greek", 2}, {"turkish", 2}, {"lebanese", 2}, {"seafood", 4},
	{"steakhouse", 3}, {"vegetarian", 4}, {"vegan", 3}, {"cafe", 4}, {"street food", 2},
}

const localWeight = 30

// cuisineCostUSD is the average cost per person before price level, size
// and quality; others cost defaultMealUSD.
var cuisineCostUSD = map[string]float64{
	"street food": 8, "cafe": 12, "vegan": 18, "vegetarian": 18, "steakhouse": 45, "japanese": 35,
	"french": 40, "seafood": 35, "mexican": 18, "indian": 20, "chinese": 20, "vietnamese": 16, "thai": 18,
}

const defaultMealUSD = 25

// restaurantTemplates name restaurants by cuisine; {W} is a word.
var restaurantTemplates = map[string][]string{
	"italian":    {"Trattoria {W}", "Osteria {W}", "Pizzeria {W}"},
	"chinese":    {"{W} Dumpling House", "{W} Noodle Bar", "Golden {W} Kitchen"},
	"japanese":   {"Sushi {W}", "Izakaya {W}", "{W} Ramen"},
	"indian":     {"{W} Tandoor", "Curry House {W}", "{W} Masala"},
	"mexican":    {"Taqueria {W}", "Cantina {W}"},
	"french":     {"Bistro {W}", "Brasserie {W}"},
	"vegan":      {"Green {W}", "{W} Plant Kitchen"},
	"vegetarian": {"The {W} Garden Table", "{W} Veggie Kitchen"},
	"seafood":    {"{W} Fish House", "The {W} Oyster"},
	"steakhouse": {"{W} Grill", "{W} Steakhouse"},
	"cafe":       {"Café {W}", "{W} Coffee Room"},
	"local":      {"{City} Kitchen", "Casa {W}", "{W} Tavern", "The {City} Table", "{W} {Cuisine} Dining Room"},
	"":           {"{W} {Cuisine} Kitchen", "The {W} {Cuisine} Room", "{W} {Cuisine} House"},
}

var restaurantWords = []string{
	"Olive", "Lotus", "Saffron", "Maple", "Juniper", "Willow", "Amber", "Cedar", "Basil", "Fig", "Pepper",
	"Lantern", "Copper", "Ember", "Sage", "Marigold", "Indigo", "Coral", "Jade", "Orchid", "Rosemary",
	"Thyme", "Ginger", "Cinnamon", "Harvest", "Anchor", "Bamboo", "Silver Spoon", "Red Door", "Hearth",
}

// cuisineOf is the country's local cuisine label.
func (g *localGen) cuisineOf(country string) string {
	if c, ok := localCuisine[country]; ok {
		return c
	}
	if c, ok := areaCuisine[g.zonePrefix]; ok {
		return c
	}
	return "international"
}

// restaurants generates n restaurants. The first serves the local
// cuisine, the second vegetarian and the third vegan food (when n ≥ 8);
// the others draw from the weighted list. Average cost per person =
// cuisine base × quality (0.6–1.6) × price level × size factor, whole
// dollars, at least $3.
func (g *localGen) restaurants(n int) []catalog.Restaurant {
	local := g.cuisineOf(g.city.Country)
	list := []weightedChoice[string]{{local, localWeight}}
	for _, c := range globalCuisines {
		if c.v != local {
			list = append(list, c)
		}
	}
	out := make([]catalog.Restaurant, 0, n)
	for i := 0; i < n; i++ {
		r := g.rng("restaurant", i+1)
		cuisine := choose(r, list)
		switch {
		case i == 0:
			cuisine = local
		case i == 1 && n >= 8:
			cuisine = "vegetarian"
		case i == 2 && n >= 8:
			cuisine = "vegan"
		}
		cuisines := []string{cuisine}
		if cuisine != "vegetarian" && cuisine != "vegan" && r.chance(0.2) {
			cuisines = append(cuisines, "vegetarian")
		}
		templates := restaurantTemplates[cuisine]
		switch {
		case cuisine == local:
			templates = append(restaurantTemplates["local"], templates...)
		case templates == nil:
			templates = restaurantTemplates[""]
		}
		names := g.names(r, templates, restaurantWords)
		for k := range names {
			names[k] = strings.ReplaceAll(names[k], "{Cuisine}", titleCase(cuisine))
		}
		score := rating(r)
		base, ok := cuisineCostUSD[cuisine]
		if !ok {
			base = defaultMealUSD
		}
		quality := 0.6 + 1.0*(0.6*(score-3)/2+0.4*r.float())
		lat, lon := g.position(r)
		out = append(out, catalog.Restaurant{
			ID: g.id("restaurant", i+1), Name: g.unique(names...), City: g.city.ID, Lat: lat, Lon: lon,
			Cuisines: cuisines, AvgCost: usd(g.price(base*quality, 3)), Rating: score,
		})
	}
	return out
}

// titleCase capitalises each word ("middle eastern" → "Middle Eastern").
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

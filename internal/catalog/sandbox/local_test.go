package sandbox

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"pathavana/internal/catalog"
)

var (
	lisbon   = catalog.City{ID: "2267057", Name: "Lisbon", Country: "PT", Lat: 38.71667, Lon: -9.13333, Population: 517802, Zone: "Europe/Lisbon"}
	portugal = catalog.Country{Code: "PT", Name: "Portugal", Currency: "EUR", PriceLevel: 0.62, Zones: []string{"Europe/Lisbon"}}
)

func TestLocalForIsDeterministic(t *testing.T) {
	a, b := LocalFor(lisbon, portugal), LocalFor(lisbon, portugal)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls for the same city differ")
	}
	other := lisbon
	other.ID = "2267058"
	if c := LocalFor(other, portugal); reflect.DeepEqual(a.Stays[4:], c.Stays[4:]) {
		t.Error("a different city id gave the same stays")
	}
}

func TestLocalForCounts(t *testing.T) {
	cases := []struct {
		pop                             int
		stays, restaurants, attractions int
	}{
		{0, 3, 4, 2},
		{1000, 3, 4, 2},
		{10000, 8, 10, 5}, // s = 0.5
		{100000, 12, 15, 8},
		{1000000, 36, 38, 19}, // t = 0.5
		{10000000, 60, 60, 30},
		{40000000, 60, 60, 30},
	}
	for _, c := range cases {
		city := lisbon
		city.Population = c.pop
		l := LocalFor(city, portugal)
		if len(l.Stays) != c.stays || len(l.Restaurants) != c.restaurants || len(l.Attractions) != c.attractions {
			t.Errorf("population %d: %d stays, %d restaurants, %d attractions; want %d, %d, %d", c.pop,
				len(l.Stays), len(l.Restaurants), len(l.Attractions), c.stays, c.restaurants, c.attractions)
		}
	}
}

func TestLocalForPricesFollowPriceLevel(t *testing.T) {
	cheap, dear := portugal, portugal
	cheap.PriceLevel, dear.PriceLevel = 0.5, 1.0
	a, b := LocalFor(lisbon, cheap), LocalFor(lisbon, dear)
	ratio := func(x, y int64) float64 { return float64(y) / float64(x) }
	var sa, sb int64
	for i := range a.Stays {
		if b.Stays[i].PricePerNight.Minor < a.Stays[i].PricePerNight.Minor {
			t.Errorf("stay %d cheaper at the higher price level", i)
		}
		sa += a.Stays[i].PricePerNight.Minor
		sb += b.Stays[i].PricePerNight.Minor
	}
	if r := ratio(sa, sb); r < 1.9 || r > 2.1 {
		t.Errorf("stay prices ×%.2f for price level ×2", r)
	}
	sa, sb = 0, 0
	for i := range a.Restaurants {
		sa += a.Restaurants[i].AvgCost.Minor
		sb += b.Restaurants[i].AvgCost.Minor
	}
	if r := ratio(sa, sb); r < 1.8 || r > 2.2 {
		t.Errorf("restaurant costs ×%.2f for price level ×2", r)
	}
	// Bigger cities are dearer at the same price level.
	big := lisbon
	big.Population = 8000000
	c := LocalFor(big, dear)
	if avgStay(c) <= avgStay(b) {
		t.Errorf("a city of 8 million averages $%.0f a night, one of 0.5 million $%.0f", avgStay(c)/100, avgStay(b)/100)
	}
}

func avgStay(l Local) float64 {
	var sum int64
	for _, s := range l.Stays {
		sum += s.PricePerNight.Minor
	}
	return float64(sum) / float64(len(l.Stays))
}

// TestLocalForIsValid runs the catalog's own checks over the places of a
// few very different cities, and checks what the catalog does not.
func TestLocalForIsValid(t *testing.T) {
	cities := []struct {
		city    catalog.City
		country catalog.Country
	}{
		{lisbon, portugal},
		{catalog.City{ID: "-12", Name: "Hopetoun", Country: "AU", Lat: -35.7153, Lon: 142.36, Zone: "Australia/Melbourne"},
			catalog.Country{Code: "AU", Name: "Australia", Currency: "AUD", PriceLevel: 1.05, Zones: []string{"Australia/Sydney"}}},
		{catalog.City{ID: "2988507", Name: "Paris", Country: "FR", Lat: 48.85341, Lon: 2.3488, Population: 2138551, Zone: "Europe/Paris"},
			catalog.Country{Code: "FR", Name: "France", Currency: "EUR", PriceLevel: 0.78, Zones: []string{"Europe/Paris"}}},
		{catalog.City{ID: "1275339", Name: "Mumbai", Country: "IN", Lat: 19.07283, Lon: 72.88261, Population: 12691836, Zone: "Asia/Kolkata"},
			catalog.Country{Code: "IN", Name: "India", Currency: "INR", PriceLevel: 0.25, Zones: []string{"Asia/Kolkata"}}},
		{catalog.City{ID: "2657896", Name: "Zürich", Country: "CH", Lat: 47.36667, Lon: 8.55, Population: 341730, Zone: "Europe/Zurich"},
			catalog.Country{Code: "CH", Name: "Switzerland", Currency: "CHF", PriceLevel: 1.15, Zones: []string{"Europe/Zurich"}}},
		{catalog.City{ID: "3", Name: "Nowhere", Country: "ZZ", Lat: 89.99, Lon: 179.99, Population: 50000, Zone: "UTC"},
			catalog.Country{Code: "ZZ", Name: "Nowhere", Currency: "USD", PriceLevel: 10}},
	}
	brands := []string{"hilton", "marriott", "hyatt", "sheraton", "ibis", "novotel", "radisson", "holiday inn",
		"four seasons", "ritz", "westin", "airbnb", "mcdonald", "starbucks", "kfc", "subway", "nando", "hard rock", "park plaza", "crowne"}
	for _, c := range cities {
		l := LocalFor(c.city, c.country)
		d := &catalog.Data{Countries: []catalog.Country{c.country}, Cities: []catalog.City{c.city},
			Stays: l.Stays, Restaurants: l.Restaurants, Attractions: l.Attractions}
		validate(t, d)
		ids := map[string]bool{}
		types := map[catalog.RoomType]bool{}
		check := func(id, name string, lat, lon, score float64) {
			if ids[id] {
				t.Errorf("%s: duplicate id %s", c.city.Name, id)
			}
			ids[id] = true
			low := strings.ToLower(name)
			for _, b := range brands {
				if strings.Contains(low, b) {
					t.Errorf("%s: %q looks like a brand", id, name)
				}
			}
			if km := distanceKM(c.city.Lat, c.city.Lon, lat, lon); km > 6.1 {
				t.Errorf("%s is %.1f km from the centre", id, km)
			}
			if score < 3 || score > 5 || math.Round(score*10) != score*10 {
				t.Errorf("%s: rating %v", id, score)
			}
		}
		for _, s := range l.Stays {
			check(s.ID, s.Name, s.Lat, s.Lon, s.Rating)
			types[s.RoomType] = true
			if s.RoomType == catalog.SharedRoom && s.MaxOccupancy != 1 {
				t.Errorf("%s: shared room for %d", s.ID, s.MaxOccupancy)
			}
			if s.PricePerNight.Currency != "USD" || s.PricePerNight.Minor%100 != 0 {
				t.Errorf("%s: price %v", s.ID, s.PricePerNight)
			}
		}
		if len(l.Stays) >= 4 && len(types) != 4 {
			t.Errorf("%s: room types %v, want all four", c.city.Name, types)
		}
		for _, r := range l.Restaurants {
			check(r.ID, r.Name, r.Lat, r.Lon, r.Rating)
		}
		for _, a := range l.Attractions {
			check(a.ID, a.Name, a.Lat, a.Lon, a.Rating)
			if a.Category == "beach" && landlocked[c.country.Code] {
				t.Errorf("%s: beach in landlocked %s", a.ID, c.country.Code)
			}
		}
		if !strings.HasPrefix(l.Stays[0].ID, "sbx-stay-"+c.city.ID+"-01") {
			t.Errorf("first stay id %s", l.Stays[0].ID)
		}
	}
}

func TestLocalForVariety(t *testing.T) {
	rules := map[string]int{}
	cuisines := map[string]int{}
	categories := map[string]int{}
	minNights := map[int]int{}
	for i := 0; i < 200; i++ {
		city := lisbon
		city.ID = CityID(int64(1000000 + i))
		l := LocalFor(city, portugal)
		for _, s := range l.Stays {
			minNights[s.MinNights]++
			for name, on := range map[string]bool{"smoking": s.Rules.Smoking, "parties": s.Rules.Parties,
				"children": s.Rules.ChildrenUnder10, "pets": s.Rules.Pets, "visitors": s.Rules.Visitors} {
				if on {
					rules[name]++
				}
			}
		}
		for _, r := range l.Restaurants {
			for _, c := range r.Cuisines {
				cuisines[c]++
			}
		}
		for _, a := range l.Attractions {
			categories[a.Category]++
		}
	}
	// Realistic mix: children and visitors mostly allowed, parties and smoking rare.
	if !(rules["children"] > rules["pets"] && rules["visitors"] > rules["pets"] && rules["pets"] > rules["smoking"] && rules["smoking"] > 0 && rules["parties"] > 0) {
		t.Errorf("house rules %v", rules)
	}
	if cuisines["portuguese"] < cuisines["italian"] || cuisines["vegan"] == 0 || cuisines["vegetarian"] == 0 || len(cuisines) < 15 {
		t.Errorf("cuisines %v: the local one should lead and the list be varied", cuisines)
	}
	if len(categories) < 9 || categories["museum"] == 0 || categories["zoo"] != 0 {
		t.Errorf("categories %v (no zoo below 1 million people)", categories)
	}
	if len(minNights) < 4 {
		t.Errorf("minimum nights %v", minNights)
	}
}

func TestLocalForOpeningHours(t *testing.T) {
	l := LocalFor(lisbon, portugal)
	for _, a := range l.Attractions {
		open := 0
		for _, s := range a.Hours {
			if !s.Closed {
				open++
				if s.Close <= s.Open {
					t.Errorf("%s: hours %v", a.ID, s)
				}
			}
		}
		if open == 0 {
			t.Errorf("%s never opens", a.ID)
		}
		if a.Category == "museum" && !a.Hours[0].Closed {
			t.Errorf("%s: museums close on Mondays", a.ID)
		}
	}
}

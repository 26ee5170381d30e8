package nlu

import (
	"reflect"
	"testing"
)

func TestParsePrefs(t *testing.T) {
	for _, c := range []struct {
		text string
		want Prefs
	}{
		{"4 of us, no red-eyes, vegetarian food", Prefs{NoRedEye: true, Cuisines: []string{"Vegetarian"}}},
		{"business class, nonstop please", Prefs{Cabin: "business", Nonstop: true}},
		{"premium economy direct flights", Prefs{Cabin: "premium_economy", Nonstop: true}},
		{"no flights, self-driving only", Prefs{NoFlights: true, SelfDrive: true}},
		{"we want an entire room that must allow pets and parties", Prefs{RoomTypes: []string{"entire_home"},
			Rules: HouseRules{Pets: true, Parties: true}}},
		{"a private room, no smoking", Prefs{RoomTypes: []string{"private_room"}}},
		{"hotel that allows children under 10 and visitors", Prefs{RoomTypes: []string{"hotel_room"},
			Rules: HouseRules{ChildrenUnder10: true, Visitors: true}}},
		{"Mexican and Indian food, maybe sushi", Prefs{Cuisines: []string{"Mexican", "Indian", "Japanese"}}},
		{"road trip with middle eastern food", Prefs{NoFlights: true, SelfDrive: true, Cuisines: []string{"Middle Eastern"}}},
		{"pet friendly hotel, no smoking", Prefs{RoomTypes: []string{"hotel_room"}, Rules: HouseRules{Pets: true}}},
		{"Boston to Lisbon", Prefs{}},
	} {
		if got := ParsePrefs(c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", c.text, got, c.want)
		}
	}
}

func FuzzParsePrefs(f *testing.F) {
	f.Add("business class nonstop, entire home allowing pets, thai food")
	f.Add("no flights no red-eye hostel smoking ok")
	f.Fuzz(func(t *testing.T, s string) {
		p := ParsePrefs(s)
		if len(p.RoomTypes) > 4 || len(p.Cuisines) > len(cuisineWords) {
			t.Fatalf("%q: %+v", s, p)
		}
	})
}

package local

import (
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

func usd(t testing.TB, s string) money.Money {
	t.Helper()
	m, err := money.Parse(s, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func date(s string) catalog.Date {
	d, _ := catalog.ParseDate(s)
	return d
}

func testData(t testing.TB) *catalog.Data {
	allOpen := catalog.Hours{}
	sundayClosed := catalog.Hours{}
	for i := range sundayClosed {
		allOpen[i] = catalog.Span{Open: 9 * 60, Close: 18 * 60}
		sundayClosed[i] = allOpen[i]
	}
	sundayClosed[6] = catalog.Span{Closed: true}
	return &catalog.Data{
		Stays: []catalog.Stay{
			{ID: "hotel", City: "c1", Lat: 38.71, Lon: -9.14, RoomType: catalog.HotelRoom, PricePerNight: usd(t, "100"), MaxOccupancy: 2, MinNights: 1, Rating: 4.2,
				Rules: catalog.HouseRules{ChildrenUnder10: true}},
			{ID: "home", City: "c1", Lat: 38.72, Lon: -9.13, RoomType: catalog.EntireHome, PricePerNight: usd(t, "250"), MaxOccupancy: 6, MinNights: 3, Rating: 4.8,
				Rules: catalog.HouseRules{ChildrenUnder10: true, Pets: true}},
			{ID: "hostel", City: "c1", Lat: 38.70, Lon: -9.15, RoomType: catalog.SharedRoom, PricePerNight: usd(t, "30"), MaxOccupancy: 8, MinNights: 1, Rating: 3.9,
				Rules: catalog.HouseRules{Parties: true, Visitors: true}},
			{ID: "far", City: "c2", Lat: 41.15, Lon: -8.61, RoomType: catalog.PrivateRoom, PricePerNight: usd(t, "60"), MaxOccupancy: 1, MinNights: 1, Rating: 4.5},
		},
		Restaurants: []catalog.Restaurant{
			{ID: "veg", City: "c1", Lat: 38.71, Lon: -9.14, Cuisines: []string{"Vegetarian", "Portuguese"}, AvgCost: usd(t, "22"), Rating: 4.5},
			{ID: "grill", City: "c1", Lat: 38.71, Lon: -9.14, Cuisines: []string{"Steakhouse"}, AvgCost: usd(t, "45"), Rating: 4.7},
		},
		Attractions: []catalog.Attraction{
			{ID: "museum", City: "c1", Lat: 38.71, Lon: -9.14, Category: "museum", Hours: sundayClosed, Price: usd(t, "15"), Rating: 4.6},
			{ID: "park", City: "c1", Lat: 38.71, Lon: -9.14, Category: "park", Hours: allOpen, Price: usd(t, "0"), Rating: 4.1},
		},
	}
}

func ids[T any](rs []T, id func(T) string) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, id(r))
	}
	return out
}

func stayIDs(rs []StayResult) []string {
	return ids(rs, func(r StayResult) string { return r.Stay.ID })
}

func TestStayOccupancyAndTotals(t *testing.T) {
	src := NewStaticSource(testData(t))
	q := StayQuery{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-14"),
		Guests: Guests{Adults: 3, Children: 2, ChildrenUnder10: 1}, Sort: SortPrice}
	got, err := SearchStays(src, q, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 5 guests: hotel rooms of 2 → 3 rooms; the home sleeps 6; the hostel
	// does not allow children under 10.
	if len(got) != 2 {
		t.Fatalf("got %v", stayIDs(got))
	}
	byID := map[string]StayResult{}
	for _, r := range got {
		byID[r.Stay.ID] = r
	}
	h := byID["hotel"]
	if h.Rooms != 3 || h.Nights != 4 || h.NightlyTotal != usd(t, "300") || h.Total != usd(t, "1200") {
		t.Fatalf("hotel: %+v", h)
	}
	if home := byID["home"]; home.Rooms != 1 || home.Total != usd(t, "1000") {
		t.Fatalf("home: %+v", home)
	}
	if got[0].Stay.ID != "home" {
		t.Fatalf("price sort: %v", stayIDs(got))
	}
}

func TestStayFilters(t *testing.T) {
	src := NewStaticSource(testData(t))
	base := StayQuery{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-12"), Guests: Guests{Adults: 2}}
	cases := []struct {
		name string
		edit func(*StayQuery)
		want []string
	}{
		{"min nights drop the home", func(q *StayQuery) {}, []string{"hotel", "hostel"}},
		{"room type", func(q *StayQuery) { q.RoomTypes = []catalog.RoomType{catalog.SharedRoom} }, []string{"hostel"}},
		{"parties", func(q *StayQuery) { q.Rules.Parties = true }, []string{"hostel"}},
		{"max price per night", func(q *StayQuery) { m := usd(t, "50"); q.MaxPrice = &m }, []string{"hostel"}},
		{"max total", func(q *StayQuery) { m := usd(t, "150"); q.MaxTotal = &m }, []string{"hostel"}},
		{"min rating", func(q *StayQuery) { q.MinRating = 4 }, []string{"hotel"}},
		{"other currency bound excludes", func(q *StayQuery) { m, _ := money.Parse("1000", "EUR"); q.MaxPrice = &m }, []string{}},
		{"rooms asked", func(q *StayQuery) { q.Rooms = 2; q.Sort = SortPrice }, []string{"hostel", "hotel"}},
	}
	for _, c := range cases {
		q := base
		c.edit(&q)
		got, err := SearchStays(src, q, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if g := stayIDs(got); !equalSets(g, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, g, c.want)
		}
	}
}

func equalSets(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestStayRadius(t *testing.T) {
	src := NewStaticSource(testData(t))
	near := func(lat, lon, r float64) []string { return []string{"c1", "c2"} }
	q := StayQuery{Area: Area{Lat: 38.71, Lon: -9.14, RadiusKM: 5}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-11"),
		Guests: Guests{Adults: 1}, Sort: SortDistance}
	got, err := SearchStays(src, q, near)
	if err != nil {
		t.Fatal(err)
	}
	if g := stayIDs(got); len(g) != 2 || g[0] != "hotel" { // Porto ("far") is 275 km away
		t.Fatalf("got %v", g)
	}
	if got[1].DistanceKM <= got[0].DistanceKM {
		t.Fatal("not sorted by distance")
	}
}

func TestValidation(t *testing.T) {
	src := NewStaticSource(testData(t))
	bad := []StayQuery{
		{CheckIn: date("2027-05-10"), CheckOut: date("2027-05-11"), Guests: Guests{Adults: 1}},
		{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-10"), Guests: Guests{Adults: 1}},
		{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-07-10"), Guests: Guests{Adults: 1}},
		{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-11")},
		{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-11"), Guests: Guests{Adults: 20}},
		{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-11"), Guests: Guests{Adults: 1}, Sort: SortDistance},
		{Area: Area{Lat: 100, Lon: 0, RadiusKM: 5}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-11"), Guests: Guests{Adults: 1}},
		{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-11"), Guests: Guests{Adults: 1}, RoomTypes: []catalog.RoomType{"castle"}},
	}
	for i, q := range bad {
		_, err := SearchStays(src, q, nil)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || len(e.Fields) == 0 {
			t.Errorf("case %d: err = %v, want a validation error naming the field", i, err)
		}
	}
}

func TestRestaurantsAndAttractions(t *testing.T) {
	src := NewStaticSource(testData(t))
	rs, err := SearchRestaurants(src, RestaurantQuery{Area: Area{City: "c1"}, Cuisines: []string{"vegetarian", "Indian"}, Party: 4}, nil)
	if err != nil || len(rs) != 1 || rs[0].Restaurant.ID != "veg" || rs[0].PartyCost != usd(t, "88") {
		t.Fatalf("restaurants: %+v, %v", rs, err)
	}
	sunday := date("2027-05-09")
	if sunday.Weekday() != time.Sunday {
		t.Fatal("fixture date is not a Sunday")
	}
	as, err := SearchAttractions(src, AttractionQuery{Area: Area{City: "c1"}, Date: sunday, Adults: 2, Children: 1}, nil)
	if err != nil || len(as) != 1 || as[0].Attraction.ID != "park" {
		t.Fatalf("attractions on a Sunday: %+v, %v", as, err)
	}
	as, err = SearchAttractions(src, AttractionQuery{Area: Area{City: "c1"}, Adults: 2, Children: 1, Sort: SortPrice}, nil)
	if err != nil || len(as) != 2 || as[1].Attraction.ID != "museum" || as[1].PartyCost != usd(t, "37.50") {
		t.Fatalf("attractions: %+v, %v", as, err)
	}
}

func TestLayered(t *testing.T) {
	base := NewStaticSource(testData(t))
	over := NewStaticSource(&catalog.Data{Stays: []catalog.Stay{
		{ID: "hotel", City: "c1", RoomType: catalog.HotelRoom, PricePerNight: usd(t, "80"), MaxOccupancy: 2, Rating: 4.9},
		{ID: "new", City: "c1", RoomType: catalog.HotelRoom, PricePerNight: usd(t, "90"), MaxOccupancy: 2, Rating: 4},
	}})
	got := Layered(base, over).Stays("c1")
	prices := map[string]money.Money{}
	for _, s := range got {
		prices[s.ID] = s.PricePerNight
	}
	if len(got) != 4 || prices["hotel"] != usd(t, "80") || prices["new"].IsZero() {
		t.Fatalf("layered: %+v", got)
	}
}

func BenchmarkSearchStays(b *testing.B) {
	d := &catalog.Data{}
	types := catalog.RoomTypes
	for i := range 60 {
		d.Stays = append(d.Stays, catalog.Stay{ID: string(rune('a'+i%26)) + string(rune('a'+i/26)), City: "c1",
			RoomType: types[i%4], PricePerNight: money.Money{Minor: int64(5000 + 731*i%20000), Currency: "USD"},
			MaxOccupancy: 1 + i%6, MinNights: 1 + i%3, Rating: 3 + float64(i%20)/10,
			Rules: catalog.HouseRules{ChildrenUnder10: i%2 == 0, Pets: i%3 == 0}})
	}
	src := NewStaticSource(d)
	q := StayQuery{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-14"), Guests: Guests{Adults: 2, Children: 1}}
	for b.Loop() {
		if _, err := SearchStays(src, q, nil); err != nil {
			b.Fatal(err)
		}
	}
}

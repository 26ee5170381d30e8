package amadeus

import (
	"context"
	"strings"
	"testing"

	"pathavana/internal/apperr"
	"pathavana/internal/money"
	"pathavana/internal/testkit/amadeusfake"
)

func TestHotelsAndOffers(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	ctx := context.Background()
	hotels, err := e.client.HotelsByCity(ctx, HotelListQuery{CityCode: "PAR", Radius: 2, RadiusUnit: "KM", Ratings: []int{4, 5}})
	if err != nil {
		t.Fatal(err)
	}
	if len(hotels) != 2 || hotels[0].HotelID != "HLPAR266" || hotels[0].GeoCode.Latitude != 48.8635 || hotels[0].CountryCode != "FR" {
		t.Fatalf("hotels = %+v", hotels)
	}
	if q := e.fake.RequestsTo("/v1/reference-data/locations/hotels")[0].Query; q.Get("ratings") != "4,5" || q.Get("radius") != "2" {
		t.Fatalf("hotel list query = %v", q)
	}
	offers, err := e.client.HotelOffers(ctx, HotelOffersQuery{HotelIDs: []string{"MCLONGHM", "HITYO123"}, Adults: 2,
		CheckIn: Date{2026, 11, 22}, CheckOut: Date{2026, 11, 24}, RoomQuantity: 1, BestRateOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(offers) != 2 {
		t.Fatalf("hotel offers = %+v", offers)
	}
	london := offers[0].Offers[0]
	if london.Total != (money.Money{Minor: 143200, Currency: "GBP"}) || london.Base == nil || london.Base.Minor != 114560 ||
		london.CheckIn != (Date{2026, 11, 22}) || london.Adults != 2 || london.CancellationType != "FULL_STAY" {
		t.Fatalf("London offer = %+v", london)
	}
	if tokyo := offers[1].Offers[0].Total; tokyo.String() != "64000" || tokyo.Currency != "JPY" {
		t.Fatalf("Tokyo total = %s %s, want 64000 JPY (no minor unit)", tokyo, tokyo.Currency)
	}
	if _, err := e.client.HotelsByCity(ctx, HotelListQuery{CityCode: "paris"}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("bad city code: %v", err)
	}
	if _, err := e.client.HotelOffers(ctx, HotelOffersQuery{HotelIDs: []string{"X"}, Adults: 1,
		CheckIn: Date{2026, 11, 24}, CheckOut: Date{2026, 11, 22}}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("check-out before check-in: %v", err)
	}
	if _, err := e.client.HotelsByCity(ctx, HotelListQuery{CityCode: "XXX"}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("unknown city: %v", err)
	}
}

func TestActivitiesNumbersOrStrings(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	acts, err := e.client.Activities(context.Background(), ActivityQuery{Latitude: 40.41436, Longitude: -3.69170, Radius: 3})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Activity{}
	for _, a := range acts {
		byID[a.ID] = a
	}
	if len(acts) != 3 {
		t.Fatalf("activities = %+v", acts)
	}
	if a := byID["4615"]; a.GeoCode.Latitude != 40.414 || a.Rating != 4.5 || a.Price == nil || a.Price.Minor != 3500 {
		t.Fatalf("string-typed activity = %+v", a)
	}
	if a := byID["23642"]; a.GeoCode.Longitude != -3.7038 || a.Rating != 4.7 || a.Price == nil ||
		*a.Price != (money.Money{Minor: 51413, Currency: "EUR"}) {
		t.Fatalf("number-typed activity with suffixed price = %+v", a)
	}
	if a := byID["3411"]; a.Price != nil {
		t.Fatalf("activity without price = %+v", a.Price)
	}
	if _, err := e.client.Activities(context.Background(), ActivityQuery{Latitude: 91}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("latitude 91: %v", err)
	}
	if _, err := e.client.Activities(context.Background(), ActivityQuery{Radius: 21}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("radius 21: %v", err)
	}
}

func TestLocationsFollowPaging(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	locs, err := e.client.Locations(context.Background(), LocationQuery{SubTypes: []string{"AIRPORT", "CITY"}, Keyword: "LON", PageLimit: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(locs) != 6 {
		t.Fatalf("locations = %d, want all 6 London entries across 3 pages", len(locs))
	}
	if locs[0].SubType != "CITY" || locs[0].IATACode != "LON" || locs[1].IATACode != "LHR" || locs[0].TravelersScore != 60 {
		t.Fatalf("first page = %+v", locs[:2])
	}
	reqs := e.fake.RequestsTo("/v1/reference-data/locations")
	if len(reqs) != 3 {
		t.Fatalf("pages fetched = %d, want 3", len(reqs))
	}
	if !strings.Contains(reqs[1].RequestURI, "page%5Boffset%5D=2") || reqs[2].Query.Get("page[offset]") != "4" {
		t.Fatalf("paging requests = %q, %q", reqs[1].RequestURI, reqs[2].RequestURI)
	}
	e.fake.ResetRequests()
	locs, err = e.client.Locations(context.Background(), LocationQuery{SubTypes: []string{"AIRPORT"}, Keyword: "LON", PageLimit: 2}, 3)
	if err != nil || len(locs) != 3 {
		t.Fatalf("limited locations = %d, %v", len(locs), err)
	}
	if n := len(e.fake.Requests()); n != 2 {
		t.Fatalf("pages fetched for limit 3 = %d, want 2", n)
	}
	if _, err := e.client.Locations(context.Background(), LocationQuery{Keyword: "LON"}, 0); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("no subType: %v", err)
	}
}

func TestLocationsRefuseForeignNextLink(t *testing.T) {
	c := rawClient(t, tokenThen(`{"meta":{"links":{"next":"https://evil.example/v1/reference-data/locations?page%5Boffset%5D=10"}},"data":[{"iataCode":"MUC"}]}`))
	_, err := c.Locations(context.Background(), LocationQuery{SubTypes: []string{"CITY"}, Keyword: "MUC"}, 0)
	if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "leaves the Amadeus base URL") {
		t.Fatalf("foreign next link: %v", err)
	}
}

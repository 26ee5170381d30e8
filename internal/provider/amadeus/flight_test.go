package amadeus

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/money"
	"pathavana/internal/testkit/amadeusfake"
)

func TestSearchFlightOffers(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	res, err := e.client.SearchFlightOffers(context.Background(), sydMnl())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Offers) != 2 {
		t.Fatalf("offers = %d, want 2", len(res.Offers))
	}
	o := res.Offers[0]
	want := money.Money{Minor: 35534, Currency: "EUR"}
	if o.Price.Total != want || o.Price.GrandTotal != want || o.Price.Base.Minor != 25500 {
		t.Fatalf("price = %+v, want exactly 355.34 EUR", o.Price)
	}
	if o.TravelerPricings[0].Total != want || o.TravelerPricings[0].TravelerType != "ADULT" {
		t.Fatalf("traveler pricing = %+v", o.TravelerPricings[0])
	}
	seg := o.Itineraries[0].Segments[0]
	if seg.Departure.At != (LocalDateTime{Date{2026, 11, 1}, 11, 35, 0}) || seg.Duration != 8*time.Hour+15*time.Minute ||
		seg.CarrierCode != "PR" || seg.AircraftCode != "333" || seg.Departure.Terminal != "1" {
		t.Fatalf("segment = %+v", seg)
	}
	// "at" is airport-local: 11:35 in Sydney is 00:35 UTC (AEDT, +11).
	syd, err := time.LoadLocation("Australia/Sydney")
	if err == nil {
		if got := seg.Departure.At.In(syd).UTC(); got != time.Date(2026, 11, 1, 0, 35, 0, 0, time.UTC) {
			t.Fatalf("departure instant = %s", got)
		}
	}
	if res.Dictionaries.Carriers["PR"] != "PHILIPPINE AIRLINES" || res.Dictionaries.Locations["MNL"].CountryCode != "PH" {
		t.Fatalf("dictionaries = %+v", res.Dictionaries)
	}
	if night := res.Offers[1].Itineraries[0].Segments[0]; night.Arrival.At.Date != (Date{2026, 11, 2}) {
		t.Fatalf("overnight arrival = %v, want next day", night.Arrival.At)
	}
	q := e.fake.RequestsTo("/v2/shopping/flight-offers")[0].Query
	if q.Get("originLocationCode") != "SYD" || q.Get("departureDate") != "2026-11-01" || q.Get("adults") != "1" {
		t.Fatalf("query = %v", q)
	}
}

func TestSearchMultiSegmentRoundTripAndParams(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	s := FlightSearch{Origin: "MAD", Destination: "BKK", DepartureDate: Date{2026, 6, 10}, Adults: 2, Children: 1, Infants: 1,
		TravelClass: Business, Currency: "JPY", Max: 5, ExcludedAirlines: []string{"IB"}}
	res, err := e.client.SearchFlightOffers(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Offers) != 1 {
		t.Fatalf("offers = %d", len(res.Offers))
	}
	it := res.Offers[0].Itineraries[0]
	if it.Connections() != 1 || it.Duration != 16*time.Hour+20*time.Minute {
		t.Fatalf("itinerary = %+v", it)
	}
	second := it.Segments[1]
	if second.Departure.At.Date != (Date{2026, 6, 11}) || second.Arrival.At.Compare(LocalDateTime{Date{2026, 6, 11}, 12, 20, 0}) != 0 {
		t.Fatalf("second segment = %+v", second)
	}
	if p := res.Offers[0].Price.Total; p.Currency != "JPY" || p.String() != "942552" { // 689€ ×3 (business) ×160 ¥/€ ×(2 + 0.75 + 0.1)
		t.Fatalf("JPY total = %s %s", p, p.Currency)
	}
	if len(res.Offers[0].TravelerPricings) != 4 {
		t.Fatalf("traveler pricings = %d", len(res.Offers[0].TravelerPricings))
	}
	q := e.fake.RequestsTo("/v2/")[0].Query
	for k, v := range map[string]string{"children": "1", "infants": "1", "travelClass": "BUSINESS", "currencyCode": "JPY",
		"max": "5", "excludedAirlineCodes": "IB"} {
		if q.Get(k) != v {
			t.Errorf("query %s = %q, want %q", k, q.Get(k), v)
		}
	}
	rt := FlightSearch{Origin: "MAD", Destination: "NYC", DepartureDate: Date{2026, 6, 10}, ReturnDate: Date{2026, 6, 20}, Adults: 1, NonStop: true}
	res, err = e.client.SearchFlightOffers(context.Background(), rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Offers) != 1 || len(res.Offers[0].Itineraries) != 2 || res.Offers[0].OneWay {
		t.Fatalf("round trip = %+v", res.Offers)
	}
}

func TestSearchValidation(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	base := sydMnl()
	cases := map[string]func(*FlightSearch){
		"no adults":        func(s *FlightSearch) { s.Adults = 0 },
		"ten adults":       func(s *FlightSearch) { s.Adults = 10 },
		"infants > adults": func(s *FlightSearch) { s.Infants = 2 },
		"ten seated":       func(s *FlightSearch) { s.Adults, s.Children = 5, 5 },
		"both airlines":    func(s *FlightSearch) { s.IncludedAirlines, s.ExcludedAirlines = []string{"PR"}, []string{"QF"} },
		"bad origin":       func(s *FlightSearch) { s.Origin = "syd" },
		"no date":          func(s *FlightSearch) { s.DepartureDate = Date{} },
		"bad date":         func(s *FlightSearch) { s.DepartureDate = Date{2026, 2, 30} },
		"return before":    func(s *FlightSearch) { s.ReturnDate = Date{2026, 10, 1} },
		"bad class":        func(s *FlightSearch) { s.TravelClass = "COACH" },
		"max too big":      func(s *FlightSearch) { s.Max = 251 },
	}
	for name, mutate := range cases {
		s := base
		mutate(&s)
		if _, err := e.client.SearchFlightOffers(context.Background(), s); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: error = %v, want invalid", name, err)
		}
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Fatalf("invalid searches reached the server %d times", n)
	}
}

func TestSearchServerSideErrors(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	past := sydMnl()
	past.DepartureDate = Date{2026, 2, 27} // before the fake's clock (2026-03-01)
	_, err := e.client.SearchFlightOffers(context.Background(), past)
	ae, _ := apperr.As(err)
	var api *APIError
	if ae == nil || ae.Code != apperr.Invalid || !errors.As(err, &api) || api.Code != CodeInvalidDate {
		t.Fatalf("past date: %v", err)
	}
	if len(ae.Fields) != 1 || ae.Fields[0].Field != "departureDate" || !strings.Contains(ae.Message, "INVALID DATE") {
		t.Fatalf("past date apperr = %+v", ae)
	}
	if n := len(e.fake.RequestsTo("/v2/")); n != 1 {
		t.Fatalf("400s must not be retried: %d attempts", n)
	}
}

func priceOne(t *testing.T, e *env) []FlightOffer {
	t.Helper()
	res, err := e.client.SearchFlightOffers(context.Background(), sydMnl())
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.client.PriceFlightOffers(context.Background(), res.Offers[:1], "bags")
	if err != nil {
		t.Fatal(err)
	}
	return p.Offers
}

func travelers() []Traveler {
	return []Traveler{{ID: "1", DateOfBirth: Date{1982, 1, 16}, Gender: "MALE", Name: Name{"JORGE", "GONZALES"},
		Contact: &Contact{EmailAddress: "jorge@example.com", Phones: []Phone{{"MOBILE", "34", "480080076"}}}}}
}

func TestPriceOrderGetDeleteChain(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	res, err := e.client.SearchFlightOffers(context.Background(), sydMnl())
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.client.PriceFlightOffers(context.Background(), res.Offers[:1], "bags", "detailed-fare-rules")
	if err != nil {
		t.Fatal(err)
	}
	if !p.EmailAddressRequired || len(p.Offers) != 1 || p.Offers[0].Price.Total.Minor != 35534 {
		t.Fatalf("pricing = %+v", p)
	}
	pr := e.fake.RequestsTo("/v1/shopping/flight-offers/pricing")[0]
	if pr.Header.Get("X-HTTP-Method-Override") != "GET" || pr.Query.Get("include") != "bags,detailed-fare-rules" {
		t.Fatalf("pricing request = %+v", pr)
	}
	if !strings.Contains(string(pr.Body), string(res.Offers[0].Raw)) {
		t.Fatal("pricing did not send the offer unchanged")
	}
	order, err := e.client.CreateFlightOrder(context.Background(), FlightOrderRequest{Offers: p.Offers, Travelers: travelers(),
		TicketingAgreement: &TicketingAgreement{Option: "DELAY_TO_CANCEL", Delay: "6D"}})
	if err != nil {
		t.Fatal(err)
	}
	if order.PNR() != "2ZYVAL" || order.ID != "eJzTd9f3NjIJdzUGAAp%2fA001=" || len(order.Offers) != 1 {
		t.Fatalf("order = %+v", order)
	}
	got, err := e.client.GetFlightOrder(context.Background(), order.ID)
	if err != nil || got.PNR() != "2ZYVAL" {
		t.Fatalf("get order = %+v, %v", got, err)
	}
	if err := e.client.DeleteFlightOrder(context.Background(), order.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.GetFlightOrder(context.Background(), order.ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("get after delete: %v, want not_found", err)
	}
	// An unpriced (search) offer is refused by the fake, as a price check.
	_, err = e.client.CreateFlightOrder(context.Background(), FlightOrderRequest{Offers: res.Offers[:1], Travelers: travelers()})
	if apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("order from unpriced offer: %v, want conflict", err)
	}
	// Offers not from a search cannot be priced or booked.
	if _, err := e.client.PriceFlightOffers(context.Background(), []FlightOffer{{ID: "1"}}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("pricing a hand-made offer: %v", err)
	}
	if _, err := e.client.CreateFlightOrder(context.Background(), FlightOrderRequest{Offers: p.Offers}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("order without travellers: %v", err)
	}
}

func TestOrderIDPlacedVerbatimInPath(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	const id = "eJzTd9f3NjIJdzUGAAp%2fAiY="
	e.fake.SetNextOrderID(id)
	priced := priceOne(t, e)
	order, err := e.client.CreateFlightOrder(context.Background(), FlightOrderRequest{Offers: priced, Travelers: travelers()})
	if err != nil || order.ID != id {
		t.Fatalf("order = %+v, %v", order, err)
	}
	e.fake.ResetRequests()
	if _, err := e.client.GetFlightOrder(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if err := e.client.DeleteFlightOrder(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.fake.Requests() {
		if r.RawPath != "/v1/booking/flight-orders/"+id || r.RequestURI != r.RawPath {
			t.Fatalf("%s sent raw path %q (URI %q), want the id verbatim", r.Method, r.RawPath, r.RequestURI)
		}
	}
	for _, bad := range []string{"", "a/b", "a?b", "a#b", "a b", "%zz", "abc%2", "é"} {
		if _, err := e.client.GetFlightOrder(context.Background(), bad); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("GetFlightOrder(%q) = %v, want invalid", bad, err)
		}
	}
}

func TestOrderPathUnderBasePrefix(t *testing.T) {
	c, err := New(Config{BaseURL: "https://proxy.example/amadeus/", ClientID: "id", ClientSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := orderPath("eJzTd9f3NjIJdzUGAAp%2fAiY=")
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.url(request{path: p})
	if err != nil {
		t.Fatal(err)
	}
	if got := u.String(); got != "https://proxy.example/amadeus/v1/booking/flight-orders/eJzTd9f3NjIJdzUGAAp%2fAiY=" {
		t.Fatalf("url = %s", got)
	}
	if u.RequestURI() != "/amadeus/v1/booking/flight-orders/eJzTd9f3NjIJdzUGAAp%2fAiY=" {
		t.Fatalf("request URI = %s", u.RequestURI())
	}
}

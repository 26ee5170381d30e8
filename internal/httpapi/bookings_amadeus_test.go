package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"pathavana/internal/provider/amadeus"
	"pathavana/internal/search"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/amadeusfake"
	"pathavana/internal/testkit/testapp"
)

func newTraveler(t *testing.T, app *testapp.App, token string, given, family, dob, expiry string) string {
	t.Helper()
	r := app.Do(t, "POST", "/api/v1/travelers", token, map[string]any{"given_names": given, "family_name": family,
		"date_of_birth": dob, "gender": "female", "nationality": "PT", "passport_number": "CB8341927", "passport_country": "PT",
		"passport_expiry": expiry})
	if r.Status != http.StatusCreated {
		t.Fatalf("traveler: %d %s", r.Status, r.Body)
	}
	return r.Map(t)["id"].(string)
}

// TestBookingAmadeusFlightOrder: with Amadeus configured, a searched
// itinerary is re-priced and ordered for saved travelers; the booking
// carries the record locator, warns about a passport expiring too soon,
// and cancelling deletes the order.
// amadeusFlights is Amadeus on a fake, as the flight provider.
func amadeusFlights(t *testing.T) (*search.AmadeusFlights, *amadeusfake.Server) {
	fake := amadeusfake.New(t, amadeusfake.Options{TPS: -1})
	client, err := amadeus.New(amadeus.Config{BaseURL: fake.URL(), ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(),
		RetryBase: time.Millisecond, RetryMax: 5 * time.Millisecond, Timeout: 2 * time.Second, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &search.AmadeusFlights{Client: client}, fake
}

func appWithFlights(t *testing.T, p search.FlightProvider) *testapp.App {
	base := testapp.SandboxSearcher(t)
	searcher := search.NewSearcher(base.Catalog(), search.Providers{Flights: p}, slog.New(slog.DiscardHandler))
	return testapp.New(t, testkit.NewTestStore(t), testapp.Options{Search: searcher})
}

// amadeusRequest searches MAD→JFK through the API and returns a booking
// request for the first itinerary.
func amadeusRequest(t *testing.T, app *testapp.App, traveler string) map[string]any {
	var fb flightsBody
	app.Do(t, "GET", "/api/v1/search/flights?from=MAD&to=JFK&date="+ahead(30)+"&adults=1&max_stops=0", "", nil).JSON(t, &fb)
	if fb.Source != "amadeus" || len(fb.Itineraries) == 0 {
		t.Fatalf("search: %+v", fb)
	}
	it := fb.Itineraries[0]
	s := it.Legs[0].Segments[0]
	return map[string]any{"provider": "amadeus", "party": map[string]int{"adults": 1}, "traveler_ids": []string{traveler},
		"flight":         map[string]any{"segments": []map[string]string{{"number": s.FlightNumber, "from": s.From, "to": s.To, "date": s.Departs.Format(time.DateOnly)}}},
		"accepted_total": moneyJSON{it.Price.Amount, it.Price.Currency}}
}

// failingOrders is Amadeus whose order endpoint fails.
type failingOrders struct {
	*search.AmadeusFlights
	fake *amadeusfake.Server
}

func (f failingOrders) Order(ctx context.Context, p search.PricedFlight, ts []search.Passenger) (string, string, error) {
	f.fake.SetFaults(amadeusfake.Faults{ServerErrors: 5})
	return f.AmadeusFlights.Order(ctx, p, ts)
}

// TestBookingAmadeusOrderFails: an airline that does not confirm leaves a
// failed booking saying so, which a retry with the key returns as is.
func TestBookingAmadeusOrderFails(t *testing.T) {
	flights, fake := amadeusFlights(t)
	app := appWithFlights(t, failingOrders{flights, fake})
	ana := app.SignUp(t, "ana@example.com")
	req := amadeusRequest(t, app, newTraveler(t, app, ana.Access, "Ana", "Silva", "1961-07-19", "2035-01-01"))
	r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "f1")
	b := r.Map(t)
	if r.Status != http.StatusCreated || b["state"] != "failed" || !strings.Contains(b["failure"].(string), "did not confirm") ||
		b["confirmation_code"] != nil {
		t.Fatalf("failed order: %d %s", r.Status, r.Body)
	}
	fake.SetFaults(amadeusfake.Faults{})
	again := app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "f1").Map(t)
	if again["id"] != b["id"] || again["state"] != "failed" {
		t.Fatalf("retry: %v", again)
	}
	problemOf(t, app.Do(t, "POST", "/api/v1/bookings/"+b["id"].(string)+"/cancel", ana.Access, nil), http.StatusConflict, "conflict")
}

func TestBookingAmadeusFlightOrder(t *testing.T) {
	flights, fake := amadeusFlights(t)
	app := appWithFlights(t, flights)
	ana := app.SignUp(t, "ana@example.com")
	expiry := time.Now().UTC().AddDate(0, 3, 0).Format(time.DateOnly) // valid, but not 6 months after the trip
	traveler := newTraveler(t, app, ana.Access, "Ana Maria", "Silva", "1961-07-19", expiry)
	req := amadeusRequest(t, app, traveler)

	noTravelers := map[string]any{}
	for k, v := range req {
		noTravelers[k] = v
	}
	delete(noTravelers, "traveler_ids")
	problemOf(t, app.Do(t, "POST", "/api/v1/bookings", ana.Access, noTravelers, "Idempotency-Key", "a0"), http.StatusUnprocessableEntity, "invalid")

	r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "a1")
	if r.Status != http.StatusCreated {
		t.Fatalf("book: %d %s", r.Status, r.Body)
	}
	var b struct {
		bookingJSON
		Provider    string   `json:"provider"`
		ProviderRef string   `json:"provider_ref"`
		Warnings    []string `json:"warnings"`
	}
	r.JSON(t, &b)
	if b.State != "confirmed" || b.Provider != "amadeus" || b.ProviderRef == "" || b.ConfirmationCode == "" ||
		len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "6 months") {
		t.Fatalf("booking: %s", r.Body)
	}
	if strings.Contains(string(r.Body), "CB8341927") {
		t.Fatal("the passport number leaked into the booking")
	}
	orders := fake.RequestsTo("/v1/booking/flight-orders")
	if len(orders) != 1 || !strings.Contains(string(orders[0].Body), "SILVA") {
		t.Fatalf("order requests: %+v", orders)
	}

	// A retry is answered from the key: no second order.
	if r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "a1"); r.Status != http.StatusOK {
		t.Fatalf("retry: %d", r.Status)
	}
	if n := len(fake.RequestsTo("/v1/booking/flight-orders")); n != 1 {
		t.Fatalf("%d orders after a retry", n)
	}

	r = app.Do(t, "POST", "/api/v1/bookings/"+b.ID+"/cancel", ana.Access, nil)
	if r.Status != http.StatusOK || r.Map(t)["state"] != "cancelled" {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	var deleted bool
	for _, q := range fake.Requests() {
		deleted = deleted || q.Method == http.MethodDelete
	}
	if !deleted {
		t.Fatal("the flight order was not deleted")
	}
}

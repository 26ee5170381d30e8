package httpapi_test

import (
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
func TestBookingAmadeusFlightOrder(t *testing.T) {
	fake := amadeusfake.New(t, amadeusfake.Options{TPS: -1})
	client, err := amadeus.New(amadeus.Config{BaseURL: fake.URL(), ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(),
		RetryBase: time.Millisecond, RetryMax: 5 * time.Millisecond, Timeout: 2 * time.Second, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	base := testapp.SandboxSearcher(t)
	searcher := search.NewSearcher(base.Catalog(), search.Providers{Flights: &search.AmadeusFlights{Client: client}}, slog.New(slog.DiscardHandler))
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{Search: searcher})
	ana := app.SignUp(t, "ana@example.com")
	day := ahead(30)
	expiry := time.Now().UTC().AddDate(0, 3, 0).Format(time.DateOnly) // valid, but not 6 months after the trip
	traveler := newTraveler(t, app, ana.Access, "Ana Maria", "Silva", "1961-07-19", expiry)

	var fb flightsBody
	app.Do(t, "GET", "/api/v1/search/flights?from=MAD&to=JFK&date="+day+"&adults=1&max_stops=0", "", nil).JSON(t, &fb)
	if fb.Source != "amadeus" || len(fb.Itineraries) == 0 {
		t.Fatalf("search: %+v", fb)
	}
	it := fb.Itineraries[0]
	s := it.Legs[0].Segments[0]
	req := map[string]any{"provider": "amadeus", "party": map[string]int{"adults": 1}, "traveler_ids": []string{traveler},
		"flight":         map[string]any{"segments": []map[string]string{{"number": s.FlightNumber, "from": s.From, "to": s.To, "date": s.Departs.Format(time.DateOnly)}}},
		"accepted_total": moneyJSON{it.Price.Amount, it.Price.Currency}}

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

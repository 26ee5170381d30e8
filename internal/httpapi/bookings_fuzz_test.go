package httpapi_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

// FuzzBookingRequest: whatever the body, booking answers a success or a
// problem document, never a 500.
func FuzzBookingRequest(f *testing.F) {
	app := testapp.New(f, testkit.NewTestStore(f), testapp.Options{})
	ana := app.SignUp(f, "fuzz@example.com")
	in, out := ahead(30), ahead(32)
	f.Add(fmt.Sprintf(`{"party":{"adults":2},"stay":{"city":"2267057","stay_id":"sbx-stay-2267057-25","check_in":%q,"check_out":%q},"accepted_total":{"amount":"134.00","currency":"USD"}}`, in, out))
	f.Add(fmt.Sprintf(`{"party":{"adults":1,"infants":1},"flight":{"segments":[{"number":"TP1","from":"LIS","to":"OPO","date":%q}]},"accepted_total":{"amount":"1","currency":"EUR"}}`, in))
	f.Add(`{"party":{"adults":-1,"children":99},"attraction":{"city":"","attraction_id":"x","date":"2027-13-01"},"accepted_total":{"amount":"1e9","currency":"usd"}}`)
	f.Add(`{"provider":"amadeus","traveler_ids":["a","a"],"party":{"adults":1}}`)
	f.Add(`[]`)
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, body string) {
		r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, body, "Idempotency-Key", fmt.Sprint("fuzz-", n.Add(1)))
		switch {
		case r.Status >= 500:
			t.Fatalf("%d for %q: %s", r.Status, body, r.Body)
		case r.Status >= 400 && r.Header.Get("Content-Type") != "application/problem+json":
			t.Fatalf("%d without a problem document for %q", r.Status, body)
		case r.Status < 400 && r.Status != http.StatusCreated && r.Status != http.StatusOK:
			t.Fatalf("unexpected %d for %q", r.Status, body)
		}
	})
}

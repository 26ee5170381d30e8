package httpapi_test

import (
	"testing"

	"pathavana/internal/store"
	"pathavana/internal/testkit/testapp"
)

// ownershipApp is an app where one user owns one of every resource.
type ownershipApp struct {
	*testapp.App
	owner, other testapp.Session
	ids          map[string]string // family (URL segment) → the owner's resource ID
	itemID       string
	bodies       map[string]any // "family METHOD" → a valid request body
}

func newOwnershipApp(t *testing.T, db *store.DB) ownershipApp {
	app := testapp.New(t, db, testapp.Options{})
	a, b := app.SignUp(t, "owner@example.com"), app.SignUp(t, "other@example.com")
	o := ownershipApp{App: app, owner: a, other: b, ids: map[string]string{}, bodies: map[string]any{}}

	o.ids["travelers"] = newTraveler(t, app, a.Access, "Ana", "Silva", "1980-01-02", "2035-01-01")
	o.bodies["travelers PATCH"] = map[string]any{"label": "taken"}

	in, out := ahead(40), ahead(42)
	stay := findStay(t, app, "hotel_room", in, out, 1)
	r := app.Do(t, "POST", "/api/v1/bookings", a.Access, stayBooking(stay, in, out, 1, stay.Total), "Idempotency-Key", "own-1")
	if r.Status != 201 {
		t.Fatalf("booking: %d %s", r.Status, r.Body)
	}
	o.ids["bookings"] = r.Map(t)["id"].(string)
	return o
}

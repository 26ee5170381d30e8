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
	// bodies are valid request bodies by "METHOD path" of the contract,
	// and contentTypes their media type when not JSON.
	bodies       map[string]any
	contentTypes map[string]string
}

func newOwnershipApp(t *testing.T, db *store.DB) ownershipApp {
	app := testapp.New(t, db, testapp.Options{})
	a, b := app.SignUp(t, "owner@example.com"), app.SignUp(t, "other@example.com")
	o := ownershipApp{App: app, owner: a, other: b, ids: map[string]string{}, bodies: map[string]any{}, contentTypes: map[string]string{}}

	o.ids["travelers"] = newTraveler(t, app, a.Access, "Ana", "Silva", "1980-01-02", "2035-01-01")
	o.bodies["PATCH /api/v1/travelers/{id}"] = map[string]any{"label": "taken"}

	trip := createTrip(t, app, a.Access, 3)
	o.ids["trips"] = trip.ID
	r0 := app.Do(t, "POST", "/api/v1/trips/"+trip.ID+"/items", a.Access, map[string]any{"kind": "note", "title": "Pack", "day": 1})
	if r0.Status != 201 {
		t.Fatalf("item: %d %s", r0.Status, r0.Body)
	}
	o.itemID = r0.Map(t)["id"].(string)
	o.bodies["PATCH /api/v1/trips/{id}"] = map[string]any{"title": "taken"}
	o.bodies["POST /api/v1/trips/{id}/items"] = map[string]any{"kind": "note", "title": "x"}
	o.bodies["PATCH /api/v1/trips/{id}/items/{itemId}"] = map[string]any{"title": "x"}
	o.bodies["POST /api/v1/trips/{id}/items/{itemId}/move"] = map[string]any{"day": 2, "position": 1}
	o.bodies["POST /api/v1/trips/{id}/calendar"] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20000101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	o.contentTypes["POST /api/v1/trips/{id}/calendar"] = "text/calendar"

	in, out := ahead(40), ahead(42)
	stay := findStay(t, app, "hotel_room", in, out, 1)
	r := app.Do(t, "POST", "/api/v1/bookings", a.Access, stayBooking(stay, in, out, 1, stay.Total), "Idempotency-Key", "own-1")
	if r.Status != 201 {
		t.Fatalf("booking: %d %s", r.Status, r.Body)
	}
	o.ids["bookings"] = r.Map(t)["id"].(string)
	return o
}

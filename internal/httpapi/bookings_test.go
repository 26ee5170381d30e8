package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

type bookingJSON struct {
	ID               string     `json:"id"`
	State            string     `json:"state"`
	Kind             string     `json:"kind"`
	Quantity         int        `json:"quantity"`
	Total            moneyJSON  `json:"total"`
	CancelFee        moneyJSON  `json:"cancel_fee"`
	Refund           *moneyJSON `json:"refund"`
	FreeCancelUntil  *time.Time `json:"free_cancel_until"`
	ConfirmationCode string     `json:"confirmation_code"`
	StartsOn         string     `json:"starts_on"`
	EndsOn           string     `json:"ends_on"`
}

type stayOption struct {
	ID    string    `json:"id"`
	City  string    `json:"city"`
	Rooms int       `json:"rooms"`
	Total moneyJSON `json:"total"`
}

// findStay searches Lisbon through the API and returns the first stay of
// the room type, as a traveler would pick it.
func findStay(t *testing.T, app *testapp.App, roomType string, checkIn, checkOut string, adults int) stayOption {
	t.Helper()
	q := url.Values{"city": {"Lisbon"}, "check_in": {checkIn}, "check_out": {checkOut}, "adults": {fmt.Sprint(adults)},
		"room_types": {roomType}, "limit": {"50"}}
	var body struct {
		Stays []stayOption `json:"stays"`
	}
	r := app.Do(t, "GET", "/api/v1/search/stays?"+q.Encode(), "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("stay search: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &body)
	if len(body.Stays) == 0 {
		t.Fatalf("no %s in Lisbon: %s", roomType, r.Body)
	}
	return body.Stays[0]
}

func stayBooking(s stayOption, checkIn, checkOut string, adults int, accepted moneyJSON) map[string]any {
	return map[string]any{
		"party":          map[string]any{"adults": adults},
		"stay":           map[string]any{"city": s.City, "stay_id": s.ID, "check_in": checkIn, "check_out": checkOut},
		"accepted_total": accepted,
	}
}

// TestBookingLifecycle: search, book at the shown price, retry safely,
// refuse a changed price and a reused key, cancel with a refund, email.
func TestBookingLifecycle(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		ana := app.SignUp(t, "ana@example.com")
		in, out := ahead(40), ahead(43)
		stay := findStay(t, app, "hotel_room", in, out, 2)
		req := stayBooking(stay, in, out, 2, stay.Total)

		problemOf(t, app.Do(t, "POST", "/api/v1/bookings", ana.Access, req), http.StatusBadRequest, "invalid") // no key
		wrong := stayBooking(stay, in, out, 2, moneyJSON{"1.00", stay.Total.Currency})
		p := problemOf(t, app.Do(t, "POST", "/api/v1/bookings", ana.Access, wrong, "Idempotency-Key", "k-wrong"), http.StatusConflict, "conflict")
		details, _ := p["details"].(map[string]any)
		current, _ := details["current_total"].(map[string]any)
		if current["amount"] != stay.Total.Amount || !strings.Contains(p["detail"].(string), stay.Total.Amount) {
			t.Fatalf("a price change must say the new price: %v", p)
		}

		r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "k-1")
		if r.Status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.Status, r.Body)
		}
		var b bookingJSON
		r.JSON(t, &b)
		if b.State != "confirmed" || b.Kind != "stay" || b.Total != stay.Total || b.Quantity != stay.Rooms ||
			len(b.ConfirmationCode) != 6 || b.FreeCancelUntil == nil || b.StartsOn != in || b.EndsOn != out {
			t.Fatalf("booking: %+v", b)
		}
		if r.Header.Get("Location") != "/api/v1/bookings/"+b.ID {
			t.Errorf("Location = %q", r.Header.Get("Location"))
		}

		// The same key again: the same booking, not a second one.
		r = app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "k-1")
		var again bookingJSON
		r.JSON(t, &again)
		if r.Status != http.StatusOK || again.ID != b.ID || r.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry: %d %+v", r.Status, again)
		}
		other := stayBooking(stay, in, ahead(44), 2, stay.Total)
		problemOf(t, app.Do(t, "POST", "/api/v1/bookings", ana.Access, other, "Idempotency-Key", "k-1"), http.StatusConflict, "conflict")

		var list struct {
			Bookings []bookingJSON `json:"bookings"`
		}
		app.Do(t, "GET", "/api/v1/bookings", ana.Access, nil).JSON(t, &list)
		if len(list.Bookings) != 1 || list.Bookings[0].ID != b.ID {
			t.Fatalf("list: %+v", list)
		}

		app.DrainJobs(t)
		if ms := app.Mail.To(ana.Email); len(ms) == 0 || !strings.Contains(ms[len(ms)-1].Subject, b.ConfirmationCode) {
			t.Fatalf("no confirmation email: %+v", ms)
		}

		// Cancelled well before check-in: everything back.
		r = app.Do(t, "POST", "/api/v1/bookings/"+b.ID+"/cancel", ana.Access, nil)
		var cancelled bookingJSON
		r.JSON(t, &cancelled)
		if r.Status != http.StatusOK || cancelled.State != "cancelled" || cancelled.Refund == nil || *cancelled.Refund != stay.Total {
			t.Fatalf("cancel: %d %s", r.Status, r.Body)
		}
		problemOf(t, app.Do(t, "POST", "/api/v1/bookings/"+b.ID+"/cancel", ana.Access, nil), http.StatusConflict, "conflict")
		app.DrainJobs(t)
		if ms := app.Mail.To(ana.Email); !strings.Contains(ms[len(ms)-1].Subject, "cancelled") {
			t.Fatalf("no cancellation email: %+v", ms[len(ms)-1].Subject)
		}
	})
}

// TestBookingLateCancellationKeepsTheFee: inside 48 hours of check-in the
// first night is kept.
func TestBookingLateCancellationKeepsTheFee(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})
	ana := app.SignUp(t, "ana@example.com")
	in, out := ahead(5), ahead(7)
	stay := findStay(t, app, "hotel_room", in, out, 1)
	var b bookingJSON
	if r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, stayBooking(stay, in, out, 1, stay.Total), "Idempotency-Key", "late"); r.Status != http.StatusCreated {
		t.Fatalf("book: %d %s", r.Status, r.Body)
	} else {
		r.JSON(t, &b)
	}
	app.Clock.Advance(4 * 24 * time.Hour)
	ana = app.Login(t, ana.Email, ana.Password)
	var c bookingJSON
	r := app.Do(t, "POST", "/api/v1/bookings/"+b.ID+"/cancel", ana.Access, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &c)
	if c.Refund == nil || c.CancelFee.Amount == "0.00" || c.Refund.Amount == stay.Total.Amount {
		t.Fatalf("late cancellation: fee %v refund %v of %v", c.CancelFee, c.Refund, stay.Total)
	}
}

// TestBookingLastRoomUnderConcurrency: 100 travelers book the one entire
// home for the same nights at once; exactly one gets it.
func TestBookingLastRoomUnderConcurrency(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		ana := app.SignUp(t, "ana@example.com")
		in, out := ahead(60), ahead(64)
		home := findStay(t, app, "entire_home", in, out, 2)
		req := stayBooking(home, in, out, 2, home.Total)
		statuses := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", fmt.Sprintf("race-%d", i))
				mu.Lock()
				statuses[r.Status]++
				mu.Unlock()
				if r.Status == http.StatusConflict && !strings.Contains(string(r.Body), "sold out") {
					t.Errorf("conflict without saying why: %s", r.Body)
				}
			}()
		}
		wg.Wait()
		if statuses[http.StatusCreated] != 1 || statuses[http.StatusConflict] != 99 {
			t.Fatalf("statuses: %v", statuses)
		}
		var list struct {
			Bookings []bookingJSON `json:"bookings"`
		}
		app.Do(t, "GET", "/api/v1/bookings?limit=100", ana.Access, nil).JSON(t, &list)
		if len(list.Bookings) != 1 {
			t.Fatalf("%d bookings stored", len(list.Bookings))
		}
	})
}

// TestBookingFlightAndTickets books a searched itinerary and an
// attraction's tickets for a family.
func TestBookingFlightAndTickets(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})
	ana := app.SignUp(t, "ana@example.com")
	day := ahead(30)
	var fb flightsBody
	app.Do(t, "GET", "/api/v1/search/flights?from=LIS&to=JFK&date="+day+"&adults=2&children=1&infants=1", "", nil).JSON(t, &fb)
	if len(fb.Itineraries) == 0 {
		t.Fatal("no flights LIS→JFK")
	}
	it := fb.Itineraries[0]
	var segs []map[string]string
	for _, s := range it.Legs[0].Segments {
		segs = append(segs, map[string]string{"number": s.FlightNumber, "from": s.From, "to": s.To, "date": s.Departs.Format(time.DateOnly)})
	}
	req := map[string]any{"party": map[string]int{"adults": 2, "children": 1, "infants": 1},
		"flight": map[string]any{"segments": segs}, "accepted_total": moneyJSON{it.Price.Amount, it.Price.Currency}}
	r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "fly")
	var b bookingJSON
	r.JSON(t, &b)
	if r.Status != http.StatusCreated || b.Kind != "flight" || b.Quantity != 3 || b.Total.Amount != it.Price.Amount {
		t.Fatalf("flight booking: %d %s", r.Status, r.Body)
	}

	var ab struct {
		Attractions []struct {
			ID        string    `json:"id"`
			City      string    `json:"city"`
			PartyCost moneyJSON `json:"party_cost"`
		} `json:"attractions"`
	}
	app.Do(t, "GET", "/api/v1/search/attractions?city=Lisbon&date="+day+"&adults=2&children=1", "", nil).JSON(t, &ab)
	if len(ab.Attractions) == 0 {
		t.Fatal("no attractions")
	}
	a := ab.Attractions[0]
	req = map[string]any{"party": map[string]int{"adults": 2, "children": 1},
		"attraction": map[string]string{"city": a.City, "attraction_id": a.ID, "date": day}, "accepted_total": a.PartyCost}
	r = app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "see")
	if r.Status != http.StatusCreated {
		t.Fatalf("tickets: %d %s", r.Status, r.Body)
	}
}

// TestBookingBadInput: every refusal is a clear problem and books nothing.
func TestBookingBadInput(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})
	ana := app.SignUp(t, "ana@example.com")
	in, out := ahead(20), ahead(22)
	stay := findStay(t, app, "hotel_room", in, out, 1)
	ok := func() map[string]any { return stayBooking(stay, in, out, 1, stay.Total) }
	for name, c := range map[string]struct {
		edit   func(map[string]any)
		status int
		want   string
	}{
		"no offer": {func(m map[string]any) { delete(m, "stay") }, 422, "exactly one"},
		"two offers": {func(m map[string]any) {
			m["attraction"] = map[string]string{"city": "x", "attraction_id": "y", "date": in}
		}, 422, "exactly one"},
		"no adult": {func(m map[string]any) { m["party"] = map[string]int{"adults": 0} }, 422, "adult"},
		"too many": {func(m map[string]any) { m["party"] = map[string]int{"adults": 12} }, 422, "at most"},
		"infants":  {func(m map[string]any) { m["party"] = map[string]int{"adults": 1, "infants": 2} }, 422, "infant"},
		"no price": {func(m map[string]any) { delete(m, "accepted_total") }, 422, "accepted_total"},
		"past dates": {func(m map[string]any) {
			m["stay"].(map[string]any)["check_in"] = ahead(-3)
			m["stay"].(map[string]any)["check_out"] = ahead(-1)
		}, 422, "past"},
		"end before":    {func(m map[string]any) { m["stay"].(map[string]any)["check_out"] = ahead(19) }, 422, "check_out"},
		"bad date":      {func(m map[string]any) { m["stay"].(map[string]any)["check_in"] = "2027-02-30" }, 400, "2027-02-30"},
		"unknown stay":  {func(m map[string]any) { m["stay"].(map[string]any)["stay_id"] = "nope" }, 404, "no longer offered"},
		"bad currency":  {func(m map[string]any) { m["accepted_total"] = map[string]string{"amount": "10.00", "currency": "XYZ"} }, 422, "XYZ is not an ISO 4217 currency"},
		"unknown field": {func(m map[string]any) { m["price"] = 1 }, 422, "price"},
		"unknown flight": {func(m map[string]any) {
			delete(m, "stay")
			m["flight"] = map[string]any{"segments": []map[string]string{{"number": "ZZ1", "from": "LIS", "to": "OPO", "date": in}}}
		}, 404, "ZZ1"},
	} {
		t.Run(name, func(t *testing.T) {
			m := ok()
			c.edit(m)
			r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, m, "Idempotency-Key", "bad-"+strings.ReplaceAll(name, " ", "-"))
			if r.Status != c.status || !strings.Contains(string(r.Body), c.want) {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			problemOf(t, r, c.status, map[int]string{400: "invalid", 422: "invalid", 404: "not_found"}[c.status])
		})
	}
	var list struct {
		Bookings []bookingJSON `json:"bookings"`
	}
	app.Do(t, "GET", "/api/v1/bookings", ana.Access, nil).JSON(t, &list)
	if len(list.Bookings) != 0 {
		t.Fatalf("bad requests booked something: %+v", list.Bookings)
	}
}

// TestBookingFromATripItem: booking an item links it (the trip's ETag
// moves), a second booking of the item is refused, cancelling frees it,
// and another account's trip cannot be booked against.
func TestBookingFromATripItem(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		ana := app.SignUp(t, "ana@example.com")
		bob := app.SignUp(t, "bob@example.com")
		trip := createTrip(t, app, ana.Access, 4)
		r := app.Do(t, "POST", "/api/v1/trips/"+trip.ID+"/items", ana.Access, map[string]any{"kind": "stay", "title": "Hotel", "day": 1})
		if r.Status != http.StatusCreated {
			t.Fatalf("item: %d %s", r.Status, r.Body)
		}
		item := r.Map(t)["id"].(string)
		in, out := tripDates(app, 0, 3)
		stay := findStay(t, app, "hotel_room", in, out, 2)
		req := stayBooking(stay, in, out, 2, stay.Total)
		req["trip_id"], req["item_id"] = trip.ID, item
		etag := app.Do(t, "GET", "/api/v1/trips/"+trip.ID, ana.Access, nil).Header.Get("ETag")

		problemOf(t, app.Do(t, "POST", "/api/v1/bookings", bob.Access, req, "Idempotency-Key", "bob"), http.StatusNotFound, "not_found")
		r = app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "t1")
		if r.Status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.Status, r.Body)
		}
		booking := r.Map(t)["id"].(string)
		tr := app.Do(t, "GET", "/api/v1/trips/"+trip.ID, ana.Access, nil)
		if tr.Header.Get("ETag") == etag || !strings.Contains(string(tr.Body), `"booking_id":"`+booking+`"`) {
			t.Fatalf("item not linked: %s %s", tr.Header.Get("ETag"), tr.Body)
		}
		problemOf(t, app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "t2"), http.StatusConflict, "conflict")
		var list struct {
			Bookings []bookingJSON `json:"bookings"`
		}
		app.Do(t, "GET", "/api/v1/bookings?trip_id="+trip.ID, ana.Access, nil).JSON(t, &list)
		if len(list.Bookings) != 1 {
			t.Fatalf("trip bookings: %+v", list)
		}

		if r := app.Do(t, "POST", "/api/v1/bookings/"+booking+"/cancel", ana.Access, nil); r.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.Status, r.Body)
		}
		if tr := app.Do(t, "GET", "/api/v1/trips/"+trip.ID, ana.Access, nil); strings.Contains(string(tr.Body), booking) {
			t.Fatalf("cancelled booking still linked: %s", tr.Body)
		}
		if r := app.Do(t, "POST", "/api/v1/bookings", ana.Access, req, "Idempotency-Key", "t3"); r.Status != http.StatusCreated {
			t.Fatalf("rebook the freed item: %d %s", r.Status, r.Body)
		}
	})
}

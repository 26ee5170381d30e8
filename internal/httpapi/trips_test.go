package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"pathavana/internal/ical"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

type tripJSON struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Days    int    `json:"days"`
	Title   string `json:"title"`
	Items   []struct {
		ID       string  `json:"id"`
		Day      int     `json:"day"`
		Position int     `json:"position"`
		Title    string  `json:"title"`
		StartsAt *string `json:"starts_at"`
		EndsAt   *string `json:"ends_at"`
		TimeZone string  `json:"time_zone"`
		Kind     string  `json:"kind"`
	} `json:"items"`
}

// tripDates returns a start date well in the future and a later date.
func tripDates(app *testapp.App, offset, days int) (string, string) {
	s := app.Clock.Now().AddDate(0, 2, offset)
	return s.Format("2006-01-02"), s.AddDate(0, 0, days-1).Format("2006-01-02")
}

func createTrip(t *testing.T, app *testapp.App, token string, days int) tripJSON {
	t.Helper()
	start, end := tripDates(app, 0, days)
	r := app.Do(t, "POST", "/api/v1/trips", token, map[string]any{"title": "Lisboa <b>&</b> Porto", "starts_on": start, "ends_on": end,
		"party": map[string]int{"adults": 2, "children": 1}, "budget": map[string]string{"amount": "2500.00", "currency": "EUR"},
		"destinations": []string{"LIS", "OPO"}})
	if r.Status != http.StatusCreated || r.Header.Get("ETag") != `"v1"` {
		t.Fatalf("create: %d %s %s", r.Status, r.Header.Get("ETag"), r.Body)
	}
	var tr tripJSON
	r.JSON(t, &tr)
	return tr
}

func fieldsOf(p map[string]any) string {
	var out []string
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["field"].(string))
	}
	return strings.Join(out, ",")
}

func TestTripsETagAndValidation(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		a := app.SignUp(t, "alice@example.com")
		tr := createTrip(t, app, a.Access, 5)
		if tr.Days != 5 {
			t.Fatalf("days %d", tr.Days)
		}
		path := "/api/v1/trips/" + tr.ID
		r := app.Do(t, "GET", path, a.Access, nil)
		if r.Status != 200 || r.Header.Get("ETag") != `"v1"` {
			t.Fatalf("get: %d %q", r.Status, r.Header.Get("ETag"))
		}
		r = app.Do(t, "PATCH", path, a.Access, map[string]any{"title": "Portugal"}, "If-Match", `"v1"`)
		if r.Status != 200 || r.Header.Get("ETag") != `"v2"` {
			t.Fatalf("patch: %d %q %s", r.Status, r.Header.Get("ETag"), r.Body)
		}
		problemOf(t, app.Do(t, "PATCH", path, a.Access, map[string]any{"title": "Stale"}, "If-Match", `"v1"`), 412, "precondition_failed")
		problemOf(t, app.Do(t, "PATCH", path, a.Access, map[string]any{"title": "Bad"}, "If-Match", `"abc"`), 412, "precondition_failed")
		problemOf(t, app.Do(t, "DELETE", path, a.Access, nil, "If-Match", `"v1"`), 412, "precondition_failed")
		// Missing If-Match is allowed.
		if r := app.Do(t, "PATCH", path, a.Access, map[string]any{"status": "booked"}); r.Status != 200 || r.Header.Get("ETag") != `"v3"` {
			t.Fatalf("patch without If-Match: %d %s", r.Status, r.Body)
		}
		// Item writes honour the trip's If-Match and return its new ETag.
		item := map[string]any{"kind": "flight", "title": "TP 1234", "starts_at": "x"}
		problemOf(t, app.Do(t, "POST", path+"/items", a.Access, item, "If-Match", `"v2"`), 412, "precondition_failed")
		start, _ := tripDates(app, 0, 5)
		item = map[string]any{"kind": "flight", "title": "TP 1234", "starts_at": start + "T07:05", "ends_at": start + "T09:40",
			"time_zone": "Europe/Lisbon", "cost": map[string]string{"amount": "312.40", "currency": "EUR"}}
		r = app.Do(t, "POST", path+"/items", a.Access, item, "If-Match", `"v3"`)
		if r.Status != 201 || r.Header.Get("ETag") != `"v4"` {
			t.Fatalf("add item: %d %q %s", r.Status, r.Header.Get("ETag"), r.Body)
		}
		var it struct {
			ID  string `json:"id"`
			Day int    `json:"day"`
		}
		r.JSON(t, &it)
		if it.Day != 1 {
			t.Fatalf("day from starts_at: %d", it.Day)
		}
		r = app.Do(t, "PATCH", path+"/items/"+it.ID, a.Access, map[string]any{"notes": "window seat"}, "If-Match", `"v4"`)
		if r.Status != 200 || r.Header.Get("ETag") != `"v5"` {
			t.Fatalf("patch item: %d %s", r.Status, r.Body)
		}
		p := problemOf(t, app.Do(t, "POST", path+"/items/"+it.ID+"/move", a.Access, map[string]any{"day": 2}, "If-Match", `"v5"`), 422, "invalid")
		if fieldsOf(p) != "day" {
			t.Fatalf("moving a timed item off its date: %v", p)
		}
		r = app.Do(t, "POST", path+"/items/"+it.ID+"/move", a.Access, map[string]any{"day": 0}, "If-Match", `"v5"`)
		if r.Status != 200 || r.Header.Get("ETag") != `"v6"` {
			t.Fatalf("move: %d %s", r.Status, r.Body)
		}
		problemOf(t, app.Do(t, "DELETE", path+"/items/"+it.ID, a.Access, nil, "If-Match", `"v5"`), 412, "precondition_failed")
		if r := app.Do(t, "DELETE", path+"/items/"+it.ID, a.Access, nil, "If-Match", `"v6"`); r.Status != 204 || r.Header.Get("ETag") != `"v7"` {
			t.Fatalf("delete item: %d %s", r.Status, r.Body)
		}

		past := app.Clock.Now().AddDate(0, 0, -3).Format("2006-01-02")
		s, e := tripDates(app, 0, 3)
		cases := []struct {
			name   string
			body   map[string]any
			fields string
		}{
			{"title missing", map[string]any{"starts_on": s, "ends_on": e}, "title"},
			{"title too long", map[string]any{"title": strings.Repeat("x", 201), "starts_on": s, "ends_on": e}, "title"},
			{"end before start", map[string]any{"title": "x", "starts_on": e, "ends_on": s}, "ends_on"},
			{"past", map[string]any{"title": "x", "starts_on": past, "ends_on": e}, "starts_on"},
			{"bad date", map[string]any{"title": "x", "starts_on": "2027-02-30", "ends_on": e}, "starts_on"},
			{"no adults", map[string]any{"title": "x", "starts_on": s, "ends_on": e, "party": map[string]int{"adults": 0}}, "party.adults"},
			{"too many", map[string]any{"title": "x", "starts_on": s, "ends_on": e, "party": map[string]int{"adults": 5, "children": 5}}, "party"},
			{"lap infants", map[string]any{"title": "x", "starts_on": s, "ends_on": e, "party": map[string]int{"adults": 1, "infants": 2}}, "party.infants"},
			{"currency", map[string]any{"title": "x", "starts_on": s, "ends_on": e, "currency": "ABC"}, "currency"},
			{"budget negative", map[string]any{"title": "x", "starts_on": s, "ends_on": e, "budget": map[string]string{"amount": "-1.00", "currency": "EUR"}}, "budget"},
			{"budget other currency", map[string]any{"title": "x", "starts_on": s, "ends_on": e, "currency": "EUR", "budget": map[string]string{"amount": "1.00", "currency": "USD"}}, "budget"},
		}
		for _, c := range cases {
			p := problemOf(t, app.Do(t, "POST", "/api/v1/trips", a.Access, c.body), 422, "invalid")
			if got := fieldsOf(p); got != c.fields {
				t.Errorf("%s: fields %q, want %q (%v)", c.name, got, c.fields, p)
			}
		}
		itemCases := []struct {
			name   string
			body   map[string]any
			fields string
		}{
			{"day past the end", map[string]any{"kind": "note", "title": "x", "day": 9}, "day"},
			{"kind", map[string]any{"kind": "spaceship", "title": "x"}, "kind"},
			{"end before start", map[string]any{"kind": "stay", "title": "x", "starts_at": s + "T15:00", "ends_at": s + "T09:00", "time_zone": "Europe/Lisbon"}, "ends_at"},
			{"zone", map[string]any{"kind": "stay", "title": "x", "starts_at": s + "T15:00", "time_zone": "Mars/Base"}, "time_zone"},
			{"time format", map[string]any{"kind": "stay", "title": "x", "starts_at": s + " 15:00", "time_zone": "UTC"}, "starts_at"},
			{"url", map[string]any{"kind": "link", "title": "x", "url": "javascript:alert(1)"}, "url"},
			{"cost currency", map[string]any{"kind": "note", "title": "x", "cost": map[string]string{"amount": "1.00", "currency": "QQQ"}}, "cost"},
		}
		for _, c := range itemCases {
			p := problemOf(t, app.Do(t, "POST", path+"/items", a.Access, c.body), 422, "invalid")
			if got := fieldsOf(p); got != c.fields {
				t.Errorf("item %s: fields %q, want %q (%v)", c.name, got, c.fields, p)
			}
		}
		var after tripJSON
		app.Do(t, "GET", path, a.Access, nil).JSON(t, &after)
		if len(after.Items) != 0 || after.Version != 7 {
			t.Fatalf("failed writes changed the trip: %+v", after)
		}
	})
}

// TestTripsAreInvisibleToOthers: user B gets 404 on every trip route of
// user A's trip, and A's trip is unchanged.
func TestTripsAreInvisibleToOthers(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		a, b := app.SignUp(t, "alice@example.com"), app.SignUp(t, "bob@example.com")
		tr := createTrip(t, app, a.Access, 3)
		r := app.Do(t, "POST", "/api/v1/trips/"+tr.ID+"/items", a.Access, map[string]any{"kind": "note", "title": "n", "day": 1})
		var it struct{ ID string }
		r.JSON(t, &it)
		base := "/api/v1/trips/" + tr.ID
		ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20000101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		for _, c := range []struct {
			method, path string
			body         any
			ct           string
		}{
			{"GET", base, nil, ""},
			{"PATCH", base, map[string]any{"title": "mine"}, ""},
			{"DELETE", base, nil, ""},
			{"POST", base + "/items", map[string]any{"kind": "note", "title": "x"}, ""},
			{"PATCH", base + "/items/" + it.ID, map[string]any{"title": "x"}, ""},
			{"DELETE", base + "/items/" + it.ID, nil, ""},
			{"POST", base + "/items/" + it.ID + "/move", map[string]any{"day": 2}, ""},
			{"GET", base + "/budget", nil, ""},
			{"GET", base + "/calendar.ics", nil, ""},
			{"POST", base + "/calendar", ics, "text/calendar"},
			{"GET", base + "/print", nil, ""},
		} {
			var headers []string
			if c.ct != "" {
				headers = []string{"Content-Type", c.ct}
			}
			r := app.Do(t, c.method, c.path, b.Access, c.body, headers...)
			if r.Status != 404 {
				t.Errorf("%s %s as B: %d %s", c.method, c.path, r.Status, r.Body)
			}
		}
		var list struct{ Trips []tripJSON }
		app.Do(t, "GET", "/api/v1/trips", b.Access, nil).JSON(t, &list)
		if len(list.Trips) != 0 {
			t.Fatalf("B lists %d trips", len(list.Trips))
		}
		var got tripJSON
		app.Do(t, "GET", base, a.Access, nil).JSON(t, &got)
		if got.Version != 2 || len(got.Items) != 1 || got.Title != tr.Title {
			t.Fatalf("A's trip changed: %+v", got)
		}
	})
}

// TestTripCalendarRoundTrip: the export parses back with every item's
// start and end at the right instant (Lisbon across its March DST change,
// Tokyo, all-day), and an import lands events on the right days.
func TestTripCalendarRoundTrip(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		a := app.SignUp(t, "alice@example.com")
		// A trip over Lisbon's spring change: the last Sunday of March.
		year := app.Clock.Now().Year() + 1
		lastSun := time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC)
		for lastSun.Weekday() != time.Sunday {
			lastSun = lastSun.AddDate(0, 0, -1)
		}
		start := lastSun.AddDate(0, 0, -1)
		r := app.Do(t, "POST", "/api/v1/trips", a.Access, map[string]any{"title": "Lisboa; Tóquio, \"2\"",
			"starts_on": start.Format("2006-01-02"), "ends_on": start.AddDate(0, 0, 3).Format("2006-01-02"), "currency": "EUR"})
		var tr tripJSON
		r.JSON(t, &tr)
		path := "/api/v1/trips/" + tr.ID
		d := func(n int) string { return start.AddDate(0, 0, n-1).Format("2006-01-02") }
		items := []map[string]any{
			{"kind": "restaurant", "title": "Dinner, fado; late", "starts_at": d(1) + "T21:30", "ends_at": d(2) + "T00:30", "time_zone": "Europe/Lisbon",
				"place": "Alfama", "cost": map[string]string{"amount": "80.00", "currency": "EUR"}},
			{"kind": "attraction", "title": "Belém", "starts_at": d(2) + "T10:00", "ends_at": d(2) + "T12:00", "time_zone": "Europe/Lisbon"},
			{"kind": "flight", "title": "LIS→NRT", "starts_at": d(3) + "T13:00", "ends_at": d(3) + "T14:00", "time_zone": "Asia/Tokyo",
				"cost": map[string]string{"amount": "90000", "currency": "JPY"}},
			{"kind": "stay", "title": "Hotel", "day": 2, "cost": map[string]string{"amount": "120.00", "currency": "EUR"}},
			{"kind": "note", "title": "Unscheduled", "day": 0},
		}
		for _, it := range items {
			if r := app.Do(t, "POST", path+"/items", a.Access, it); r.Status != 201 {
				t.Fatalf("add %v: %d %s", it["title"], r.Status, r.Body)
			}
		}
		r = app.Do(t, "GET", path+"/calendar.ics", a.Access, nil)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("export: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		cal, err := ical.Parse(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("export does not parse: %v\n%s", err, r.Body)
		}
		lis, _ := time.LoadLocation("Europe/Lisbon")
		tyo, _ := time.LoadLocation("Asia/Tokyo")
		at := func(loc *time.Location, day int, hh, mm int) time.Time {
			x := start.AddDate(0, 0, day-1)
			return time.Date(x.Year(), x.Month(), x.Day(), hh, mm, 0, 0, loc).UTC()
		}
		want := map[string][2]time.Time{
			"Dinner, fado; late": {at(lis, 1, 21, 30), at(lis, 2, 0, 30)}, // still WET (UTC+0): the change is at 01:00
			"Belém":              {at(lis, 2, 10, 0), at(lis, 2, 12, 0)},
			"LIS→NRT":            {at(tyo, 3, 13, 0), at(tyo, 3, 14, 0)},
			"Hotel":              {at(time.UTC, 2, 0, 0), at(time.UTC, 3, 0, 0)},
		}
		if got := at(lis, 2, 10, 0); got.Hour() != 9 {
			t.Fatalf("test setup: Belém at %v UTC should be after the change", got)
		}
		if len(cal.Events) != len(want) {
			t.Fatalf("%d events, want %d:\n%s", len(cal.Events), len(want), r.Body)
		}
		for _, e := range cal.Events {
			w, ok := want[e.Summary]
			if !ok {
				t.Fatalf("unexpected event %q", e.Summary)
			}
			if !e.Start.UTC().Equal(w[0]) || !e.End.UTC().Equal(w[1]) {
				t.Errorf("%s: %v–%v UTC, want %v–%v", e.Summary, e.Start.UTC(), e.End.UTC(), w[0], w[1])
			}
			if e.UID == "" {
				t.Errorf("%s has no UID", e.Summary)
			}
		}
		if cal.Name != "Lisboa; Tóquio, \"2\"" {
			t.Errorf("calendar name %q", cal.Name)
		}

		// Budget: EUR per category, JPY apart.
		var bud struct {
			Trip struct {
				Planned struct{ Amount string }
				ByKind  []struct{ Kind string } `json:"by_kind"`
			}
			Other []struct {
				Currency string
				Planned  struct{ Amount string }
			} `json:"other_currencies"`
		}
		app.Do(t, "GET", path+"/budget", a.Access, nil).JSON(t, &bud)
		if bud.Trip.Planned.Amount != "200.00" || len(bud.Trip.ByKind) != 2 || len(bud.Other) != 1 ||
			bud.Other[0].Currency != "JPY" || bud.Other[0].Planned.Amount != "90000" {
			t.Fatalf("budget %+v", bud)
		}

		// Import the export into a fresh trip with the same dates.
		r = app.Do(t, "POST", "/api/v1/trips", a.Access, map[string]any{"title": "Copy", "starts_on": start.Format("2006-01-02"),
			"ends_on": start.AddDate(0, 0, 3).Format("2006-01-02")})
		var cp tripJSON
		r.JSON(t, &cp)
		r = app.Do(t, "POST", "/api/v1/trips/"+cp.ID+"/calendar", a.Access, string(r0(t, app, a.Access, path)), "Content-Type", "text/calendar")
		if r.Status != 201 {
			t.Fatalf("import: %d %s", r.Status, r.Body)
		}
		var got tripJSON
		app.Do(t, "GET", "/api/v1/trips/"+cp.ID, a.Access, nil).JSON(t, &got)
		days := map[string]string{}
		for _, it := range got.Items {
			s := ""
			if it.StartsAt != nil {
				s = *it.StartsAt + " " + it.TimeZone
			}
			days[it.Title] = fmt.Sprintf("%d %s %s", it.Day, it.Kind, s)
		}
		if days["Belém"] != "2 attraction "+d(2)+"T10:00 Europe/Lisbon" || days["Hotel"] != "2 stay " || days["LIS→NRT"] != "3 flight "+d(3)+"T13:00 Asia/Tokyo" {
			t.Fatalf("imported %v", days)
		}

		// Events outside the trip are refused, each named, nothing imported.
		outside := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Inside\r\nDTSTART:" + start.Format("20060102") + "T100000Z\r\nEND:VEVENT\r\n" +
			"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Way later\r\nDTSTART;VALUE=DATE:" + start.AddDate(0, 1, 0).Format("20060102") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		p := problemOf(t, app.Do(t, "POST", "/api/v1/trips/"+cp.ID+"/calendar", a.Access, outside, "Content-Type", "text/calendar"), 422, "invalid")
		if fieldsOf(p) != "events[1]" || !strings.Contains(fmt.Sprint(p["errors"]), "Way later") {
			t.Fatalf("problem %v", p)
		}
		problemOf(t, app.Do(t, "POST", "/api/v1/trips/"+cp.ID+"/calendar", a.Access, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "Content-Type", "text/calendar"), 422, "invalid")
		problemOf(t, app.Do(t, "POST", "/api/v1/trips/"+cp.ID+"/calendar", a.Access, outside), 400, "invalid")
		// Re-importing the same feed adds nothing new.
		r = app.Do(t, "POST", "/api/v1/trips/"+cp.ID+"/calendar", a.Access, string(r0(t, app, a.Access, path)), "Content-Type", "text/calendar")
		var re struct{ Items []any }
		r.JSON(t, &re)
		if r.Status != 201 || len(re.Items) != 0 {
			t.Fatalf("re-import: %d %s", r.Status, r.Body)
		}
		app.Do(t, "GET", "/api/v1/trips/"+cp.ID, a.Access, nil).JSON(t, &got)
		var again tripJSON
		app.Do(t, "GET", "/api/v1/trips/"+cp.ID, a.Access, nil).JSON(t, &again)
		if len(again.Items) != len(got.Items) || again.Version != got.Version {
			t.Fatalf("a refused import changed the trip")
		}

		// The printable page escapes what users typed.
		r = app.Do(t, "GET", path+"/print", a.Access, nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), "Dinner, fado; late") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("print: %d %s", r.Status, r.Body)
		}
	})
}

func r0(t *testing.T, app *testapp.App, token, path string) []byte {
	t.Helper()
	return app.Do(t, "GET", path+"/calendar.ics", token, nil).Body
}

func TestTripPrintEscapes(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})
	a := app.SignUp(t, "alice@example.com")
	tr := createTrip(t, app, a.Access, 2)
	app.Do(t, "POST", "/api/v1/trips/"+tr.ID+"/items", a.Access, map[string]any{"kind": "note", "title": "<script>alert(1)</script>", "day": 1})
	body := string(app.Do(t, "GET", "/api/v1/trips/"+tr.ID+"/print", a.Access, nil).Body)
	if strings.Contains(body, "<script>") || strings.Contains(body, "<b>&</b>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Fatalf("not escaped:\n%s", body)
	}
}

// TestConcurrentItemAddsWithoutIfMatch: writers that send no If-Match
// never get a 412 from each other, and positions stay unique.
func TestConcurrentItemAddsWithoutIfMatch(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		a := app.SignUp(t, "alice@example.com")
		tr := createTrip(t, app, a.Access, 3)
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Go(func() {
				r := app.Do(t, "POST", "/api/v1/trips/"+tr.ID+"/items", a.Access, map[string]any{"kind": "note", "title": fmt.Sprint(i), "day": 2, "position": 1})
				if r.Status != 201 {
					t.Errorf("add %d: %d %s", i, r.Status, r.Body)
				}
			})
		}
		wg.Wait()
		var got tripJSON
		app.Do(t, "GET", "/api/v1/trips/"+tr.ID, a.Access, nil).JSON(t, &got)
		seen := map[int]bool{}
		for _, it := range got.Items {
			if seen[it.Position] || it.Position < 1 || it.Position > 12 {
				t.Fatalf("positions %+v", got.Items)
			}
			seen[it.Position] = true
		}
		if len(got.Items) != 12 || got.Version != 13 {
			t.Fatalf("%d items, version %d", len(got.Items), got.Version)
		}
	})
}

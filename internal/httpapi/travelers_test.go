package httpapi_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"pathavana/internal/model"
	"pathavana/internal/service"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

// rawStores runs fn on SQLite and (when configured) PostgreSQL with a
// second, raw connection to the same database: the attacker's view.
func rawStores(t *testing.T, fn func(t *testing.T, db *store.DB, raw *sql.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "p.db")
		db, err := store.Open(context.Background(), path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = raw.Close() })
		fn(t, db, raw)
	})
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv(testkit.PostgresURLEnv) == "" {
			t.Skip("no PostgreSQL")
		}
		db, url := testkit.NewTestStorePGUnmigrated(t)
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = raw.Close() })
		fn(t, db, raw)
	})
}

var ana = map[string]any{
	"label": "Mum", "given_names": "Ana Maria", "family_name": "Silva Santos", "date_of_birth": "1961-07-19",
	"gender": "female", "nationality": "pt", "passport_number": "cb 83-41927", "passport_country": "PT",
	"passport_expiry": "2031-03-02", "known_traveler_number": "KTN9876543",
	"loyalty_numbers":   []map[string]string{{"program": "TAP Miles&Go", "number": "TP55511122"}},
	"dietary_needs":     "no shellfish",
	"emergency_contact": map[string]string{"name": "Rui Santos", "phone": "+351 912 345 678", "relation": "son"},
}

// TestTravelersThroughTheAPI: masked reads, reveal in clear and audited,
// ETags, validation problems, and nothing in clear in the database.
func TestTravelersThroughTheAPI(t *testing.T) {
	rawStores(t, func(t *testing.T, db *store.DB, raw *sql.DB) {
		app := testapp.New(t, db, testapp.Options{})
		alice := app.SignUp(t, "alice@example.com")

		r := app.Do(t, "POST", "/api/v1/travelers", alice.Access, ana)
		if r.Status != http.StatusCreated || r.Header.Get("ETag") != `"v1"` || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("create: %d %v %s", r.Status, r.Header, r.Body)
		}
		created := r.Map(t)
		id := created["id"].(string)
		if created["passport_number"] != "•••••1927" || created["date_of_birth"] != "1961-••-••" ||
			created["known_traveler_number"] != "•••••43" || created["masked"] != true || created["nationality"] != "PT" {
			t.Fatalf("create response is not masked: %s", r.Body)
		}
		for _, secret := range []string{"CB8341927", "1961-07-19", "KTN9876543", "TP55511122", "912 345 678"} {
			if strings.Contains(string(r.Body), secret) {
				t.Fatalf("masked response holds %q: %s", secret, r.Body)
			}
		}
		got := app.Do(t, "GET", "/api/v1/travelers/"+id, alice.Access, nil)
		if got.Status != 200 || got.Map(t)["passport_number"] != "•••••1927" {
			t.Fatalf("get: %d %s", got.Status, got.Body)
		}
		var list struct {
			Travelers []map[string]any `json:"travelers"`
		}
		app.Do(t, "GET", "/api/v1/travelers", alice.Access, nil).JSON(t, &list)
		if len(list.Travelers) != 1 || list.Travelers[0]["masked"] != true {
			t.Fatalf("list: %+v", list)
		}

		rev := app.Do(t, "POST", "/api/v1/travelers/"+id+"/reveal", alice.Access, nil, "User-Agent", "reveal-test/1")
		m := rev.Map(t)
		if rev.Status != 200 || m["passport_number"] != "CB8341927" || m["date_of_birth"] != "1961-07-19" ||
			m["known_traveler_number"] != "KTN9876543" || m["masked"] != false {
			t.Fatalf("reveal: %d %s", rev.Status, rev.Body)
		}

		// Updates: a stale If-Match is 412, the right one moves the version.
		problemOf(t, app.Do(t, "PATCH", "/api/v1/travelers/"+id, alice.Access, map[string]any{"label": "x"}, "If-Match", `"v7"`),
			http.StatusPreconditionFailed, "precondition_failed")
		up := app.Do(t, "PATCH", "/api/v1/travelers/"+id, alice.Access, map[string]any{"passport_number": "XY1234567", "dietary_needs": ""},
			"If-Match", `"v1"`)
		if up.Status != 200 || up.Header.Get("ETag") != `"v2"` || up.Map(t)["passport_number"] != "•••••4567" || up.Map(t)["dietary_needs"] != "" {
			t.Fatalf("patch: %d %s", up.Status, up.Body)
		}
		problemOf(t, app.Do(t, "DELETE", "/api/v1/travelers/"+id, alice.Access, nil, "If-Match", `"v1"`),
			http.StatusPreconditionFailed, "precondition_failed")

		// Duplicate passport in the same account.
		dup := map[string]any{"given_names": "Ana", "family_name": "Dup", "passport_number": "XY-123 4567",
			"passport_country": "PT", "passport_expiry": "2030-01-01"}
		problemOf(t, app.Do(t, "POST", "/api/v1/travelers", alice.Access, dup), http.StatusConflict, "conflict")

		// The audit log names who, what and which fields, never values.
		entries, err := db.ListAudit(context.Background(), model.AuditFilter{Action: "traveler.", SubjectID: alice.UserID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
			if e.TargetID != id || e.ActorID != alice.UserID || e.IP == "" {
				t.Errorf("entry %+v", e)
			}
		}
		if strings.Join(actions, " ") != "traveler.create traveler.reveal traveler.update" {
			t.Fatalf("audit actions: %v", actions)
		}
		if entries[1].UserAgent != "reveal-test/1" || !strings.Contains(entries[1].Details, `"passport_number"`) {
			t.Fatalf("reveal entry: %+v", entries[1])
		}
		if !strings.Contains(entries[2].Details, `"fields":["passport_number","dietary_needs"]`) {
			t.Fatalf("update entry details: %s", entries[2].Details)
		}

		// Delete is audited too; afterwards the traveler is gone.
		if d := app.Do(t, "DELETE", "/api/v1/travelers/"+id, alice.Access, nil, "If-Match", `"v2"`); d.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", d.Status, d.Body)
		}
		problemOf(t, app.Do(t, "GET", "/api/v1/travelers/"+id, alice.Access, nil), http.StatusNotFound, "not_found")
		if entries, _ := db.ListAudit(context.Background(), model.AuditFilter{Action: model.AuditTravelerDelete}); len(entries) != 1 {
			t.Fatalf("delete entries: %d", len(entries))
		}

		// Leave a traveler stored, then read every row of every table raw.
		kept := app.Do(t, "POST", "/api/v1/travelers", alice.Access, ana).Map(t)["id"].(string)

		// An attacker with database access copies that passport ciphertext
		// into another traveler's row: it is bound to its record and field,
		// so the reveal fails instead of disclosing it.
		other := app.Do(t, "POST", "/api/v1/travelers", alice.Access, map[string]any{"given_names": "Eve", "family_name": "Other",
			"passport_number": "ZZ9999999", "passport_country": "PT", "passport_expiry": "2030-01-01"}).Map(t)["id"].(string)
		if _, err := raw.Exec(`UPDATE travelers SET passport_number = (SELECT passport_number FROM travelers WHERE id = '` + kept +
			`') WHERE id = '` + other + `'`); err != nil {
			t.Fatal(err)
		}
		if r := app.Do(t, "POST", "/api/v1/travelers/"+other+"/reveal", alice.Access, nil); r.Status != http.StatusInternalServerError ||
			strings.Contains(string(r.Body), "CB8341927") {
			t.Fatalf("reveal of a row with a swapped ciphertext: %d %s", r.Status, r.Body)
		}
		assertNoPlaintext(t, db, raw, "CB8341927", "CB 83-41927", "XY1234567", "1961-07-19", "KTN9876543",
			"TP55511122", "912 345 678", "Silva Santos", "no shellfish")
	})
}

// assertNoPlaintext scans every column of every row for the secrets, as
// text and as bytes.
func assertNoPlaintext(t *testing.T, db *store.DB, raw *sql.DB, secrets ...string) {
	t.Helper()
	ctx := context.Background()
	tables, err := db.ListTables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rowsSeen := 0
	for _, table := range tables {
		rows, err := raw.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			if table == "travelers" {
				rowsSeen++
			}
			for i, v := range vals {
				var b []byte
				switch x := v.(type) {
				case []byte:
					b = x
				case string:
					b = []byte(x)
				default:
					b = []byte(fmt.Sprint(x))
				}
				for _, s := range secrets {
					if bytes.Contains(bytes.ToUpper(b), bytes.ToUpper([]byte(s))) {
						t.Errorf("table %s column %s holds %q in clear", table, cols[i], s)
					}
				}
			}
		}
		rows.Close()
	}
	if rowsSeen == 0 {
		t.Fatal("no traveler rows were scanned")
	}
}

// TestTravelerValidationProblems: each bad field is named in a 422.
func TestTravelerValidationProblems(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})
	alice := app.SignUp(t, "alice@example.com")
	cases := []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"family_name": "Silva"}, "given_names"},
		{map[string]any{"given_names": "Ana"}, "family_name"},
		{map[string]any{"given_names": "Ana", "family_name": "S1lva"}, "family_name"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "date_of_birth": "2999-01-01"}, "date_of_birth"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "date_of_birth": "1850-01-01"}, "date_of_birth"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "date_of_birth": "19/07/1961"}, "date_of_birth"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "gender": "robot"}, "gender"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "nationality": "ZZ"}, "nationality"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "passport_number": "AB1", "passport_country": "PT", "passport_expiry": "2030-01-01"}, "passport_number"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "passport_number": "AB12345!", "passport_country": "PT", "passport_expiry": "2030-01-01"}, "passport_number"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "passport_number": "AB123456", "passport_expiry": "2030-01-01"}, "passport_country"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "passport_number": "AB123456", "passport_country": "PT", "passport_expiry": "2030-02-30"}, "passport_expiry"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "emergency_contact": map[string]string{"name": "Rui", "phone": "call me"}}, "emergency_contact.phone"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "loyalty_numbers": []map[string]string{{"program": "", "number": "12345"}}}, "loyalty_numbers[0].program"},
		{map[string]any{"given_names": "Ana", "family_name": "Silva", "ssn": "123"}, "ssn"},
	}
	for _, c := range cases {
		p := problemOf(t, app.Do(t, "POST", "/api/v1/travelers", alice.Access, c.body), http.StatusUnprocessableEntity, "invalid")
		if !strings.Contains(fmt.Sprint(p["errors"]), "field:"+c.field+" ") {
			t.Errorf("%v: errors %v, want field %s", c.body, p["errors"], c.field)
		}
	}
	// Nothing was half-written.
	var list struct {
		Travelers []any `json:"travelers"`
	}
	app.Do(t, "GET", "/api/v1/travelers", alice.Access, nil).JSON(t, &list)
	if len(list.Travelers) != 0 {
		t.Fatalf("invalid requests stored %d travelers", len(list.Travelers))
	}
	// An expired passport is accepted, with a warning.
	r := app.Do(t, "POST", "/api/v1/travelers", alice.Access, map[string]any{"given_names": "Ana", "family_name": "Silva",
		"passport_number": "AB123456", "passport_country": "PT", "passport_expiry": "2020-01-01"})
	if r.Status != http.StatusCreated || !strings.Contains(string(r.Body), "expired on 2020-01-01") {
		t.Fatalf("expired passport: %d %s", r.Status, r.Body)
	}
}

// TestOtherUsersTravelersAreInvisible: user B gets 404 on every traveler
// route of user A, and A's traveler is untouched.
func TestOtherUsersTravelersAreInvisible(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		alice := app.SignUp(t, "alice@example.com")
		bob := app.SignUp(t, "bob@example.com")
		id := app.Do(t, "POST", "/api/v1/travelers", alice.Access, ana).Map(t)["id"].(string)
		for _, rt := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/v1/travelers/" + id, nil},
			{"PATCH", "/api/v1/travelers/" + id, map[string]any{"label": "mine now"}},
			{"DELETE", "/api/v1/travelers/" + id, nil},
			{"POST", "/api/v1/travelers/" + id + "/reveal", nil},
		} {
			problemOf(t, app.Do(t, rt.method, rt.path, bob.Access, rt.body), http.StatusNotFound, "not_found")
			problemOf(t, app.Do(t, rt.method, strings.Replace(rt.path, id, "00000000-0000-7000-8000-000000000000", 1),
				bob.Access, rt.body), http.StatusNotFound, "not_found")
			if r := app.Do(t, rt.method, rt.path, "", rt.body); r.Status != http.StatusUnauthorized {
				t.Errorf("%s %s anonymous: %d", rt.method, rt.path, r.Status)
			}
		}
		var list struct {
			Travelers []any `json:"travelers"`
		}
		app.Do(t, "GET", "/api/v1/travelers", bob.Access, nil).JSON(t, &list)
		if len(list.Travelers) != 0 {
			t.Fatalf("bob lists alice's travelers: %d", len(list.Travelers))
		}
		if r := app.Do(t, "GET", "/api/v1/travelers/"+id, alice.Access, nil); r.Status != 200 || r.Map(t)["label"] != "Mum" {
			t.Fatalf("alice's traveler changed: %d %s", r.Status, r.Body)
		}
		if _, err := app.Service.TravelersForBooking(t.Context(), service.Principal{UserID: bob.UserID, Role: model.RoleUser}, []string{id}); err == nil {
			t.Fatal("bob used alice's traveler for a booking")
		}
	})
}

// TestConcurrentTravelerUpdates: without If-Match, concurrent PATCHes all
// apply (last write wins, no spurious 412); with the same If-Match, exactly
// one wins.
func TestConcurrentTravelerUpdates(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		alice := app.SignUp(t, "alice@example.com")
		id := app.Do(t, "POST", "/api/v1/travelers", alice.Access, ana).Map(t)["id"].(string)
		const n = 8
		statuses := make(chan int, 2*n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- app.Do(t, "PATCH", "/api/v1/travelers/"+id, alice.Access, map[string]any{"label": fmt.Sprint("l", i)}).Status
			}()
		}
		wg.Wait()
		for range n {
			if s := <-statuses; s != http.StatusOK {
				t.Fatalf("PATCH without If-Match: %d", s)
			}
		}
		cur := app.Do(t, "GET", "/api/v1/travelers/"+id, alice.Access, nil)
		if cur.Header.Get("ETag") != fmt.Sprintf(`"v%d"`, n+1) {
			t.Fatalf("ETag after %d updates: %s", n, cur.Header.Get("ETag"))
		}
		etag := cur.Header.Get("ETag")
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- app.Do(t, "PATCH", "/api/v1/travelers/"+id, alice.Access, map[string]any{"label": "race"}, "If-Match", etag).Status
			}()
		}
		wg.Wait()
		ok := 0
		for range n {
			switch s := <-statuses; s {
			case http.StatusOK:
				ok++
			case http.StatusPreconditionFailed:
			default:
				t.Fatalf("PATCH with If-Match: %d", s)
			}
		}
		if ok != 1 {
			t.Fatalf("%d conditional updates won, want 1", ok)
		}
	})
}

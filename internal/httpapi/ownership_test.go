package httpapi_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"pathavana/api"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// TestOtherAccountsResourcesAre404: for every route of the contract that
// names one of a user's resources, user B using user A's IDs gets 404 —
// never 403, never the resource, never a change. The routes come from
// api/openapi.yaml, so a new endpoint is covered without editing this test.
func TestOtherAccountsResourcesAre404(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := newOwnershipApp(t, db)
		a, b := app.owner, app.other

		var spec struct {
			Paths map[string]map[string]any `yaml:"paths"`
		}
		if err := yaml.Unmarshal(api.OpenAPI, &spec); err != nil {
			t.Fatal(err)
		}
		var checked []string
		for path, ops := range spec.Paths {
			family := ""
			for f := range app.ids {
				if strings.HasPrefix(path, "/api/v1/"+f+"/{") {
					family = f
				}
			}
			if family == "" {
				if seg, rest, _ := strings.Cut(strings.TrimPrefix(path, "/api/v1/"), "/"); strings.HasPrefix(rest, "{") && seg != "admin" {
					t.Errorf("%s names a resource this test has no fixture for: add one to newOwnershipApp", path)
				}
				continue
			}
			url := strings.NewReplacer("{id}", app.ids[family], "{itemId}", app.itemID).Replace(path)
			for method := range ops {
				m := strings.ToUpper(method)
				if !map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true}[m] {
					continue // path-level keys such as parameters
				}
				key := m + " " + path
				headers := []string{"Idempotency-Key", "ownership"}
				if ct := app.contentTypes[key]; ct != "" {
					headers = append(headers, "Content-Type", ct)
				}
				var body any
				if v, ok := app.bodies[key]; ok {
					body = v
				}
				r := app.Do(t, m, url, b.Access, body, headers...)
				if r.Status != http.StatusNotFound {
					t.Errorf("%s %s as another user: %d %s", m, path, r.Status, r.Body)
				}
				checked = append(checked, m+" "+path)
			}
		}
		sort.Strings(checked)
		if len(checked) < 17 {
			t.Fatalf("only %d routes checked: %v", len(checked), checked)
		}
		t.Logf("checked %d routes: %v", len(checked), checked)

		// Lists never show another account's resources.
		for f := range app.ids {
			r := app.Do(t, "GET", "/api/v1/"+f, b.Access, nil)
			if r.Status != http.StatusOK || strings.Contains(string(r.Body), app.ids[f]) {
				t.Errorf("GET /api/v1/%s as another user: %d %s", f, r.Status, r.Body)
			}
		}
		// The audit log is for admins only.
		for _, p := range []string{"/api/v1/admin/audit?subject_id=" + a.UserID, "/api/v1/admin/audit/verify"} {
			if r := app.Do(t, "GET", p, b.Access, nil); r.Status != http.StatusForbidden {
				t.Errorf("GET %s as a user: %d", p, r.Status)
			}
		}
		// And A still has everything, unchanged.
		for f, id := range app.ids {
			if r := app.Do(t, "GET", "/api/v1/"+f+"/"+id, a.Access, nil); r.Status != http.StatusOK {
				t.Errorf("the owner lost %s %s: %d %s", f, id, r.Status, r.Body)
			}
		}
		if r := app.Do(t, "GET", "/api/v1/bookings/"+app.ids["bookings"], a.Access, nil); r.Map(t)["state"] != "confirmed" {
			t.Errorf("another user changed the booking: %s", r.Body)
		}
	})
}

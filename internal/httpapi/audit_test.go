package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

type auditPage struct {
	Entries []struct {
		Seq       int64          `json:"seq"`
		Action    string         `json:"action"`
		Outcome   string         `json:"outcome"`
		ActorID   string         `json:"actor_id"`
		SubjectID string         `json:"subject_id"`
		IP        string         `json:"ip"`
		UserAgent string         `json:"user_agent"`
		RequestID string         `json:"request_id"`
		Details   map[string]any `json:"details"`
	} `json:"entries"`
	NextCursor string `json:"next_cursor"`
}

// TestAuditLogThroughTheAPI: sign-ins and failures land in the chain with
// where they came from and no secrets, only admins can read it, and reads
// are themselves recorded.
func TestAuditLogThroughTheAPI(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		alice := app.SignUp(t, "alice@example.com")
		bob := app.SignUp(t, "bob@example.com")
		if r := app.Do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": bob.Email, "password": "wrong password here"}); r.Status != 401 {
			t.Fatalf("bad password: %d", r.Status)
		}
		app.Do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "ghost@example.com", "password": "whatever it is"})

		for _, path := range []string{"/api/v1/admin/audit", "/api/v1/admin/audit/verify"} {
			problemOf(t, app.Do(t, "GET", path, bob.Access, nil), http.StatusForbidden, "forbidden")
		}
		if err := db.SetRole(t.Context(), alice.UserID, model.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		admin := app.Login(t, alice.Email, alice.Password)

		var page auditPage
		r := app.Do(t, "GET", "/api/v1/admin/audit?subject_id="+bob.UserID, admin.Access, nil)
		r.JSON(t, &page)
		var actions []string
		for _, e := range page.Entries {
			actions = append(actions, e.Action+":"+e.Outcome)
			if e.IP == "" || e.RequestID == "" {
				t.Errorf("entry without origin: %+v", e)
			}
		}
		if got := strings.Join(actions, " "); got != "auth.sign_up:success auth.sign_in:success auth.sign_in_failed:failure" {
			t.Fatalf("bob's entries: %s", got)
		}
		if page.Entries[2].ActorID != "" || page.Entries[2].Details["reason"] != "bad_password" {
			t.Fatalf("failed sign-in: %+v", page.Entries[2])
		}
		if strings.Contains(string(r.Body), "wrong password") || strings.Contains(string(r.Body), "ghost@") {
			t.Fatalf("the log holds a secret or an unknown email: %s", r.Body)
		}

		// Pagination walks the whole log in order.
		var seqs []int64
		cursor := ""
		for range 20 {
			var p auditPage
			app.Do(t, "GET", "/api/v1/admin/audit?limit=2&cursor="+cursor, admin.Access, nil).JSON(t, &p)
			for _, e := range p.Entries {
				seqs = append(seqs, e.Seq)
			}
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		for i, s := range seqs {
			if s != int64(i+1) {
				t.Fatalf("paged seqs %v", seqs)
			}
		}
		var failures auditPage
		app.Do(t, "GET", "/api/v1/admin/audit?action=auth.sign_in_failed", admin.Access, nil).JSON(t, &failures)
		if len(failures.Entries) != 2 || failures.Entries[1].Details["reason"] != "unknown_email" || failures.Entries[1].SubjectID != "" {
			t.Fatalf("failures: %+v", failures.Entries)
		}
		problemOf(t, app.Do(t, "GET", "/api/v1/admin/audit?from=yesterday", admin.Access, nil), http.StatusUnprocessableEntity, "invalid")
		problemOf(t, app.Do(t, "GET", "/api/v1/admin/audit?cursor=x", admin.Access, nil), http.StatusUnprocessableEntity, "invalid")

		var v struct {
			OK      bool  `json:"ok"`
			Entries int64 `json:"entries"`
			Last    int64 `json:"last_seq"`
		}
		app.Do(t, "GET", "/api/v1/admin/audit/verify", admin.Access, nil).JSON(t, &v)
		if !v.OK || v.Entries < int64(len(seqs)) || v.Last != v.Entries {
			t.Fatalf("verify: %+v", v)
		}
		var reads auditPage
		app.Do(t, "GET", "/api/v1/admin/audit?action=admin.", admin.Access, nil).JSON(t, &reads)
		if len(reads.Entries) == 0 || reads.Entries[0].Action != model.AuditAdminAuditRead || reads.Entries[0].ActorID != alice.UserID {
			t.Fatalf("reading the log is not recorded: %+v", reads.Entries)
		}
	})
}

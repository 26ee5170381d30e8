package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"pathavana/internal/config"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

// problemOf asserts r is a problem document with status and code and
// returns it.
func problemOf(t *testing.T, r testapp.Response, status int, code string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	p := r.Map(t)
	if p["code"] != code || p["status"].(float64) != float64(status) || p["detail"] == "" || p["type"] != "urn:pathavana:problem:"+code {
		t.Fatalf("problem = %v, want code %s", p, code)
	}
	if p["request_id"] == "" || p["request_id"] != r.Header.Get("X-Request-ID") {
		t.Fatalf("problem must carry the request ID: %v", p)
	}
	return p
}

func TestBadInputGetsAClearProblem(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{Config: func(c *config.Config) { c.MaxBodyBytes = 4096 }})
		cases := []struct {
			name, body, contentType string
			status                  int
			code, mention           string
		}{
			{"malformed JSON", `{"email": "a@b.co",`, "", 400, "invalid", "not valid JSON"},
			{"not JSON at all", `email=a@b.co`, "", 400, "invalid", "not valid JSON"},
			{"empty body", ``, "", 400, "invalid", "empty"},
			{"array instead of object", `[1,2]`, "", 400, "invalid", "object"},
			{"wrong type", `{"email": 42, "password": "long enough password"}`, "", 422, "invalid", "email"},
			{"unknown field", `{"email": "a@b.co", "password": "long enough password", "admin": true}`, "", 422, "invalid", "admin"},
			{"trailing data", `{"email": "a@b.co", "password": "long enough password"} {}`, "", 400, "invalid", "single JSON object"},
			{"wrong content type", `{"email": "a@b.co"}`, "text/plain", 400, "invalid", "application/json"},
			{"oversized body", `{"email": "` + strings.Repeat("a", 5000) + `@b.co", "password": "x"}`, "", 413, "too_large", "larger"},
			{"invalid email", `{"email": "not-an-email", "password": "long enough password"}`, "", 422, "invalid", "email"},
			{"email without dotted domain", `{"email": "ana@localhost", "password": "long enough password"}`, "", 422, "invalid", "email"},
			{"short password", `{"email": "a@b.co", "password": "short"}`, "", 422, "invalid", "10"},
			{"password equal to email", `{"email": "traveler@example.com", "password": "traveler@example.com"}`, "", 422, "invalid", "password"},
			{"common password", `{"email": "a@b.co", "password": "password123"}`, "", 422, "invalid", "password"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				headers := []string{}
				if c.contentType != "" {
					headers = []string{"Content-Type", c.contentType}
				}
				r := app.Do(t, "POST", "/api/v1/auth/register", "", c.body, headers...)
				p := problemOf(t, r, c.status, c.code)
				all := strings.ToLower(string(r.Body))
				if !strings.Contains(all, strings.ToLower(c.mention)) {
					t.Fatalf("problem should mention %q: %v", c.mention, p)
				}
			})
		}
		// Nothing was created by any of the bad requests.
		if _, err := db.GetUserByEmail(t.Context(), "a@b.co"); err == nil {
			t.Fatal("a rejected request created an account")
		}
	})
}

func TestTokensAreCheckedStrictly(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		s := app.SignUp(t, "tokens@example.com")
		parts := strings.Split(s.Access, ".")
		b64 := base64.RawURLEncoding.EncodeToString
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		elevated := strings.Replace(string(payload), `"user"`, `"admin"`, 1)
		cases := map[string]string{
			"garbage":          "not-a-token",
			"alg none":         b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".",
			"forged signature": parts[0] + "." + parts[1] + "." + b64([]byte("forged-signature-bytes-000000000")),
			"tampered payload": parts[0] + "." + b64([]byte(elevated)) + "." + parts[2],
			"truncated":        parts[0] + "." + parts[1],
			"oversized":        strings.Repeat("a", 10000),
		}
		for name, tok := range cases {
			t.Run(name, func(t *testing.T) {
				r := app.Do(t, "GET", "/api/v1/me", tok, nil)
				problemOf(t, r, http.StatusUnauthorized, "unauthenticated")
				if r.Header.Get("WWW-Authenticate") == "" {
					t.Fatal("401 must carry WWW-Authenticate")
				}
			})
		}
		for name, h := range map[string]string{"missing": "", "basic scheme": "Basic dXNlcjpwYXNz"} {
			t.Run(name, func(t *testing.T) {
				r := app.Do(t, "GET", "/api/v1/me", "", nil, "Authorization", h)
				problemOf(t, r, http.StatusUnauthorized, "unauthenticated")
			})
		}
		t.Run("expired", func(t *testing.T) {
			app.Clock.Advance(16 * time.Minute)
			p := problemOf(t, app.Do(t, "GET", "/api/v1/me", s.Access, nil), http.StatusUnauthorized, "unauthenticated")
			if !strings.Contains(p["detail"].(string), "expired") {
				t.Fatalf("say the token expired so the client refreshes: %v", p)
			}
		})
	})
}

// TestOtherUsersResourcesAreInvisible: ids of other accounts are answered
// exactly like ids that do not exist.
func TestOtherUsersResourcesAreInvisible(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		alice := app.SignUp(t, "alice@example.com")
		bob := app.SignUp(t, "bob@example.com")

		problemOf(t, app.Do(t, "GET", "/api/v1/admin/users/"+bob.UserID, alice.Access, nil), http.StatusForbidden, "forbidden")
		if err := db.SetRole(t.Context(), alice.UserID, model.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		admin := app.Login(t, alice.Email, alice.Password)
		r := app.Do(t, "GET", "/api/v1/admin/users/"+bob.UserID, admin.Access, nil)
		if r.Status != http.StatusOK || r.Map(t)["email"] != bob.Email {
			t.Fatalf("admin reads any user: %d %s", r.Status, r.Body)
		}
		problemOf(t, app.Do(t, "GET", "/api/v1/admin/users/00000000-0000-7000-8000-000000000000", admin.Access, nil), http.StatusNotFound, "not_found")

		// Bob's session ID is invisible to Alice: 404, and Bob stays signed in.
		var bobs struct {
			Sessions []struct {
				ID      string `json:"id"`
				Current bool   `json:"current"`
			} `json:"sessions"`
		}
		app.Do(t, "GET", "/api/v1/me/sessions", bob.Access, nil).JSON(t, &bobs)
		if len(bobs.Sessions) != 1 || !bobs.Sessions[0].Current {
			t.Fatalf("bob's sessions: %+v", bobs)
		}
		problemOf(t, app.Do(t, "DELETE", "/api/v1/me/sessions/"+bobs.Sessions[0].ID, alice.Access, nil), http.StatusNotFound, "not_found")
		problemOf(t, app.Do(t, "DELETE", "/api/v1/me/sessions/no-such-session", alice.Access, nil), http.StatusNotFound, "not_found")
		if r := app.Do(t, "GET", "/api/v1/me", bob.Access, nil); r.Status != http.StatusOK {
			t.Fatalf("bob was signed out by alice: %d", r.Status)
		}
	})
}

func TestRoutingProblems(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{})
	problemOf(t, app.Do(t, "GET", "/api/v1/nope", "", nil), http.StatusNotFound, "not_found")
	r := app.Do(t, "DELETE", "/api/v1/me", "", nil)
	problemOf(t, r, http.StatusMethodNotAllowed, "invalid")
	if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") {
		t.Fatalf("405 must list allowed methods, got %q", allow)
	}
	page := app.Do(t, "GET", "/trips/123", "", nil)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "Pathavana") {
		t.Fatalf("non-API paths go to the web app: %d", page.Status)
	}
}

package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

// TestAccountJourney walks the path a new user takes: register, verify,
// sign in, read and edit the profile, refresh, sign out.
func TestAccountJourney(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		creds := map[string]string{"email": "  Ana.Silva@Example.com ", "password": "lisbon porto 2027 trip"}

		r := app.Do(t, "POST", "/api/v1/auth/register", "", creds)
		if r.Status != http.StatusAccepted {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		// Signing up again with the same address answers the same way and
		// tells the owner instead of the caller.
		if r := app.Do(t, "POST", "/api/v1/auth/register", "", creds); r.Status != http.StatusAccepted {
			t.Fatalf("second register: %d %s", r.Status, r.Body)
		}
		app.DrainJobs(t)
		msgs := app.Mail.To("ana.silva@example.com")
		if len(msgs) != 2 || !strings.Contains(msgs[1].Text, "already") {
			t.Fatalf("want a verification email then an already-registered notice, got %+v", msgs)
		}

		tok := app.Mail.Token(t, "ana.silva@example.com", "/verify-email")
		if r := app.Do(t, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": tok}); r.Status != http.StatusNoContent {
			t.Fatalf("verify: %d %s", r.Status, r.Body)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": tok}); r.Status != http.StatusBadRequest {
			t.Fatalf("verification links are single use, second use got %d", r.Status)
		}

		s := app.Login(t, "ana.silva@example.com", creds["password"])
		me := app.Do(t, "GET", "/api/v1/me", s.Access, nil).Map(t)
		if me["email"] != "ana.silva@example.com" || me["email_verified"] != true || me["role"] != "user" {
			t.Fatalf("me = %v", me)
		}
		if prof := me["profile"].(map[string]any); prof["currency"] != "USD" {
			t.Fatalf("new profiles default to USD, got %v", prof)
		}

		patch := `{"display_name":"Ana","home_airport":"bos","currency":"eur","language":"pt-BR",
			"preferences":{"cabin":"business","seat":"aisle","avoid_airlines":["xx"],"dietary":["Vegetarian"],"pace":"relaxed"}}`
		r = app.Do(t, "PATCH", "/api/v1/me/profile", s.Access, patch)
		if r.Status != http.StatusOK {
			t.Fatalf("patch profile: %d %s", r.Status, r.Body)
		}
		prof := r.Map(t)
		prefs := prof["preferences"].(map[string]any)
		if prof["home_airport"] != "BOS" || prof["currency"] != "EUR" || prefs["cabin"] != "business" ||
			prefs["dietary"].([]any)[0] != "vegetarian" || prefs["avoid_airlines"].([]any)[0] != "XX" {
			t.Fatalf("profile not normalised and stored: %v", prof)
		}
		// A partial patch leaves the rest alone.
		app.Do(t, "PATCH", "/api/v1/me/profile", s.Access, `{"home_city":"Boston"}`)
		again := app.Do(t, "GET", "/api/v1/me", s.Access, nil).Map(t)["profile"].(map[string]any)
		if again["home_city"] != "Boston" || again["display_name"] != "Ana" || again["preferences"].(map[string]any)["pace"] != "relaxed" {
			t.Fatalf("partial patch lost fields: %v", again)
		}

		// Refresh rotates: the new pair works, the old refresh token is dead
		// and presenting it again revokes the whole family.
		r = app.Do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": s.Refresh})
		if r.Status != http.StatusOK {
			t.Fatalf("refresh: %d %s", r.Status, r.Body)
		}
		next := r.Map(t)
		if next["refresh_token"] == s.Refresh || next["access_token"] == "" {
			t.Fatal("refresh must return a new refresh token")
		}
		if r := app.Do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": s.Refresh}); r.Status != http.StatusUnauthorized {
			t.Fatalf("reusing a rotated refresh token must fail, got %d", r.Status)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": next["refresh_token"].(string)}); r.Status != http.StatusUnauthorized {
			t.Fatalf("after reuse the whole family is revoked, but the newest token still refreshed: %d", r.Status)
		}
		if !strings.Contains(app.Logs.String(), "refresh token reuse detected") {
			t.Fatal("reuse must be logged for the security team")
		}

		// Logout kills this access token at once, not at expiry.
		s2 := app.Login(t, "ana.silva@example.com", creds["password"])
		if r := app.Do(t, "POST", "/api/v1/auth/logout", s2.Access, map[string]string{"refresh_token": s2.Refresh}); r.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", r.Status, r.Body)
		}
		if r := app.Do(t, "GET", "/api/v1/me", s2.Access, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("access token must die at logout, got %d", r.Status)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": s2.Refresh}); r.Status != http.StatusUnauthorized {
			t.Fatalf("refresh token must die at logout, got %d", r.Status)
		}
	})
}

func TestLogoutEverywhere(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		phone := app.SignUp(t, "multi@example.com")
		laptop := app.Login(t, phone.Email, phone.Password)
		app.Clock.Advance(2 * time.Second)
		if r := app.Do(t, "POST", "/api/v1/auth/logout-all", laptop.Access, nil); r.Status != http.StatusNoContent {
			t.Fatalf("logout-all: %d %s", r.Status, r.Body)
		}
		for name, s := range map[string]testapp.Session{"phone": phone, "laptop": laptop} {
			if r := app.Do(t, "GET", "/api/v1/me", s.Access, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("%s access token still works: %d", name, r.Status)
			}
			if r := app.Do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": s.Refresh}); r.Status != http.StatusUnauthorized {
				t.Errorf("%s refresh token still works: %d", name, r.Status)
			}
		}
		// Signing in again right away works.
		fresh := app.Login(t, phone.Email, phone.Password)
		if r := app.Do(t, "GET", "/api/v1/me", fresh.Access, nil); r.Status != http.StatusOK {
			t.Fatalf("new session after logout-all: %d %s", r.Status, r.Body)
		}
	})
}

func TestLockoutBacksOff(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		s := app.SignUp(t, "locked@example.com")
		wrong := map[string]string{"email": s.Email, "password": "not the password at all"}
		for i := 1; i <= 4; i++ {
			if r := app.Do(t, "POST", "/api/v1/auth/login", "", wrong); r.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i, r.Status, r.Body)
			}
		}
		r := app.Do(t, "POST", "/api/v1/auth/login", "", wrong)
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "60" {
			t.Fatalf("5th failure must lock for a minute: %d retry-after=%q %s", r.Status, r.Header.Get("Retry-After"), r.Body)
		}
		// While locked even the right password is refused.
		right := map[string]string{"email": s.Email, "password": s.Password}
		if r := app.Do(t, "POST", "/api/v1/auth/login", "", right); r.Status != http.StatusTooManyRequests {
			t.Fatalf("locked account accepted a login: %d", r.Status)
		}
		app.Clock.Advance(61 * time.Second)
		// One more failure after the lock doubles it.
		if r := app.Do(t, "POST", "/api/v1/auth/login", "", wrong); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "120" {
			t.Fatalf("6th failure must lock for two minutes: %d %q", r.Status, r.Header.Get("Retry-After"))
		}
		app.Clock.Advance(121 * time.Second)
		if r := app.Do(t, "POST", "/api/v1/auth/login", "", right); r.Status != http.StatusOK {
			t.Fatalf("login after the lock ran out: %d %s", r.Status, r.Body)
		}
		app.DrainJobs(t)
		found := false
		for _, m := range app.Mail.To(s.Email) {
			found = found || strings.Contains(strings.ToLower(m.Subject), "lock")
		}
		if !found {
			t.Fatal("the owner must be told their account was locked")
		}
		// Success resets the counter: four failures do not lock again.
		for i := 0; i < 4; i++ {
			app.Do(t, "POST", "/api/v1/auth/login", "", wrong)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/login", "", right); r.Status != http.StatusOK {
			t.Fatalf("counter was not reset by the successful login: %d", r.Status)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		s := app.SignUp(t, "forgetful@example.com")
		for _, email := range []string{s.Email, "nobody@example.com"} {
			if r := app.Do(t, "POST", "/api/v1/auth/password/forgot", "", map[string]string{"email": email}); r.Status != http.StatusAccepted {
				t.Fatalf("forgot %s: %d %s", email, r.Status, r.Body)
			}
		}
		app.DrainJobs(t)
		if len(app.Mail.To("nobody@example.com")) != 0 {
			t.Fatal("no mail goes to addresses without an account")
		}
		tok := app.Mail.Token(t, s.Email, "/reset-password")
		weak := app.Do(t, "POST", "/api/v1/auth/password/reset", "", map[string]string{"token": tok, "password": "short"})
		if weak.Status != http.StatusUnprocessableEntity {
			t.Fatalf("weak password: %d %s", weak.Status, weak.Body)
		}
		// A rejected weak password must not burn the link.
		app.Clock.Advance(2 * time.Second)
		const newPassword = "a much better passphrase"
		if r := app.Do(t, "POST", "/api/v1/auth/password/reset", "", map[string]string{"token": tok, "password": newPassword}); r.Status != http.StatusNoContent {
			t.Fatalf("reset: %d %s", r.Status, r.Body)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/password/reset", "", map[string]string{"token": tok, "password": "yet another passphrase"}); r.Status != http.StatusBadRequest {
			t.Fatalf("reset links are single use: %d", r.Status)
		}
		if r := app.Do(t, "GET", "/api/v1/me", s.Access, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("sessions from before the reset must end: %d", r.Status)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": s.Email, "password": s.Password}); r.Status != http.StatusUnauthorized {
			t.Fatalf("old password still works: %d", r.Status)
		}
		app.Login(t, s.Email, newPassword)
	})
}

func TestChangePassword(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		s := app.SignUp(t, "changer@example.com")
		other := app.Login(t, s.Email, s.Password)
		app.Clock.Advance(2 * time.Second)
		bad := app.Do(t, "POST", "/api/v1/me/password", s.Access, map[string]string{"current_password": "wrong password!!", "new_password": "brand new passphrase"})
		if bad.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong current password: %d %s", bad.Status, bad.Body)
		}
		r := app.Do(t, "POST", "/api/v1/me/password", s.Access, map[string]string{"current_password": s.Password, "new_password": "brand new passphrase"})
		if r.Status != http.StatusOK {
			t.Fatalf("change password: %d %s", r.Status, r.Body)
		}
		newAccess := r.Map(t)["access_token"].(string)
		if r := app.Do(t, "GET", "/api/v1/me", newAccess, nil); r.Status != http.StatusOK {
			t.Fatalf("the session returned by a password change must work: %d %s", r.Status, r.Body)
		}
		if r := app.Do(t, "GET", "/api/v1/me", other.Access, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("other sessions must end on password change: %d", r.Status)
		}
	})
}

// TestSessionsPerDevice: each sign-in is a device the user can see and end;
// ending one kills its access token at once and leaves the others alone.
func TestSessionsPerDevice(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		phone := app.SignUp(t, "devices@example.com")
		app.Clock.Advance(time.Second)
		r := app.Do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": phone.Email, "password": phone.Password},
			"User-Agent", "Laptop Browser/1.0")
		laptop := r.Map(t)["access_token"].(string)

		var list struct {
			Sessions []struct {
				ID      string `json:"id"`
				Device  string `json:"device"`
				Current bool   `json:"current"`
			} `json:"sessions"`
		}
		app.Do(t, "GET", "/api/v1/me/sessions", laptop, nil).JSON(t, &list)
		if len(list.Sessions) != 2 || !list.Sessions[0].Current || list.Sessions[0].Device != "Laptop Browser/1.0" || list.Sessions[1].Current {
			t.Fatalf("sessions seen from the laptop: %+v", list)
		}
		phoneSession := list.Sessions[1].ID
		if r := app.Do(t, "DELETE", "/api/v1/me/sessions/"+phoneSession, laptop, nil); r.Status != http.StatusNoContent {
			t.Fatalf("end phone session: %d %s", r.Status, r.Body)
		}
		if r := app.Do(t, "GET", "/api/v1/me", phone.Access, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("the phone's access token must die with its session: %d", r.Status)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": phone.Refresh}); r.Status != http.StatusUnauthorized {
			t.Fatalf("the phone's refresh token must die with its session: %d", r.Status)
		}
		if r := app.Do(t, "GET", "/api/v1/me", laptop, nil); r.Status != http.StatusOK {
			t.Fatalf("the laptop must stay signed in: %d", r.Status)
		}
	})
}

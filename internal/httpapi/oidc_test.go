package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/oidc"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/oidcfake"
	"pathavana/internal/testkit/testapp"
)

const (
	googleClientID     = "pathavana-web"
	googleClientSecret = "google-client-secret-for-tests"
	callbackPath       = "/api/v1/auth/oidc/google/callback"
)

// googleApp starts the API with Google sign-in pointed at a fake provider.
// PUBLIC_URL is the app's own URL, so the redirect URI leads back to it.
func googleApp(t *testing.T, db *store.DB) (*testapp.App, *oidcfake.Server) {
	t.Helper()
	fake := oidcfake.New(t, googleClientID, googleClientSecret)
	app := testapp.New(t, db, testapp.Options{SelfPublicURL: true, GoogleFor: func(publicURL string) *oidc.Client {
		redirect := publicURL + callbackPath
		fake.AllowRedirectURI(redirect)
		c, err := oidc.New(oidc.Config{IssuerURL: fake.URL(), ClientID: googleClientID,
			ClientSecret: googleClientSecret, RedirectURL: redirect})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}})
	if app.Config.PublicURL != app.URL {
		t.Fatalf("PublicURL = %q, want the app's own URL %q", app.Config.PublicURL, app.URL)
	}
	return app, fake
}

// browser plays a web browser: it keeps cookies and lets the test follow
// each redirect by hand.
type browser struct {
	t   *testing.T
	app *testapp.App
	hc  *http.Client
}

func newBrowser(t *testing.T, app *testapp.App) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, app: app, hc: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type exchangeResult struct {
	status int
	header http.Header
	body   []byte
}

func (b *browser) do(method, rawURL, body string) exchangeResult {
	b.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, rawURL, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return exchangeResult{status: res.StatusCode, header: res.Header, body: raw}
}

func (b *browser) location(r exchangeResult, step string) *url.URL {
	b.t.Helper()
	if r.status != http.StatusFound {
		b.t.Fatalf("%s: status %d, want 302: %s", step, r.status, r.body)
	}
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		b.t.Fatalf("%s: bad Location %q: %v", step, r.header.Get("Location"), err)
	}
	return u
}

// start opens /start and returns the provider's authorization URL.
func (b *browser) start() *url.URL {
	b.t.Helper()
	return b.location(b.do("GET", b.app.URL+"/api/v1/auth/oidc/google/start", ""), "start")
}

// authorize visits the provider (which approves at once) and returns the
// callback URL it redirects to, without following it.
func (b *browser) authorize(authURL *url.URL) *url.URL {
	b.t.Helper()
	return b.location(b.do("GET", authURL.String(), ""), "authorize")
}

// callback opens our callback URL and returns the raw response.
func (b *browser) callback(cb *url.URL) exchangeResult {
	b.t.Helper()
	return b.do("GET", cb.String(), "")
}

// loginCode runs start → provider → callback and returns the one-time code
// from the web app URL the callback redirects to.
func (b *browser) loginCode() string {
	b.t.Helper()
	cb := b.authorize(b.start())
	dest := b.location(b.callback(cb), "callback")
	if got := dest.Scheme + "://" + dest.Host + dest.Path; got != b.app.URL+"/auth/callback" {
		b.t.Fatalf("callback sent the browser to %q, want the web app's /auth/callback", dest)
	}
	if dest.RawQuery != "" {
		b.t.Fatalf("the login code must travel in the fragment only, got query %q", dest.RawQuery)
	}
	frag, err := url.ParseQuery(dest.Fragment)
	if err != nil || frag.Get("code") == "" {
		b.t.Fatalf("no login code in fragment %q", dest.Fragment)
	}
	return frag.Get("code")
}

func (b *browser) exchange(code string) exchangeResult {
	b.t.Helper()
	return b.do("POST", b.app.URL+"/api/v1/auth/oidc/exchange", `{"code":`+quoteJSON(code)+`}`)
}

// signIn runs the whole flow and returns the session.
func (b *browser) signIn() testapp.Session {
	b.t.Helper()
	r := b.exchange(b.loginCode())
	if r.status != http.StatusOK {
		b.t.Fatalf("exchange: %d %s", r.status, r.body)
	}
	return sessionOf(b.t, r)
}

func sessionOf(t *testing.T, r exchangeResult) testapp.Session {
	t.Helper()
	var s struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		User         struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"user"`
	}
	testapp.Response{Status: r.status, Body: r.body}.JSON(t, &s)
	if s.AccessToken == "" || s.RefreshToken == "" || s.User.ID == "" {
		t.Fatalf("incomplete session: %s", r.body)
	}
	return testapp.Session{UserID: s.User.ID, Email: s.User.Email, Access: s.AccessToken, Refresh: s.RefreshToken}
}

func quoteJSON(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// wantProblem checks for an RFC 9457 problem with the given status.
func wantProblem(t *testing.T, step string, status int, header http.Header, body []byte) {
	t.Helper()
	if got := header.Get("Content-Type"); !strings.HasPrefix(got, "application/problem+json") {
		t.Fatalf("%s: Content-Type %q, want a problem document: %d %s", step, got, status, body)
	}
	var p struct {
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	testapp.Response{Body: body}.JSON(t, &p)
	if p.Status == 0 || p.Detail == "" {
		t.Fatalf("%s: problem without status or detail: %s", step, body)
	}
}

func wantNoUser(t *testing.T, app *testapp.App, email string) {
	t.Helper()
	if u, err := app.Store.GetUserByEmail(context.Background(), email); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("account for %s exists (%+v, %v), want none", email, u, err)
	}
}

func me(t *testing.T, app *testapp.App, access string) map[string]any {
	t.Helper()
	r := app.Do(t, "GET", "/api/v1/me", access, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("me: %d %s", r.Status, r.Body)
	}
	return r.Map(t)
}

func TestGoogleSignInEndToEnd(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app, fake := googleApp(t, db)
		fake.SetUser("google-sub-ana", "Ana.Traveler@Example.com", true, "Ana Traveler")
		b := newBrowser(t, app)

		// /start sends the browser to the provider with PKCE (S256), state
		// and nonce; the verifier never leaves the server.
		auth := b.start()
		if got := auth.Scheme + "://" + auth.Host + auth.Path; got != fake.URL()+"/authorize" {
			t.Fatalf("start redirected to %q, want the provider's /authorize", got)
		}
		q := auth.Query()
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(k)) < 43 {
				t.Errorf("%s = %q, want a high-entropy value", k, q.Get(k))
			}
		}
		if q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" ||
			q.Get("client_id") != googleClientID || q.Get("redirect_uri") != app.URL+callbackPath {
			t.Fatalf("authorization request = %v", q)
		}
		if q.Has("code_verifier") {
			t.Fatal("the PKCE verifier must not be in the authorization URL")
		}

		cb := b.authorize(auth)
		if cb.Path != callbackPath || cb.Query().Get("state") != q.Get("state") || cb.Query().Get("code") == "" {
			t.Fatalf("provider redirected to %q", cb)
		}
		dest := b.location(b.callback(cb), "callback")
		code, _ := url.ParseQuery(dest.Fragment)
		if dest.Path != "/auth/callback" || code.Get("code") == "" {
			t.Fatalf("callback redirected to %q", dest)
		}

		// The token request carried the verifier whose hash was the challenge.
		var tokenReq *oidcfake.Request
		for _, r := range fake.Requests() {
			if r.Path == "/token" {
				tokenReq = &r
			}
		}
		if tokenReq == nil || tokenReq.ClientAuth == "" {
			t.Fatalf("no authenticated token request: %+v", fake.Requests())
		}
		sum := sha256.Sum256([]byte(tokenReq.Form.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != q.Get("code_challenge") {
			t.Fatal("the token request's code_verifier does not match the challenge")
		}

		r := b.exchange(code.Get("code"))
		if r.status != http.StatusOK {
			t.Fatalf("exchange: %d %s", r.status, r.body)
		}
		first := sessionOf(t, r)
		m := me(t, app, first.Access)
		if m["email"] != "ana.traveler@example.com" || m["email_verified"] != true || m["has_password"] != false {
			t.Fatalf("me = %v", m)
		}

		// The login code is single use, even in the browser it was bound to.
		replay := b.exchangeWithCookie(code.Get("code"), loginCodeCookie(code.Get("code")))
		if replay.status != http.StatusUnauthorized {
			t.Fatalf("second exchange of a login code: %d %s", replay.status, replay.body)
		}
		wantProblem(t, "replayed login code", replay.status, replay.header, replay.body)

		// Signing in again with the same Google account finds the same user,
		// even when its email changed at Google.
		fake.SetUser("google-sub-ana", "ana@new-domain.example", true, "Ana Traveler")
		second := newBrowser(t, app).signIn()
		if second.UserID != first.UserID {
			t.Fatalf("second sign-in created user %s, want %s", second.UserID, first.UserID)
		}
		wantNoUser(t, app, "ana@new-domain.example")

		// A different Google account is a different user.
		fake.SetUser("google-sub-ben", "ben@example.com", true, "Ben")
		if other := newBrowser(t, app).signIn(); other.UserID == first.UserID {
			t.Fatal("a different Google subject signed into Ana's account")
		}
	})
}

// exchangeWithCookie presents a code with an explicit binding cookie, as a
// browser that still held it would.
func (b *browser) exchangeWithCookie(code, cookie string) exchangeResult {
	b.t.Helper()
	req, err := http.NewRequest("POST", b.app.URL+"/api/v1/auth/oidc/exchange", strings.NewReader(`{"code":`+quoteJSON(code)+`}`))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: "pathavana_oidc", Value: cookie})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return exchangeResult{status: res.StatusCode, header: res.Header, body: raw}
}

// loginCodeCookie is the value the callback binds a login code with.
func loginCodeCookie(code string) string {
	sum := sha256.Sum256([]byte(code))
	return "code." + base64.RawURLEncoding.EncodeToString(sum[:])
}

func TestGoogleSignInRejectsBadStateAndCodes(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app, fake := googleApp(t, db)
		fake.SetUser("sub-state", "state@example.com", true, "")

		// A state the server never issued (or lost) is refused.
		b := newBrowser(t, app)
		cb := b.authorize(b.start())
		forged := *cb
		fq := forged.Query()
		fq.Set("state", "never-issued-"+fq.Get("state"))
		forged.RawQuery = fq.Encode()
		r := b.callback(&forged)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("unknown state: %d %s", r.status, r.body)
		}
		wantProblem(t, "unknown state", r.status, r.header, r.body)
		// The real callback still works: a forged one cannot cancel it.
		if r := b.callback(cb); r.status != http.StatusFound {
			t.Fatalf("real callback after a forged one: %d %s", r.status, r.body)
		}
		// A state is single use.
		if r := b.callback(cb); r.status != http.StatusUnauthorized {
			t.Fatalf("replayed callback: %d %s", r.status, r.body)
		}

		// An expired state is refused (the service keeps it 10 minutes).
		cb = b.authorize(b.start())
		app.Clock.Advance(11 * time.Minute)
		r = b.callback(cb)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("expired state: %d %s", r.status, r.body)
		}
		wantProblem(t, "expired state", r.status, r.header, r.body)

		// An expired login code is refused (2 minutes).
		code := b.loginCode()
		app.Clock.Advance(3 * time.Minute)
		r = b.exchange(code)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("expired login code: %d %s", r.status, r.body)
		}
		wantProblem(t, "expired login code", r.status, r.header, r.body)

		// Garbage codes and empty bodies are refused as problems.
		for _, body := range []string{`{"code":"nope"}`, `{"code":""}`} {
			r := b.do("POST", app.URL+"/api/v1/auth/oidc/exchange", body)
			if r.status != http.StatusUnauthorized {
				t.Fatalf("exchange %s: %d %s", body, r.status, r.body)
			}
			wantProblem(t, "bad login code", r.status, r.header, r.body)
		}

		// The provider reporting an error (user pressed "cancel") sends the
		// browser back to the sign-in page; odd error text is not passed on.
		for raw, want := range map[string]string{"access_denied": "access_denied", "<script>alert(1)</script>": "server_error"} {
			r := b.do("GET", app.URL+callbackPath+"?error="+url.QueryEscape(raw)+"&state=x", "")
			dest := b.location(r, "provider error")
			if dest.Path != "/sign-in" || dest.Fragment != "error="+want {
				t.Fatalf("error %q: redirected to %q", raw, dest)
			}
		}
	})
}

// TestGoogleSignInIsBoundToTheBrowser covers login CSRF: an attacker who
// runs the flow with their own Google account must not be able to finish
// it, or hand out its login code, in the victim's browser.
func TestGoogleSignInIsBoundToTheBrowser(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app, fake := googleApp(t, db)
		fake.SetUser("sub-attacker", "attacker@example.com", true, "")
		attacker, victim := newBrowser(t, app), newBrowser(t, app)

		// The attacker's callback URL, opened by the victim, signs no one in.
		cb := attacker.authorize(attacker.start())
		r := victim.callback(cb)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("callback in a browser that did not start the flow: %d %s", r.status, r.body)
		}
		wantProblem(t, "foreign callback", r.status, r.header, r.body)

		// The attacker's login code, handed to the victim, signs no one in…
		code := attacker.loginCode()
		r = victim.exchange(code)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("login code exchanged in another browser: %d %s", r.status, r.body)
		}
		wantProblem(t, "foreign login code", r.status, r.header, r.body)
		// …and is not burnt by the attempt.
		if r := attacker.exchange(code); r.status != http.StatusOK {
			t.Fatalf("exchange in the right browser after a foreign attempt: %d %s", r.status, r.body)
		}
	})
}

func TestGoogleSignInProviderFaults(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app, fake := googleApp(t, db)
		for name, f := range map[string]oidcfake.Faults{
			"foreign signing key": {ForeignKey: true},
			"wrong audience":      {WrongAudience: true},
			"wrong nonce":         {WrongNonce: true},
			"expired id token":    {Expired: true},
			"wrong issuer":        {WrongIssuer: true},
		} {
			t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
				email := strings.ReplaceAll(name, " ", "-") + "@example.com"
				fake.SetUser("sub-"+email, email, true, "")
				fake.SetFaults(f)
				defer fake.SetFaults(oidcfake.Faults{})
				b := newBrowser(t, app)
				r := b.callback(b.authorize(b.start()))
				if r.status != http.StatusUnauthorized {
					t.Fatalf("callback: %d %s", r.status, r.body)
				}
				wantProblem(t, name, r.status, r.header, r.body)
				if strings.Contains(string(r.body), "nonce") || strings.Contains(string(r.body), "aud") {
					t.Fatalf("the problem leaks the reason: %s", r.body)
				}
				wantNoUser(t, app, email)
			})
		}
	})
}

// TestGooglePreHijackProtection: an attacker registers the victim's address
// with a password before the victim ever signs up. When the victim signs in
// with Google (which vouches for the address), the account becomes theirs
// and every way in the attacker prepared is closed.
func TestGooglePreHijackProtection(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app, fake := googleApp(t, db)
		const victimEmail, attackerPassword = "victim@example.com", "attacker knows this one"
		if r := app.Do(t, "POST", "/api/v1/auth/register", "", map[string]string{"email": victimEmail, "password": attackerPassword}); r.Status != http.StatusAccepted {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		attacker := app.Login(t, victimEmail, attackerPassword)
		if m := me(t, app, attacker.Access); m["email_verified"] != false || m["has_password"] != true {
			t.Fatalf("attacker's unverified account: %v", m)
		}
		app.Clock.Advance(2 * time.Second)

		fake.SetUser("google-sub-victim", victimEmail, true, "Victim")
		victim := newBrowser(t, app).signIn()
		if victim.UserID != attacker.UserID {
			t.Fatalf("Google sign-in made user %s, want the existing account %s linked", victim.UserID, attacker.UserID)
		}
		if m := me(t, app, victim.Access); m["email_verified"] != true || m["has_password"] != false {
			t.Fatalf("after linking: %v", m)
		}

		if r := app.Do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": victimEmail, "password": attackerPassword}); r.Status != http.StatusUnauthorized {
			t.Fatalf("attacker's password still works: %d %s", r.Status, r.Body)
		}
		if r := app.Do(t, "GET", "/api/v1/me", attacker.Access, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("attacker's access token still works: %d %s", r.Status, r.Body)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": attacker.Refresh}); r.Status != http.StatusUnauthorized {
			t.Fatalf("attacker's refresh token still works: %d %s", r.Status, r.Body)
		}
		// The victim's own session is unaffected.
		me(t, app, victim.Access)
		if r := app.Do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": victim.Refresh}); r.Status != http.StatusOK {
			t.Fatalf("victim refresh: %d %s", r.Status, r.Body)
		}
	})
}

// TestGoogleLinksVerifiedAccount: the owner of a verified password account
// who signs in with Google gets the same account and keeps the password.
func TestGoogleLinksVerifiedAccount(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app, fake := googleApp(t, db)
		owner := app.SignUp(t, "owner@example.com")
		fake.SetUser("google-sub-owner", "owner@example.com", true, "Owner")
		viaGoogle := newBrowser(t, app).signIn()
		if viaGoogle.UserID != owner.UserID {
			t.Fatalf("Google sign-in made user %s, want %s", viaGoogle.UserID, owner.UserID)
		}
		if m := me(t, app, viaGoogle.Access); m["has_password"] != true {
			t.Fatalf("verified owner lost the password: %v", m)
		}
		app.Login(t, owner.Email, owner.Password)
		me(t, app, owner.Access)
	})
}

func TestGoogleUnverifiedEmailRefused(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app, fake := googleApp(t, db)

		fake.SetUser("sub-unverified", "maybe@example.com", false, "")
		b := newBrowser(t, app)
		r := b.callback(b.authorize(b.start()))
		if r.status != http.StatusUnauthorized {
			t.Fatalf("unverified email: %d %s", r.status, r.body)
		}
		wantProblem(t, "unverified email", r.status, r.header, r.body)
		wantNoUser(t, app, "maybe@example.com")

		// Nor does an unverified Google email take over an existing account.
		owner := app.SignUp(t, "taken@example.com")
		fake.SetUser("sub-unverified-2", "taken@example.com", false, "")
		b = newBrowser(t, app)
		if r := b.callback(b.authorize(b.start())); r.status != http.StatusUnauthorized {
			t.Fatalf("unverified email for an existing account: %d %s", r.status, r.body)
		}
		app.Login(t, owner.Email, owner.Password)
		if m := me(t, app, owner.Access); m["has_password"] != true {
			t.Fatalf("owner account changed: %v", m)
		}
	})
}

func TestGoogleNotConfigured(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		r := app.Do(t, "GET", "/api/v1/auth/oidc/google/start", "", nil)
		if r.Status != http.StatusNotFound {
			t.Fatalf("start without Google: %d %s", r.Status, r.Body)
		}
		wantProblem(t, "start without Google", r.Status, r.Header, r.Body)
		r = app.Do(t, "GET", callbackPath+"?state=x&code=y", "", nil)
		if r.Status != http.StatusUnauthorized && r.Status != http.StatusNotFound {
			t.Fatalf("callback without Google: %d %s", r.Status, r.Body)
		}
		wantProblem(t, "callback without Google", r.Status, r.Header, r.Body)
		if p := app.Do(t, "GET", "/api/v1/auth/providers", "", nil).Map(t); p["google"] != false || p["password"] != true {
			t.Fatalf("providers without Google = %v", p)
		}
	})
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app, _ := googleApp(t, db)
		if p := app.Do(t, "GET", "/api/v1/auth/providers", "", nil).Map(t); p["google"] != true || p["password"] != true {
			t.Fatalf("providers with Google = %v", p)
		}
	})
}

package oidcfake

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
)

const (
	testClient   = "client-1"
	testSecret   = "secret/with+special=chars"
	testRedirect = "http://127.0.0.1:9/callback?keep=1"
	testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // RFC 7636 appendix B
)

func noFollow() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func newServer(t *testing.T) *Server {
	s := New(t, testClient, testSecret)
	s.AllowRedirectURI(testRedirect)
	return s
}

func challenge(v string) string { sum := sha256.Sum256([]byte(v)); return b64(sum[:]) }

func authParams() url.Values {
	return url.Values{"client_id": {testClient}, "redirect_uri": {testRedirect}, "response_type": {"code"},
		"scope": {"openid email"}, "state": {"st"}, "nonce": {"n-1"},
		"code_challenge": {challenge(testVerifier)}, "code_challenge_method": {"S256"}}
}

// authorizeRaw calls /authorize and returns the status and redirect query.
func authorizeRaw(t *testing.T, s *Server, q url.Values) (int, url.Values) {
	t.Helper()
	resp, err := noFollow().Get(s.URL() + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return resp.StatusCode, loc.Query()
}

func TestAuthorizeValidation(t *testing.T) {
	s := newServer(t)
	cases := []struct {
		name      string
		mutate    func(url.Values)
		status    int
		wantError string // OAuth error in the redirect
	}{
		{"ok", func(url.Values) {}, http.StatusFound, ""},
		{"unknown client", func(q url.Values) { q.Set("client_id", "evil") }, http.StatusBadRequest, ""},
		{"unregistered redirect", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:9/evil") }, http.StatusBadRequest, ""},
		{"token response type", func(q url.Values) { q.Set("response_type", "token") }, http.StatusFound, "unsupported_response_type"},
		{"no openid scope", func(q url.Values) { q.Set("scope", "email") }, http.StatusFound, "invalid_scope"},
		{"plain pkce", func(q url.Values) { q.Set("code_challenge_method", "plain") }, http.StatusFound, "invalid_request"},
		{"no pkce", func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, http.StatusFound, "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := authParams()
			tc.mutate(q)
			status, cb := authorizeRaw(t, s, q)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			if status == http.StatusFound {
				if cb.Get("error") != tc.wantError || cb.Get("state") != "st" || cb.Get("keep") != "1" {
					t.Fatalf("callback query %v, want error=%q, state echoed, existing query kept", cb, tc.wantError)
				}
				if tc.wantError == "" && cb.Get("code") == "" {
					t.Fatal("no code issued")
				}
			}
		})
	}
}

// exchange posts to /token with either client authentication method.
func exchange(t *testing.T, s *Server, form url.Values, basic bool) (int, map[string]any) {
	t.Helper()
	form = cloneValues(form)
	if !basic && !form.Has("client_secret") {
		form.Set("client_id", testClient)
		form.Set("client_secret", testSecret)
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(url.QueryEscape(testClient), url.QueryEscape(testSecret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func codeForm(t *testing.T, s *Server) url.Values {
	_, cb := authorizeRaw(t, s, authParams())
	return url.Values{"grant_type": {"authorization_code"}, "code": {cb.Get("code")},
		"redirect_uri": {testRedirect}, "code_verifier": {testVerifier}}
}

func TestTokenEndpoint(t *testing.T) {
	s := newServer(t)
	for _, basic := range []bool{true, false} {
		status, body := exchange(t, s, codeForm(t, s), basic)
		if status != http.StatusOK || body["id_token"] == nil || body["access_token"] == nil || body["token_type"] != "Bearer" {
			t.Fatalf("basic=%v: %d %v", basic, status, body)
		}
	}
	cases := []struct {
		name   string
		mutate func(url.Values)
		basic  bool
		status int
		error  string
	}{
		{"wrong secret", func(f url.Values) { f.Set("client_id", testClient); f.Set("client_secret", "nope") }, false, 401, "invalid_client"},
		{"wrong client", func(f url.Values) { f.Set("client_id", "evil"); f.Set("client_secret", testSecret) }, false, 401, "invalid_client"},
		{"two auth methods", func(f url.Values) { f.Set("client_secret", testSecret) }, true, 400, "invalid_request"},
		{"wrong grant type", func(f url.Values) { f.Set("grant_type", "password") }, false, 400, "unsupported_grant_type"},
		{"redirect mismatch", func(f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:9/other") }, false, 400, "invalid_grant"},
		{"pkce mismatch", func(f url.Values) { f.Set("code_verifier", strings.Repeat("a", 43)) }, false, 400, "invalid_grant"},
		{"pkce missing", func(f url.Values) { f.Del("code_verifier") }, false, 400, "invalid_grant"},
		{"unknown code", func(f url.Values) { f.Set("code", "made-up") }, false, 400, "invalid_grant"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := codeForm(t, s)
			tc.mutate(f)
			status, body := exchange(t, s, f, tc.basic)
			if status != tc.status || body["error"] != tc.error {
				t.Fatalf("got %d %v, want %d %s", status, body, tc.status, tc.error)
			}
		})
	}
}

func TestTokenRequiresClientAuth(t *testing.T) {
	s := newServer(t)
	f := codeForm(t, s)
	resp, err := http.PostForm(s.URL()+"/token", f)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("unauthenticated token request: %d", resp.StatusCode)
	}
	resp, err = http.Get(s.URL() + "/token")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET /token: %d", resp.StatusCode)
	}
}

func TestCodeSingleUseEvenAfterFailure(t *testing.T) {
	s := newServer(t)
	f := codeForm(t, s)
	bad := cloneValues(f)
	bad.Set("code_verifier", strings.Repeat("b", 43))
	if status, _ := exchange(t, s, bad, false); status != 400 {
		t.Fatalf("bad verifier: %d", status)
	}
	if status, body := exchange(t, s, f, false); body["error"] != "invalid_grant" {
		t.Fatalf("code reused after a failed attempt: %d %v", status, body)
	}
}

func TestIDTokenVerifiesAgainstJWKS(t *testing.T) {
	s := newServer(t)
	s.SetUser("sub-9", "a@example.com", false, "A")
	_, body := exchange(t, s, codeForm(t, s), true)
	ctx := context.Background()
	p, err := gooidc.NewProvider(ctx, s.URL())
	if err != nil {
		t.Fatal(err)
	}
	idt, err := p.Verifier(&gooidc.Config{ClientID: testClient}).Verify(ctx, body["id_token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	var cl struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
		Name          string `json:"name"`
	}
	_ = idt.Claims(&cl)
	if idt.Subject != "sub-9" || idt.Nonce != "n-1" || cl.Email != "a@example.com" || cl.EmailVerified || cl.Name != "A" {
		t.Fatalf("claims: %+v %+v", idt, cl)
	}
	if err := idt.VerifyAccessToken(body["access_token"].(string)); err != nil {
		t.Fatalf("at_hash: %v", err)
	}
	for _, r := range s.Requests() {
		if r.Form.Has("client_secret") {
			t.Fatal("recorded requests must not contain the client secret")
		}
	}
}

func TestSetAuthMethodsIsEnforced(t *testing.T) {
	s := newServer(t)
	s.SetAuthMethods("client_secret_post")
	if status, body := exchange(t, s, codeForm(t, s), true); status != 401 || body["error"] != "invalid_client" {
		t.Fatalf("basic auth while only post is allowed: %d %v", status, body)
	}
	if status, _ := exchange(t, s, codeForm(t, s), false); status != 200 {
		t.Fatalf("post auth: %d", status)
	}
}

package oidc_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"pathavana/internal/apperr"
	"pathavana/internal/oidc"
	"pathavana/internal/testkit/oidcfake"
)

const (
	clientID     = "pathavana-test-client"
	clientSecret = "s3cret-value-never-logged"
	redirectURL  = "http://127.0.0.1:8080/api/v1/auth/oidc/callback"
)

func setup(t *testing.T) (*oidcfake.Server, *oidc.Client) {
	t.Helper()
	fake := oidcfake.New(t, clientID, clientSecret)
	fake.AllowRedirectURI(redirectURL)
	c, err := oidc.New(oidc.Config{IssuerURL: fake.URL(), ClientID: clientID,
		ClientSecret: clientSecret, RedirectURL: redirectURL})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

// authorize plays the browser: it opens the authorization URL, does not
// follow the redirect back to us, and returns the callback's query.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURL {
		t.Fatalf("redirected to %q, want %q", got, redirectURL)
	}
	return loc.Query()
}

// login runs the whole flow as the HTTP layer will.
func login(t *testing.T, c *oidc.Client) (oidc.Identity, error) {
	t.Helper()
	ctx := context.Background()
	ar, err := c.Start(ctx)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	cb := authorize(t, ar.URL)
	if err := oidc.CheckState(ar.State, cb.Get("state")); err != nil {
		t.Fatalf("state: %v", err)
	}
	return c.Finish(ctx, cb.Get("code"), ar.Verifier, ar.Nonce)
}

func TestFullFlow(t *testing.T) {
	fake, c := setup(t)
	fake.SetUser("google-sub-123", "jane@example.com", true, "Jane Traveler")
	ctx := context.Background()
	ar, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(ar.URL)
	q := u.Query()
	sum := sha256.Sum256([]byte(ar.Verifier))
	for k, want := range map[string]string{
		"client_id": clientID, "redirect_uri": redirectURL, "response_type": "code",
		"scope": "openid email profile", "state": ar.State, "nonce": ar.Nonce,
		"code_challenge_method": "S256", "code_challenge": base64.RawURLEncoding.EncodeToString(sum[:]),
	} {
		if q.Get(k) != want {
			t.Errorf("auth URL %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if q.Has("code_verifier") || strings.Contains(ar.URL, ar.Verifier) {
		t.Fatal("the PKCE verifier must never appear in the authorization URL")
	}
	cb := authorize(t, ar.URL)
	id, err := c.Finish(ctx, cb.Get("code"), ar.Verifier, ar.Nonce)
	if err != nil {
		t.Fatal(err)
	}
	want := oidc.Identity{Issuer: fake.URL(), Subject: "google-sub-123", Email: "jane@example.com",
		EmailVerified: true, Name: "Jane Traveler"}
	if id != want {
		t.Fatalf("identity = %+v, want %+v", id, want)
	}
	var tokenReqs []oidcfake.Request
	for _, r := range fake.Requests() {
		if r.Path == "/token" {
			tokenReqs = append(tokenReqs, r)
		}
	}
	if len(tokenReqs) != 1 || tokenReqs[0].Form.Get("code_verifier") != ar.Verifier || tokenReqs[0].ClientAuth == "" {
		t.Fatalf("token requests = %+v, want one authenticated request carrying the verifier", tokenReqs)
	}
}

func TestUnverifiedEmailIsReported(t *testing.T) {
	fake, c := setup(t)
	fake.SetUser("sub-2", "maybe@example.com", false, "")
	id, err := login(t, c)
	if err != nil || id.EmailVerified || id.Email != "maybe@example.com" {
		t.Fatalf("identity = %+v, %v; want unverified email passed through", id, err)
	}
}

func TestProviderFaults(t *testing.T) {
	// cause is a fragment of the logged cause, proving each fault is caught
	// by the check meant for it rather than by accident.
	for name, tc := range map[string]struct {
		faults oidcfake.Faults
		cause  string
	}{
		"foreign key":    {oidcfake.Faults{ForeignKey: true}, "signature"},
		"wrong audience": {oidcfake.Faults{WrongAudience: true}, "audience"},
		"wrong nonce":    {oidcfake.Faults{WrongNonce: true}, "nonce mismatch"},
		"expired":        {oidcfake.Faults{Expired: true}, "expired"},
		"wrong issuer":   {oidcfake.Faults{WrongIssuer: true}, "different provider"},
	} {
		t.Run(name, func(t *testing.T) {
			fake, c := setup(t)
			fake.SetFaults(tc.faults)
			id, err := login(t, c)
			if !apperr.Is(err, apperr.Unauthenticated) || !strings.Contains(err.Error(), tc.cause) {
				t.Fatalf("Finish = %+v, %v; want unauthenticated because of %q", id, err, tc.cause)
			}
			if e, _ := apperr.As(err); strings.Contains(e.Message, "nonce") || strings.Contains(err.Error(), clientSecret) {
				t.Fatalf("error message says too much: %v", err)
			}
		})
	}
}

func TestFinishRejectsClientSideMismatches(t *testing.T) {
	ctx := context.Background()
	type args struct{ code, verifier, nonce string }
	cases := []struct {
		name   string
		mutate func(a *args)
		cause  string
	}{
		{"pkce mismatch", func(a *args) { a.verifier = strings.Repeat("v", 43) }, "invalid_grant"},
		{"nonce mismatch", func(a *args) { a.nonce = "another-nonce" }, "nonce mismatch"},
		{"unknown code", func(a *args) { a.code = "forged-code" }, "invalid_grant"},
		{"empty code", func(a *args) { a.code = "" }, "malformed"},
		{"short verifier", func(a *args) { a.verifier = "abc" }, "malformed"},
		{"empty nonce", func(a *args) { a.nonce = "" }, "malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c := setup(t)
			ar, err := c.Start(ctx)
			if err != nil {
				t.Fatal(err)
			}
			a := args{authorize(t, ar.URL).Get("code"), ar.Verifier, ar.Nonce}
			tc.mutate(&a)
			id, err := c.Finish(ctx, a.code, a.verifier, a.nonce)
			if !apperr.Is(err, apperr.Unauthenticated) || !strings.Contains(err.Error(), tc.cause) {
				t.Fatalf("Finish = %+v, %v; want unauthenticated because of %q", id, err, tc.cause)
			}
		})
	}
}

func TestCodeIsSingleUse(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	ar, _ := c.Start(ctx)
	code := authorize(t, ar.URL).Get("code")
	if _, err := c.Finish(ctx, code, ar.Verifier, ar.Nonce); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Finish(ctx, code, ar.Verifier, ar.Nonce); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("reused code: %v, want unauthenticated", err)
	}
}

func TestCheckState(t *testing.T) {
	if err := oidc.CheckState("abc", "abc"); err != nil {
		t.Fatal(err)
	}
	for _, got := range []string{"", "abd", "abcd"} {
		if !apperr.Is(oidc.CheckState("abc", got), apperr.Unauthenticated) {
			t.Errorf("CheckState(abc, %q) passed", got)
		}
	}
	if oidc.CheckState("", "") == nil {
		t.Error("an empty saved state must never match")
	}
}

func TestDiscoveryIsLazy(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close() // nothing listens there any more
	c, err := oidc.New(oidc.Config{IssuerURL: deadURL, ClientID: clientID, RedirectURL: redirectURL})
	if err != nil {
		t.Fatalf("New must not contact the issuer: %v", err)
	}
	ctx := context.Background()
	if _, err := c.Start(ctx); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("Start with unreachable issuer: %v, want unavailable", err)
	}
	if err := c.Ready(ctx); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("Ready with unreachable issuer: %v, want unavailable", err)
	}
}

func TestDiscoveryRecoversAndIsCached(t *testing.T) {
	fake, c := setup(t)
	ctx := context.Background()
	fake.SetFaults(oidcfake.Faults{DiscoveryDown: true})
	if err := c.Ready(ctx); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("Ready while discovery is down: %v", err)
	}
	fake.SetFaults(oidcfake.Faults{})
	if err := c.Ready(ctx); err != nil {
		t.Fatalf("Ready after recovery: %v", err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Start(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_ = c.Ready(ctx)
	n := 0
	for _, r := range fake.Requests() {
		if r.Path == "/.well-known/openid-configuration" {
			n++
		}
	}
	if n != 2 { // one failed, one successful; the rest came from the cache
		t.Fatalf("discovery fetched %d times, want 2", n)
	}
}

func TestDiscoveryIssuerMismatch(t *testing.T) {
	fake, c := setup(t)
	fake.SetFaults(oidcfake.Faults{DiscoveryIssuerMismatch: true})
	if _, err := c.Start(context.Background()); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("Start with mismatched discovery issuer: %v, want unavailable", err)
	}
}

func TestStartHonoursContext(t *testing.T) {
	_, c := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Start(ctx); err == nil {
		t.Fatal("Start with a cancelled context succeeded")
	}
}

// TestClientAuthMethodFromDiscovery checks the client authenticates the way
// the provider advertises, and that a refused exchange is not retried with
// another method (one token request per attempt).
func TestClientAuthMethodFromDiscovery(t *testing.T) {
	for _, method := range []string{"client_secret_basic", "client_secret_post"} {
		t.Run(method, func(t *testing.T) {
			fake, c := setup(t)
			fake.SetAuthMethods(method)
			if _, err := login(t, c); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			ar, _ := c.Start(ctx)
			code := authorize(t, ar.URL).Get("code")
			if _, err := c.Finish(ctx, code, strings.Repeat("x", 43), ar.Nonce); !apperr.Is(err, apperr.Unauthenticated) {
				t.Fatalf("PKCE mismatch: %v", err)
			}
			var auth []string
			for _, r := range fake.Requests() {
				if r.Path == "/token" {
					auth = append(auth, r.ClientAuth)
				}
			}
			if len(auth) != 2 || auth[0] != method || auth[1] != method {
				t.Fatalf("token requests authenticated as %v, want [%s %s]", auth, method, method)
			}
		})
	}
}

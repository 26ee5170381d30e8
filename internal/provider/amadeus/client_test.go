package amadeus

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/amadeusfake"
)

// env is a client wired to a fake Amadeus with a settable clock.
type env struct {
	fake   *amadeusfake.Server
	client *Client
	clock  *testkit.Clock
}

var epoch = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// newEnv starts a fake (no TPS limit unless opts say otherwise) and a
// client with millisecond back-off so retry tests run fast.
func newEnv(t *testing.T, opts amadeusfake.Options, mutate ...func(*Config)) *env {
	t.Helper()
	clock := testkit.NewClock(epoch)
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.TPS == 0 {
		opts.TPS = -1
	}
	fake := amadeusfake.New(t, opts)
	cfg := Config{BaseURL: fake.URL(), ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(),
		Now: clock.Now, RetryBase: time.Millisecond, RetryMax: 5 * time.Millisecond, Timeout: 2 * time.Second}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{fake: fake, client: c, clock: clock}
}

// search runs a simple valid search and returns its error.
func (e *env) search(t *testing.T) error {
	t.Helper()
	_, err := e.client.SearchFlightOffers(context.Background(), sydMnl())
	return err
}

func sydMnl() FlightSearch {
	return FlightSearch{Origin: "SYD", Destination: "MNL", DepartureDate: Date{2026, time.November, 1}, Adults: 1}
}

func TestNewValidatesConfig(t *testing.T) {
	for _, cfg := range []Config{
		{BaseURL: "https://x", ClientID: "id"},
		{BaseURL: "ftp://x", ClientID: "id", ClientSecret: "s"},
		{BaseURL: "https://x?q=1", ClientID: "id", ClientSecret: "s"},
		{BaseURL: "x", ClientID: "id", ClientSecret: "s"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%v) accepted an invalid config", cfg)
		}
	}
	cfg := Config{BaseURL: TestBaseURL, ClientID: "id", ClientSecret: "s3cret-value"}
	for _, s := range []string{cfg.String(), cfg.GoString()} {
		if strings.Contains(s, "s3cret-value") {
			t.Fatalf("Config formatting leaks the secret: %s", s)
		}
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{TokenTTL: 300 * time.Second})
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(200 * time.Second) // 100s left: still outside the 60s margin
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.TokenRequests(); n != 1 {
		t.Fatalf("token requests = %d, want 1 (token still fresh)", n)
	}
	e.clock.Advance(50 * time.Second) // 50s left: inside the margin, refresh first
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.TokenRequests(); n != 2 {
		t.Fatalf("token requests = %d, want 2 (refresh before expiry)", n)
	}
	for _, r := range e.fake.RequestsTo("/v2/") {
		if r.Token == "" {
			t.Fatal("API request without a bearer token")
		}
	}
	// No request ever hit an expired token: refresh happened ahead of time.
	if got := len(e.fake.RequestsTo("/v2/")); got != 3 {
		t.Fatalf("search requests = %d, want 3 (no 401 retries)", got)
	}
	tokenReq := e.fake.RequestsTo(tokenPath)[0]
	if tokenReq.Form.Get("grant_type") != "client_credentials" || tokenReq.Form.Get("client_id") != e.fake.ClientID() ||
		tokenReq.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Fatalf("token request = %+v", tokenReq)
	}
}

func TestTokenSingleFlight(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	const n = 25
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() { errs <- e.search(t) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := e.fake.TokenRequests(); got != 1 {
		t.Fatalf("%d concurrent searches made %d token requests, want 1", n, got)
	}
}

func TestExpiredTokenRefreshedAndRetriedOnce(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	e.fake.ExpireTokens() // the server disagrees with the client's clock
	e.fake.ResetRequests()
	if err := e.search(t); err != nil {
		t.Fatalf("search after server-side expiry: %v", err)
	}
	reqs := e.fake.Requests()
	var paths []string
	for _, r := range reqs {
		paths = append(paths, r.Method+" "+r.Path+" "+r.Token)
	}
	want := []string{"GET /v2/shopping/flight-offers fake-token-1", "POST " + tokenPath + " ",
		"GET /v2/shopping/flight-offers fake-token-2"}
	if strings.Join(paths, "|") != strings.Join(want, "|") {
		t.Fatalf("requests = %q, want %q", paths, want)
	}
}

func TestTokenRejectedTwiceIsNotLooped(t *testing.T) {
	var tokens, searches atomic.Int32
	c := rawClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"token_type":"Bearer","access_token":"t","expires_in":1799}`)
			return
		}
		searches.Add(1)
		w.Header().Set("Content-Type", "application/vnd.amadeus+json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"errors":[{"status":"401","code":"38192","title":"Access token expired"}]}`)
	})
	_, err := c.SearchFlightOffers(context.Background(), sydMnl())
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("error = %v, want unavailable", err)
	}
	if tokens.Load() != 2 || searches.Load() != 2 {
		t.Fatalf("tokens = %d, searches = %d; want one refresh and one retry", tokens.Load(), searches.Load())
	}
}

// rawClient is a client against a hand-written server, for answers the
// fake would never give.
func rawClient(t *testing.T, h http.HandlerFunc, mutate ...func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{BaseURL: srv.URL, ClientID: "id", ClientSecret: "secret", RetryBase: time.Millisecond, RetryMax: 2 * time.Millisecond}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBadCredentials(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{}, func(c *Config) { c.ClientSecret = "wrong" })
	err := e.search(t)
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("bad credentials: code %q (%v), want unavailable", apperr.CodeOf(err), err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.OAuthError != "invalid_client" || ae.Status != 401 || ae.Code != CodeInvalidClient {
		t.Fatalf("APIError = %+v", ae)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Fatalf("error leaks the secret: %v", err)
	}
	if n := e.fake.TokenRequests(); n != 1 {
		t.Fatalf("token requests = %d: invalid credentials must not be retried", n)
	}
	if len(e.fake.RequestsTo("/v2/")) != 0 {
		t.Fatal("API called without a token")
	}
}

func TestTokenServerErrorRetried(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	e.fake.SetFaults(amadeusfake.Faults{TokenServerErrors: 2})
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.TokenRequests(); n != 3 {
		t.Fatalf("token requests = %d, want 3", n)
	}
}

func TestEarlyRefreshFailureKeepsValidToken(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{TokenTTL: 300 * time.Second})
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(250 * time.Second) // inside the refresh margin, not expired
	e.fake.SetFaults(amadeusfake.Faults{TokenServerErrors: 1})
	if err := e.search(t); err != nil {
		t.Fatalf("search with a failing early refresh: %v", err)
	}
	if err := e.search(t); err != nil { // within the 5s pause: no new token request
		t.Fatal(err)
	}
	reqs := e.fake.RequestsTo("/v2/")
	if e.fake.TokenRequests() != 2 || reqs[len(reqs)-1].Token != "fake-token-1" {
		t.Fatalf("token requests = %d, last token %q", e.fake.TokenRequests(), reqs[len(reqs)-1].Token)
	}
	e.clock.Advance(5 * time.Second)
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	if reqs := e.fake.RequestsTo("/v2/"); reqs[len(reqs)-1].Token != "fake-token-2" {
		t.Fatalf("token after recovery = %q", reqs[len(reqs)-1].Token)
	}
}

// Package testapp assembles the whole API in-process for scenario tests:
// real store (SQLite or PostgreSQL), real cache backend, real HTTP stack on
// a loopback httptest server, a settable clock and a mailbox.
package testapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pathavana/internal/cache"
	"pathavana/internal/catalog/world"
	"pathavana/internal/config"
	"pathavana/internal/httpapi"
	"pathavana/internal/jobs"
	"pathavana/internal/mail"
	"pathavana/internal/oidc"
	"pathavana/internal/search"
	"pathavana/internal/secure"
	"pathavana/internal/service"
	"pathavana/internal/store"
	"pathavana/internal/telemetry"
	"pathavana/internal/testkit"
)

// Options adjust the assembled app.
type Options struct {
	Config func(*config.Config) // edit the default test configuration
	Cache  *cache.Backend       // default: in-process, on the app clock
	Google *oidc.Client

	// SelfPublicURL sets PublicURL to the app's own loopback URL (before
	// Config runs), so email links and redirects lead back to the test
	// server instead of the default http://localhost:8080.
	SelfPublicURL bool
	// GoogleFor, when set, builds the Google client from the final
	// PublicURL once it is known (the redirect URI lives under it). It
	// takes precedence over Google.
	GoogleFor func(publicURL string) *oidc.Client
	// Mailer, when set, sends the app's email instead of the Mailbox (which
	// then stays empty), e.g. a real SMTP mailer pointed at smtpfake.
	Mailer mail.Mailer
	// Search replaces the shared sandbox searcher (e.g. one with a fake
	// Amadeus provider or a small catalog).
	Search *search.Searcher
	// BuildCatalog replaces BuildSandboxCatalog, which builds the catalog
	// the service loads imported catalogs onto.
	BuildCatalog func([]search.Overlay) (*search.Catalog, error)
}

// App is a running test instance.
type App struct {
	URL     string
	Config  config.Config
	Store   *store.DB
	Cache   *cache.Backend
	Service *service.Service
	Runner  *jobs.Runner
	Mail    *testkit.Mailbox
	Clock   *testkit.Clock
	Metrics *telemetry.Metrics
	Logs    *SyncBuffer
	Client  *http.Client
}

// CheapArgon2 keeps password hashing fast in tests; production uses
// secure.DefaultArgon2Params.
var CheapArgon2 = secure.Argon2Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// New starts an app on db and stops it when the test ends.
func New(t testing.TB, db *store.DB, o Options) *App {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.RateLimit, cfg.AuthRateLimit = 10000, 10000
	// The listener exists before the configuration so the app can know its
	// own URL; the server starts serving only once everything is built.
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	if o.SelfPublicURL {
		cfg.PublicURL = "http://" + srv.Listener.Addr().String()
	}
	if o.Config != nil {
		o.Config(&cfg)
	}
	clock := testkit.NewClock(time.Now().UTC())
	logs := &SyncBuffer{}
	log, err := telemetry.NewLogger(logs, "debug", "json")
	if err != nil {
		t.Fatal(err)
	}
	backend := o.Cache
	if backend == nil {
		backend = cache.NewMemory(clock.Now)
	}
	signer, err := secure.NewTokenSigner([]secure.SigningKey{{ID: "test", Secret: []byte("test-secret-test-secret-test-secret!")}},
		cfg.PublicURL, "pathavana-api", clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	metrics := telemetry.NewMetrics("test")
	if err := metrics.RegisterDBStats(string(db.Dialect()), db.Stats); err != nil {
		t.Fatal(err)
	}
	mailbox := &testkit.Mailbox{}
	var mailer mail.Mailer = mailbox
	if o.Mailer != nil {
		mailer = o.Mailer
	}
	google := o.Google
	if o.GoogleFor != nil {
		google = o.GoogleFor(cfg.PublicURL)
	}
	searcher := o.Search
	if searcher == nil {
		searcher = SandboxSearcher(t)
	}
	buildCatalog := o.BuildCatalog
	if buildCatalog == nil {
		buildCatalog = BuildSandboxCatalog
	}
	svc := service.New(service.Deps{Store: db, Cache: backend, Tokens: signer, Google: google, Mailer: mailer,
		Search: searcher, BuildCatalog: buildCatalog, PII: TestPII(t),
		Log: log, Events: metrics, Now: clock.Now,
		Settings: service.Settings{PublicURL: cfg.PublicURL, AccessTTL: cfg.AccessTokenTTL, RefreshTTL: cfg.RefreshTokenTTL,
			LockoutAfter: cfg.LockoutAfter, LockoutBase: cfg.LockoutBase, LockoutMax: cfg.LockoutMax, UserCacheTTL: cfg.UserCacheTTL, Argon2: CheapArgon2}})
	runner := jobs.NewRunner(db, log, jobs.Options{Now: clock.Now, Observer: metrics})
	svc.RegisterJobs(runner)
	listen, stopListening := context.WithCancel(context.Background())
	t.Cleanup(stopListening)
	svc.Listen(listen)
	api := httpapi.NewServer(httpapi.Options{Config: cfg, Log: log, Service: svc, Limiter: backend.Limiter,
		Metrics: metrics, Version: "test"})
	srv.Config.Handler = api.Handler()
	srv.Start()
	return &App{URL: srv.URL, Config: cfg, Store: db, Cache: backend, Service: svc, Runner: runner, Mail: mailbox,
		Clock: clock, Metrics: metrics, Logs: logs,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// DrainJobs runs every due job, as the worker would, so emails arrive.
func (a *App) DrainJobs(t testing.TB) {
	t.Helper()
	if _, err := a.Runner.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Response is a finished HTTP exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Do sends a request. body may be nil, a string (sent verbatim) or a value
// encoded as JSON. token, when set, is sent as a bearer token.
func (a *App) Do(t testing.TB, method, path, token string, body any, headers ...string) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// Session is what SignUp returns.
type Session struct {
	UserID, Email, Password, Access, Refresh string
}

// SignUp registers, verifies and signs in a new account.
func (a *App) SignUp(t testing.TB, email string) Session {
	t.Helper()
	const password = "correct horse battery staple"
	if r := a.Do(t, "POST", "/api/v1/auth/register", "", map[string]string{"email": email, "password": password}); r.Status != http.StatusAccepted {
		t.Fatalf("register %s: %d %s", email, r.Status, r.Body)
	}
	a.DrainJobs(t)
	tok := a.Mail.Token(t, email, "/verify-email")
	if r := a.Do(t, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": tok}); r.Status != http.StatusNoContent {
		t.Fatalf("verify %s: %d %s", email, r.Status, r.Body)
	}
	return a.Login(t, email, password)
}

// Login signs in and returns the session.
func (a *App) Login(t testing.TB, email, password string) Session {
	t.Helper()
	r := a.Do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	var s struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		User         struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	r.JSON(t, &s)
	return Session{UserID: s.User.ID, Email: email, Password: password, Access: s.AccessToken, Refresh: s.RefreshToken}
}

// SyncBuffer is a goroutine-safe log sink.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything logged so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The sandbox catalog takes about a second to build: build it once per test
// binary and share it (it is immutable; SetCatalog swaps in a new one).
var loadWorld = sync.OnceValues(world.Load)

// BuildSandboxCatalog builds the sandbox catalog with overlays.
func BuildSandboxCatalog(overlays []search.Overlay) (*search.Catalog, error) {
	w, err := loadWorld()
	if err != nil {
		return nil, err
	}
	return search.NewSandboxCatalog(w, overlays, time.Now)
}

var sandboxCatalog = sync.OnceValues(func() (*search.Catalog, error) { return BuildSandboxCatalog(nil) })

// SandboxSearcher returns a new searcher over the shared sandbox catalog,
// without providers.
func SandboxSearcher(t testing.TB) *search.Searcher {
	t.Helper()
	c, err := sandboxCatalog()
	if err != nil {
		t.Fatalf("sandbox catalog: %v", err)
	}
	return search.NewSearcher(c, search.Providers{}, slog.New(slog.DiscardHandler))
}

// TestPII is a PII keyring with fixed test keys (master key "test-1").
func TestPII(t testing.TB) *secure.PII {
	t.Helper()
	kr, err := secure.NewKeyring([]secure.MasterKey{{ID: "test-1", Key: bytes.Repeat([]byte{7}, 32)}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := secure.NewPII(kr, bytes.Repeat([]byte{8}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

package httpapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"pathavana/internal/config"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/testapp"
)

func TestRateLimitPerClientIP(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{Config: func(c *config.Config) { c.RateLimit, c.AuthRateLimit = 5, 2 }})
		for i := 1; i <= 5; i++ {
			r := app.Do(t, "GET", "/api/v1/auth/providers", "", nil)
			if r.Status != http.StatusOK || r.Header.Get("RateLimit-Limit") != "5" || r.Header.Get("RateLimit-Remaining") != strconv.Itoa(5-i) {
				t.Fatalf("request %d: %d limit=%q remaining=%q", i, r.Status, r.Header.Get("RateLimit-Limit"), r.Header.Get("RateLimit-Remaining"))
			}
		}
		r := app.Do(t, "GET", "/api/v1/auth/providers", "", nil)
		problemOf(t, r, http.StatusTooManyRequests, "rate_limited")
		if ra, _ := strconv.Atoi(r.Header.Get("Retry-After")); ra < 1 || ra > 60 {
			t.Fatalf("Retry-After = %q", r.Header.Get("Retry-After"))
		}
		// Probes are never limited.
		if r := app.Do(t, "GET", "/healthz", "", nil); r.Status != http.StatusOK {
			t.Fatalf("healthz limited: %d", r.Status)
		}
		// Sign-in has its own stricter budget; it is spent after two tries
		// even though the general budget is also empty.
		app.Clock.Advance(60e9)
		login := map[string]string{"email": "x@example.com", "password": "whatever password"}
		app.Do(t, "POST", "/api/v1/auth/login", "", login)
		app.Do(t, "POST", "/api/v1/auth/login", "", login)
		problemOf(t, app.Do(t, "POST", "/api/v1/auth/login", "", login), http.StatusTooManyRequests, "rate_limited")
		if !strings.Contains(scrape(t, app), `pathavana_rate_limit_rejections_total{scope="auth"} 1`) {
			t.Fatal("rejections must be counted per scope")
		}
	})
}

func TestTrustedProxyDecidesClientIP(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{Config: func(c *config.Config) {
		c.RateLimit = 1
		c.TrustedProxies = nil
	}})
	// Without trusted proxies a spoofed X-Forwarded-For does not buy a new budget.
	app.Do(t, "GET", "/api/v1/auth/providers", "", nil, "X-Forwarded-For", "203.0.113.1")
	if r := app.Do(t, "GET", "/api/v1/auth/providers", "", nil, "X-Forwarded-For", "203.0.113.2"); r.Status != http.StatusTooManyRequests {
		t.Fatalf("spoofed X-Forwarded-For escaped the limit: %d", r.Status)
	}
}

func TestSecurityHeadersAndCORS(t *testing.T) {
	app := testapp.New(t, testkit.NewTestStore(t), testapp.Options{Config: func(c *config.Config) {
		c.CORSOrigins = []string{"https://app.example.com"}
	}})
	r := app.Do(t, "GET", "/api/v1/auth/providers", "", nil, "Origin", "https://app.example.com")
	for h, want := range map[string]string{
		"X-Content-Type-Options":      "nosniff",
		"X-Frame-Options":             "DENY",
		"Access-Control-Allow-Origin": "https://app.example.com",
		"Cache-Control":               "no-store",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP missing: %q", r.Header.Get("Content-Security-Policy"))
	}
	if r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS only when serving TLS")
	}
	evil := app.Do(t, "GET", "/api/v1/auth/providers", "", nil, "Origin", "https://evil.example.com")
	if evil.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("origins outside the allowlist get no CORS grant")
	}
	pre := app.Do(t, "OPTIONS", "/api/v1/me", "", nil, "Origin", "https://app.example.com", "Access-Control-Request-Method", "PATCH")
	if pre.Status != http.StatusNoContent || !strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", pre.Status, pre.Header)
	}
}

func TestProbesAndMetrics(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		app := testapp.New(t, db, testapp.Options{})
		if r := app.Do(t, "GET", "/healthz", "", nil); r.Status != http.StatusOK || r.Map(t)["status"] != "ok" {
			t.Fatalf("healthz: %d %s", r.Status, r.Body)
		}
		r := app.Do(t, "GET", "/readyz", "", nil)
		var ready struct {
			Ready  bool
			Checks []struct {
				Name, Status string
				Required     bool
				LatencyMS    float64 `json:"latency_ms"`
				Detail       map[string]any
			}
		}
		r.JSON(t, &ready)
		if r.Status != http.StatusOK || !ready.Ready {
			t.Fatalf("readyz: %d %s", r.Status, r.Body)
		}
		names := map[string]bool{}
		for _, c := range ready.Checks {
			names[c.Name] = c.Status == "ok"
		}
		for _, want := range []string{"database", "schema", "cache", "jobs"} {
			if !names[want] {
				t.Errorf("readiness check %s missing or failing: %s", want, r.Body)
			}
		}
		app.SignUp(t, "metrics@example.com")
		m := scrape(t, app)
		for _, want := range []string{
			`pathavana_http_requests_total{method="POST",route="POST /api/v1/auth/login",status="200"} 1`,
			`pathavana_events_total{event="signup"} 1`,
			`pathavana_events_total{event="login"} 1`,
			`pathavana_http_request_duration_seconds_bucket{method="GET",route="GET /readyz"`,
			`pathavana_db_open_connections{engine="` + string(db.Dialect()) + `"}`,
			`pathavana_jobs_total{kind="mail.send",outcome="succeeded"} 1`,
		} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		// A broken database takes the replica out of rotation.
		db.Close()
		if r := app.Do(t, "GET", "/readyz", "", nil); r.Status != http.StatusServiceUnavailable || r.Map(t)["ready"] != false {
			t.Fatalf("readyz with a closed database: %d %s", r.Status, r.Body)
		}
	})
}

func scrape(t *testing.T, app *testapp.App) string {
	t.Helper()
	r := app.Do(t, "GET", "/metrics", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("metrics: %d", r.Status)
	}
	return string(r.Body)
}

package telemetry

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// scrape fetches the exposition text through Handler, as Prometheus would.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %d %v", resp.StatusCode, err)
	}
	return string(b)
}

func assertLines(t *testing.T, body string, lines ...string) {
	t.Helper()
	have := make(map[string]bool)
	for _, l := range strings.Split(body, "\n") {
		have[l] = true
	}
	for _, l := range lines {
		if !have[l] {
			t.Errorf("missing exposition line %q", l)
		}
	}
}

func TestMetricsScrape(t *testing.T) {
	m := NewMetrics("1.2.3")
	m.ObserveHTTP("GET", "GET /api/v1/trips/{id}", 200, 3*time.Millisecond)
	m.ObserveHTTP("GET", "GET /api/v1/trips/{id}", 200, 20*time.Millisecond)
	m.ObserveHTTP("GET", "GET /api/v1/trips/{id}", 404, 2*time.Second)
	m.ObserveHTTP("BREW", RouteUnmatched, 405, time.Millisecond)
	m.InFlight(1)
	m.InFlight(1)
	m.InFlight(-1)
	m.CacheLookup(true)
	m.CacheLookup(true)
	m.CacheLookup(false)
	m.RateLimited("login")
	m.JobDone("send_email", "ok", 40*time.Millisecond)
	m.JobDone("send_email", "error", 2*time.Second)
	m.Event(EventSignup)
	m.Event(EventLogin)
	m.Event(EventLogin)
	m.Event("drop table users") // ignored

	body := scrape(t, m)
	assertLines(t, body,
		`pathavana_build_info{version="1.2.3"} 1`,
		`pathavana_http_requests_total{method="GET",route="GET /api/v1/trips/{id}",status="200"} 2`,
		`pathavana_http_requests_total{method="GET",route="GET /api/v1/trips/{id}",status="404"} 1`,
		`pathavana_http_requests_total{method="OTHER",route="unmatched",status="405"} 1`,
		`pathavana_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/trips/{id}",le="0.001"} 0`,
		`pathavana_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/trips/{id}",le="0.005"} 1`,
		`pathavana_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/trips/{id}",le="0.025"} 2`,
		`pathavana_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/trips/{id}",le="2.5"} 3`,
		`pathavana_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/trips/{id}",le="10"} 3`,
		`pathavana_http_request_duration_seconds_count{method="GET",route="GET /api/v1/trips/{id}"} 3`,
		`pathavana_http_request_duration_seconds_sum{method="GET",route="GET /api/v1/trips/{id}"} 2.023`,
		`pathavana_http_requests_in_flight 1`,
		`pathavana_cache_lookups_total{result="hit"} 2`,
		`pathavana_cache_lookups_total{result="miss"} 1`,
		`pathavana_rate_limit_rejections_total{scope="login"} 1`,
		`pathavana_jobs_total{kind="send_email",outcome="ok"} 1`,
		`pathavana_jobs_total{kind="send_email",outcome="error"} 1`,
		`pathavana_job_duration_seconds_count{kind="send_email"} 2`,
		`pathavana_events_total{event="signup"} 1`,
		`pathavana_events_total{event="login"} 2`,
		`pathavana_events_total{event="oidc_login"} 0`,
	)
	for _, want := range []string{"go_goroutines ", "go_info{", "process_start_time_seconds "} {
		if !strings.Contains(body, want) {
			t.Errorf("runtime/process collector metric %q missing", want)
		}
	}
	if strings.Contains(body, "drop table") {
		t.Error("unknown event name was exported")
	}
	if n := testutil.CollectAndCount(m.Registry(), "pathavana_events_total"); n != 8 {
		t.Errorf("events series = %d, want the 8 allowlisted", n)
	}
}

func TestMetricsEventsExact(t *testing.T) {
	m := NewMetrics("dev")
	m.Event(EventPlanMade)
	m.Event("")
	m.Event("Signup") // case matters: not in the allowlist
	want := `# HELP pathavana_events_total Business events (signups, logins, plans made, …).
# TYPE pathavana_events_total counter
pathavana_events_total{event="email_verified"} 0
pathavana_events_total{event="login"} 0
pathavana_events_total{event="login_failed"} 0
pathavana_events_total{event="logout"} 0
pathavana_events_total{event="oidc_login"} 0
pathavana_events_total{event="password_reset"} 0
pathavana_events_total{event="plan_made"} 1
pathavana_events_total{event="signup"} 0
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "pathavana_events_total"); err != nil {
		t.Fatal(err)
	}
}

func TestMetricsDBStats(t *testing.T) {
	m := NewMetrics("dev")
	var calls atomic.Int32 // read at scrape time, on the server's goroutine
	stats := func() sql.DBStats {
		calls.Add(1)
		return sql.DBStats{MaxOpenConnections: 10, OpenConnections: 4, InUse: 3, Idle: 1,
			WaitCount: 7, WaitDuration: 1500 * time.Millisecond}
	}
	if err := m.RegisterDBStats("postgres", stats); err != nil {
		t.Fatal(err)
	}
	if err := m.RegisterDBStats("sqlite", func() sql.DBStats { return sql.DBStats{OpenConnections: 1} }); err != nil {
		t.Fatalf("second engine: %v", err)
	}
	if err := m.RegisterDBStats("postgres", stats); err == nil {
		t.Fatal("duplicate engine registered without error")
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("stats read before scrape (%d calls)", n)
	}
	body := scrape(t, m)
	assertLines(t, body,
		`pathavana_db_open_connections{engine="postgres"} 4`,
		`pathavana_db_in_use_connections{engine="postgres"} 3`,
		`pathavana_db_idle_connections{engine="postgres"} 1`,
		`pathavana_db_max_open_connections{engine="postgres"} 10`,
		`pathavana_db_wait_count_total{engine="postgres"} 7`,
		`pathavana_db_wait_seconds_total{engine="postgres"} 1.5`,
		`pathavana_db_open_connections{engine="sqlite"} 1`,
		`# TYPE pathavana_db_wait_count_total counter`,
		`# TYPE pathavana_db_open_connections gauge`,
	)
	if n := calls.Load(); n != 1 {
		t.Fatalf("stats calls per scrape = %d, want 1", n)
	}
}

func TestMetricsJobQueue(t *testing.T) {
	m := NewMetrics("dev")
	var fail atomic.Bool
	err := m.RegisterJobQueue(func(ctx context.Context) (map[string]int, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("job queue counts called without a deadline")
		}
		if fail.Load() {
			return nil, errors.New("db down")
		}
		return map[string]int{"available": 3, "running": 1}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	assertLines(t, scrape(t, m), `pathavana_jobs{state="available"} 3`, `pathavana_jobs{state="running"} 1`)

	fail.Store(true)
	body := scrape(t, m)
	if strings.Contains(body, "pathavana_jobs{") {
		t.Errorf("job gauge exported despite error")
	}
	assertLines(t, body, `pathavana_build_info{version="dev"} 1`) // rest of the scrape still works
}

func TestMetricsIndependentRegistries(t *testing.T) {
	a, b := NewMetrics("a"), NewMetrics("b")
	a.CacheLookup(true)
	if got := testutil.ToFloat64(b.cacheHit); got != 0 {
		t.Fatalf("registries share state: %v", got)
	}
}

func BenchmarkObserveHTTP(b *testing.B) {
	m := NewMetrics("bench")
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveHTTP("GET", "GET /api/v1/trips/{id}", 200, 12*time.Millisecond)
	}
}

func BenchmarkObserveHTTPParallel(b *testing.B) {
	m := NewMetrics("bench")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.ObserveHTTP("POST", "POST /api/v1/trips", 201, 12*time.Millisecond)
		}
	})
}

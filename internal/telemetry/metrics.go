package telemetry

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metric label values with a fixed meaning.
const (
	// RouteUnmatched is the route label for requests no route matched
	// (404s, and 405s when the caller has no pattern). Using it instead of the
	// raw path keeps scanners from creating one series per probed URL.
	RouteUnmatched = "unmatched"
	methodOther    = "OTHER"
)

// Business events counted by Event. The list is closed on purpose: event
// names become label values, so free-form names would be a cardinality leak.
const (
	EventSignup        = "signup"
	EventLogin         = "login"
	EventLoginFailed   = "login_failed"
	EventLogout        = "logout"
	EventPasswordReset = "password_reset"
	EventEmailVerified = "email_verified"
	EventPlanMade      = "plan_made"
	EventOIDCLogin     = "oidc_login"
)

// Metrics owns a private Prometheus registry and every Pathavana metric.
// A private registry (instead of prometheus.DefaultRegisterer) means no
// package-level state: tests create as many as they like, and /metrics
// exposes exactly what this process registered. Safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry
	h   http.Handler

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	inFlight     prometheus.Gauge
	cacheHit     prometheus.Counter
	cacheMiss    prometheus.Counter
	rateLimited  *prometheus.CounterVec
	jobs         *prometheus.CounterVec
	jobDuration  *prometheus.HistogramVec
	events       map[string]prometheus.Counter // read-only after NewMetrics
}

// NewMetrics creates the registry with the Go runtime and process
// collectors, pathavana_build_info{version} and the application metrics.
func NewMetrics(version string) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pathavana_http_requests_total",
			Help: "HTTP requests served, by method, route pattern and status code.",
		}, []string{"method", "route", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pathavana_http_request_duration_seconds",
			Help: "HTTP request latency, by method and route pattern.",
			// 1ms..10s: API calls are mostly single-digit milliseconds;
			// searches against real providers and plan solving take seconds.
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pathavana_http_requests_in_flight",
			Help: "HTTP requests currently being served.",
		}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pathavana_rate_limit_rejections_total",
			Help: "Requests rejected by a rate limiter, by limiter scope.",
		}, []string{"scope"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pathavana_jobs_total",
			Help: "Background jobs finished, by kind and outcome.",
		}, []string{"kind", "outcome"}),
		jobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pathavana_job_duration_seconds",
			Help: "Background job run time, by kind.",
			// Jobs range from a quick e-mail send to a full data export.
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300, 900},
		}, []string{"kind"}),
	}
	cache := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pathavana_cache_lookups_total",
		Help: "Cache lookups, by result (hit or miss).",
	}, []string{"result"})
	// Resolve the children once: both series exist from the first scrape
	// (so hit ratios are defined) and lookups cost one atomic add.
	m.cacheHit = cache.WithLabelValues("hit")
	m.cacheMiss = cache.WithLabelValues("miss")

	events := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pathavana_events_total",
		Help: "Business events (signups, logins, plans made, …).",
	}, []string{"event"})
	m.events = make(map[string]prometheus.Counter)
	for _, e := range []string{EventSignup, EventLogin, EventLoginFailed, EventLogout,
		EventPasswordReset, EventEmailVerified, EventPlanMade, EventOIDCLogin} {
		m.events[e] = events.WithLabelValues(e)
	}

	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "pathavana_build_info",
		Help: "Always 1; labels carry the running version, for joins in dashboards.",
	}, []string{"version"})
	buildInfo.WithLabelValues(version).Set(1)

	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo, m.httpRequests, m.httpDuration, m.inFlight, cache,
		m.rateLimited, m.jobs, m.jobDuration, events,
	)
	m.h = promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		// Serve what can be gathered even if one collector fails, rather
		// than losing every metric to one bad DB stats read.
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      reg,
	})
	return m
}

// Handler serves the registry in the Prometheus exposition format; mount it
// at /metrics, outside /api and its auth.
func (m *Metrics) Handler() http.Handler { return m.h }

// Registry exposes the registry so other packages can register their own
// collectors (for example the River queue) and tests can gather it.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveHTTP records one finished request.
//
// route MUST be the ServeMux pattern that matched (r.Pattern, e.g.
// "GET /api/v1/trips/{id}"), never r.URL.Path: raw paths contain IDs and
// would create a series per trip. Pass RouteUnmatched when nothing matched.
// Methods outside the standard set are folded into "OTHER" for the same
// reason.
func (m *Metrics) ObserveHTTP(method, route string, status int, d time.Duration) {
	method = normalizeMethod(method)
	m.httpRequests.WithLabelValues(method, route, statusLabel(status)).Inc()
	m.httpDuration.WithLabelValues(method, route).Observe(d.Seconds())
}

// InFlight adjusts the in-flight request gauge: +1 when a request starts,
// -1 when it ends.
func (m *Metrics) InFlight(delta int) { m.inFlight.Add(float64(delta)) }

// CacheLookup counts one cache lookup, for hit-ratio dashboards.
func (m *Metrics) CacheLookup(hit bool) {
	if hit {
		m.cacheHit.Inc()
		return
	}
	m.cacheMiss.Inc()
}

// RateLimited counts one rejection. scope names the limiter ("login",
// "api", "search", …) and must come from a fixed set in code, never from
// the request.
func (m *Metrics) RateLimited(scope string) { m.rateLimited.WithLabelValues(scope).Inc() }

// JobDone records one finished job. kind is the job kind and outcome a fixed
// word such as "ok", "error", "retry" or "discarded".
func (m *Metrics) JobDone(kind, outcome string, d time.Duration) {
	m.jobs.WithLabelValues(kind, outcome).Inc()
	m.jobDuration.WithLabelValues(kind).Observe(d.Seconds())
}

// Event counts a business event. Names outside the Event* constants are
// ignored, so a typo or a caller passing user input cannot blow up the
// number of series.
func (m *Metrics) Event(name string) {
	if c, ok := m.events[name]; ok {
		c.Inc()
	}
}

func normalizeMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return methodOther
}

// statusLabel formats a status code without allocating for the codes an API
// actually returns; strconv.Itoa allocates for values >= 100.
func statusLabel(code int) string {
	switch code {
	case 200:
		return "200"
	case 201:
		return "201"
	case 204:
		return "204"
	case 304:
		return "304"
	case 400:
		return "400"
	case 401:
		return "401"
	case 403:
		return "403"
	case 404:
		return "404"
	case 409:
		return "409"
	case 412:
		return "412"
	case 429:
		return "429"
	case 500:
		return "500"
	case 503:
		return "503"
	}
	return strconv.Itoa(code)
}

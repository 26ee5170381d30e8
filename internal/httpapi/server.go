// Package httpapi is the HTTP face of the service: routing, middleware,
// wire formats and problem responses. Handlers stay thin: decode, call the
// service, encode.
package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"pathavana/internal/cache"
	"pathavana/internal/config"
	"pathavana/internal/service"
)

// Metrics is what the HTTP layer reports to.
type Metrics interface {
	ObserveHTTP(method, route string, status int, d time.Duration)
	InFlight(delta int)
	RateLimited(scope string)
	Handler() http.Handler
}

// Options wires a Server; every dependency is explicit.
type Options struct {
	Config         config.Config
	Log            *slog.Logger
	Service        *service.Service
	Limiter        cache.Limiter
	Metrics        Metrics
	TracerProvider trace.TracerProvider // nil = no tracing
	Propagator     propagation.TextMapPropagator
	Version        string
	// Web serves the single-page app for every non-API path; nil serves a
	// small placeholder page.
	Web http.Handler
}

// Server routes requests to handlers.
type Server struct {
	cfg     config.Config
	log     *slog.Logger
	svc     *service.Service
	limiter cache.Limiter
	metrics Metrics
	opts    Options
	memo    *responseMemo
}

// NewServer returns a server ready to be mounted.
func NewServer(o Options) *Server {
	return &Server{cfg: o.Config, log: o.Log, svc: o.Service, limiter: o.Limiter, metrics: o.Metrics, opts: o,
		memo: newResponseMemo()}
}

func (s *Server) tlsEnabled() bool { return s.cfg.TLSCertFile != "" }

// Handler returns the full middleware stack around the router. Order
// matters: recover is outermost so nothing escapes it; the request ID comes
// before the access log so every log line carries it.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux()
	h = s.withClientInfo(h)
	h = s.withBodyLimit(h)
	h = s.withCORS(h)
	h = s.withSecurityHeaders(h)
	h = s.withAccessLog(h)
	if s.opts.TracerProvider != nil {
		h = otelhttp.NewHandler(h, "http.request",
			otelhttp.WithTracerProvider(s.opts.TracerProvider),
			otelhttp.WithPropagators(s.opts.Propagator),
			otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }))
	}
	h = withRequestID(h)
	return s.withRecover(h)
}

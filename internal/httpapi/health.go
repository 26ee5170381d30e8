package httpapi

import (
	"context"
	"net/http"
	"time"

	"pathavana/api"
	"pathavana/internal/apperr"
)

type healthResponse struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

// handleHealthz says the process is alive; it checks nothing else so a
// database outage never gets healthy pods restarted.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, healthResponse{Status: "ok", Version: s.opts.Version})
}

// handleReadyz reports every dependency; 503 takes the replica out of the
// load balancer while a required one fails.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	res := s.svc.Readiness(ctx)
	status := http.StatusOK
	if !res.Ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, res)
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.MetricsAddr != "" {
		// Metrics have their own listener; do not expose them publicly too.
		writeProblem(w, r, http.StatusNotFound, apperr.NotFound, "metrics are served on the metrics listener", nil)
		return
	}
	s.metrics.Handler().ServeHTTP(w, r)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(api.OpenAPI)
}

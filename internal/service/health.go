package service

import (
	"context"

	"pathavana/internal/apperr"
	"sync"
	"time"
)

// CheckResult is one row of the readiness matrix.
type CheckResult struct {
	Name      string         `json:"name"`
	Status    string         `json:"status"` // ok, fail
	Required  bool           `json:"required"`
	LatencyMS float64        `json:"latency_ms"`
	Detail    map[string]any `json:"detail,omitempty"`
	Error     string         `json:"error,omitempty"`
}

// Readiness is the whole matrix; Ready is false when a required check fails.
type Readiness struct {
	Ready  bool          `json:"ready"`
	Checks []CheckResult `json:"checks"`
}

type check struct {
	name     string
	required bool
	run      func(ctx context.Context) (map[string]any, error)
}

// Readiness runs every dependency check concurrently, each bounded by the
// context, so one hanging dependency cannot hang the probe.
func (s *Service) Readiness(ctx context.Context) Readiness {
	checks := []check{
		{"database", true, func(ctx context.Context) (map[string]any, error) {
			return map[string]any{"engine": string(s.Store.Dialect())}, s.Store.Ping(ctx)
		}},
		{"schema", true, func(ctx context.Context) (map[string]any, error) {
			return nil, s.Store.CheckSchema(ctx)
		}},
		{"cache", true, func(ctx context.Context) (map[string]any, error) {
			return map[string]any{"backend": s.Cache.Kind}, s.Cache.Cache.Ping(ctx)
		}},
		{"jobs", true, func(ctx context.Context) (map[string]any, error) {
			counts, err := s.Store.JobCounts(ctx)
			d := map[string]any{}
			for state, n := range counts {
				d[string(state)] = n
			}
			return d, err
		}},
	}
	if s.Google != nil {
		checks = append(checks, check{"oidc_google", false, func(ctx context.Context) (map[string]any, error) {
			return nil, s.Google.Ready(ctx)
		}})
	}
	res := Readiness{Ready: true, Checks: make([]CheckResult, len(checks))}
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			detail, err := c.run(ctx)
			r := CheckResult{Name: c.name, Status: "ok", Required: c.required, Detail: detail,
				LatencyMS: float64(time.Since(start).Microseconds()) / 1000}
			if err != nil {
				// Raw errors may name hosts; the probe shows only safe text.
				s.Log.WarnContext(ctx, "readiness check failed", "check", c.name, "err", err)
				r.Status, r.Error = "fail", "check failed; see the server log"
				if e, ok := apperr.As(err); ok {
					r.Error = e.Message
				}
			}
			res.Checks[i] = r
		}()
	}
	wg.Wait()
	for _, r := range res.Checks {
		if r.Required && r.Status != "ok" {
			res.Ready = false
		}
	}
	return res
}

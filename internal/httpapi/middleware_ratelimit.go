package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"pathavana/internal/apperr"
)

// clientIP is the address of the real client: the peer address, or when the
// peer is a trusted proxy, the right-most untrusted X-Forwarded-For entry.
// Entries left of a trusted hop are client-supplied and cannot be believed.
func (s *Server) clientIP(r *http.Request) netip.Addr {
	peer := parseAddr(r.RemoteAddr)
	if !s.trusted(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a := parseAddr(strings.TrimSpace(hops[i]))
		if !a.IsValid() {
			break
		}
		if !s.trusted(a) {
			return a
		}
		peer = a
	}
	return peer
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func parseAddr(hostport string) netip.Addr {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// rateLimit returns middleware allowing limit requests per window per client
// IP under scope. Limits live in the shared cache, so every replica counts
// against the same budget. If the limiter store fails we let the request
// through and log: an outage of Redis must not become an outage of the API.
func (s *Server) rateLimit(scope string, limit int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			key := "rl:" + scope + ":" + s.clientIP(r).String()
			d, err := s.limiter.Allow(r.Context(), key, limit, s.cfg.RateWindow)
			if err != nil {
				s.log.WarnContext(r.Context(), "rate limiter unavailable, allowing request", "scope", scope, "err", err)
				next.ServeHTTP(w, r)
				return
			}
			h := w.Header()
			h.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
			h.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
			h.Set("RateLimit-Reset", strconv.Itoa(ceilSeconds(d.ResetAfter.Seconds())))
			h.Set("RateLimit-Policy", strconv.Itoa(limit)+";w="+strconv.Itoa(int(s.cfg.RateWindow.Seconds())))
			if !d.Allowed {
				s.metrics.RateLimited(scope)
				e := apperr.New(apperr.RateLimited, "too many requests; slow down and retry after the time in the Retry-After header")
				e.RetryAfter = d.RetryAfter
				s.writeError(w, r, e)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func ceilSeconds(f float64) int {
	n := int(f)
	if float64(n) < f {
		n++
	}
	return n
}

package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/trace"

	"pathavana/internal/apperr"
)

type access int

const (
	public access = iota
	user
	admin
)

// route is one endpoint. Every endpoint is listed here and nowhere else, so
// the contract test can compare this table with api/openapi.yaml.
type route struct {
	method  string
	path    string
	access  access
	strict  bool // the stricter per-IP limit for sign-in, sign-up and resets
	handler http.HandlerFunc
}

func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", public, false, s.handleHealthz},
		{"GET", "/readyz", public, false, s.handleReadyz},
		{"GET", "/metrics", public, false, s.handleMetrics},
		{"GET", "/api/openapi.yaml", public, false, s.handleOpenAPI},

		{"POST", "/api/v1/auth/register", public, true, s.handleRegister},
		{"POST", "/api/v1/auth/verify-email", public, true, s.handleVerifyEmail},
		{"POST", "/api/v1/auth/verify-email/resend", public, true, s.handleResendVerification},
		{"POST", "/api/v1/auth/login", public, true, s.handleLogin},
		{"POST", "/api/v1/auth/refresh", public, false, s.handleRefresh},
		{"POST", "/api/v1/auth/logout", user, false, s.handleLogout},
		{"POST", "/api/v1/auth/logout-all", user, false, s.handleLogoutAll},
		{"POST", "/api/v1/auth/password/forgot", public, true, s.handlePasswordForgot},
		{"POST", "/api/v1/auth/password/reset", public, true, s.handlePasswordReset},
		{"GET", "/api/v1/auth/providers", public, false, s.handleAuthProviders},
		{"GET", "/api/v1/auth/oidc/google/start", public, true, s.handleGoogleStart},
		{"GET", "/api/v1/auth/oidc/google/callback", public, true, s.handleGoogleCallback},
		{"POST", "/api/v1/auth/oidc/exchange", public, true, s.handleLoginCodeExchange},

		{"GET", "/api/v1/me", user, false, s.handleMeGet},
		{"PATCH", "/api/v1/me/profile", user, false, s.handleProfileUpdate},
		{"POST", "/api/v1/me/password", user, true, s.handlePasswordChange},
		{"GET", "/api/v1/me/sessions", user, false, s.handleSessionList},
		{"DELETE", "/api/v1/me/sessions/{id}", user, false, s.handleSessionDelete},

		{"GET", "/api/v1/admin/users/{id}", admin, false, s.handleAdminUserGet},
		{"GET", "/api/v1/admin/audit", admin, false, s.handleAuditList},
		{"GET", "/api/v1/admin/audit/verify", admin, false, s.handleAuditVerify},

		{"GET", "/api/v1/bookings", user, false, s.handleBookingList},
		{"POST", "/api/v1/bookings", user, false, s.handleBookingCreate},
		{"GET", "/api/v1/bookings/{id}", user, false, s.handleBookingGet},
		{"POST", "/api/v1/bookings/{id}/cancel", user, false, s.handleBookingCancel},

		// Saved travelers: owner only (another account's id is 404), masked
		// unless revealed; every write and reveal is audited.
		{"GET", "/api/v1/travelers", user, false, s.handleTravelerList},
		{"POST", "/api/v1/travelers", user, false, s.handleTravelerCreate},
		{"GET", "/api/v1/travelers/{id}", user, false, s.handleTravelerGet},
		{"PATCH", "/api/v1/travelers/{id}", user, false, s.handleTravelerUpdate},
		{"DELETE", "/api/v1/travelers/{id}", user, false, s.handleTravelerDelete},
		{"POST", "/api/v1/travelers/{id}/reveal", user, false, s.handleTravelerReveal},

		// Trips: every route answers 404 for another user's trip.
		{"GET", "/api/v1/trips", user, false, s.handleTripList},
		{"POST", "/api/v1/trips", user, false, s.handleTripCreate},
		{"GET", "/api/v1/trips/{id}", user, false, s.handleTripGet},
		{"PATCH", "/api/v1/trips/{id}", user, false, s.handleTripUpdate},
		{"DELETE", "/api/v1/trips/{id}", user, false, s.handleTripDelete},
		{"POST", "/api/v1/trips/{id}/items", user, false, s.handleTripItemCreate},
		{"PATCH", "/api/v1/trips/{id}/items/{itemId}", user, false, s.handleTripItemUpdate},
		{"DELETE", "/api/v1/trips/{id}/items/{itemId}", user, false, s.handleTripItemDelete},
		{"POST", "/api/v1/trips/{id}/items/{itemId}/move", user, false, s.handleTripItemMove},
		{"GET", "/api/v1/trips/{id}/budget", user, false, s.handleTripBudget},
		{"GET", "/api/v1/trips/{id}/calendar.ics", user, false, s.handleTripCalendarExport},
		{"POST", "/api/v1/trips/{id}/calendar", user, false, s.handleTripCalendarImport},
		{"GET", "/api/v1/trips/{id}/print", user, false, s.handleTripPrint},

		// Searching inventory needs no account, like any travel site.
		{"GET", "/api/v1/places", public, false, s.handlePlaces},
		{"GET", "/api/v1/search/flights", public, false, s.memoized(s.handleFlightSearchGet)},
		{"POST", "/api/v1/search/flights", public, false, s.handleFlightSearchPost},
		{"GET", "/api/v1/search/flights/calendar", public, false, s.memoized(s.handleFlightCalendar)},
		{"GET", "/api/v1/search/stays", public, false, s.memoized(s.handleStaySearch)},
		{"GET", "/api/v1/search/restaurants", public, false, s.memoized(s.handleRestaurantSearch)},
		{"GET", "/api/v1/search/attractions", public, false, s.memoized(s.handleAttractionSearch)},
	}
}

// mux registers every route with its own middleware, a problem-JSON 405 for
// known paths with the wrong method, and the web app for everything else.
func (s *Server) mux() *http.ServeMux {
	mux := http.NewServeMux()
	apiLimit := s.rateLimit("api", s.cfg.RateLimit)
	authLimit := s.rateLimit("auth", s.cfg.AuthRateLimit)
	methods := map[string][]string{}
	for _, rt := range s.routes() {
		pattern := rt.method + " " + rt.path
		var h http.Handler = rt.handler
		switch rt.access {
		case user:
			h = s.requireAuth(h)
		case admin:
			h = s.requireAdmin(h)
		}
		if rt.strict {
			h = authLimit(h)
		}
		if strings.HasPrefix(rt.path, "/api/v1/") {
			h = apiLimit(h)
		}
		mux.Handle(pattern, named(pattern, h))
		methods[rt.path] = append(methods[rt.path], rt.method)
	}
	for path, allowed := range methods {
		if slices.Contains(allowed, "GET") {
			allowed = append(allowed, "HEAD")
		}
		mux.Handle(path, named("method_not_allowed", methodNotAllowed(allowed)))
	}
	mux.Handle("/", named("web", http.HandlerFunc(s.handleFallback)))
	return mux
}

// named records the matched route pattern for logs, metrics and the span.
func named(pattern string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoFrom(r.Context()).route = pattern
		trace.SpanFromContext(r.Context()).SetName(pattern)
		next.ServeHTTP(w, r)
	})
}

func methodNotAllowed(allowed []string) http.Handler {
	allow := strings.Join(allowed, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeProblem(w, r, http.StatusMethodNotAllowed, apperr.Invalid, r.Method+" is not allowed here; use "+allow, nil)
	})
}

// handleFallback answers unknown API paths with a problem and hands every
// other path to the web app, which routes on the client.
func (s *Server) handleFallback(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/api" {
		writeProblem(w, r, http.StatusNotFound, apperr.NotFound, "there is no API endpoint at "+r.URL.Path+"; see /api/openapi.yaml", nil)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeProblem(w, r, http.StatusMethodNotAllowed, apperr.Invalid, "only GET and HEAD are allowed here", nil)
		return
	}
	if s.opts.Web != nil {
		s.opts.Web.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(placeholderPage))
}

const placeholderPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pathavana</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>Pathavana</h1><p>The Pathavana API is running. The web app is not built into this binary.</p>
<p>API contract: <a href="/api/openapi.yaml">/api/openapi.yaml</a> · health: <a href="/readyz">/readyz</a></p></body></html>`

package httpapi

import (
	"context"
	"net/http"
	"strings"

	"pathavana/internal/apperr"
	"pathavana/internal/service"
)

type principalKey struct{}

// principal returns the authenticated caller; routes that require auth
// always have one.
func principal(r *http.Request) service.Principal {
	p, _ := r.Context().Value(principalKey{}).(service.Principal)
	return p
}

// requireAuth admits requests with a valid bearer access token.
func (s *Server) requireAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			s.writeError(w, r, apperr.New(apperr.Unauthenticated, "sign in first: send an Authorization: Bearer <access token> header"))
			return
		}
		p, err := s.svc.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		infoFrom(r.Context()).userID = p.UserID
		ctx := context.WithValue(r.Context(), principalKey{}, p)
		next.ServeHTTP(w, r.WithContext(withUser(ctx, p.UserID)))
	})
}

// requireAdmin admits only admins. Admin endpoints are not secret, so a
// non-admin gets an honest 403.
func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return s.requireAuth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !principal(r).IsAdmin() {
			s.writeError(w, r, apperr.New(apperr.Forbidden, "this action needs the admin role"))
			return
		}
		next.ServeHTTP(w, r)
	}))
}

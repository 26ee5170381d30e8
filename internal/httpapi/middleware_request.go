package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"

	"pathavana/internal/service"
	"pathavana/internal/telemetry"
)

// reqInfo is filled in by inner layers (the matched route, the caller) and
// read by the outer access log, which cannot see the mux's request copy.
type reqInfo struct {
	route  string
	userID string
}

type reqInfoKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// withRequestID gives every request an ID, reusing a well-formed one from
// the client or proxy so logs can be joined across hops.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID.MatchString(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		ctx := telemetry.WithRequestID(r.Context(), id)
		ctx = context.WithValue(ctx, reqInfoKey{}, &reqInfo{route: "unmatched"})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func requestIDFrom(ctx context.Context) string { return telemetry.RequestID(ctx) }

func withUser(ctx context.Context, userID string) context.Context {
	return telemetry.WithUserID(ctx, userID)
}

// withClientInfo tells the service where the request comes from.
func (s *Server) withClientInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := service.WithClient(r.Context(), service.ClientInfo{IP: s.clientIP(r).String(), UserAgent: r.UserAgent()})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

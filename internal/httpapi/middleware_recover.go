package httpapi

import (
	"fmt"
	"net/http"
	"runtime/debug"

	"pathavana/internal/apperr"
)

// withRecover turns a panic into a 500 problem, logged once with its stack,
// so one bad request never takes the process down or leaks a stack trace.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.ErrorContext(r.Context(), "panic serving request", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			writeProblem(w, r, http.StatusInternalServerError, apperr.Internal, "something went wrong on our side; try again later", nil)
		}()
		next.ServeHTTP(w, r)
	})
}

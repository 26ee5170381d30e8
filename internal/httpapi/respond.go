package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"pathavana/internal/apperr"
)

// problem is an RFC 9457 problem details document.
type problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail"`
	Code      apperr.Code         `json:"code"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`
	Details   any                 `json:"details,omitempty"`
}

var statusOf = map[apperr.Code]int{
	apperr.Invalid:         http.StatusBadRequest,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Conflict:        http.StatusConflict,
	apperr.Precondition:    http.StatusPreconditionFailed,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
	apperr.RateLimited:     http.StatusTooManyRequests,
	apperr.Unavailable:     http.StatusServiceUnavailable,
	apperr.Internal:        http.StatusInternalServerError,
}

// writeJSON writes v with status; encoding errors can only be logged.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError maps err to a problem response. Internal errors are logged
// once here, with the request ID, and their cause never reaches the client.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apperr.As(err)
	if !ok {
		e = &apperr.Error{Code: apperr.Internal, Message: "something went wrong on our side; try again later", Err: err}
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if e.Code == apperr.Invalid && len(e.Fields) > 0 {
		status = http.StatusUnprocessableEntity
	}
	msg := e.Message
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "status", status, "code", e.Code, "err", err)
		if e.Code == apperr.Internal {
			msg = "something went wrong on our side; try again later"
		}
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+999e6)/1e9)))
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pathavana"`)
	}
	writeProblemDoc(w, r, status, e.Code, msg, e.Fields, e.Details)
}

func writeProblem(w http.ResponseWriter, r *http.Request, status int, code apperr.Code, detail string, fields []apperr.FieldError) {
	writeProblemDoc(w, r, status, code, detail, fields, nil)
}

func writeProblemDoc(w http.ResponseWriter, r *http.Request, status int, code apperr.Code, detail string, fields []apperr.FieldError, details any) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(problem{
		Type:      "urn:pathavana:problem:" + string(code),
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    detail,
		Code:      code,
		Instance:  r.URL.Path,
		RequestID: requestIDFrom(r.Context()),
		Errors:    fields,
		Details:   details,
	})
}

// decodeJSON reads exactly one JSON object into dst, rejecting unknown
// fields, wrong types, trailing data and oversized bodies with messages that
// say what to fix.
func decodeJSON(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return apperr.New(apperr.Invalid, "Content-Type must be application/json")
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "the request body must hold a single JSON object and nothing after it")
	}
	return nil
}

func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.Invalid, "the request body is empty; send a JSON object")
	case errors.As(err, &tooBig):
		return apperr.New(apperr.TooLarge, "the request body is larger than %d bytes", tooBig.Limit)
	case errors.As(err, &syntax):
		return apperr.New(apperr.Invalid, "the request body is not valid JSON (error at byte %d)", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Invalid, "the request body is not valid JSON (it ends too early)")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return apperr.New(apperr.Invalid, "the request body must be a JSON object")
		}
		return apperr.Validation(apperr.FieldError{Field: typ.Field, Message: fmt.Sprintf("must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Validation(apperr.FieldError{Field: field, Message: "is not a known field"})
	default:
		// What is left are the value types' own parse errors (dates, money),
		// written to be shown.
		return apperr.Wrap(err, apperr.Invalid, "the request body has a bad value: %v", err)
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	default:
		return "a number"
	}
}

package amadeus

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"pathavana/internal/apperr"
)

// Amadeus gateway and booking error codes the client acts on.
const (
	CodeInvalidToken       = 38190
	CodeBadAuthHeader      = 38191
	CodeTokenExpired       = 38192
	CodeTooManyRequests    = 38194
	CodeQuotaExceeded      = 38195
	CodeNotFound           = 38196
	CodeForbidden          = 38197
	CodeInvalidClient      = 38187
	CodeInvalidDate        = 425
	CodeInvalidFormat      = 477
	CodeMandatoryMissing   = 32171
	CodeSegmentSellFailure = 34651
	CodePriceDiscrepancy   = 37200
)

// APIError is an error answer from Amadeus, in either of its two shapes:
// the errors[] array of the APIs, or the OAuth-shaped body of the token
// endpoint. Status is the HTTP status; the other fields come from the first
// error entry (Others holds the rest). It never contains credentials or
// tokens, so it is safe to log.
type APIError struct {
	Op        string // "GET /v2/shopping/flight-offers", for logs
	Status    int
	Code      int
	Title     string
	Detail    string
	Parameter string // source.parameter: which input Amadeus objected to
	// OAuthError is the OAuth error ("invalid_client") of a token error.
	OAuthError string
	Others     []APIError
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "amadeus: %s: HTTP %d", e.Op, e.Status)
	if e.Code != 0 {
		fmt.Fprintf(&b, " code %d", e.Code)
	}
	if e.OAuthError != "" {
		b.WriteString(" " + e.OAuthError)
	}
	if e.Title != "" {
		b.WriteString(" " + e.Title)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Parameter != "" {
		b.WriteString(" (parameter " + e.Parameter + ")")
	}
	return b.String()
}

// tokenRejected reports a 401 that a fresh token can cure (expired or
// revoked token), as opposed to a malformed header, which is our bug.
func (e *APIError) tokenRejected() bool {
	return e.Status == http.StatusUnauthorized && (e.Code == CodeTokenExpired || e.Code == CodeInvalidToken)
}

// throttled reports a 429 that waiting cures. The monthly quota (38195)
// renews only next month, so retrying it just burns more quota checks.
func (e *APIError) throttled() bool {
	return e.Status == http.StatusTooManyRequests && e.Code != CodeQuotaExceeded
}

// appErr translates to the application's error vocabulary. Credential
// problems are Unavailable, not Unauthenticated: they are our
// misconfiguration, and the user can do nothing about them.
func (e *APIError) appErr() *apperr.Error {
	what := e.Title
	if e.Detail != "" {
		what = strings.TrimPrefix(what+": "+e.Detail, ": ")
	}
	switch {
	case e.Code == CodeSegmentSellFailure || e.Code == CodePriceDiscrepancy:
		return apperr.Wrap(e, apperr.Conflict, "the offer is no longer available at this price: %s", what)
	case e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity:
		ae := apperr.Wrap(e, apperr.Invalid, "the travel provider rejected the request: %s", what)
		for _, x := range append([]APIError{*e}, e.Others...) {
			if x.Parameter != "" {
				ae.Fields = append(ae.Fields, apperr.FieldError{Field: x.Parameter, Message: strings.TrimPrefix(x.Title+": "+x.Detail, ": ")})
			}
		}
		return ae
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return apperr.Wrap(e, apperr.Unavailable, "the travel provider refused our credentials")
	case e.Status == http.StatusNotFound:
		return apperr.Wrap(e, apperr.NotFound, "the travel provider has no such resource")
	case e.Status == http.StatusConflict:
		return apperr.Wrap(e, apperr.Conflict, "the travel provider reported a conflict: %s", what)
	case e.Status == http.StatusTooManyRequests && e.Code == CodeQuotaExceeded:
		return apperr.Wrap(e, apperr.Unavailable, "the travel provider quota is exhausted")
	case e.Status == http.StatusTooManyRequests:
		ae := apperr.Wrap(e, apperr.RateLimited, "the travel provider is busy; try again shortly")
		ae.RetryAfter = time.Second
		return ae
	case e.Status >= 400 && e.Status < 500:
		return apperr.Wrap(e, apperr.Invalid, "the travel provider rejected the request: %s", what)
	}
	return apperr.Wrap(e, apperr.Unavailable, "the travel provider is unavailable")
}

// errorBody accepts both error shapes. flexInt fields take numbers or
// numeric strings, because gateway errors send "401" and "38191".
type errorBody struct {
	Errors []struct {
		Status flexInt `json:"status"`
		Code   flexInt `json:"code"`
		Title  string  `json:"title"`
		Detail string  `json:"detail"`
		Source struct {
			Parameter string `json:"parameter"`
		} `json:"source"`
	} `json:"errors"`
	// OAuth shape (token endpoint).
	Error       string  `json:"error"`
	Description string  `json:"error_description"`
	Code        flexInt `json:"code"`
	Title       string  `json:"title"`
}

// parseAPIError builds an APIError from a non-2xx answer. It never fails:
// an unreadable body (an HTML page from a proxy, truncated JSON) still gives
// an error with the HTTP status and a note that the body was unreadable.
func parseAPIError(op string, status int, body []byte) *APIError {
	e := &APIError{Op: op, Status: status}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		e.Title = http.StatusText(status)
		e.Detail = "unreadable error body"
		return e
	}
	if len(eb.Errors) == 0 {
		e.Code, e.OAuthError, e.Detail = int(eb.Code), eb.Error, eb.Description
		e.Title = eb.Title
		if e.Title == "" && e.OAuthError == "" {
			e.Title = http.StatusText(status)
		}
		return e
	}
	for i, x := range eb.Errors {
		item := APIError{Op: op, Status: status, Code: int(x.Code), Title: x.Title, Detail: x.Detail, Parameter: x.Source.Parameter}
		if i == 0 {
			*e = item
			continue
		}
		e.Others = append(e.Others, item)
	}
	return e
}

// ResponseError is a 2xx answer the client cannot use: wrong content type,
// malformed JSON, or fields that fail to parse (a price that is not a
// decimal, a duration that is not ISO 8601).
type ResponseError struct {
	Op     string
	Reason string
	Err    error
}

func (e *ResponseError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("amadeus: %s: unusable response: %s: %v", e.Op, e.Reason, e.Err)
	}
	return fmt.Sprintf("amadeus: %s: unusable response: %s", e.Op, e.Reason)
}

func (e *ResponseError) Unwrap() error { return e.Err }

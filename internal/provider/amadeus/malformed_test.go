package amadeus

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"pathavana/internal/apperr"
	"pathavana/internal/testkit/amadeusfake"
)

// tokenThen is a handler that issues a token and answers every API call
// with body, sent as application/vnd.amadeus+json.
func tokenThen(body string) http.HandlerFunc {
	return tokenThenWith("application/vnd.amadeus+json", http.StatusOK, body)
}

func tokenThenWith(contentType string, status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			io.WriteString(w, `{"token_type":"Bearer","access_token":"t","expires_in":"1799"}`)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func TestMalformedResponsesFromFake(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	for name, f := range map[string]amadeusfake.Faults{
		"truncated JSON": {Malformed: 1},
		"HTML":           {WrongContentType: 1},
	} {
		e.fake.SetFaults(f)
		err := e.search(t)
		var re *ResponseError
		if apperr.CodeOf(err) != apperr.Unavailable || !errors.As(err, &re) {
			t.Fatalf("%s: %v, want unavailable with a ResponseError", name, err)
		}
		if !strings.Contains(err.Error(), "GET /v2/shopping/flight-offers") {
			t.Fatalf("%s: error does not say which call failed: %v", name, err)
		}
	}
}

func TestContentTypes(t *testing.T) {
	ok := `{"data":[],"dictionaries":{}}`
	for _, ct := range []string{"application/vnd.amadeus+json", "application/json", "application/json; charset=utf-8",
		"application/vnd.amadeus+json;charset=UTF-8", "Application/JSON"} {
		c := rawClient(t, tokenThenWith(ct, http.StatusOK, ok))
		if _, err := c.SearchFlightOffers(context.Background(), sydMnl()); err != nil {
			t.Errorf("content type %q refused: %v", ct, err)
		}
	}
	for _, ct := range []string{"text/html", "", "application/xml", "application/jsonp"} {
		c := rawClient(t, tokenThenWith(ct, http.StatusOK, ok))
		if _, err := c.SearchFlightOffers(context.Background(), sydMnl()); apperr.CodeOf(err) != apperr.Unavailable {
			t.Errorf("content type %q accepted: %v", ct, err)
		}
	}
}

func TestBadFieldsAreClearErrors(t *testing.T) {
	cases := map[string]string{
		"float price":   `{"data":[{"id":"1","price":{"currency":"EUR","total":"1,234.00"}}]}`,
		"bad duration":  `{"data":[{"id":"1","itineraries":[{"duration":"14h15m"}],"price":{"currency":"EUR","total":"1.00"}}]}`,
		"bad at":        `{"data":[{"id":"1","itineraries":[{"segments":[{"departure":{"at":"2021-11-01T11:35:00Z"}}]}]}]}`,
		"data object":   `{"data":{"id":"1"}}`,
		"not json":      `<html>`,
		"empty body":    ``,
		"number amount": `{"data":[{"id":"1","price":{"currency":"EUR","total":355.34}}]}`,
	}
	for name, body := range cases {
		c := rawClient(t, tokenThen(body))
		_, err := c.SearchFlightOffers(context.Background(), sydMnl())
		var re *ResponseError
		if apperr.CodeOf(err) != apperr.Unavailable || !errors.As(err, &re) {
			t.Errorf("%s: %v, want unavailable ResponseError", name, err)
		}
	}
}

func TestUnreadableErrorBodies(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   apperr.Code
	}{
		{502, `<html>Bad gateway</html>`, apperr.Unavailable},
		{400, `{"errors":"nope"}`, apperr.Invalid},
		{404, ``, apperr.NotFound},
		{403, `{"errors":[{"status":"403","code":"38197","title":"Forbidden"}]}`, apperr.Unavailable},
	} {
		c := rawClient(t, tokenThenWith("text/html", tc.status, tc.body), func(c *Config) { c.MaxRetries = -1 })
		_, err := c.SearchFlightOffers(context.Background(), sydMnl())
		var ae *APIError
		if apperr.CodeOf(err) != tc.want || !errors.As(err, &ae) || ae.Status != tc.status {
			t.Errorf("HTTP %d %q: %v, want %s", tc.status, tc.body, err, tc.want)
		}
	}
}

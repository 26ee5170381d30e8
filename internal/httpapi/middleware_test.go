package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"pathavana/internal/apperr"
	"pathavana/internal/config"
)

func TestRecoverReturnsProblemAndLogsOnce(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewJSONHandler(&logs, nil))}
	h := withRequestID(s.withRecover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom: secret internals")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/me", nil))
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("got %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if strings.Contains(rec.Body.String(), "secret internals") {
		t.Fatal("panic value leaked to the client")
	}
	if n := strings.Count(logs.String(), "panic serving request"); n != 1 {
		t.Fatalf("panic logged %d times, want once", n)
	}
	// But the panic's own context is in the log, to debug it.
	if !strings.Contains(logs.String(), "secret internals") {
		t.Fatal("panic value missing from the log")
	}
}

func TestClientIPWalksTrustedProxies(t *testing.T) {
	s := &Server{cfg: config.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	cases := []struct{ remote, xff, want string }{
		{"198.51.100.7:5000", "203.0.113.9", "198.51.100.7"},               // untrusted peer: header ignored
		{"10.1.2.3:5000", "203.0.113.9", "203.0.113.9"},                    // one trusted hop
		{"10.1.2.3:5000", "6.6.6.6, 203.0.113.9, 10.9.9.9", "203.0.113.9"}, // spoofed left entries ignored
		{"10.1.2.3:5000", "garbage", "10.1.2.3"},
		{"[::ffff:10.1.2.3]:1", "", "10.1.2.3"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientIP(r).String(); got != c.want {
			t.Errorf("remote %s xff %q: got %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

type loginLike struct {
	Email    string   `json:"email"`
	Password string   `json:"password"`
	Tags     []string `json:"tags"`
	Count    *int     `json:"count"`
}

// FuzzDecodeJSON: no input panics the decoder, and every rejection is an
// apperr with a client-safe code.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{`{"email":"a@b.co","password":"x"}`, `{`, `[]`, `{"tags":[1]}`, `{"count":"x"}`,
		`{"unknown":1}`, `{} {}`, `null`, "\xff\xfe", `{"email":"\u0000"}`, strings.Repeat(`[`, 10000)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		r.Body = http.MaxBytesReader(rec, r.Body, 1<<16)
		var dst loginLike
		err := decodeJSON(r, &dst)
		if err == nil {
			if !json.Valid([]byte(body)) {
				t.Fatalf("accepted invalid JSON %q", body)
			}
			return
		}
		e, ok := apperr.As(err)
		if !ok || (e.Code != apperr.Invalid && e.Code != apperr.TooLarge) || e.Message == "" {
			t.Fatalf("rejection %v is not a clear client error", err)
		}
	})
}

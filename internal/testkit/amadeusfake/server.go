// Package amadeusfake is an in-process Amadeus Self-Service server for
// tests. It follows ../shared/reference/external-apis.md §1 closely enough
// that a real client runs against it unmodified: OAuth2 client-credentials
// tokens that expire, gateway 401/429 errors in both the numeric and the
// string-typed shape, the flight search → price → order chain with stable
// IDs and percent-escaped order IDs, hotels, activities, and paginated
// locations. Its inventory is tiny and hard-coded: it is a protocol fake,
// not a travel catalog.
//
// It listens on loopback only, needs no network, records every request for
// assertions, and misbehaves on request (Faults) so tests can prove the
// client copes.
package amadeusfake

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	ClientID, ClientSecret string // default "fake-client-id" / "fake-client-secret"
	// TokenTTL is the expires_in of issued tokens (default 1799s, as
	// Amadeus); set it short to test refresh.
	TokenTTL time.Duration
	// TPS is the per-client limit of API requests per second, answered with
	// 429/38194 beyond it. 0 means 10 (the Amadeus test environment);
	// negative disables the limit. It is measured on the wall clock even
	// when Now is fake, because clients back off in real time.
	TPS int
	// Now is the clock for token expiry and "date in the past" checks
	// (default time.Now).
	Now func() time.Time
}

// Faults make the server misbehave. Counters ("the next N") count down as
// requests consume them. The zero value is a well-behaved server.
type Faults struct {
	ServerErrors      int           // next N API requests: 500, code 141
	RateLimited       int           // next N API requests: 429, code 38194
	Malformed         int           // next N API 2xx answers: truncated JSON
	WrongContentType  int           // next N API 2xx answers: text/html
	TokenServerErrors int           // next N token requests: 500
	Latency           time.Duration // delay before every API answer
	StringErrors      bool          // errors[] status and code as strings
	QuotaExceeded     bool          // every API request: 429, code 38195
}

// Request is one recorded request. Client secrets are never recorded; the
// bearer token is (fake tokens protect nothing), so tests can tell which
// token a request carried.
type Request struct {
	Method     string
	Path       string // decoded path
	RawPath    string // escaped path exactly as received
	RequestURI string
	Query      url.Values
	Header     http.Header // without Authorization
	Token      string      // bearer token, if any
	Form       url.Values  // token requests, without client_secret
	Body       []byte
}

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	srv  *httptest.Server
	opts Options

	mu        sync.Mutex
	faults    Faults
	requests  []Request
	tokens    map[string]issued // token → client and expiry
	tokenSeq  int
	window    map[string][]time.Time // client → API request times in the last second
	offers    map[string]bool        // compact JSON of offers issued by search
	priced    map[string]bool        // compact JSON of offers issued by pricing
	orders    map[string]order       // raw order ID → order
	orderSeq  int
	nextOrder string // ID for the next order, if set
}

type issued struct {
	clientID string
	expires  time.Time
}

// New starts a server and stops it when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.ClientID == "" {
		opts.ClientID = "fake-client-id"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "fake-client-secret"
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 1799 * time.Second
	}
	if opts.TPS == 0 {
		opts.TPS = 10
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, tokens: map[string]issued{}, window: map[string][]time.Time{},
		offers: map[string]bool{}, priced: map[string]bool{}, orders: map[string]order{}}
	s.srv = httptest.NewServer(s.handler()) // httptest listens on 127.0.0.1
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the base URL to give the client.
func (s *Server) URL() string { return s.srv.URL }

// ClientID and ClientSecret are the accepted credentials.
func (s *Server) ClientID() string     { return s.opts.ClientID }
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// SetFaults replaces the fault configuration.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// ExpireTokens makes every issued token expired, as if the server's clock
// had moved past them while the client still believes them valid.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.tokens {
		v.expires = time.Time{}
		s.tokens[k] = v
	}
}

// SetNextOrderID makes the next created order carry id (already escaped,
// as Amadeus sends it).
func (s *Server) SetNextOrderID(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextOrder = id
}

// Requests returns a copy of every request so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsTo returns the recorded requests whose decoded path has prefix.
func (s *Server) RequestsTo(prefix string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// TokenRequests counts requests to the token endpoint.
func (s *Server) TokenRequests() int { return len(s.RequestsTo(tokenPath)) }

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// record stores r (body restored for the handler) and returns its token.
func (s *Server) record(r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := Request{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), RequestURI: r.RequestURI,
		Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
	rec.Header.Del("Authorization")
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		rec.Token = tok
	}
	if r.URL.Path == tokenPath {
		if form, err := url.ParseQuery(string(body)); err == nil {
			form.Del("client_secret")
			rec.Form = form
			rec.Body = nil // it holds the secret
		}
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
}

// take decrements *n if positive and reports whether it was.
func take(n *int) bool {
	if *n > 0 {
		*n--
		return true
	}
	return false
}

// handler chains recording, the token endpoint, authentication, faults and
// rate limits in front of the API routes.
func (s *Server) handler() http.Handler {
	api := s.routes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		if r.URL.Path == tokenPath {
			s.handleToken(w, r)
			return
		}
		client, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		s.mu.Lock()
		f := &s.faults
		quota, limited, broken := f.QuotaExceeded, take(&f.RateLimited), take(&f.ServerErrors)
		latency := f.Latency
		s.mu.Unlock()
		switch {
		case quota:
			s.apiError(w, http.StatusTooManyRequests, 38195, "Too many requests", "The monthly quota has been exceeded", "")
			return
		case limited || !s.allowTPS(client):
			s.apiError(w, http.StatusTooManyRequests, 38194, "Too many requests", "The network rate limit is exceeded, please try again later", "")
			return
		case broken:
			s.apiError(w, http.StatusInternalServerError, 141, "SYSTEM ERROR HAS OCCURRED", "", "")
			return
		}
		if latency > 0 {
			t := time.NewTimer(latency)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			}
		}
		api.ServeHTTP(w, r)
	})
}

// allowTPS applies the per-client requests-per-second limit.
func (s *Server) allowTPS(client string) bool {
	if s.opts.TPS < 0 {
		return true
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	recent := s.window[client][:0]
	for _, t := range s.window[client] {
		if now.Sub(t) < time.Second {
			recent = append(recent, t)
		}
	}
	if len(recent) >= s.opts.TPS {
		s.window[client] = recent
		return false
	}
	s.window[client] = append(recent, now)
	return true
}

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2/shopping/flight-offers", s.handleSearchGet)
	mux.HandleFunc("POST /v2/shopping/flight-offers", s.handleSearchPost)
	mux.HandleFunc("POST /v1/shopping/flight-offers/pricing", s.handlePricing)
	mux.HandleFunc("POST /v1/booking/flight-orders", s.handleCreateOrder)
	mux.HandleFunc("GET /v1/booking/flight-orders/{id}", s.handleGetOrder)
	mux.HandleFunc("DELETE /v1/booking/flight-orders/{id}", s.handleDeleteOrder)
	mux.HandleFunc("GET /v1/reference-data/locations/hotels/by-city", s.handleHotelsByCity)
	mux.HandleFunc("GET /v3/shopping/hotel-offers", s.handleHotelOffers)
	mux.HandleFunc("GET /v1/shopping/activities", s.handleActivities)
	mux.HandleFunc("GET /v1/reference-data/locations", s.handleLocations)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, http.StatusNotFound, 38196, "Resource not found", "The targeted resource doesn't exist", "")
	})
	return mux
}

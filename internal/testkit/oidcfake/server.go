// Package oidcfake is an in-process OpenID Connect provider for tests. It
// follows OpenID Connect Core/Discovery, RFC 6749 and RFC 7636 (PKCE) closely
// enough that a real relying party (go-oidc + x/oauth2) runs against it
// unmodified, and it can misbehave on request so tests can prove the relying
// party notices. It listens on loopback only and needs no network.
package oidcfake

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// User is the account the fake "signs in" on every authorization request.
type User struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// Faults make the provider misbehave in the ways a relying party must
// detect. The zero value is a well-behaved provider.
type Faults struct {
	ForeignKey              bool // sign ID tokens with a key not in the JWKS (same kid)
	WrongAudience           bool // aud is another client
	WrongNonce              bool // nonce differs from the one in the request
	Expired                 bool // exp (and iat) in the past
	WrongIssuer             bool // ID token iss differs from the discovery issuer
	DiscoveryIssuerMismatch bool // discovery document advertises another issuer
	DiscoveryDown           bool // discovery answers 503
}

// Request is one recorded request. Client secrets are never recorded;
// ClientAuth names the authentication method used at /token.
type Request struct {
	Method     string
	Path       string
	Form       url.Values
	ClientAuth string // "client_secret_basic", "client_secret_post" or ""
}

// Server is the fake provider. All methods are safe for concurrent use.
type Server struct {
	srv                    *httptest.Server
	clientID, clientSecret string
	key                    *rsa.PrivateKey
	kid                    string

	mu        sync.Mutex
	foreign   *rsa.PrivateKey // generated on first use of Faults.ForeignKey
	redirects map[string]bool
	methods   []string // token endpoint client authentication methods
	user      User
	faults    Faults
	grants    map[string]*grant
	requests  []Request
}

// grant is what an authorization code stands for.
type grant struct {
	redirectURI, challenge, nonce string
	user                          User
	expires                       time.Time
}

// New starts a provider for one registered client and stops it when the
// test ends. Register the client's redirect URI with AllowRedirectURI.
func New(t testing.TB, clientID, clientSecret string) *Server {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("oidcfake: generate key: %v", err)
	}
	s := &Server{
		clientID: clientID, clientSecret: clientSecret, key: key, kid: randomString(8),
		redirects: map[string]bool{}, grants: map[string]*grant{},
		methods: []string{"client_secret_basic", "client_secret_post"},
		user:    User{Subject: "fake-user-1", Email: "traveler@example.com", EmailVerified: true, Name: "Test Traveler"},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", s.handleDiscovery)
	mux.HandleFunc("GET /jwks", s.handleJWKS)
	mux.HandleFunc("/authorize", s.handleAuthorize)
	mux.HandleFunc("/token", s.handleToken)
	s.srv = httptest.NewServer(s.record(mux))
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the issuer URL (scheme, loopback host and port; no trailing slash).
func (s *Server) URL() string { return s.srv.URL }

// AllowRedirectURI registers a redirect URI for the client. /authorize
// refuses any other, as a real provider does, to stop codes leaking.
func (s *Server) AllowRedirectURI(uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redirects[uri] = true
}

// SetUser chooses who the next authorizations sign in as.
func (s *Server) SetUser(sub, email string, verified bool, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user = User{Subject: sub, Email: email, EmailVerified: verified, Name: name}
}

// SetAuthMethods restricts (and advertises in discovery) the client
// authentication methods /token accepts: "client_secret_basic" and/or
// "client_secret_post". Both are accepted by default.
func (s *Server) SetAuthMethods(methods ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.methods = slices.Clone(methods)
}

// SetFaults replaces the active faults; SetFaults(Faults{}) heals.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Requests returns a copy of every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r
		out[i].Form = cloneValues(r.Form)
	}
	return out
}

// record logs each request (minus secrets) before handling it.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		_ = r.ParseForm()
		form := cloneValues(r.Form)
		form.Del("client_secret")
		auth := ""
		if _, _, ok := r.BasicAuth(); ok {
			auth = "client_secret_basic"
		} else if r.PostForm.Has("client_secret") {
			auth = "client_secret_post"
		}
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Form: form, ClientAuth: auth})
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) handleDiscovery(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	f, methods := s.faults, slices.Clone(s.methods)
	s.mu.Unlock()
	if f.DiscoveryDown {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	issuer := s.URL()
	if f.DiscoveryIssuerMismatch {
		issuer += "/other-tenant"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                issuer,
		"authorization_endpoint":                s.URL() + "/authorize",
		"token_endpoint":                        s.URL() + "/token",
		"jwks_uri":                              s.URL() + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "email", "profile"},
		"token_endpoint_auth_methods_supported": methods,
		"code_challenge_methods_supported":      []string{"S256"},
		"grant_types_supported":                 []string{"authorization_code"},
		"claims_supported": []string{"iss", "aud", "sub", "email", "email_verified", "name",
			"nonce", "iat", "exp", "azp", "at_hash"},
	})
}

func (s *Server) handleJWKS(w http.ResponseWriter, _ *http.Request) {
	pub := s.key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": s.kid,
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b64(b)
}

package oidcfake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// pkceVerifier is the RFC 7636 §4.1 grammar; challenges (S256) are always
// 43 base64url characters.
var (
	pkceVerifier  = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)
	pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
)

// handleAuthorize implements the authorization endpoint for response_type
// code. It "auto-approves" as the configured user. Errors about the client
// or redirect URI are shown, never redirected (RFC 6749 §4.1.2.1).
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.Form
	redirectURI := q.Get("redirect_uri")
	s.mu.Lock()
	allowed := s.redirects[redirectURI]
	user := s.user
	s.mu.Unlock()
	if q.Get("client_id") != s.clientID {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	if !allowed {
		http.Error(w, "redirect_uri is not registered for this client", http.StatusBadRequest)
		return
	}
	fail := func(code, desc string) {
		redirectWith(w, r, redirectURI, url.Values{"error": {code}, "error_description": {desc}, "state": {q.Get("state")}})
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only the authorization code flow is supported")
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		fail("invalid_scope", "scope must include openid")
	case q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "code_challenge_method must be S256")
	case !pkceChallenge.MatchString(q.Get("code_challenge")):
		fail("invalid_request", "code_challenge is missing or malformed")
	default:
		code := randomString(32)
		s.mu.Lock()
		s.grants[code] = &grant{redirectURI: redirectURI, challenge: q.Get("code_challenge"),
			nonce: q.Get("nonce"), user: user, expires: time.Now().Add(time.Minute)}
		s.mu.Unlock()
		redirectWith(w, r, redirectURI, url.Values{"code": {code}, "state": {q.Get("state")}})
	}
}

func redirectWith(w http.ResponseWriter, r *http.Request, base string, params url.Values) {
	u, _ := url.Parse(base) // registered URIs are trusted test input
	q := u.Query()
	for k, v := range params {
		if v[0] != "" {
			q[k] = v
		}
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// handleToken implements the token endpoint for the authorization_code
// grant: client authentication, single-use codes, redirect URI binding and
// PKCE verification, then an RS256 ID token.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if status, code := s.authenticateClient(r); code != "" {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="oidcfake"`)
		}
		tokenError(w, status, code)
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "authorization_code" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	s.mu.Lock()
	g := s.grants[f.Get("code")]
	delete(s.grants, f.Get("code")) // single use, even when the rest fails
	s.mu.Unlock()
	verifier := f.Get("code_verifier")
	sum := sha256.Sum256([]byte(verifier))
	switch {
	case g == nil, time.Now().After(g.expires), f.Get("redirect_uri") != g.redirectURI:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case !pkceVerifier.MatchString(verifier),
		subtle.ConstantTimeCompare([]byte(b64(sum[:])), []byte(g.challenge)) != 1:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	accessToken := randomString(32)
	idToken, err := s.idToken(g, accessToken)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error")
		return
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{"access_token": accessToken, "token_type": "Bearer",
		"expires_in": 3600, "id_token": idToken, "scope": "openid email profile"})
}

// authenticateClient accepts exactly one of client_secret_basic (whose
// credentials are form-encoded before base64, RFC 6749 §2.3.1) and
// client_secret_post. It returns an OAuth error code on failure.
func (s *Server) authenticateClient(r *http.Request) (int, string) {
	id, secret, basic := r.BasicAuth()
	_, postSecret := r.PostForm["client_secret"]
	switch {
	case basic && postSecret:
		return http.StatusBadRequest, "invalid_request" // two methods at once
	case basic:
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return http.StatusUnauthorized, "invalid_client"
		}
		if formID := r.PostForm.Get("client_id"); formID != "" && formID != id {
			return http.StatusBadRequest, "invalid_request"
		}
	case postSecret:
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	default:
		return http.StatusUnauthorized, "invalid_client"
	}
	method := "client_secret_post"
	if basic {
		method = "client_secret_basic"
	}
	s.mu.Lock()
	allowed := slices.Contains(s.methods, method)
	s.mu.Unlock()
	if !allowed {
		return http.StatusUnauthorized, "invalid_client"
	}
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.clientID))
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(s.clientSecret))
	if idOK&secretOK != 1 {
		return http.StatusUnauthorized, "invalid_client"
	}
	return 0, ""
}

func tokenError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}

// idToken signs the ID token for g, applying any active faults.
func (s *Server) idToken(g *grant, accessToken string) (string, error) {
	s.mu.Lock()
	f := s.faults
	key := s.key
	if f.ForeignKey {
		if s.foreign == nil {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				s.mu.Unlock()
				return "", err
			}
			s.foreign = k
		}
		key = s.foreign
	}
	s.mu.Unlock()

	now := time.Now()
	iss, aud, nonce := s.URL(), s.clientID, g.nonce
	if f.WrongIssuer {
		iss = "https://evil.example"
	}
	if f.WrongAudience {
		aud = "some-other-client"
	}
	if f.WrongNonce {
		nonce = "not-" + nonce
	}
	if f.Expired {
		now = now.Add(-2 * time.Hour)
	}
	atHash := sha256.Sum256([]byte(accessToken))
	claims := jwt.MapClaims{
		"iss": iss, "aud": aud, "azp": s.clientID, "sub": g.user.Subject,
		"email": g.user.Email, "email_verified": g.user.EmailVerified, "name": g.user.Name,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "auth_time": now.Unix(),
		"at_hash": b64(atHash[:16]),
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = s.kid
	return t.SignedString(key)
}

package amadeusfake

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

const tokenPath = "/v1/security/oauth2/token"

// handleToken implements POST /v1/security/oauth2/token. Its errors are
// OAuth-shaped ({"error":…,"code":38187}), unlike every other endpoint.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.apiError(w, http.StatusMethodNotAllowed, 38196, "Resource not found", "", "")
		return
	}
	s.mu.Lock()
	broken := take(&s.faults.TokenServerErrors)
	s.mu.Unlock()
	if broken {
		s.apiError(w, http.StatusInternalServerError, 38189, "Internal error", "An internal error occurred, please contact your administrator", "")
		return
	}
	ct := strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0])
	if ct != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Mandatory grant_type form parameter missing")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type",
			"Only client_credentials value is allowed for the body parameter grant_type")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if id != s.opts.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client credentials are invalid")
		return
	}
	s.mu.Lock()
	s.tokenSeq++
	tok := fmt.Sprintf("fake-token-%d", s.tokenSeq)
	s.tokens[tok] = issued{clientID: id, expires: s.opts.Now().Add(s.opts.TokenTTL)}
	s.mu.Unlock()
	b, _ := json.Marshal(map[string]any{
		"type": "amadeusOAuth2Token", "username": "fake@example.com", "application_name": "pathavana-test",
		"client_id": id, "token_type": "Bearer", "access_token": tok,
		"expires_in": int(s.opts.TokenTTL.Seconds()), "state": "approved", "scope": "",
	})
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	b, _ := json.Marshal(map[string]any{"error": code, "error_description": desc, "code": 38187, "title": "Invalid parameters"})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// authenticate checks the bearer token of an API request and returns the
// client it belongs to, or answers with the gateway's 401.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		s.apiError(w, http.StatusUnauthorized, 38191, "Invalid HTTP header", "Missing or invalid format for mandatory Authorization header", "")
		return "", false
	}
	s.mu.Lock()
	t, known := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case !known:
		s.apiError(w, http.StatusUnauthorized, 38190, "Invalid access token", "The access token provided in the Authorization header is invalid", "")
		return "", false
	case !s.opts.Now().Before(t.expires):
		s.apiError(w, http.StatusUnauthorized, 38192, "Access token expired", "The access token provided in the Authorization header is expired", "")
		return "", false
	}
	return t.clientID, true
}

package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/service"
)

const refreshCookie = "pathavana_refresh"

type credentialsRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type emailRequest struct {
	Email string `json:"email"`
}

type tokenRequest struct {
	Token string `json:"token"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

type resetRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

type codeRequest struct {
	Code string `json:"code"`
}

type sessionResponse struct {
	AccessToken      string       `json:"access_token"`
	TokenType        string       `json:"token_type"`
	ExpiresIn        int          `json:"expires_in"`
	ExpiresAt        time.Time    `json:"expires_at"`
	RefreshToken     string       `json:"refresh_token"`
	RefreshExpiresAt time.Time    `json:"refresh_expires_at"`
	User             userResponse `json:"user"`
}

type acceptedResponse struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	var req credentialsRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.svc.Register(r.Context(), req.Email, req.Password); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, acceptedResponse{Status: "verification_sent",
		Message: "Check your inbox: we sent a link to confirm your email address. Then sign in."})
}

func (s *Server) handleVerifyEmail(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.svc.VerifyEmail(r.Context(), req.Token); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleResendVerification(w http.ResponseWriter, r *http.Request) {
	var req emailRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.svc.ResendVerification(r.Context(), req.Email); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, acceptedResponse{Status: "verification_sent",
		Message: "If that address has an unverified account, a new link is on its way."})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req credentialsRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := s.svc.Login(r.Context(), req.Email, req.Password)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeSession(w, sess)
}

// handleRefresh takes the refresh token from the body (API clients) or from
// the HttpOnly cookie (the web app, which never sees it).
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var req refreshRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if req.RefreshToken == "" {
		if c, err := r.Cookie(refreshCookie); err == nil {
			req.RefreshToken = c.Value
		}
	}
	sess, err := s.svc.Refresh(r.Context(), req.RefreshToken)
	if err != nil {
		s.clearRefreshCookie(w)
		s.writeError(w, r, err)
		return
	}
	s.writeSession(w, sess)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Logout(r.Context(), principal(r)); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.clearRefreshCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleLogoutAll(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.LogoutEverywhere(r.Context(), principal(r).UserID); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.clearRefreshCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handlePasswordForgot(w http.ResponseWriter, r *http.Request) {
	var req emailRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.svc.RequestPasswordReset(r.Context(), req.Email); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, acceptedResponse{Status: "reset_sent",
		Message: "If that address has an account, a reset link is on its way. It works for one hour."})
}

func (s *Server) handlePasswordReset(w http.ResponseWriter, r *http.Request) {
	var req resetRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.svc.ResetPassword(r.Context(), req.Token, req.Password); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type passwordChangeRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request) {
	var req passwordChangeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := s.svc.ChangePassword(r.Context(), principal(r), req.CurrentPassword, req.NewPassword)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeSession(w, sess)
}

type providersResponse struct {
	Password bool `json:"password"`
	Google   bool `json:"google"`
}

func (s *Server) handleAuthProviders(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, providersResponse{Password: true, Google: s.svc.GoogleEnabled()})
}

// oidcCookie binds a Google sign-in to the browser that started it: first
// to the state (checked at the callback), then to the one-time login code
// (checked at the exchange). Without it anyone could finish a flow they
// started, or hand out a login code they obtained, in someone else's
// browser and sign that person into the attacker's account (login CSRF,
// RFC 6749 §10.12). SameSite=Lax, not Strict: the callback is a top-level
// navigation coming from the provider's site.
const (
	oidcCookie     = "pathavana_oidc"
	oidcCookiePath = "/api/v1/auth/oidc"
	oidcStateAge   = 10 * time.Minute // the service keeps the state as long
	oidcCodeAge    = 2 * time.Minute  // and the login code as long
)

func (s *Server) handleGoogleStart(w http.ResponseWriter, r *http.Request) {
	target, err := s.svc.GoogleStart(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := url.Parse(target)
	state := ""
	if err == nil {
		state = u.Query().Get("state")
	}
	if state == "" {
		s.writeError(w, r, apperr.New(apperr.Internal, "the sign-in request has no state"))
		return
	}
	s.setOIDCCookie(w, "state."+oidcBinding(state), oidcStateAge)
	http.Redirect(w, r, target, http.StatusFound)
}

// handleGoogleCallback finishes the provider redirect and sends the browser
// back to the web app with a one-time login code in the URL fragment, which
// never reaches server logs or Referer headers.
func (s *Server) handleGoogleCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		s.clearOIDCCookie(w)
		http.Redirect(w, r, s.cfg.PublicURL+"/sign-in#error="+url.QueryEscape(oauthErrorCode(e)), http.StatusFound)
		return
	}
	state := q.Get("state")
	if !s.oidcCookieMatches(r, "state."+oidcBinding(state)) {
		// The cookie stays: it may belong to a flow this browser really
		// started, which a forged callback must not be able to cancel.
		s.writeError(w, r, apperr.New(apperr.Unauthenticated,
			"this sign-in was not started in this browser, or it expired; start again"))
		return
	}
	code, err := s.svc.GoogleFinish(r.Context(), state, q.Get("code"))
	if err != nil {
		s.clearOIDCCookie(w)
		s.writeError(w, r, err)
		return
	}
	s.setOIDCCookie(w, "code."+oidcBinding(code), oidcCodeAge)
	http.Redirect(w, r, s.cfg.PublicURL+"/auth/callback#code="+url.QueryEscape(code), http.StatusFound)
}

func (s *Server) handleLoginCodeExchange(w http.ResponseWriter, r *http.Request) {
	var req codeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	// Checked before the code is used, so a code presented by the wrong
	// browser stays valid for the right one.
	if req.Code == "" || !s.oidcCookieMatches(r, "code."+oidcBinding(req.Code)) {
		s.writeError(w, r, apperr.New(apperr.Unauthenticated, "this login code is invalid or expired; sign in again"))
		return
	}
	sess, err := s.svc.ExchangeLoginCode(r.Context(), req.Code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.clearOIDCCookie(w)
	s.writeSession(w, sess)
}

// oidcBinding is what the cookie stores for a state or login code: a hash,
// so the cookie alone is worth nothing.
func oidcBinding(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (s *Server) oidcCookieMatches(r *http.Request, want string) bool {
	c, err := r.Cookie(oidcCookie)
	return err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(want)) == 1
}

func (s *Server) setOIDCCookie(w http.ResponseWriter, value string, age time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: value, Path: oidcCookiePath, MaxAge: int(age.Seconds()),
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearOIDCCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: oidcCookiePath, MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
}

// oauthErrorCode passes on an RFC 6749 error code from the provider's
// redirect and replaces anything else (the parameter is attacker-chosen
// text the web app would otherwise display) with a generic one.
func oauthErrorCode(e string) string {
	if len(e) > 64 {
		return "server_error"
	}
	for _, c := range e {
		if (c < 'a' || c > 'z') && c != '_' {
			return "server_error"
		}
	}
	return e
}

func (s *Server) writeSession(w http.ResponseWriter, sess service.Session) {
	http.SetCookie(w, &http.Cookie{Name: refreshCookie, Value: sess.RefreshToken, Path: "/api/v1/auth",
		Expires: sess.RefreshExpiresAt, HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteStrictMode})
	writeJSON(w, http.StatusOK, sessionResponse{
		AccessToken: sess.AccessToken, TokenType: "Bearer",
		ExpiresIn: int(s.svc.Settings.AccessTTL.Seconds()), ExpiresAt: sess.AccessExpiresAt,
		RefreshToken: sess.RefreshToken, RefreshExpiresAt: sess.RefreshExpiresAt,
		User: toUserResponse(sess.User),
	})
}

func (s *Server) clearRefreshCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: refreshCookie, Value: "", Path: "/api/v1/auth", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteStrictMode})
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.PublicURL, "https://") }

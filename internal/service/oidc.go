package service

import (
	"context"
	"encoding/json"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/secure"
	"pathavana/internal/store"
)

const (
	oidcStateTTL = 10 * time.Minute
	loginCodeTTL = 2 * time.Minute
)

type oidcPending struct {
	Verifier string `json:"v"`
	Nonce    string `json:"n"`
}

// GoogleEnabled reports whether Google sign-in is configured.
func (s *Service) GoogleEnabled() bool { return s.Google != nil }

// GoogleStart begins a sign-in with Google and returns the URL to send the
// browser to. The PKCE verifier and nonce stay server-side in the shared
// cache, keyed by the state, so any replica can finish the flow.
func (s *Service) GoogleStart(ctx context.Context) (string, error) {
	if s.Google == nil {
		return "", apperr.New(apperr.NotFound, "sign-in with Google is not configured on this server")
	}
	req, err := s.Google.Start(ctx)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Unavailable, "Google sign-in is unavailable right now")
	}
	b, _ := json.Marshal(oidcPending{Verifier: req.Verifier, Nonce: req.Nonce})
	if err := s.Cache.Cache.Set(ctx, "oidc:state:"+req.State, b, oidcStateTTL); err != nil {
		return "", err
	}
	return req.URL, nil
}

// GoogleFinish completes the flow from the provider's redirect and returns a
// short-lived one-time login code for the web app to exchange for a session
// (tokens never travel in a redirect URL).
func (s *Service) GoogleFinish(ctx context.Context, state, code string) (string, error) {
	if s.Google == nil {
		return "", apperr.New(apperr.NotFound, "sign-in with Google is not configured on this server")
	}
	raw, ok, err := s.Cache.Cache.Take(ctx, "oidc:state:"+state)
	if err != nil {
		return "", err
	}
	var p oidcPending
	if !ok || state == "" || json.Unmarshal(raw, &p) != nil {
		return "", apperr.New(apperr.Unauthenticated, "this sign-in attempt expired or was already used; start again")
	}
	id, err := s.Google.Finish(ctx, code, p.Verifier, p.Nonce)
	if err != nil {
		return "", err
	}
	u, err := s.userForIdentity(ctx, id.Issuer, id.Subject, id.Email, id.EmailVerified)
	if err != nil {
		return "", err
	}
	loginCode := secure.NewToken()
	if err := s.Cache.Cache.Set(ctx, "login:code:"+secure.HashToken(loginCode), []byte(u.ID), loginCodeTTL); err != nil {
		return "", err
	}
	s.Events.Event("oidc_login")
	return loginCode, nil
}

// ExchangeLoginCode trades a one-time login code for a session.
func (s *Service) ExchangeLoginCode(ctx context.Context, code string) (Session, error) {
	raw, ok, err := s.Cache.Cache.Take(ctx, "login:code:"+secure.HashToken(code))
	if err != nil {
		return Session{}, err
	}
	if !ok || code == "" {
		return Session{}, apperr.New(apperr.Unauthenticated, "this login code is invalid or expired; sign in again")
	}
	u, err := s.Store.GetUser(ctx, string(raw))
	if err != nil {
		return Session{}, err
	}
	s.auditBestEffort(ctx, Principal{UserID: u.ID, Role: u.Role}, AuditEvent{Action: model.AuditSignIn,
		TargetType: "user", TargetID: u.ID, Details: map[string]any{"method": "google"}})
	return s.openSession(ctx, u, "")
}

// userForIdentity finds or creates the account for a verified external
// identity. An existing password account with the same email is linked only
// when the provider vouches for the email; if that account never proved its
// email, its password is cleared and its sessions end, so whoever registered
// the address first cannot keep a way into the real owner's account.
func (s *Service) userForIdentity(ctx context.Context, issuer, subject, email string, verified bool) (model.User, error) {
	if ident, err := s.Store.GetIdentity(ctx, issuer, subject); err == nil {
		return s.Store.GetUser(ctx, ident.UserID)
	} else if !apperr.Is(err, apperr.NotFound) {
		return model.User{}, err
	}
	if !verified {
		return model.User{}, apperr.New(apperr.Unauthenticated, "your Google account's email address is not verified")
	}
	email, err := NormalizeEmail(email)
	if err != nil {
		return model.User{}, err
	}
	now := s.now()
	var u model.User
	takenOver := false
	err = s.Store.InTx(ctx, func(q *store.Queries) error {
		existing, err := q.GetUserByEmail(ctx, email)
		switch {
		case err == nil:
			u = existing
			if u.EmailVerifiedAt == nil {
				if err := q.SetPassword(ctx, u.ID, "", now); err != nil {
					return err
				}
				if err := q.RevokeUserRefreshTokens(ctx, u.ID, now); err != nil {
					return err
				}
				if err := q.SetEmailVerified(ctx, u.ID, now); err != nil {
					return err
				}
				u.PasswordHash, u.EmailVerifiedAt = "", &now
				takenOver = true
			}
		case apperr.Is(err, apperr.NotFound):
			u = model.User{ID: newID(), Email: email, Role: model.RoleUser, EmailVerifiedAt: &now,
				TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}
			if err := q.CreateUser(ctx, u); err != nil {
				return err
			}
			s.Events.Event("signup")
		default:
			return err
		}
		return q.CreateIdentity(ctx, model.Identity{UserID: u.ID, Issuer: issuer, Subject: subject, Email: email, CreatedAt: now})
	})
	if err == nil && takenOver {
		s.forgetUser(ctx, u.ID)
		err = s.Cache.Revocations.RevokeUserTokensBefore(ctx, u.ID, now, s.Settings.AccessTTL+time.Minute)
	}
	return u, err
}

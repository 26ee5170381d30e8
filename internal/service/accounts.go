package service

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"

	"pathavana/internal/apperr"
	pmail "pathavana/internal/mail"
	"pathavana/internal/model"
	"pathavana/internal/secure"
	"pathavana/internal/store"
)

// Session is what a successful sign-in hands the client.
type Session struct {
	AccessToken      string
	AccessExpiresAt  time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
	User             model.User
}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID    string
	Role      model.Role
	TokenID   string
	SessionID string
	ExpiresAt time.Time
}

// IsAdmin reports whether the caller holds the admin role.
func (p Principal) IsAdmin() bool { return p.Role == model.RoleAdmin }

var errBadCredentials = apperr.New(apperr.Unauthenticated, "the email or password is incorrect")

// NormalizeEmail trims and lower-cases an address and rejects anything that
// is not a bare addr-spec with a dotted domain.
func NormalizeEmail(raw string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(raw))
	invalid := apperr.Validation(apperr.FieldError{Field: "email", Message: "must be an email address like name@example.com"})
	if e == "" || len(e) > 254 {
		return "", invalid
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return "", invalid
	}
	local, domain, _ := strings.Cut(e, "@")
	if local == "" || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", invalid
	}
	return e, nil
}

// Register creates an account and mails a verification link. It answers the
// same way whether or not the email is taken, so sign-up cannot be used to
// discover who has an account; the owner of a taken address gets a notice.
func (s *Service) Register(ctx context.Context, email, password string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	if err := secure.CheckPassword(password, email); err != nil {
		return err
	}
	// Hash before looking anything up so both outcomes cost the same time.
	hash, err := secure.HashPassword(password, s.Settings.Argon2)
	if err != nil {
		return err
	}
	now := s.now()
	u := model.User{ID: newID(), Email: email, PasswordHash: hash, Role: model.RoleUser,
		TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}
	err = s.Store.InTx(ctx, func(q *store.Queries) error {
		if err := q.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := s.recordAudit(ctx, q, Principal{UserID: u.ID, Role: u.Role}, AuditEvent{Action: model.AuditSignUp,
			TargetType: "user", TargetID: u.ID, Details: map[string]any{"method": "password"}}); err != nil {
			return err
		}
		return s.mailLink(ctx, q, u.ID, model.PurposeVerifyEmail, email)
	})
	if apperr.Is(err, apperr.Conflict) {
		return s.Store.InTx(ctx, func(q *store.Queries) error {
			return enqueueMail(ctx, q, pmail.AlreadyRegistered(email, s.Settings.PublicURL+"/forgot-password"))
		})
	}
	if err == nil {
		s.Events.Event("signup")
	}
	return err
}

// mailLink replaces the user's links for purpose with a fresh single-use
// one and queues the email carrying it. Only the hash of the token is
// stored, so the link exists only in the email.
func (s *Service) mailLink(ctx context.Context, q *store.Queries, userID string, purpose model.TokenPurpose, email string) error {
	if err := q.DeleteOneTimeTokens(ctx, userID, purpose); err != nil {
		return err
	}
	ttl, path, msg := s.Settings.VerifyTokenTTL, "/verify-email", pmail.VerifyEmail
	if purpose == model.PurposeResetPassword {
		ttl, path, msg = s.Settings.ResetTokenTTL, "/reset-password", pmail.ResetPassword
	}
	tok := secure.NewToken()
	now := s.now()
	err := q.CreateOneTimeToken(ctx, model.OneTimeToken{Hash: secure.HashToken(tok), UserID: userID,
		Purpose: purpose, ExpiresAt: now.Add(ttl), CreatedAt: now})
	if err != nil {
		return err
	}
	return enqueueMail(ctx, q, msg(email, s.Settings.PublicURL+path+"?token="+tok))
}

// VerifyEmail consumes a verification token.
func (s *Service) VerifyEmail(ctx context.Context, token string) error {
	var userID string
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		t, err := q.ConsumeOneTimeToken(ctx, secure.HashToken(token), model.PurposeVerifyEmail, s.now())
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Invalid, "this verification link is invalid, used or expired; ask for a new one")
		}
		if err != nil {
			return err
		}
		if err := q.SetEmailVerified(ctx, t.UserID, s.now()); err != nil {
			return err
		}
		userID = t.UserID
		return nil
	})
	if err != nil {
		return err
	}
	s.forgetUser(ctx, userID)
	s.Events.Event("email_verified")
	return nil
}

// ResendVerification mails a new link to an unverified account. It reports
// success for unknown or verified addresses too, to reveal nothing.
func (s *Service) ResendVerification(ctx context.Context, email string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) || (err == nil && u.EmailVerifiedAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(q *store.Queries) error {
		return s.mailLink(ctx, q, u.ID, model.PurposeVerifyEmail, email)
	})
}

// Login checks a password and opens a session. Repeated failures lock the
// account for a growing time; unknown emails cost the same as known ones.
func (s *Service) Login(ctx context.Context, email, password string) (Session, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return Session{}, errBadCredentials
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) {
		secure.DummyVerify(password)
		s.Events.Event("login_failed")
		s.auditBestEffort(ctx, Principal{}, AuditEvent{Action: model.AuditSignInFailed, Outcome: model.AuditFailure,
			Details: map[string]any{"reason": "unknown_email"}})
		return Session{}, errBadCredentials
	}
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	if u.LockedUntil != nil && u.LockedUntil.After(now) {
		s.auditBestEffort(ctx, Principal{}, AuditEvent{Action: model.AuditSignInFailed, Outcome: model.AuditDenied,
			TargetType: "user", TargetID: u.ID, SubjectID: u.ID, Details: map[string]any{"reason": "locked"}})
		return Session{}, lockedError(u.LockedUntil.Sub(now))
	}
	ok, rehash := false, false
	if u.PasswordHash == "" {
		secure.DummyVerify(password)
	} else if ok, rehash, err = secure.VerifyPassword(u.PasswordHash, password); err != nil {
		return Session{}, err
	}
	if !ok {
		s.Events.Event("login_failed")
		s.auditBestEffort(ctx, Principal{}, AuditEvent{Action: model.AuditSignInFailed, Outcome: model.AuditFailure,
			TargetType: "user", TargetID: u.ID, SubjectID: u.ID, Details: map[string]any{"reason": "bad_password"}})
		return Session{}, s.recordFailure(ctx, u, now)
	}
	if u.FailedLogins > 0 {
		if err := s.Store.ResetLoginFailures(ctx, u.ID); err != nil {
			return Session{}, err
		}
	}
	if rehash {
		s.upgradeHash(ctx, u, password)
	}
	s.Events.Event("login")
	s.auditBestEffort(ctx, Principal{UserID: u.ID, Role: u.Role}, AuditEvent{Action: model.AuditSignIn,
		TargetType: "user", TargetID: u.ID, Details: map[string]any{"method": "password"}})
	return s.openSession(ctx, u, "")
}

func (s *Service) recordFailure(ctx context.Context, u model.User, now time.Time) error {
	_, lockedUntil, err := s.Store.RecordLoginFailure(ctx, u.ID, now, s.lockFor)
	if err != nil {
		return err
	}
	if lockedUntil == nil {
		return errBadCredentials
	}
	wait := lockedUntil.Sub(now)
	s.auditBestEffort(ctx, Principal{}, AuditEvent{Action: model.AuditAccountLocked, TargetType: "user", TargetID: u.ID,
		SubjectID: u.ID, Details: map[string]any{"seconds": int(wait.Seconds())}})
	err = s.Store.InTx(ctx, func(q *store.Queries) error {
		return enqueueMail(ctx, q, pmail.AccountLocked(u.Email, *lockedUntil))
	})
	if err != nil {
		s.Log.ErrorContext(ctx, "queue lockout notice", "user_id", u.ID, "err", err)
	}
	return lockedError(wait)
}

// lockFor is the lockout after the n-th consecutive failure: none below the
// threshold, then LockoutBase doubling per failure up to LockoutMax.
func (s *Service) lockFor(n int) time.Duration {
	st := s.Settings
	if n < st.LockoutAfter {
		return 0
	}
	d := st.LockoutBase
	for i := st.LockoutAfter; i < n && d < st.LockoutMax; i++ {
		d *= 2
	}
	return min(d, st.LockoutMax)
}

func lockedError(wait time.Duration) error {
	e := apperr.New(apperr.RateLimited, "too many failed sign-in attempts: the account is locked for %s; reset your password or try again later", wait.Round(time.Second))
	e.RetryAfter = wait
	return e
}

func (s *Service) upgradeHash(ctx context.Context, u model.User, password string) {
	hash, err := secure.HashPassword(password, s.Settings.Argon2)
	if err == nil {
		err = s.Store.SetPassword(ctx, u.ID, hash, u.TokensValidAfter)
	}
	if err != nil {
		s.Log.WarnContext(ctx, "upgrade password hash", "user_id", u.ID, "err", err)
	}
}

// openSession issues an access token and a refresh token. familyID joins
// the new refresh token to an existing rotation chain; "" starts one.
func (s *Service) openSession(ctx context.Context, u model.User, familyID string) (Session, error) {
	now := s.now()
	if familyID == "" {
		familyID = newID()
	}
	refresh := secure.NewToken()
	rt := model.RefreshToken{ID: newID(), FamilyID: familyID, UserID: u.ID, Hash: secure.HashToken(refresh),
		ExpiresAt: now.Add(s.Settings.RefreshTTL), CreatedAt: now, UserAgent: clientFrom(ctx).UserAgent}
	if err := s.Store.CreateRefreshToken(ctx, rt); err != nil {
		return Session{}, err
	}
	access, claims, err := s.Tokens.Issue(u.ID, u.Role, familyID, s.Settings.AccessTTL)
	if err != nil {
		return Session{}, err
	}
	return Session{AccessToken: access, AccessExpiresAt: claims.ExpiresAt,
		RefreshToken: refresh, RefreshExpiresAt: rt.ExpiresAt, User: u}, nil
}

var errBadRefresh = apperr.New(apperr.Unauthenticated, "the refresh token is invalid or expired; sign in again")

// Refresh rotates a refresh token. Presenting a token that was already
// rotated means a copy is in someone else's hands: the whole family is
// revoked, signing out both the thief and the owner.
func (s *Service) Refresh(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, errBadRefresh
	}
	rt, err := s.Store.GetRefreshTokenByHash(ctx, secure.HashToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, errBadRefresh
	}
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	if rt.RevokedAt != nil || !rt.ExpiresAt.After(now) {
		return Session{}, errBadRefresh
	}
	rotated := false
	if rt.RotatedAt == nil {
		if rotated, err = s.Store.MarkRefreshTokenRotated(ctx, rt.ID, now); err != nil {
			return Session{}, err
		}
	}
	if !rotated {
		s.Log.WarnContext(ctx, "refresh token reuse detected: revoking the session family", "user_id", rt.UserID, "family_id", rt.FamilyID)
		if err := s.Store.RevokeRefreshFamily(ctx, rt.FamilyID, now); err != nil {
			return Session{}, err
		}
		return Session{}, errBadRefresh
	}
	u, err := s.Store.GetUser(ctx, rt.UserID)
	if err != nil {
		return Session{}, errors.Join(errBadRefresh, err)
	}
	return s.openSession(ctx, u, rt.FamilyID)
}

// Logout ends the caller's session: its refresh tokens are revoked and its
// access tokens are denied until they would have expired.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	now := s.now()
	// The session ID comes from a verified token of this user.
	if err := s.Store.RevokeRefreshFamily(ctx, p.SessionID, now); err != nil {
		return err
	}
	if err := s.denySession(ctx, p.SessionID, now); err != nil {
		return err
	}
	s.Events.Event("logout")
	return nil
}

// Sessions lists the caller's signed-in devices.
func (s *Service) Sessions(ctx context.Context, p Principal) ([]model.Session, error) {
	return s.Store.ListSessions(ctx, p.UserID, s.now())
}

// EndSession signs out one of the caller's devices. Another user's session
// is NotFound, exactly like one that does not exist.
func (s *Service) EndSession(ctx context.Context, p Principal, sessionID string) error {
	now := s.now()
	if err := s.Store.RevokeSession(ctx, p.UserID, sessionID, now); err != nil {
		return err
	}
	return s.denySession(ctx, sessionID, now)
}

// denySession rejects the session's access tokens until the last one
// issued would have expired anyway.
func (s *Service) denySession(ctx context.Context, sessionID string, now time.Time) error {
	return s.Cache.Revocations.RevokeToken(ctx, sessionID, now.Add(s.Settings.AccessTTL))
}

// LogoutEverywhere ends every session of the user on every device.
func (s *Service) LogoutEverywhere(ctx context.Context, userID string) error {
	now := s.now()
	if err := s.Store.RevokeUserRefreshTokens(ctx, userID, now); err != nil {
		return err
	}
	if err := s.Store.SetTokensValidAfter(ctx, userID, now); err != nil {
		return err
	}
	if err := s.Cache.Revocations.RevokeUserTokensBefore(ctx, userID, now, s.Settings.AccessTTL+time.Minute); err != nil {
		return err
	}
	s.Events.Event("logout")
	s.auditBestEffort(ctx, Principal{UserID: userID}, AuditEvent{Action: model.AuditLogoutAll, TargetType: "user", TargetID: userID})
	return nil
}

// Authenticate turns a bearer access token into the request's principal.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	c, err := s.Tokens.Verify(token)
	if err != nil {
		return Principal{}, err
	}
	revoked, err := s.Cache.Revocations.TokenRevoked(ctx, c.SessionID)
	if err != nil {
		return Principal{}, apperr.Wrap(err, apperr.Unavailable, "cannot check the session right now; try again")
	}
	if revoked {
		return Principal{}, apperr.New(apperr.Unauthenticated, "this session has ended; sign in again")
	}
	cutoff, err := s.Cache.Revocations.UserTokensRevokedBefore(ctx, c.UserID)
	if err != nil {
		return Principal{}, apperr.Wrap(err, apperr.Unavailable, "cannot check the session right now; try again")
	}
	// Access tokens carry millisecond issue times: compare at that precision
	// so a session opened right after the cut-off is not caught by it.
	if !cutoff.IsZero() && c.IssuedAt.Before(cutoff.Truncate(time.Millisecond)) {
		return Principal{}, apperr.New(apperr.Unauthenticated, "this session has ended; sign in again")
	}
	return Principal{UserID: c.UserID, Role: c.Role, TokenID: c.TokenID, SessionID: c.SessionID, ExpiresAt: c.ExpiresAt}, nil
}

package service

import (
	"context"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/secure"
	"pathavana/internal/store"
)

// RequestPasswordReset mails a reset link when the account exists. It
// answers the same either way so it cannot be used to probe for accounts.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(q *store.Queries) error {
		return s.mailLink(ctx, q, u.ID, model.PurposeResetPassword, email)
	})
}

// ResetPassword sets a new password from a mailed token. The reset proves
// control of the mailbox, so it also verifies the email and lifts any
// lockout, and it ends every existing session.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	var userID string
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		t, err := q.ConsumeOneTimeToken(ctx, secure.HashToken(token), model.PurposeResetPassword, s.now())
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Invalid, "this reset link is invalid, used or expired; ask for a new one")
		}
		if err != nil {
			return err
		}
		u, err := q.GetUser(ctx, t.UserID)
		if err != nil {
			return err
		}
		if err := secure.CheckPassword(password, u.Email); err != nil {
			return err
		}
		hash, err := secure.HashPassword(password, s.Settings.Argon2)
		if err != nil {
			return err
		}
		now := s.now()
		userID = u.ID
		if err := q.SetPassword(ctx, u.ID, hash, now); err != nil {
			return err
		}
		if u.EmailVerifiedAt == nil {
			if err := q.SetEmailVerified(ctx, u.ID, now); err != nil {
				return err
			}
		}
		if err := q.ResetLoginFailures(ctx, u.ID); err != nil {
			return err
		}
		return q.RevokeUserRefreshTokens(ctx, u.ID, now)
	})
	if err != nil {
		return err
	}
	s.forgetUser(ctx, userID)
	s.Events.Event("password_reset")
	s.auditBestEffort(ctx, Principal{UserID: userID}, AuditEvent{Action: model.AuditPasswordReset, TargetType: "user", TargetID: userID})
	return s.Cache.Revocations.RevokeUserTokensBefore(ctx, userID, s.now(), s.Settings.AccessTTL+time.Minute)
}

// ChangePassword replaces the password of a signed-in user who proves they
// know the current one. Other sessions end; the caller gets a new one.
func (s *Service) ChangePassword(ctx context.Context, p Principal, current, next string) (Session, error) {
	u, err := s.Store.GetUser(ctx, p.UserID)
	if err != nil {
		return Session{}, err
	}
	if u.PasswordHash != "" {
		ok, _, err := secure.VerifyPassword(u.PasswordHash, current)
		if err != nil {
			return Session{}, err
		}
		if !ok {
			return Session{}, apperr.Validation(apperr.FieldError{Field: "current_password", Message: "is not your current password"})
		}
	}
	if err := secure.CheckPassword(next, u.Email); err != nil {
		return Session{}, err
	}
	hash, err := secure.HashPassword(next, s.Settings.Argon2)
	if err != nil {
		return Session{}, err
	}
	if err := s.Store.SetPassword(ctx, u.ID, hash, s.now()); err != nil {
		return Session{}, err
	}
	s.auditBestEffort(ctx, p, AuditEvent{Action: model.AuditPasswordChange, TargetType: "user", TargetID: u.ID})
	s.forgetUser(ctx, u.ID)
	if err := s.LogoutEverywhere(ctx, u.ID); err != nil {
		return Session{}, err
	}
	u.PasswordHash = hash
	return s.openSession(ctx, u, "")
}

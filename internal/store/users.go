package store

import (
	"context"
	"fmt"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

const userCols = `id, email, password_hash, role, email_verified_at, failed_logins,
	locked_until, tokens_valid_after, created_at, updated_at`

func scanUser(r rowScanner) (model.User, error) {
	var u model.User
	var role string
	var verified, locked, valid, created, updated timeCol
	err := r.Scan(&u.ID, &u.Email, &u.PasswordHash, &role, &verified, &u.FailedLogins,
		&locked, &valid, &created, &updated)
	u.Role = model.Role(role)
	u.EmailVerifiedAt, u.LockedUntil = verified.ptr(), locked.ptr()
	u.TokensValidAfter, u.CreatedAt, u.UpdatedAt = valid.t, created.t, updated.t
	return u, err
}

// CreateUser inserts an account together with its empty profile, so every
// user always has a profile to read and update. The email is stored as
// given (the service normalises it); a duplicate is a Conflict.
func (q *Queries) CreateUser(ctx context.Context, u model.User) error {
	if u.Role == "" {
		u.Role = model.RoleUser
	}
	return q.atomic(ctx, func(q *Queries) error {
		_, err := q.exec(ctx, `INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Email, u.PasswordHash, string(u.Role), u.EmailVerifiedAt, u.FailedLogins,
			u.LockedUntil, u.TokensValidAfter, u.CreatedAt, u.UpdatedAt)
		if isUniqueViolation(err) {
			return apperr.Wrap(err, apperr.Conflict, "an account with this email already exists")
		}
		if err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		_, err = q.exec(ctx, `INSERT INTO profiles (user_id, currency, language, preferences, updated_at)
			VALUES (?, 'USD', 'en', '{}', ?)`, u.ID, u.CreatedAt)
		if err != nil {
			return fmt.Errorf("store: create profile: %w", err)
		}
		return nil
	})
}

// GetUser returns the user with id, or NotFound.
func (q *Queries) GetUser(ctx context.Context, id string) (model.User, error) {
	u, err := scanUser(q.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return model.User{}, rowErr(err, "user")
	}
	return u, nil
}

// GetUserByEmail looks an email up exactly as given (callers normalise),
// returning NotFound when no account has it.
func (q *Queries) GetUserByEmail(ctx context.Context, email string) (model.User, error) {
	u, err := scanUser(q.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, email))
	if err != nil {
		return model.User{}, rowErr(err, "user")
	}
	return u, nil
}

// SetEmailVerified records when the user proved they own their address.
func (q *Queries) SetEmailVerified(ctx context.Context, id string, at time.Time) error {
	return q.execOne(ctx, notFound("user"),
		`UPDATE users SET email_verified_at = ?, updated_at = ? WHERE id = ?`, at, at, id)
}

// SetPassword replaces the password hash and moves tokens_valid_after, so
// sessions issued under the old password stop working in the same write.
func (q *Queries) SetPassword(ctx context.Context, id, hash string, tokensValidAfter time.Time) error {
	return q.execOne(ctx, notFound("user"),
		`UPDATE users SET password_hash = ?, tokens_valid_after = ?, updated_at = ? WHERE id = ?`,
		hash, tokensValidAfter, tokensValidAfter, id)
}

// RecordLoginFailure counts a failed sign-in and, when lockFor asks for it,
// locks the account. The increment happens in the database (never
// read-modify-write in Go) inside one transaction, so parallel guessing
// cannot lose counts. It returns the new count and the lock, if any.
func (q *Queries) RecordLoginFailure(ctx context.Context, id string, now time.Time,
	lockFor func(failures int) time.Duration) (failures int, lockedUntil *time.Time, err error) {
	err = q.atomic(ctx, func(q *Queries) error {
		row := q.queryRow(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?
			RETURNING failed_logins, locked_until`, id)
		var locked timeCol
		if err := row.Scan(&failures, &locked); err != nil {
			return rowErr(err, "user")
		}
		lockedUntil = locked.ptr()
		if lockFor == nil {
			return nil
		}
		if d := lockFor(failures); d > 0 {
			until := dbTime(now.Add(d))
			if _, err := q.exec(ctx, `UPDATE users SET locked_until = ? WHERE id = ?`, until, id); err != nil {
				return fmt.Errorf("store: lock user: %w", err)
			}
			lockedUntil = &until
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return failures, lockedUntil, nil
}

// ResetLoginFailures clears the failure count and any lock after a
// successful sign-in (or an admin unlock).
func (q *Queries) ResetLoginFailures(ctx context.Context, id string) error {
	return q.execOne(ctx, notFound("user"),
		`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`, id)
}

// SetTokensValidAfter revokes every access token issued before t ("log out
// everywhere").
func (q *Queries) SetTokensValidAfter(ctx context.Context, id string, t time.Time) error {
	return q.execOne(ctx, notFound("user"),
		`UPDATE users SET tokens_valid_after = ?, updated_at = ? WHERE id = ?`, t, t, id)
}

// SetRole grants or removes admin rights. The API passes no time, so
// updated_at is stamped from the Go clock (never the database's).
func (q *Queries) SetRole(ctx context.Context, id string, role model.Role) error {
	return q.execOne(ctx, notFound("user"),
		`UPDATE users SET role = ?, updated_at = ? WHERE id = ?`, string(role), time.Now(), id)
}

// CreateIdentity links a user to an OIDC subject; linking the same
// (issuer, subject) twice is a Conflict, an unknown user is NotFound.
func (q *Queries) CreateIdentity(ctx context.Context, i model.Identity) error {
	_, err := q.exec(ctx, `INSERT INTO identities (issuer, subject, user_id, email, created_at)
		VALUES (?, ?, ?, ?, ?)`, i.Issuer, i.Subject, i.UserID, i.Email, i.CreatedAt)
	switch {
	case isUniqueViolation(err):
		return apperr.Wrap(err, apperr.Conflict, "this sign-in identity is already linked to an account")
	case isForeignKeyViolation(err):
		return apperr.Wrap(err, apperr.NotFound, "user not found")
	case err != nil:
		return fmt.Errorf("store: create identity: %w", err)
	}
	return nil
}

// GetIdentity finds the link for an OIDC subject, or NotFound.
func (q *Queries) GetIdentity(ctx context.Context, issuer, subject string) (model.Identity, error) {
	var i model.Identity
	var created timeCol
	err := q.queryRow(ctx, `SELECT issuer, subject, user_id, email, created_at FROM identities
		WHERE issuer = ? AND subject = ?`, issuer, subject).
		Scan(&i.Issuer, &i.Subject, &i.UserID, &i.Email, &created)
	if err != nil {
		return model.Identity{}, rowErr(err, "identity")
	}
	i.CreatedAt = created.t
	return i, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

// CreateOneTimeToken stores the hash of a mailed token. A hash collision
// (practically impossible for SHA-256 of random bytes) is a Conflict; an
// unknown user is NotFound.
func (q *Queries) CreateOneTimeToken(ctx context.Context, t model.OneTimeToken) error {
	_, err := q.exec(ctx, `INSERT INTO one_time_tokens (hash, user_id, purpose, expires_at, used_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Hash, t.UserID, string(t.Purpose), t.ExpiresAt, t.UsedAt, t.CreatedAt)
	switch {
	case isUniqueViolation(err):
		return apperr.Wrap(err, apperr.Conflict, "token already exists")
	case isForeignKeyViolation(err):
		return apperr.Wrap(err, apperr.NotFound, "user not found")
	case err != nil:
		return fmt.Errorf("store: create one-time token: %w", err)
	}
	return nil
}

// ConsumeOneTimeToken marks a token used and returns it. The check and the
// write are one UPDATE, so of any number of concurrent consumers exactly one
// succeeds. Unknown, already used, wrong-purpose and expired tokens are all
// the same NotFound: telling them apart would only help an attacker.
func (q *Queries) ConsumeOneTimeToken(ctx context.Context, hash string, purpose model.TokenPurpose, now time.Time) (model.OneTimeToken, error) {
	var t model.OneTimeToken
	var p string
	var expires, used, created timeCol
	err := q.queryRow(ctx, `UPDATE one_time_tokens SET used_at = ?
		WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
		RETURNING hash, user_id, purpose, expires_at, used_at, created_at`,
		now, hash, string(purpose), now).
		Scan(&t.Hash, &t.UserID, &p, &expires, &used, &created)
	if err != nil {
		return model.OneTimeToken{}, rowErr(err, "token")
	}
	t.Purpose = model.TokenPurpose(p)
	t.ExpiresAt, t.UsedAt, t.CreatedAt = expires.t, used.ptr(), created.t
	return t, nil
}

// DeleteOneTimeTokens removes a user's tokens for one purpose, so issuing a
// new link (or changing the password) invalidates the older ones.
func (q *Queries) DeleteOneTimeTokens(ctx context.Context, userID string, purpose model.TokenPurpose) error {
	if _, err := q.exec(ctx, `DELETE FROM one_time_tokens WHERE user_id = ? AND purpose = ?`,
		userID, string(purpose)); err != nil {
		return fmt.Errorf("store: delete one-time tokens: %w", err)
	}
	return nil
}

const refreshCols = `id, family_id, user_id, hash, expires_at, rotated_at, revoked_at, created_at, user_agent`

// CreateRefreshToken stores one link of a rotation chain.
func (q *Queries) CreateRefreshToken(ctx context.Context, t model.RefreshToken) error {
	_, err := q.exec(ctx, `INSERT INTO refresh_tokens (`+refreshCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.FamilyID, t.UserID, t.Hash, t.ExpiresAt, t.RotatedAt, t.RevokedAt, t.CreatedAt, t.UserAgent)
	switch {
	case isUniqueViolation(err):
		return apperr.Wrap(err, apperr.Conflict, "refresh token already exists")
	case isForeignKeyViolation(err):
		return apperr.Wrap(err, apperr.NotFound, "user not found")
	case err != nil:
		return fmt.Errorf("store: create refresh token: %w", err)
	}
	return nil
}

// GetRefreshTokenByHash returns the token whatever its state (rotated,
// revoked, expired): the service needs to see a rotated token to detect
// reuse. NotFound when unknown.
func (q *Queries) GetRefreshTokenByHash(ctx context.Context, hash string) (model.RefreshToken, error) {
	var t model.RefreshToken
	var expires, rotated, revoked, created timeCol
	err := q.queryRow(ctx, `SELECT `+refreshCols+` FROM refresh_tokens WHERE hash = ?`, hash).
		Scan(&t.ID, &t.FamilyID, &t.UserID, &t.Hash, &expires, &rotated, &revoked, &created, &t.UserAgent)
	if err != nil {
		return model.RefreshToken{}, rowErr(err, "refresh token")
	}
	t.ExpiresAt, t.RotatedAt, t.RevokedAt, t.CreatedAt = expires.t, rotated.ptr(), revoked.ptr(), created.t
	return t, nil
}

// MarkRefreshTokenRotated is a compare-and-set: it reports true only for the
// one caller that moved the token from live to rotated. A false result means
// the token was already used or revoked, i.e. a replay the service answers
// by revoking the family. An unknown id is NotFound.
func (q *Queries) MarkRefreshTokenRotated(ctx context.Context, id string, now time.Time) (bool, error) {
	res, err := q.exec(ctx, `UPDATE refresh_tokens SET rotated_at = ?
		WHERE id = ? AND rotated_at IS NULL AND revoked_at IS NULL`, now, id)
	if err != nil {
		return false, fmt.Errorf("store: rotate refresh token: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: rotate refresh token: %w", err)
	}
	if n == 1 {
		return true, nil
	}
	var one int
	if err := q.queryRow(ctx, `SELECT 1 FROM refresh_tokens WHERE id = ?`, id).Scan(&one); err != nil {
		return false, rowErr(err, "refresh token")
	}
	return false, nil
}

// RevokeRefreshFamily revokes every live token of a rotation chain.
func (q *Queries) RevokeRefreshFamily(ctx context.Context, familyID string, now time.Time) error {
	if _, err := q.exec(ctx, `UPDATE refresh_tokens SET revoked_at = ?
		WHERE family_id = ? AND revoked_at IS NULL`, now, familyID); err != nil {
		return fmt.Errorf("store: revoke refresh family: %w", err)
	}
	return nil
}

// ListSessions returns the user's live sessions, most recently used first:
// families whose newest token is neither rotated, revoked nor expired.
func (q *Queries) ListSessions(ctx context.Context, userID string, now time.Time) ([]model.Session, error) {
	rows, err := q.query(ctx, `SELECT h.family_id, h.user_agent, h.created_at, h.expires_at,
		(SELECT MIN(f.created_at) FROM refresh_tokens f WHERE f.family_id = h.family_id)
		FROM refresh_tokens h
		WHERE h.user_id = ? AND h.rotated_at IS NULL AND h.revoked_at IS NULL AND h.expires_at > ?
		ORDER BY h.created_at DESC, h.family_id`, userID, now)
	if err != nil {
		return nil, fmt.Errorf("store: list sessions: %w", err)
	}
	defer rows.Close()
	var out []model.Session
	for rows.Next() {
		var s model.Session
		var used, expires, started timeCol
		if err := rows.Scan(&s.ID, &s.UserAgent, &used, &expires, &started); err != nil {
			return nil, fmt.Errorf("store: list sessions: %w", err)
		}
		s.LastUsedAt, s.ExpiresAt, s.StartedAt = used.t, expires.t, started.t
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list sessions: %w", err)
	}
	return out, nil
}

// RevokeSession ends one live session of the user. Another user's session
// is NotFound, exactly like one that does not exist.
func (q *Queries) RevokeSession(ctx context.Context, userID, familyID string, now time.Time) error {
	return q.atomic(ctx, func(q *Queries) error {
		var one int
		err := q.queryRow(ctx, `SELECT 1 FROM refresh_tokens WHERE family_id = ? AND user_id = ?
			AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > ?`, familyID, userID, now).Scan(&one)
		if err != nil {
			return rowErr(err, "session")
		}
		return q.RevokeRefreshFamily(ctx, familyID, now)
	})
}

// RevokeUserRefreshTokens revokes every live refresh token of a user (log
// out everywhere, password reset, account lock).
func (q *Queries) RevokeUserRefreshTokens(ctx context.Context, userID string, now time.Time) error {
	if _, err := q.exec(ctx, `UPDATE refresh_tokens SET revoked_at = ?
		WHERE user_id = ? AND revoked_at IS NULL`, now, userID); err != nil {
		return fmt.Errorf("store: revoke user refresh tokens: %w", err)
	}
	return nil
}

// DeleteExpiredTokens purges one-time and refresh tokens past expiry and
// reports how many rows went. Run by the retention job.
func (q *Queries) DeleteExpiredTokens(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	err := q.atomic(ctx, func(q *Queries) error {
		for _, table := range []string{"one_time_tokens", "refresh_tokens"} {
			res, err := q.exec(ctx, `DELETE FROM `+table+` WHERE expires_at <= ?`, now)
			if err != nil {
				return fmt.Errorf("store: delete expired %s: %w", table, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("store: delete expired %s: %w", table, err)
			}
			total += n
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return total, nil
}

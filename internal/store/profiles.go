package store

import (
	"context"
	"encoding/json"
	"fmt"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

// GetProfile returns the profile of a user, or NotFound.
func (q *Queries) GetProfile(ctx context.Context, userID string) (model.Profile, error) {
	var p model.Profile
	var prefs string
	var updated timeCol
	err := q.queryRow(ctx, `SELECT user_id, display_name, home_airport, home_city, currency, language,
		preferences, updated_at FROM profiles WHERE user_id = ?`, userID).
		Scan(&p.UserID, &p.DisplayName, &p.HomeAirport, &p.HomeCity, &p.Currency, &p.Language, &prefs, &updated)
	if err != nil {
		return model.Profile{}, rowErr(err, "profile")
	}
	if err := json.Unmarshal([]byte(prefs), &p.Preferences); err != nil {
		return model.Profile{}, fmt.Errorf("store: profile %s: decode preferences: %w", userID, err)
	}
	p.UpdatedAt = updated.t
	return p, nil
}

// UpdateProfile replaces every profile field. It upserts, so a user whose
// profile row is somehow missing gets one; a user that does not exist is
// NotFound (the foreign key says so). Preferences are stored as JSON: TEXT
// on SQLite, JSONB on PostgreSQL.
func (q *Queries) UpdateProfile(ctx context.Context, p model.Profile) error {
	prefs, err := json.Marshal(p.Preferences)
	if err != nil {
		return fmt.Errorf("store: encode preferences: %w", err)
	}
	_, err = q.exec(ctx, `INSERT INTO profiles (user_id, display_name, home_airport, home_city, currency,
			language, preferences, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET
			display_name = excluded.display_name,
			home_airport = excluded.home_airport,
			home_city = excluded.home_city,
			currency = excluded.currency,
			language = excluded.language,
			preferences = excluded.preferences,
			updated_at = excluded.updated_at`,
		p.UserID, p.DisplayName, p.HomeAirport, p.HomeCity, p.Currency, p.Language, string(prefs), p.UpdatedAt)
	if isForeignKeyViolation(err) {
		return apperr.Wrap(err, apperr.NotFound, "user not found")
	}
	if err != nil {
		return fmt.Errorf("store: update profile: %w", err)
	}
	return nil
}

// GetUserWithProfile reads an account and its profile in one round trip;
// it serves GET /me, the most frequent authenticated read.
func (q *Queries) GetUserWithProfile(ctx context.Context, id string) (model.User, model.Profile, error) {
	var u model.User
	var p model.Profile
	var role, prefs string
	var verified, locked, valid, created, updated, profUpdated timeCol
	err := q.queryRow(ctx, `SELECT u.id, u.email, u.password_hash, u.role, u.email_verified_at, u.failed_logins,
		u.locked_until, u.tokens_valid_after, u.created_at, u.updated_at,
		p.display_name, p.home_airport, p.home_city, p.currency, p.language, p.preferences, p.updated_at
		FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.id = ?`, id).
		Scan(&u.ID, &u.Email, &u.PasswordHash, &role, &verified, &u.FailedLogins, &locked, &valid, &created, &updated,
			&p.DisplayName, &p.HomeAirport, &p.HomeCity, &p.Currency, &p.Language, &prefs, &profUpdated)
	if err != nil {
		return model.User{}, model.Profile{}, rowErr(err, "user")
	}
	u.Role = model.Role(role)
	u.EmailVerifiedAt, u.LockedUntil = verified.ptr(), locked.ptr()
	u.TokensValidAfter, u.CreatedAt, u.UpdatedAt = valid.t, created.t, updated.t
	p.UserID, p.UpdatedAt = u.ID, profUpdated.t
	if err := json.Unmarshal([]byte(prefs), &p.Preferences); err != nil {
		return model.User{}, model.Profile{}, fmt.Errorf("store: profile %s: decode preferences: %w", id, err)
	}
	return u, p, nil
}

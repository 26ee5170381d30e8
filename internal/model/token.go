package model

import "time"

// TokenPurpose says what a one-time token may be used for.
type TokenPurpose string

const (
	PurposeVerifyEmail   TokenPurpose = "verify_email"
	PurposeResetPassword TokenPurpose = "reset_password"
)

// OneTimeToken is a single-use secret mailed to a user. Only its SHA-256
// hash is stored, so a database leak does not hand out working links.
type OneTimeToken struct {
	Hash      string
	UserID    string
	Purpose   TokenPurpose
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// RefreshToken is one link in a rotation chain (its Family). Presenting a
// token that was already rotated revokes the whole family: that can only
// happen when a copy was stolen.
type RefreshToken struct {
	ID        string
	FamilyID  string
	UserID    string
	Hash      string
	ExpiresAt time.Time
	RotatedAt *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
	UserAgent string // of the client that signed in, to name the device
}

// Session is one signed-in device: a live refresh-token family.
type Session struct {
	ID         string // the family ID
	UserAgent  string
	StartedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
}

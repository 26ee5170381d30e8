// Package model holds the stored domain structs. They are never serialised
// to clients directly: the HTTP layer has its own wire structs, so a new
// column can never leak into a response by accident.
package model

import "time"

// Role grants privileges; every account is a user, some are also admins.
type Role string

const (
	RoleUser  Role = "user"
	RoleAdmin Role = "admin"
)

// User is an account. Email is stored normalised (trimmed, lower case).
// PasswordHash is empty for accounts that only sign in through OIDC.
type User struct {
	ID              string
	Email           string
	PasswordHash    string
	Role            Role
	EmailVerifiedAt *time.Time
	FailedLogins    int
	LockedUntil     *time.Time
	// TokensValidAfter invalidates every access token issued before it
	// ("log out everywhere", password reset).
	TokensValidAfter time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Identity links a user to an external OpenID Connect subject.
type Identity struct {
	UserID    string
	Issuer    string
	Subject   string
	Email     string
	CreatedAt time.Time
}

package secure

import (
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

// Access-token limits. Tokens we issue are ~300 bytes; anything near the cap
// is an attack or a bug, and refusing it early bounds parsing work.
const (
	MaxAccessTokenLen = 4096
	minSecretLen      = 32
	clockLeeway       = 10 * time.Second
	// accessTokenType is the JOSE "typ" of our access tokens (RFC 9068). It
	// is required on verify so that any other HS256 token we might ever sign
	// with the same keys cannot be replayed as an access token.
	accessTokenType = "at+jwt"
)

// SigningKey is one HMAC key. ID travels in the token header ("kid") so
// that keys can be rotated: new tokens use the first key while tokens
// signed by older keys keep verifying until they expire.
type SigningKey struct {
	ID     string
	Secret []byte
}

// AccessClaims is what a verified access token says about its bearer.
type AccessClaims struct {
	UserID  string
	Role    model.Role
	TokenID string // jti: lets a token be revoked or audited individually
	// SessionID names the sign-in (refresh-token family) the token belongs
	// to, so ending a session on another device also ends its access token.
	SessionID string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// TokenSigner issues and verifies short-lived HS256 access tokens. HS256
// (rather than an asymmetric algorithm) fits because the same service both
// issues and checks them; there is no third party that should verify
// without being able to sign.
type TokenSigner struct {
	signID   string
	keys     map[string][]byte
	issuer   string
	audience string
	now      func() time.Time
	parser   *jwt.Parser
	verified *verifiedCache
}

// wireClaims is the JSON payload. Field order is fixed, so the same claims
// always serialise to the same bytes.
type wireClaims struct {
	jwt.RegisteredClaims
	Role      model.Role `json:"role"`
	SessionID string     `json:"sid"`
	// IssuedAtMillis refines iat (whole seconds) to milliseconds, so a
	// "log out everywhere" cut-off separates tokens issued in the same
	// second before and after it.
	IssuedAtMillis int64 `json:"iat_ms"`
}

// NewTokenSigner returns a signer that signs with keys[0] and verifies with
// any of keys. now is the clock (time.Now when nil), injectable for tests.
func NewTokenSigner(keys []SigningKey, issuer, audience string, now func() time.Time) (*TokenSigner, error) {
	if len(keys) == 0 {
		return nil, errors.New("secure: at least one signing key is required")
	}
	if issuer == "" || audience == "" {
		return nil, errors.New("secure: token issuer and audience are required")
	}
	if now == nil {
		now = time.Now
	}
	s := &TokenSigner{signID: keys[0].ID, keys: make(map[string][]byte, len(keys)),
		issuer: issuer, audience: audience, now: now}
	for i, k := range keys {
		if k.ID == "" || len(k.ID) > 64 {
			return nil, fmt.Errorf("secure: signing key %d: id must be 1-64 bytes", i)
		}
		if len(k.Secret) < minSecretLen {
			return nil, fmt.Errorf("secure: signing key %q: secret must be at least %d bytes", k.ID, minSecretLen)
		}
		if _, dup := s.keys[k.ID]; dup {
			return nil, fmt.Errorf("secure: signing key id %q is used twice", k.ID)
		}
		s.keys[k.ID] = append([]byte(nil), k.Secret...) // caller may reuse its slice
	}
	s.verified = newVerifiedCache(10000)
	s.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(clockLeeway),
		jwt.WithTimeFunc(now),
		jwt.WithStrictDecoding(), // one encoding per signature: no malleable tokens
	)
	return s, nil
}

// Issue signs a new access token for userID valid for ttl, with a random
// token ID. The returned claims are exactly what Verify will report.
func (s *TokenSigner) Issue(userID string, role model.Role, sessionID string, ttl time.Duration) (string, AccessClaims, error) {
	if userID == "" || role == "" || sessionID == "" || ttl <= 0 {
		return "", AccessClaims{}, errors.New("secure: issue needs a user ID, a role, a session ID and a positive ttl")
	}
	now := s.now().UTC()
	// exp is a whole-second NumericDate; iat_ms carries the precise issue time.
	c := AccessClaims{UserID: userID, Role: role, TokenID: newTokenID(), SessionID: sessionID,
		IssuedAt: now.Truncate(time.Millisecond), ExpiresAt: now.Truncate(time.Second).Add(ttl)}
	tok, err := s.sign(c)
	if err != nil {
		return "", AccessClaims{}, err
	}
	return tok, c, nil
}

// newTokenID returns 128 random bits, unpadded base64url: unique without
// coordination between replicas.
func newTokenID() string { return base64.RawURLEncoding.EncodeToString(randomBytes(16)) }

// sign is deterministic in c, which lets tests assert that every token that
// verifies is byte-for-byte a token Issue could have produced.
func (s *TokenSigner) sign(c AccessClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, wireClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   c.UserID,
			Audience:  jwt.ClaimStrings{s.audience},
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt),
			IssuedAt:  jwt.NewNumericDate(c.IssuedAt),
			ID:        c.TokenID,
		},
		Role:           c.Role,
		SessionID:      c.SessionID,
		IssuedAtMillis: c.IssuedAt.UnixMilli(),
	})
	t.Header["kid"] = s.signID
	t.Header["typ"] = accessTokenType
	return t.SignedString(s.keys[s.signID])
}

// Verify checks token's signature, algorithm, key ID, type, issuer,
// audience and validity window, and returns its claims. Every failure is an
// apperr Unauthenticated with a short message safe to show the client; the
// cause is attached for logs and never contains key material.
func (s *TokenSigner) Verify(token string) (AccessClaims, error) {
	if c, ok := s.verified.get(token, s.now()); ok {
		return c, nil
	}
	c, err := s.verify(token)
	if err == nil {
		s.verified.put(token, c)
	}
	return c, err
}

// verify does the full check of Verify without the cache.
func (s *TokenSigner) verify(token string) (AccessClaims, error) {
	if token == "" || len(token) > MaxAccessTokenLen || !isCompactJWS(token) {
		return AccessClaims{}, apperr.New(apperr.Unauthenticated, "invalid access token")
	}
	var wc wireClaims
	_, err := s.parser.ParseWithClaims(token, &wc, s.keyFor)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return AccessClaims{}, apperr.Wrap(err, apperr.Unauthenticated, "access token expired")
	case err != nil:
		return AccessClaims{}, apperr.Wrap(err, apperr.Unauthenticated, "invalid access token")
	}
	if wc.Subject == "" || wc.ID == "" || wc.Role == "" || wc.SessionID == "" || wc.IssuedAt == nil || wc.ExpiresAt == nil {
		return AccessClaims{}, apperr.Wrap(errors.New("required claim missing"),
			apperr.Unauthenticated, "invalid access token")
	}
	issued := time.UnixMilli(wc.IssuedAtMillis).UTC()
	if !issued.Truncate(time.Second).Equal(wc.IssuedAt.UTC()) {
		return AccessClaims{}, apperr.Wrap(errors.New("iat_ms disagrees with iat"),
			apperr.Unauthenticated, "invalid access token")
	}
	return AccessClaims{UserID: wc.Subject, Role: wc.Role, TokenID: wc.ID, SessionID: wc.SessionID,
		IssuedAt: issued, ExpiresAt: wc.ExpiresAt.UTC()}, nil
}

// isCompactJWS reports whether token uses only the base64url alphabet and
// dots. encoding/base64 skips \r and \n even in strict mode, so without
// this check a line break inside the signature would yield a second,
// different string that still verifies.
func isCompactJWS(token string) bool {
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// keyFor selects the verification key from the header. It re-checks the
// algorithm (defence in depth against algorithm confusion: an RSA public
// key must never be used as an HMAC secret), rejects critical extensions we
// do not understand (RFC 7515 §4.1.11) and wrong token types.
func (s *TokenSigner) keyFor(t *jwt.Token) (any, error) {
	if _, hmac := t.Method.(*jwt.SigningMethodHMAC); !hmac || t.Method.Alg() != jwt.SigningMethodHS256.Alg() {
		return nil, errors.New("unexpected signing method")
	}
	if _, ok := t.Header["crit"]; ok {
		return nil, errors.New("unsupported critical header")
	}
	if typ, _ := t.Header["typ"].(string); typ != accessTokenType {
		return nil, errors.New("wrong token type")
	}
	kid, _ := t.Header["kid"].(string)
	key, ok := s.keys[kid]
	if !ok {
		return nil, errors.New("unknown key id")
	}
	return key, nil
}

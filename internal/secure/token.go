package secure

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns 32 random bytes (256 bits) as unpadded base64url: an
// opaque secret for refresh tokens and one-time links, safe in URLs and
// cookies and far beyond guessing range.
func NewToken() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(32))
}

// HashToken returns the hex SHA-256 of token. Tokens are high-entropy, so a
// fast unsalted hash is enough to make a leaked table useless, and it keeps
// lookups by hash indexable.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// randomBytes reads n bytes from the OS CSPRNG. Since Go 1.24 crypto/rand
// never returns an error (it aborts the process instead), so there is no
// failure path for callers to get wrong.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

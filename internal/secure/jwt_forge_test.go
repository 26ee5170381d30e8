package secure

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"hash"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
)

// Test fixtures shared by the table tests and the fuzz target. Everything
// is deterministic so fuzz workers agree on which tokens are valid.
var (
	testSecret  = []byte("0123456789abcdef0123456789abcdef")
	otherSecret = []byte("fedcba9876543210fedcba9876543210")
	testEpoch   = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
)

const (
	testIssuer   = "https://pathavana.test"
	testAudience = "pathavana-api"
)

func newTestSigner(t testing.TB, now time.Time, keys ...SigningKey) *TokenSigner {
	t.Helper()
	if len(keys) == 0 {
		keys = []SigningKey{{ID: "k1", Secret: testSecret}}
	}
	s, err := NewTokenSigner(keys, testIssuer, testAudience, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// forge builds a compact JWS by hand, bypassing the library under test, so
// tests can produce tokens Issue never would.
func forge(t testing.TB, header, payload map[string]any, alg string, key any) string {
	t.Helper()
	h, _ := json.Marshal(header)
	p, _ := json.Marshal(payload)
	input := b64url(h) + "." + b64url(p)
	return input + "." + signInput(t, input, alg, key)
}

func signInput(t testing.TB, input, alg string, key any) string {
	t.Helper()
	var mac func() hash.Hash
	switch alg {
	case "none":
		return ""
	case "HS256":
		mac = sha256.New
	case "HS384":
		mac = sha512.New384
	case "HS512":
		mac = sha512.New
	case "RS256":
		sum := sha256.Sum256([]byte(input))
		sig, err := rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		return b64url(sig)
	default:
		t.Fatalf("forge: unknown alg %s", alg)
	}
	m := hmac.New(mac, key.([]byte))
	m.Write([]byte(input))
	return b64url(m.Sum(nil))
}

func goodHeader() map[string]any { return map[string]any{"alg": "HS256", "typ": "at+jwt", "kid": "k1"} }

func goodPayload(now time.Time) map[string]any {
	return map[string]any{
		"iss": testIssuer, "sub": "user-1", "aud": []string{testAudience},
		"exp": now.Add(15 * time.Minute).Unix(), "iat": now.Unix(), "iat_ms": now.UnixMilli(),
		"jti": "tok-1", "role": string(model.RoleUser), "sid": "sess-1",
	}
}

// with returns a copy of m with key set to v, or deleted when v is nil.
func with(m map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(m))
	for k, x := range m {
		out[k] = x
	}
	if v == nil {
		delete(out, key)
	} else {
		out[key] = v
	}
	return out
}

// replacePart swaps segment i of a compact token.
func replacePart(tok string, i int, part string) string {
	parts := strings.Split(tok, ".")
	parts[i] = part
	return strings.Join(parts, ".")
}

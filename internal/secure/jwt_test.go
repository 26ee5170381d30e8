package secure

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

func TestIssueVerifyRoundTrip(t *testing.T) {
	s := newTestSigner(t, testEpoch)
	tok, c, err := s.Issue("user-42", model.RoleAdmin, "sess-1", 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) > 400 {
		t.Errorf("token unexpectedly large: %d bytes", len(tok))
	}
	got, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got != c || got.UserID != "user-42" || got.Role != model.RoleAdmin || got.TokenID == "" ||
		!got.IssuedAt.Equal(testEpoch) || !got.ExpiresAt.Equal(testEpoch.Add(15*time.Minute)) {
		t.Fatalf("Verify = %+v, Issue said %+v", got, c)
	}
	_, c2, _ := s.Issue("user-42", model.RoleAdmin, "sess-1", time.Minute)
	if c2.TokenID == c.TokenID {
		t.Fatal("token IDs must be random")
	}
}

func TestNewTokenSignerValidates(t *testing.T) {
	good := SigningKey{ID: "k1", Secret: testSecret}
	cases := map[string]struct {
		keys     []SigningKey
		iss, aud string
	}{
		"no keys":      {nil, testIssuer, testAudience},
		"short secret": {[]SigningKey{{ID: "k1", Secret: []byte("too short")}}, testIssuer, testAudience},
		"empty id":     {[]SigningKey{{Secret: testSecret}}, testIssuer, testAudience},
		"duplicate id": {[]SigningKey{good, good}, testIssuer, testAudience},
		"no issuer":    {[]SigningKey{good}, "", testAudience},
		"no audience":  {[]SigningKey{good}, testIssuer, ""},
		"long id":      {[]SigningKey{{ID: strings.Repeat("k", 65), Secret: testSecret}}, testIssuer, testAudience},
	}
	for name, tc := range cases {
		if _, err := NewTokenSigner(tc.keys, tc.iss, tc.aud, nil); err == nil {
			t.Errorf("%s: NewTokenSigner succeeded", name)
		} else if strings.Contains(err.Error(), string(testSecret)) {
			t.Errorf("%s: error leaks the secret", name)
		}
	}
	s := newTestSigner(t, testEpoch)
	for _, bad := range []struct {
		user string
		role model.Role
		ttl  time.Duration
	}{{"", model.RoleUser, time.Minute}, {"u", "", time.Minute}, {"u", model.RoleUser, 0}} {
		if _, _, err := s.Issue(bad.user, bad.role, "sess-1", bad.ttl); err == nil {
			t.Errorf("Issue(%q, %q, %v) succeeded", bad.user, bad.role, bad.ttl)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	oldKey := SigningKey{ID: "old", Secret: testSecret}
	newKey := SigningKey{ID: "new", Secret: otherSecret}
	oldTok, _, _ := newTestSigner(t, testEpoch, oldKey).Issue("u", model.RoleUser, "sess-1", time.Hour)

	rotated := newTestSigner(t, testEpoch, newKey, oldKey)
	if _, err := rotated.Verify(oldTok); err != nil {
		t.Fatalf("token from the previous key must verify during rotation: %v", err)
	}
	newTok, _, _ := rotated.Issue("u", model.RoleUser, "sess-1", time.Hour)
	if !strings.Contains(decodeHeader(t, newTok), `"kid":"new"`) {
		t.Fatal("rotated signer must sign with keys[0]")
	}
	retired := newTestSigner(t, testEpoch, newKey)
	if _, err := retired.Verify(oldTok); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("token from a retired key verified: %v", err)
	}
}

func decodeHeader(t *testing.T, tok string) string {
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestVerifyRejects(t *testing.T) {
	now := testEpoch
	s := newTestSigner(t, now, SigningKey{ID: "k1", Secret: testSecret}, SigningKey{ID: "k2", Secret: otherSecret})
	valid, _, _ := s.Issue("user-1", model.RoleUser, "sess-1", 15*time.Minute)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	h, p := goodHeader(), goodPayload(now)
	hs := func(hdr, pl map[string]any) string { return forge(t, hdr, pl, "HS256", testSecret) }
	parts := strings.Split(valid, ".")
	sig := parts[2]
	flipped := sig[:len(sig)-1] + string(sig[len(sig)-1]^1) // same bytes, non-canonical padding bits

	cases := []struct{ name, token, msg string }{
		{"empty", "", "invalid access token"},
		{"garbage", "not.a.jwt", "invalid access token"},
		{"two parts", parts[0] + "." + parts[1], "invalid access token"},
		{"four parts", valid + ".x", "invalid access token"},
		{"oversized", hs(h, with(p, "pad", strings.Repeat("x", MaxAccessTokenLen))), "invalid access token"},
		{"padded base64", valid + "=", "invalid access token"},
		{"newline in signature", valid[:len(valid)-4] + "\n" + valid[len(valid)-4:], "invalid access token"},
		{"carriage return in signature", valid[:len(valid)-4] + "\r" + valid[len(valid)-4:], "invalid access token"},
		{"space", " " + valid, "invalid access token"},
		{"non-canonical signature", replacePart(valid, 2, flipped), "invalid access token"},
		{"alg none", forge(t, with(h, "alg", "none"), p, "none", nil), "invalid access token"},
		{"alg None", forge(t, with(h, "alg", "None"), p, "none", nil), "invalid access token"},
		{"alg none keeps HS256 signature", replacePart(forge(t, with(h, "alg", "none"), p, "none", nil), 2, sig), "invalid access token"},
		{"alg lower case", forge(t, with(h, "alg", "hs256"), p, "HS256", testSecret), "invalid access token"},
		{"alg HS384 right key", forge(t, with(h, "alg", "HS384"), p, "HS384", testSecret), "invalid access token"},
		{"alg HS512 right key", forge(t, with(h, "alg", "HS512"), p, "HS512", testSecret), "invalid access token"},
		{"alg RS256", forge(t, with(h, "alg", "RS256"), p, "RS256", rsaKey), "invalid access token"},
		{"alg missing", hs(with(h, "alg", nil), p), "invalid access token"},
		{"wrong key same kid", forge(t, h, p, "HS256", []byte("an attacker's own 32+ byte secret!!")), "invalid access token"},
		{"key of other kid", forge(t, h, p, "HS256", otherSecret), "invalid access token"},
		{"unknown kid", hs(with(h, "kid", "k9"), p), "invalid access token"},
		{"missing kid", hs(with(h, "kid", nil), p), "invalid access token"},
		{"numeric kid", hs(with(h, "kid", 1), p), "invalid access token"},
		{"header swap to other kid", replacePart(valid, 0, b64url([]byte(`{"alg":"HS256","kid":"k2","typ":"at+jwt"}`))), "invalid access token"},
		{"typ JWT", hs(with(h, "typ", "JWT"), p), "invalid access token"},
		{"typ missing", hs(with(h, "typ", nil), p), "invalid access token"},
		{"crit header", hs(with(h, "crit", []string{"exp"}), p), "invalid access token"},
		{"tampered payload", replacePart(valid, 1, b64url([]byte(`{"iss":"`+testIssuer+`","sub":"user-1","aud":["`+testAudience+`"],"exp":9999999999,"iat":1,"jti":"x","role":"admin"}`))), "invalid access token"},
		{"expired", hs(h, with(p, "exp", now.Add(-time.Minute).Unix())), "access token expired"},
		{"nbf future", hs(h, with(p, "nbf", now.Add(time.Minute).Unix())), "invalid access token"},
		{"iat future", hs(h, with(p, "iat", now.Add(time.Minute).Unix())), "invalid access token"},
		{"wrong issuer", hs(h, with(p, "iss", "https://evil.test")), "invalid access token"},
		{"missing issuer", hs(h, with(p, "iss", nil)), "invalid access token"},
		{"wrong audience", hs(h, with(p, "aud", []string{"other-api"})), "invalid access token"},
		{"missing audience", hs(h, with(p, "aud", nil)), "invalid access token"},
		{"missing sub", hs(h, with(p, "sub", nil)), "invalid access token"},
		{"empty sub", hs(h, with(p, "sub", "")), "invalid access token"},
		{"missing jti", hs(h, with(p, "jti", nil)), "invalid access token"},
		{"missing exp", hs(h, with(p, "exp", nil)), "invalid access token"},
		{"missing iat", hs(h, with(p, "iat", nil)), "invalid access token"},
		{"missing role", hs(h, with(p, "role", nil)), "invalid access token"},
		{"exp as string", hs(h, with(p, "exp", "tomorrow")), "invalid access token"},
		{"sub as number", hs(h, with(p, "sub", 42)), "invalid access token"},
		{"payload not an object", forge(t, h, nil, "HS256", testSecret), "invalid access token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := s.Verify(tc.token)
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Unauthenticated {
				t.Fatalf("Verify = %+v, %v; want unauthenticated", c, err)
			}
			if e.Message != tc.msg {
				t.Fatalf("message %q, want %q", e.Message, tc.msg)
			}
			if strings.Contains(err.Error(), string(testSecret)) {
				t.Fatal("error leaks the key")
			}
		})
	}
}

func TestVerifyClockLeeway(t *testing.T) {
	p := goodPayload(testEpoch)
	within := forge(t, goodHeader(), with(p, "exp", testEpoch.Add(-5*time.Second).Unix()), "HS256", testSecret)
	if _, err := newTestSigner(t, testEpoch).Verify(within); err != nil {
		t.Fatalf("token expired 5s ago should pass with leeway: %v", err)
	}
	future := testEpoch.Add(5 * time.Second)
	skewed := forge(t, goodHeader(), with(with(p, "iat", future.Unix()), "iat_ms", future.UnixMilli()), "HS256", testSecret)
	if _, err := newTestSigner(t, testEpoch).Verify(skewed); err != nil {
		t.Fatalf("iat 5s in the future should pass with leeway: %v", err)
	}
	beyond := forge(t, goodHeader(), with(p, "exp", testEpoch.Add(-31*time.Second).Unix()), "HS256", testSecret)
	if _, err := newTestSigner(t, testEpoch).Verify(beyond); err == nil {
		t.Fatal("leeway must be at most 30s")
	}
}

func TestVerifyAfterExpiry(t *testing.T) {
	tok, _, _ := newTestSigner(t, testEpoch).Issue("u", model.RoleUser, "sess-1", time.Minute)
	later := newTestSigner(t, testEpoch.Add(2*time.Minute))
	if _, err := later.Verify(tok); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("expired token verified: %v", err)
	}
}

// TestIssuedAtHasMillisecondPrecision: a cut-off inside a second must split
// tokens issued before it from tokens issued after it.
func TestIssuedAtHasMillisecondPrecision(t *testing.T) {
	at := testEpoch.Add(730 * time.Millisecond)
	s := newTestSigner(t, at)
	tok, issued, err := s.Issue("user-1", model.RoleUser, "sess-1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if !c.IssuedAt.Equal(at) || !issued.IssuedAt.Equal(at) {
		t.Fatalf("IssuedAt = %v, want %v", c.IssuedAt, at)
	}
	p := goodPayload(testEpoch)
	for name, payload := range map[string]map[string]any{
		"iat_ms in another second": with(p, "iat_ms", testEpoch.Add(2*time.Second).UnixMilli()),
		"iat_ms missing":           with(p, "iat_ms", nil),
		"sid missing":              with(p, "sid", nil),
	} {
		if _, err := s.Verify(forge(t, goodHeader(), payload, "HS256", testSecret)); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("%s: Verify = %v, want unauthenticated", name, err)
		}
	}
}

// TestVerifiedCacheStillExpires: a token served from the cache of verified
// tokens stops working at its expiry like any other.
func TestVerifiedCacheStillExpires(t *testing.T) {
	now := testEpoch
	s, err := NewTokenSigner([]SigningKey{{ID: "k1", Secret: testSecret}}, testIssuer, testAudience, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := s.Issue("user-1", model.RoleUser, "sess-1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second call is a cache hit
		if _, err := s.Verify(tok); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(time.Minute + clockLeeway)
	if _, err := s.Verify(tok); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("expired cached token: %v", err)
	}
	if _, err := s.Verify(tok + "x"); err == nil {
		t.Fatal("a different string must not hit the cache")
	}
}

package secure

import (
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

// FuzzVerify asserts that Verify never panics, fails only with
// Unauthenticated, and that any token it accepts is byte-for-byte the token
// Issue produces for the same claims: the fuzzer cannot mutate its way into
// a second spelling of a valid token.
func FuzzVerify(f *testing.F) {
	now := testEpoch.Add(time.Minute)
	s := newTestSigner(f, now)
	for _, role := range []model.Role{model.RoleUser, model.RoleAdmin} {
		tok, _, err := newTestSigner(f, testEpoch).Issue("user-1", role, "sess-1", 15*time.Minute)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
		f.Add(tok + "=")
		f.Add(strings.ToUpper(tok))
		f.Add(replacePart(tok, 0, b64url([]byte(`{"alg":"none","kid":"k1","typ":"at+jwt"}`))))
	}
	// Hand-forged seeds. Those signed with the real key must be invalid for
	// another reason, or the property below would (rightly) flag them.
	h, p := goodHeader(), goodPayload(testEpoch)
	f.Add(forge(f, with(h, "alg", "none"), p, "none", nil))
	f.Add(forge(f, with(h, "alg", "HS512"), p, "HS512", testSecret))
	f.Add(forge(f, h, p, "HS256", otherSecret))
	f.Add(forge(f, h, with(p, "exp", 1e300), "HS256", testSecret))
	f.Add(forge(f, h, with(p, "exp", -1), "HS256", testSecret))
	f.Add(forge(f, h, with(p, "role", map[string]any{"x": 1}), "HS256", testSecret))
	f.Add("")
	f.Add("..")
	f.Add("eyJ.eyJ.")

	f.Fuzz(func(t *testing.T, token string) {
		c, err := s.Verify(token)
		if err != nil {
			if !apperr.Is(err, apperr.Unauthenticated) {
				t.Fatalf("Verify error with code %q: %v", apperr.CodeOf(err), err)
			}
			return
		}
		want, err := s.sign(c)
		if err != nil {
			t.Fatal(err)
		}
		if want != token {
			t.Fatalf("Verify accepted a token Issue would not produce:\n got  %q\n want %q", token, want)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	s := newTestSigner(b, testEpoch)
	tok, _, _ := s.Issue("user-1", model.RoleUser, "sess-1", 15*time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}

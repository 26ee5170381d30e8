package secure

import (
	"strings"
	"testing"

	"pathavana/internal/apperr"
)

func TestCheckPassword(t *testing.T) {
	const email = "Jane.Traveler+trips@Example.com"
	cases := []struct {
		name, password, email string
		wantMsg               string // substring; empty means accepted
	}{
		{"passphrase", "tangerine kayak fjord", email, ""},
		{"random", "vX9#qL2!mR7z", email, ""},
		{"exactly 10 runes", "zq8!Kd4@pw", "", ""},
		{"non-latin counts runes", "日本の山に登りたいです", "", ""},
		{"emoji accepted", "🏔️ trek to the glacier", "", ""},
		{"too short", "Xy7#kq2!p", email, "at least 10 characters"},
		{"short multibyte", "日本の山に登り", "", "at least 10 characters"},
		{"max bytes ok", strings.Repeat("tuvw", 32), "", ""},
		{"too long", strings.Repeat("tuvw", 32) + "x", "", "at most 128 bytes"},
		{"too long multibyte", strings.Repeat("é", 65), "", "at most 128 bytes"},
		{"invalid utf8", "valid text\xff\xfe", "", "valid text"},
		{"repeated char", "aaaaaaaaaaaa", "", "single repeated character"},
		{"repeated char case", "AaAaAaAaAaAa", "", "single repeated character"},
		{"repeated pair", "abababababab", "", "short repeated pattern"},
		{"repeated triple", "xyzxyzxyzxyz", "", "short repeated pattern"},
		{"equals email", "jane.traveler+trips@example.com", email, "email"},
		{"contains email", "my jane.traveler+trips@example.com!", email, "email"},
		{"contains local part", "JANE.TRAVELER+TRIPS rocks", email, "email"},
		{"contains local part w/o tag", "Jane.Traveler1999!", email, "email"},
		{"short local part equal only", "jo secret phrase", "jo@example.com", ""},
		{"short local part equal", "jo", "jo@example.com", "at least 10"},
		{"common", "password123", "", "too common"},
		{"common case", "PassWord2024!", "", "too common"},
		{"common leet", "P@ssw0rd!!", "", "too common"},
		{"common leading digits", "123football", "", "too common"},
		{"keyboard walk", "qwertyuiop", "", "too common"},
		{"digits run", "1234567890", "", "too common"},
		{"q1w2", "1q2w3e4r5t", "", "too common"},
		{"xkcd", "correcthorsebatterystaple", "", "too common"},
		{"product name", "Pathavana2025", "", "too common"},
		{"trustno1", "trustno1!!!", "", "too common"},
		{"iloveyou", "iloveyou<3<3", "", "too common"},
		{"common word inside a passphrase is fine", "password is a tangerine", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckPassword(tc.password, tc.email)
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatalf("CheckPassword(%q) = %v, want nil", tc.password, err)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "password" {
				t.Fatalf("CheckPassword(%q) = %#v, want validation error on password", tc.password, err)
			}
			if !strings.Contains(e.Fields[0].Message, tc.wantMsg) {
				t.Fatalf("message %q does not mention %q", e.Fields[0].Message, tc.wantMsg)
			}
			if strings.Contains(e.Error(), tc.password) {
				t.Fatal("error echoes the password")
			}
		})
	}
}

func TestCommonPasswordListWellFormed(t *testing.T) {
	if !strings.HasSuffix(commonPasswords, "\n") {
		t.Fatal("list must end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(commonPasswords, "\n"), "\n")
	if len(lines) < 300 {
		t.Fatalf("list has %d entries, want a few hundred", len(lines))
	}
	seen := map[string]bool{}
	for i, w := range lines {
		if w == "" || w != strings.ToLower(strings.TrimSpace(w)) || seen[w] {
			t.Fatalf("line %d %q: entries must be unique, lower case, non-empty and untrimmed", i+1, w)
		}
		seen[w] = true
		if !inList(w) {
			t.Fatalf("inList(%q) = false for a listed word", w)
		}
	}
	if inList("pass") == inList("passw") {
		t.Fatal("inList must match whole lines only")
	}
}

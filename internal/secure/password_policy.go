package secure

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"pathavana/internal/apperr"
)

// Password length limits, following NIST SP 800-63B: length matters far more
// than composition rules. The minimum counts characters (runes) so non-Latin
// passwords are not penalised; the maximum counts bytes because it exists to
// bound the work one login request can cause.
const (
	MinPasswordRunes = 10
	MaxPasswordBytes = 128
)

// commonPasswords is a newline-separated, lower-case list of passwords and
// password "stems" that dominate public breach corpora. It was written by
// hand from well-known public sources: the top of the RockYou leak, the
// NCSC/Have I Been Pwned "top 100k" list, SplashData's and NordPass's yearly
// "worst passwords" lists and Wikipedia's "List of the most common
// passwords", plus keyboard walks, digit runs and this product's own
// vocabulary (NIST asks for context-specific words). Stems matter because
// most leaked passwords of ten or more characters are a common word padded
// with digits or symbols ("Password2024!", "football123").
//
//go:embed common_passwords.txt
var commonPasswords string

// CheckPassword applies the sign-up/reset password policy and returns an
// apperr validation error on field "password" whose message tells the user
// what to change. email may be empty (e.g. when unknown).
func CheckPassword(password, email string) error {
	if msg := passwordProblem(password, email); msg != "" {
		return apperr.Validation(apperr.FieldError{Field: "password", Message: msg})
	}
	return nil
}

func passwordProblem(password, email string) string {
	switch {
	case len(password) > MaxPasswordBytes:
		return "must be at most 128 bytes long (fewer characters if it uses accents, symbols or emoji)"
	case !utf8.ValidString(password):
		return "must be valid text"
	case utf8.RuneCountInString(password) < MinPasswordRunes:
		return "must be at least 10 characters long; a few unrelated words make a strong, memorable password"
	}
	lower := strings.ToLower(password)
	if unit := repeatedUnit(lower); unit == 1 {
		return "must not be a single repeated character"
	} else if unit > 0 {
		return "must not be a short repeated pattern"
	}
	if containsEmail(lower, strings.ToLower(strings.TrimSpace(email))) {
		return "must not contain your email address or its name part"
	}
	if isCommonPassword(lower) {
		return "is too common: it appears in lists of leaked passwords; try a few unrelated words instead"
	}
	return ""
}

// repeatedUnit returns the length (1-3 runes) of a unit that s repeats
// entirely ("aaaaaaaaaa" → 1, "abababababab" → 2), or 0.
func repeatedUnit(s string) int {
	r := []rune(s)
	for unit := 1; unit <= 3 && unit < len(r); unit++ {
		if len(r)%unit != 0 {
			continue
		}
		same := true
		for i := unit; i < len(r) && same; i++ {
			same = r[i] == r[i-unit]
		}
		if same {
			return unit
		}
	}
	return 0
}

// containsEmail reports whether the password equals or contains the email
// or its local part (also without a "+tag"). Local parts shorter than three
// characters are only rejected on equality, since "jo" inside a long
// passphrase says nothing about its strength.
func containsEmail(lowerPassword, lowerEmail string) bool {
	if lowerEmail == "" {
		return false
	}
	if strings.Contains(lowerPassword, lowerEmail) {
		return true
	}
	local, _, _ := strings.Cut(lowerEmail, "@")
	base, _, _ := strings.Cut(local, "+")
	for _, part := range []string{local, base} {
		if part == "" {
			continue
		}
		if lowerPassword == part || (utf8.RuneCountInString(part) >= 3 && strings.Contains(lowerPassword, part)) {
			return true
		}
	}
	return false
}

// isCommonPassword checks the password, its "stem" (digits and symbols
// trimmed from both ends) and their leetspeak-decoded forms against the
// embedded list.
func isCommonPassword(lower string) bool {
	stem := strings.TrimFunc(lower, func(r rune) bool {
		return r < utf8.RuneSelf && !('a' <= r && r <= 'z')
	})
	for _, c := range []string{lower, stem, unleet(lower), unleet(stem)} {
		if c != "" && inList(c) {
			return true
		}
	}
	return false
}

func inList(word string) bool {
	if strings.ContainsRune(word, '\n') {
		return false
	}
	return strings.HasPrefix(commonPasswords, word+"\n") || strings.Contains(commonPasswords, "\n"+word+"\n")
}

// unleet undoes the common character substitutions people believe make a
// word strong ("p@ssw0rd" → "password").
func unleet(s string) string {
	return strings.NewReplacer("@", "a", "4", "a", "8", "b", "3", "e", "1", "i", "!", "i",
		"0", "o", "$", "s", "5", "s", "7", "t", "+", "t").Replace(s)
}

package telemetry

import (
	"log/slog"
	"strings"
)

// Redacted replaces the value of any attribute whose key looks secret.
const Redacted = "[REDACTED]"

// IsSensitiveKey reports whether an attribute or group key must be redacted.
// The comparison ignores case so "Authorization" and "API_KEY" match too.
// Exported so other sinks (audit exports, config printing) can share the rule.
func IsSensitiveKey(key string) bool {
	// Keys that must never reach a log sink with their value. This is a
	// safety net: the convention is still not to log secrets or PII at all,
	// but a stray slog.String("token", t) must not leak. Local arrays rather
	// than package variables keep the list immutable.
	sensitiveKeys := [...]string{
		"password", "token", "access_token", "refresh_token", "secret",
		"authorization", "cookie", "passport_number", "api_key",
	}
	// Suffixes catch the long tail (reset_token, client_secret,
	// old_password, …) without listing every name.
	sensitiveSuffixes := [...]string{"_token", "_secret", "_password"}
	for _, k := range sensitiveKeys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	for _, s := range sensitiveSuffixes {
		if len(key) > len(s) && strings.EqualFold(key[len(key)-len(s):], s) {
			return true
		}
	}
	return false
}

// redactAttr is the slog ReplaceAttr hook. slog calls it for every leaf
// attribute with the names of its enclosing groups (from both WithGroup and
// slog.Group values), so a secret nested anywhere is caught, and so is every
// leaf under a group whose own name is sensitive (slog.Group("cookie", …)).
//
// Limitation: values logged as a whole struct (slog.Any("user", u)) are
// marshalled by the JSON handler after this hook and cannot be inspected;
// log IDs, not structs.
func redactAttr(groups []string, a slog.Attr) slog.Attr {
	if IsSensitiveKey(a.Key) {
		return slog.String(a.Key, Redacted)
	}
	for _, g := range groups {
		if IsSensitiveKey(g) {
			return slog.String(a.Key, Redacted)
		}
	}
	return a
}

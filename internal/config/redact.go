package config

import (
	"net/url"
	"strings"
)

const redacted = "[redacted]"

// Redacted returns a copy safe to print or log: secrets are replaced and
// passwords inside URLs are masked.
func (c Config) Redacted() Config {
	r := c
	r.DatabaseURL = redactURL(c.DatabaseURL)
	r.RedisURL = redactURL(c.RedisURL)
	if len(c.JWTSecrets) > 0 {
		r.JWTSecrets = make([]string, len(c.JWTSecrets))
		for i, s := range c.JWTSecrets {
			if kid, _, ok := strings.Cut(s, ":"); ok {
				r.JWTSecrets[i] = kid + ":" + redacted
			} else {
				r.JWTSecrets[i] = redacted
			}
		}
	}
	if len(c.PIIKeys) > 0 {
		r.PIIKeys = make([]string, len(c.PIIKeys))
		for i, s := range c.PIIKeys {
			id, _, _ := strings.Cut(s, ":")
			r.PIIKeys[i] = id + ":" + redacted
		}
	}
	if c.PIIIndexKey != "" {
		r.PIIIndexKey = redacted
	}
	if c.SMTPPassword != "" {
		r.SMTPPassword = redacted
	}
	if c.AmadeusClientSecret != "" {
		r.AmadeusClientSecret = redacted
	}
	if c.GoogleClientSecret != "" {
		r.GoogleClientSecret = redacted
	}
	return r
}

func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

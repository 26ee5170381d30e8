package oidc

import (
	"strings"
	"testing"
)

func TestNewValidatesConfig(t *testing.T) {
	good := Config{IssuerURL: "https://accounts.google.com", ClientID: "id", ClientSecret: "shh-secret",
		RedirectURL: "https://pathavana.example/api/v1/auth/oidc/callback"}
	cases := []struct {
		name   string
		mutate func(*Config)
		ok     bool
	}{
		{"good", func(*Config) {}, true},
		{"loopback http", func(c *Config) { c.IssuerURL = "http://127.0.0.1:5556"; c.RedirectURL = "http://localhost:8080/cb" }, true},
		{"ipv6 loopback", func(c *Config) { c.IssuerURL = "http://[::1]:5556" }, true},
		{"no secret (public client)", func(c *Config) { c.ClientSecret = "" }, true},
		{"custom scopes", func(c *Config) { c.Scopes = []string{"openid", "email"} }, true},
		{"empty issuer", func(c *Config) { c.IssuerURL = "" }, false},
		{"relative issuer", func(c *Config) { c.IssuerURL = "accounts.google.com" }, false},
		{"http issuer", func(c *Config) { c.IssuerURL = "http://accounts.google.com" }, false},
		{"issuer with query", func(c *Config) { c.IssuerURL = "https://accounts.google.com?x=1" }, false},
		{"issuer with userinfo", func(c *Config) { c.IssuerURL = "https://u:p@accounts.google.com" }, false},
		{"ftp issuer", func(c *Config) { c.IssuerURL = "ftp://accounts.google.com" }, false},
		{"no client id", func(c *Config) { c.ClientID = "" }, false},
		{"http redirect", func(c *Config) { c.RedirectURL = "http://pathavana.example/cb" }, false},
		{"redirect with fragment", func(c *Config) { c.RedirectURL = "https://pathavana.example/cb#x" }, false},
		{"scopes without openid", func(c *Config) { c.Scopes = []string{"email"} }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.mutate(&cfg)
			c, err := New(cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("New = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && strings.Contains(err.Error(), "shh-secret") {
				t.Fatal("config error leaks the client secret")
			}
			if err == nil && (c.cfg.HTTPClient == nil || c.cfg.HTTPClient.Timeout == 0) {
				t.Fatal("default HTTP client must have a timeout")
			}
		})
	}
	c, _ := New(good)
	if strings.Join(c.cfg.Scopes, " ") != "openid email profile" {
		t.Fatalf("default scopes = %v", c.cfg.Scopes)
	}
}

func TestFlexBool(t *testing.T) {
	for in, want := range map[string]bool{`true`: true, `false`: false, `"true"`: true, `"false"`: false, `null`: false} {
		var b flexBool
		if err := b.UnmarshalJSON([]byte(in)); err != nil || bool(b) != want {
			t.Errorf("flexBool(%s) = %v, %v", in, b, err)
		}
	}
	for _, in := range []string{`"yes"`, `1`, `{}`, `[true]`, ``} {
		var b flexBool
		if err := b.UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("flexBool(%s) accepted", in)
		}
	}
}

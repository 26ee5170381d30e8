// Package oidc implements "Sign in with Google" (or any OpenID Connect
// provider) as a relying party: authorization code flow with PKCE (S256),
// state and nonce. It only ever trusts claims from an ID token whose
// signature, issuer, audience, expiry and nonce it has verified itself.
package oidc

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// defaultScopes ask for the identity and the email address, which is what
// account linking needs, and nothing more.
func defaultScopes() []string { return []string{"openid", "email", "profile"} }

// Config configures one OpenID provider registration.
type Config struct {
	IssuerURL    string // e.g. https://accounts.google.com (exactly as the provider spells it)
	ClientID     string
	ClientSecret string // optional for public clients; PKCE protects the code either way
	RedirectURL  string // our callback, registered with the provider
	Scopes       []string
	// HTTPClient is used for discovery, JWKS and the token exchange. The
	// default has a 10 s timeout so a slow provider cannot pin requests.
	HTTPClient *http.Client
}

func (cfg Config) withDefaults() Config {
	cfg.Scopes = slices.Clone(cfg.Scopes) // the caller keeps its slice
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = defaultScopes()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return cfg
}

// validate checks the configuration without contacting the provider, so
// that a typo fails at startup while an outage does not.
func (cfg Config) validate() error {
	var errs []error
	if err := checkURL("issuer URL", cfg.IssuerURL); err != nil {
		errs = append(errs, err)
	}
	if err := checkURL("redirect URL", cfg.RedirectURL); err != nil {
		errs = append(errs, err)
	}
	if cfg.ClientID == "" {
		errs = append(errs, errors.New("oidc: client ID is required"))
	}
	if !slices.Contains(cfg.Scopes, "openid") {
		errs = append(errs, errors.New(`oidc: scopes must include "openid"`))
	}
	return errors.Join(errs...)
}

// checkURL requires an absolute https URL without query or fragment. Plain
// http is allowed only for loopback hosts (local development, test fakes),
// because codes and tokens must never cross a network in clear text.
func checkURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return fmt.Errorf("oidc: %s must be an absolute URL", what)
	}
	if what == "issuer URL" && u.RawQuery != "" {
		return fmt.Errorf("oidc: %s must not have a query", what)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("oidc: %s must use https (http only for localhost)", what)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

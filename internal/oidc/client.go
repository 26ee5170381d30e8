package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"pathavana/internal/apperr"
)

// discoveryTTL is how old a discovery document may get before Ready fetches
// it again. Providers change endpoints rarely; signing keys rotate more
// often, but go-oidc refetches the JWKS by itself when it meets a new kid.
const discoveryTTL = time.Hour

// Client is a relying party for one provider. It is safe for concurrent use.
type Client struct {
	cfg Config
	now func() time.Time

	// discoverSem lets one goroutine at a time run discovery (others wait
	// for its result instead of stampeding the provider) while still
	// honouring their contexts.
	discoverSem chan struct{}
	mu          sync.Mutex
	disc        *discovery // nil until the first successful discovery
}

// discovery is the immutable result of one discovery round.
type discovery struct {
	oauth    oauth2.Config
	verifier *gooidc.IDTokenVerifier
	at       time.Time
}

// New validates cfg and returns a client. It does not contact the provider:
// discovery happens on first use, so the server starts (and reports itself
// not ready) while the provider is unreachable.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, now: time.Now, discoverSem: make(chan struct{}, 1)}, nil
}

// AuthRequest is one sign-in attempt. The caller sends the browser to URL
// and keeps State, Nonce and Verifier server-side or in a short-lived,
// HttpOnly, signed cookie until the callback; they are secrets.
type AuthRequest struct {
	URL, State, Nonce, Verifier string
}

// Identity is what the provider vouches for. Issuer and Subject together
// are the stable account key; Email may change and is only proof of
// ownership when EmailVerified is true.
type Identity struct {
	Issuer, Subject, Email string
	EmailVerified          bool
	Name                   string
}

// Start begins a sign-in: fresh random state (CSRF protection for the
// callback), nonce (binds the ID token to this attempt) and PKCE verifier
// (binds the code to this client), with the S256 challenge in the URL.
func (c *Client) Start(ctx context.Context) (AuthRequest, error) {
	d, err := c.discovery(ctx, 0)
	if err != nil {
		return AuthRequest{}, err
	}
	ar := AuthRequest{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier()}
	ar.URL = d.oauth.AuthCodeURL(ar.State, oauth2.S256ChallengeOption(ar.Verifier), gooidc.Nonce(ar.Nonce))
	return ar, nil
}

// CheckState compares the state the callback received with the one saved
// at Start, in constant time. The caller must run it before Finish.
func CheckState(want, got string) error {
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return apperr.New(apperr.Unauthenticated, "sign-in state mismatch; please try again")
	}
	return nil
}

// Finish exchanges code (with the PKCE verifier) for tokens and returns the
// identity from the verified ID token. Every way the response can be wrong
// is an apperr Unauthenticated; an unreachable provider is Unavailable.
func (c *Client) Finish(ctx context.Context, code, verifier, nonce string) (Identity, error) {
	if code == "" || len(code) > 4096 || len(verifier) < 43 || len(verifier) > 128 || nonce == "" {
		return Identity{}, signInFailed(errors.New("missing or malformed code, verifier or nonce"))
	}
	d, err := c.discovery(ctx, 0)
	if err != nil {
		return Identity{}, err
	}
	tok, err := d.oauth.Exchange(gooidc.ClientContext(ctx, c.cfg.HTTPClient), code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) { // the provider answered and refused (invalid_grant, ...)
			return Identity{}, signInFailed(errors.New("token exchange refused: " + re.ErrorCode))
		}
		return Identity{}, apperr.Wrap(err, apperr.Unavailable, "the identity provider is unavailable")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, signInFailed(errors.New("token response has no id_token"))
	}
	idt, err := d.verifier.Verify(gooidc.ClientContext(ctx, c.cfg.HTTPClient), raw)
	if err != nil {
		return Identity{}, signInFailed(err)
	}
	return c.identity(idt, tok.AccessToken, nonce)
}

// identity applies the checks go-oidc leaves to the caller (nonce, azp,
// at_hash) and reads the claims we use.
func (c *Client) identity(idt *gooidc.IDToken, accessToken, nonce string) (Identity, error) {
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return Identity{}, signInFailed(errors.New("nonce mismatch"))
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(accessToken); err != nil {
			return Identity{}, signInFailed(err)
		}
	}
	var cl struct {
		AZP           string   `json:"azp"`
		Email         string   `json:"email"`
		EmailVerified flexBool `json:"email_verified"`
		Name          string   `json:"name"`
	}
	if err := idt.Claims(&cl); err != nil {
		return Identity{}, signInFailed(err)
	}
	// OIDC Core §3.1.3.7: with several audiences the authorized party must
	// be us, and if present at all it must be us.
	if (len(idt.Audience) > 1 || cl.AZP != "") && cl.AZP != c.cfg.ClientID {
		return Identity{}, signInFailed(errors.New("azp is not our client ID"))
	}
	if idt.Subject == "" || len(idt.Subject) > 255 {
		return Identity{}, signInFailed(errors.New("bad subject"))
	}
	// Issuer is the configured one: go-oidc checked that the token's iss
	// equals it (modulo Google's scheme-less alias), and a single spelling
	// keeps (issuer, subject) usable as a stable account key.
	return Identity{Issuer: c.cfg.IssuerURL, Subject: idt.Subject, Email: cl.Email,
		EmailVerified: bool(cl.EmailVerified), Name: cl.Name}, nil
}

// Ready runs discovery if it has not succeeded yet or is older than an
// hour, for readiness checks. An error means the provider cannot be reached
// now; a previously discovered configuration stays in use meanwhile.
func (c *Client) Ready(ctx context.Context) error {
	_, err := c.discovery(ctx, discoveryTTL)
	return err
}

// discovery returns the cached discovery result, fetching it when there is
// none or (maxAge > 0) when it is older than maxAge.
func (c *Client) discovery(ctx context.Context, maxAge time.Duration) (*discovery, error) {
	if d := c.cached(maxAge); d != nil {
		return d, nil
	}
	select {
	case c.discoverSem <- struct{}{}:
		defer func() { <-c.discoverSem }()
	case <-ctx.Done():
		return nil, apperr.Wrap(ctx.Err(), apperr.Unavailable, "the identity provider is unavailable")
	}
	if d := c.cached(maxAge); d != nil { // someone else just did it
		return d, nil
	}
	p, err := gooidc.NewProvider(gooidc.ClientContext(ctx, c.cfg.HTTPClient), c.cfg.IssuerURL)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "the identity provider is unavailable")
	}
	endpoint := p.Endpoint()
	endpoint.AuthStyle = c.authStyle(p)
	d := &discovery{
		oauth: oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret,
			Endpoint: endpoint, RedirectURL: c.cfg.RedirectURL, Scopes: c.cfg.Scopes},
		verifier: p.Verifier(&gooidc.Config{ClientID: c.cfg.ClientID, Now: c.now}),
		at:       c.now(),
	}
	c.mu.Lock()
	c.disc = d
	c.mu.Unlock()
	return d, nil
}

// authStyle picks the client authentication method from the discovery
// document instead of letting x/oauth2 probe: probing retries every failed
// exchange with the other method, doubling requests and muddling errors.
// Discovery says client_secret_basic is the default when none is listed.
func (c *Client) authStyle(p *gooidc.Provider) oauth2.AuthStyle {
	var meta struct {
		Methods []string `json:"token_endpoint_auth_methods_supported"`
	}
	_ = p.Claims(&meta)
	switch {
	case c.cfg.ClientSecret == "": // public client: client_id in the body, no secret
		return oauth2.AuthStyleInParams
	case len(meta.Methods) == 0 || slices.Contains(meta.Methods, "client_secret_basic"):
		return oauth2.AuthStyleInHeader
	case slices.Contains(meta.Methods, "client_secret_post"):
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleInHeader
}

func (c *Client) cached(maxAge time.Duration) *discovery {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.disc == nil || (maxAge > 0 && c.now().Sub(c.disc.at) >= maxAge) {
		return nil
	}
	return c.disc
}

// signInFailed hides the reason from the client (it would help an
// attacker probe) but keeps it for the log.
func signInFailed(cause error) error {
	return apperr.Wrap(cause, apperr.Unauthenticated, "sign-in with the identity provider failed")
}

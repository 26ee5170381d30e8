// Package amadeus is a client for the Amadeus Self-Service APIs: flight
// offers search, pricing and orders, hotel list and offers, tours and
// activities, and airport/city search.
//
// It follows ../shared/reference/external-apis.md §1 and avoids what Amadeus
// clients commonly get wrong: the OAuth2 token is refreshed before it
// expires and fetched once for all concurrent callers; prices are exact
// decimal strings (money.Money), never floats; "at" times stay local wall
// times (LocalDateTime); order IDs go into paths exactly as received; 429s
// are retried with jittered back-off except the monthly quota (38195); and
// a circuit breaker stops hammering an Amadeus that is down.
//
// Every error a method returns is an *apperr.Error; when Amadeus answered,
// errors.As finds the *APIError inside it.
package amadeus

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Base URLs of the two Amadeus environments (separate key pairs).
const (
	TestBaseURL       = "https://test.api.amadeus.com"
	ProductionBaseURL = "https://api.amadeus.com"
)

// Config configures a Client. Only BaseURL, ClientID and ClientSecret are
// required; the zero value of every other field picks a safe default.
type Config struct {
	BaseURL      string
	ClientID     string
	ClientSecret string
	// HTTPClient sends the requests; its own Timeout, if any, also applies.
	HTTPClient *http.Client
	// Timeout bounds each HTTP attempt (default 10s); the caller's context
	// bounds the whole call including retries.
	Timeout time.Duration
	// MaxRetries is how many times a failed attempt is retried (default 3;
	// negative disables retries). A 401 for an expired token is refreshed
	// and retried once on top of this.
	MaxRetries int
	// RetryBase and RetryMax shape the back-off: before retry n the client
	// sleeps a uniformly random time in [0, min(RetryMax, RetryBase·2ⁿ)]
	// ("full jitter"). Defaults 100ms (Amadeus test allows one request per
	// 100ms) and 5s.
	RetryBase, RetryMax time.Duration
	// Now is the clock for token expiry and the breaker (default time.Now).
	Now     func() time.Time
	Breaker BreakerConfig
}

// String describes the configuration without the client secret, so a
// Config that ends up in a log line or a panic message leaks nothing.
func (c Config) String() string {
	return fmt.Sprintf("amadeus.Config{BaseURL:%q ClientID:%q ClientSecret:[redacted] Timeout:%s MaxRetries:%d}",
		c.BaseURL, c.ClientID, c.Timeout, c.MaxRetries)
}

// GoString is String, so %#v does not print the secret either.
func (c Config) GoString() string { return c.String() }

// Client talks to one Amadeus environment with one key pair. It is safe for
// concurrent use; create one per process and share it, so that all callers
// share one token and one breaker.
type Client struct {
	base       *url.URL
	hc         *http.Client
	timeout    time.Duration
	maxRetries int
	retryBase  time.Duration
	retryMax   time.Duration
	now        func() time.Time
	tokens     *tokenSource
	breaker    *breaker
}

// New validates cfg and builds a Client. It makes no request: the first
// call fetches the token.
func New(cfg Config) (*Client, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("amadeus: ClientID and ClientSecret are required")
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" ||
		base.RawQuery != "" || base.Fragment != "" || base.User != nil {
		return nil, fmt.Errorf("amadeus: BaseURL %q must be an absolute http(s) URL without query or credentials", cfg.BaseURL)
	}
	c := &Client{
		base:       base,
		hc:         cfg.HTTPClient,
		timeout:    orDefault(cfg.Timeout, 10*time.Second),
		maxRetries: cfg.MaxRetries,
		retryBase:  orDefault(cfg.RetryBase, 100*time.Millisecond),
		retryMax:   orDefault(cfg.RetryMax, 5*time.Second),
		now:        cfg.Now,
	}
	if c.hc == nil {
		c.hc = &http.Client{}
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = 3
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.breaker = newBreaker(cfg.Breaker, c.now)
	c.tokens = &tokenSource{c: c, clientID: cfg.ClientID, secret: cfg.ClientSecret}
	return c, nil
}

// BreakerState reports "closed", "open" or "half-open", for readiness
// checks and metrics.
func (c *Client) BreakerState() string { return c.breaker.State() }

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

package amadeus

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

const tokenPath = "/v1/security/oauth2/token"

// tokenSource holds the OAuth2 client-credentials token. It refreshes the
// token before it expires rather than after a 401 (which would cost every
// caller a failed request every 30 minutes), and it fetches at most one
// token at a time: concurrent callers wait for the same request instead of
// each asking Amadeus for a token and tripping its rate limit.
type tokenSource struct {
	c                *Client
	clientID, secret string

	mu        sync.Mutex
	token     string
	refreshAt time.Time    // when to start asking for a new token
	expires   time.Time    // when Amadeus stops accepting this one
	flight    *tokenFlight // the token request in progress, if any
}

// tokenFlight is one token request that any number of callers wait on.
type tokenFlight struct {
	done  chan struct{}
	token string
	err   error
}

// tokenError marks a failure to get a token: the API request itself was
// never sent, so retrying is safe even for non-idempotent calls.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// get returns a token valid for at least the refresh margin.
func (s *tokenSource) get(ctx context.Context) (string, error) {
	s.mu.Lock()
	if s.token != "" && s.c.now().Before(s.refreshAt) {
		tok := s.token
		s.mu.Unlock()
		return tok, nil
	}
	f := s.flight
	if f == nil {
		f = &tokenFlight{done: make(chan struct{})}
		s.flight = f
		// Detached from the caller's cancellation: the other waiters
		// still need the token if this caller gives up.
		go s.fetch(context.WithoutCancel(ctx), f)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		if f.err != nil {
			return s.fallback(f.err)
		}
		return f.token, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// fallback keeps using the current token when an early refresh failed but
// the token has not expired yet: an Amadeus token endpoint hiccup then
// costs nothing instead of failing requests a minute early.
func (s *tokenSource) fallback(err error) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && s.c.now().Before(s.expires) {
		return s.token, nil
	}
	return "", &tokenError{err}
}

// invalidate forgets tok after Amadeus rejected it, unless another caller
// has already replaced it (so a burst of 401s causes one refresh, not many).
func (s *tokenSource) invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == tok {
		s.token = ""
	}
}

func (s *tokenSource) fetch(ctx context.Context, f *tokenFlight) {
	start := s.c.now()
	tok, lifetime, err := s.request(ctx)
	s.mu.Lock()
	if err == nil {
		// Refresh at least 60s before expiry; for tokens shorter than two
		// minutes (test servers) refresh at half-life instead, or the
		// token would be stale the moment it arrived.
		margin := min(time.Minute, lifetime/2)
		s.token, s.refreshAt, s.expires = tok, start.Add(lifetime-margin), start.Add(lifetime)
	} else if now := s.c.now(); s.token != "" && now.Before(s.expires) {
		// Keep the still-valid token and try again in a few seconds,
		// rather than making every caller wait for a failing endpoint.
		s.refreshAt = now.Add(5 * time.Second)
		if s.refreshAt.After(s.expires) {
			s.refreshAt = s.expires
		}
	}
	s.flight = nil
	s.mu.Unlock()
	f.token, f.err = tok, err
	close(f.done)
}

// request performs POST /v1/security/oauth2/token. The secret travels only
// in the form body and never appears in an error.
func (s *tokenSource) request(ctx context.Context) (string, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, s.c.timeout)
	defer cancel()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.clientID}, "client_secret": {s.secret}}
	u := s.c.base.JoinPath(tokenPath)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	status, header, body, err := s.c.roundTrip(req)
	if err != nil {
		return "", 0, err
	}
	op := "POST " + tokenPath
	if status != http.StatusOK {
		return "", 0, parseAPIError(op, status, body)
	}
	if !jsonMediaType(header.Get("Content-Type")) {
		return "", 0, &ResponseError{Op: op, Reason: fmt.Sprintf("unexpected content type %q", header.Get("Content-Type"))}
	}
	var t struct {
		AccessToken string  `json:"access_token"`
		TokenType   string  `json:"token_type"`
		ExpiresIn   flexInt `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return "", 0, &ResponseError{Op: op, Reason: "malformed JSON", Err: err}
	}
	switch {
	case t.AccessToken == "":
		return "", 0, &ResponseError{Op: op, Reason: "no access_token"}
	case !strings.EqualFold(t.TokenType, "Bearer"):
		return "", 0, &ResponseError{Op: op, Reason: fmt.Sprintf("token_type %q is not Bearer", t.TokenType)}
	case t.ExpiresIn <= 0:
		return "", 0, &ResponseError{Op: op, Reason: "expires_in missing or not positive"}
	}
	return t.AccessToken, time.Duration(t.ExpiresIn) * time.Second, nil
}

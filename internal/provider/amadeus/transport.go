package amadeus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"time"

	"pathavana/internal/apperr"
)

// maxBody caps a response body; 250 flight offers with dictionaries are a
// few megabytes, so this only stops a runaway or hostile upstream.
const maxBody = 32 << 20

// request describes one API call independently of its attempts.
type request struct {
	method string
	// path is the escaped path below the base URL, exactly as it must
	// appear on the wire ("/v1/booking/flight-orders/eJz…%2fAiY=").
	path  string
	query url.Values
	// next, when set, is an absolute paging link to follow instead.
	next *url.URL
	body []byte
	// override sends X-HTTP-Method-Override: GET, which Amadeus requires
	// on POSTs that are really searches (pricing, POST search).
	override bool
	// idempotent calls may be retried after a 5xx or a network error;
	// others (creating an order) only when the request surely was not
	// processed (429, token failure, connection refused), because a retry
	// after a lost response could book twice.
	idempotent bool
}

func (r request) op() string {
	if r.next != nil {
		return r.method + " " + r.next.EscapedPath()
	}
	return r.method + " " + r.path
}

// do runs r with token handling, retries, back-off and the breaker, and
// returns the body of the 2xx answer. Errors are *apperr.Error.
func (c *Client) do(ctx context.Context, r request) ([]byte, error) {
	if _, err := c.url(r); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the request cannot be sent to the travel provider")
	}
	refreshed := false
	for retries := 0; ; {
		if err := ctx.Err(); err != nil {
			return nil, apperr.Wrap(err, apperr.Unavailable, "the travel provider request was cancelled or timed out")
		}
		if !c.breaker.allow() {
			return nil, apperr.New(apperr.Unavailable, "the travel provider is unavailable (circuit open); try again later")
		}
		body, err := c.attempt(ctx, r)
		c.breaker.record(outcomeOf(ctx, err))
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, apperr.Wrap(err, apperr.Unavailable, "the travel provider request was cancelled or timed out")
		}
		var ae *APIError
		if errors.As(err, &ae) && ae.tokenRejected() && !refreshed {
			refreshed = true // attempt already invalidated the token
			continue
		}
		if retries >= c.maxRetries || !retryable(r, err) || !c.sleep(ctx, c.backoff(retries)) {
			return nil, toAppErr(err)
		}
		retries++
	}
}

// attempt is one HTTP exchange, including getting a token.
func (c *Client) attempt(ctx context.Context, r request) ([]byte, error) {
	tok, err := c.tokens.get(ctx)
	if err != nil {
		return nil, err
	}
	u, err := c.url(r)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/vnd.amadeus+json, application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/vnd.amadeus+json")
	}
	if r.override {
		req.Header.Set("X-HTTP-Method-Override", http.MethodGet)
	}
	status, header, respBody, err := c.roundTrip(req)
	if err != nil {
		return nil, err
	}
	if status < 200 || status > 299 {
		ae := parseAPIError(r.op(), status, respBody)
		if ae.tokenRejected() {
			c.tokens.invalidate(tok)
		}
		return nil, ae
	}
	if len(respBody) > 0 && !jsonMediaType(header.Get("Content-Type")) {
		return nil, &ResponseError{Op: r.op(), Reason: fmt.Sprintf("unexpected content type %q", header.Get("Content-Type"))}
	}
	return respBody, nil
}

// url places r.path into the base URL byte for byte. Setting both Path and
// RawPath (and checking EscapedPath) is how net/url is told to keep an
// existing escape such as the "%2f" inside an order ID instead of decoding
// it to "/" or escaping it again to "%252f".
func (c *Client) url(r request) (*url.URL, error) {
	if r.next != nil {
		return r.next, nil
	}
	u := *c.base
	raw := c.base.EscapedPath() + r.path
	p, err := url.PathUnescape(raw)
	if err != nil {
		return nil, fmt.Errorf("amadeus: invalid path %q: %w", raw, err)
	}
	u.Path, u.RawPath = p, raw
	if u.EscapedPath() != raw {
		return nil, fmt.Errorf("amadeus: path %q cannot be sent exactly", raw)
	}
	if len(r.query) > 0 {
		u.RawQuery = r.query.Encode()
	}
	return &u, nil
}

// roundTrip sends req and reads the whole (bounded) body.
func (c *Client) roundTrip(req *http.Request) (int, http.Header, []byte, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("amadeus: reading response: %w", err)
	}
	if len(body) > maxBody {
		return 0, nil, nil, &ResponseError{Op: req.Method + " " + req.URL.EscapedPath(), Reason: "response body too large"}
	}
	return resp.StatusCode, resp.Header, body, nil
}

// retryable decides whether another attempt can help.
func retryable(r request, err error) bool {
	var te *tokenError
	sent := !errors.As(err, &te)
	var ae *APIError
	var re *ResponseError
	switch {
	case errors.As(err, &ae):
		return ae.throttled() || (ae.Status >= 500 && (r.idempotent || !sent))
	case errors.As(err, &re):
		return false
	}
	var op *net.OpError
	neverSent := errors.As(err, &op) && op.Op == "dial"
	return r.idempotent || !sent || neverSent
}

// outcomeOf tells the breaker what an attempt says about Amadeus' health.
func outcomeOf(ctx context.Context, err error) outcome {
	var ae *APIError
	var re *ResponseError
	switch {
	case err == nil:
		return success
	case ctx.Err() != nil:
		return neutral
	case errors.As(err, &ae) && ae.Status >= 500:
		return failure
	case errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests:
		return neutral
	case errors.As(err, &ae):
		return success // Amadeus is up; it just disliked the request
	case errors.As(err, &re):
		return failure
	}
	return failure // network error or per-attempt timeout
}

// backoff returns the full-jitter delay before retry n (0-based).
func (c *Client) backoff(n int) time.Duration {
	ceiling := c.retryMax
	if n < 30 && c.retryBase<<n < ceiling {
		ceiling = c.retryBase << n
	}
	return rand.N(ceiling + 1)
}

// sleep waits d unless ctx ends first or its deadline would pass during
// the wait (then it returns false at once: sleeping only to fail later
// wastes the caller's remaining time).
func (c *Client) sleep(ctx context.Context, d time.Duration) bool {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// toAppErr converts an attempt's error into the application vocabulary.
func toAppErr(err error) error {
	var ae *APIError
	var re *ResponseError
	switch {
	case errors.As(err, &ae):
		return ae.appErr()
	case errors.As(err, &re):
		return apperr.Wrap(err, apperr.Unavailable, "the travel provider sent an unusable response")
	}
	return apperr.Wrap(err, apperr.Unavailable, "the travel provider could not be reached")
}

// getJSON runs r and decodes the JSON answer into v.
func (c *Client) getJSON(ctx context.Context, r request, v any) error {
	body, err := c.do(ctx, r)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return unusable(r.op(), "malformed JSON", err)
	}
	return nil
}

// unusable reports a 2xx answer whose content cannot be used.
func unusable(op, reason string, err error) error {
	return apperr.Wrap(&ResponseError{Op: op, Reason: reason, Err: err}, apperr.Unavailable,
		"the travel provider sent an unusable response")
}

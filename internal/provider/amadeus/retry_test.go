package amadeus

import (
	"context"
	"errors"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/testkit/amadeusfake"
)

func searches(e *env) int { return len(e.fake.RequestsTo("/v2/shopping/flight-offers")) }

func Test429BackOffThenSuccess(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	e.fake.SetFaults(amadeusfake.Faults{RateLimited: 2})
	if err := e.search(t); err != nil {
		t.Fatalf("search after two 429s: %v", err)
	}
	if n := searches(e); n != 3 {
		t.Fatalf("attempts = %d, want 3", n)
	}
}

func Test429AttemptsBounded(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{}, func(c *Config) { c.MaxRetries = 2 })
	e.fake.SetFaults(amadeusfake.Faults{RateLimited: 100})
	err := e.search(t)
	if apperr.CodeOf(err) != apperr.RateLimited {
		t.Fatalf("code = %q (%v), want rate_limited", apperr.CodeOf(err), err)
	}
	if ae, _ := apperr.As(err); ae.RetryAfter <= 0 {
		t.Fatal("rate-limited error without RetryAfter")
	}
	if n := searches(e); n != 3 {
		t.Fatalf("attempts = %d, want 1 + MaxRetries = 3", n)
	}
	if e.client.BreakerState() != "closed" {
		t.Fatal("429s must not open the breaker")
	}
}

func TestQuotaNotRetried(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	e.fake.SetFaults(amadeusfake.Faults{QuotaExceeded: true})
	err := e.search(t)
	var ae *APIError
	if apperr.CodeOf(err) != apperr.Unavailable || !errors.As(err, &ae) || ae.Code != CodeQuotaExceeded {
		t.Fatalf("quota error = %v", err)
	}
	if n := searches(e); n != 1 {
		t.Fatalf("attempts = %d, want 1: the monthly quota is never retried", n)
	}
}

func TestTPSLimitOfFake(t *testing.T) {
	// The fake's real per-client TPS limit: a burst beyond it gets 429s,
	// which the client absorbs with back-off.
	e := newEnv(t, amadeusfake.Options{TPS: 3}, func(c *Config) {
		c.RetryBase, c.RetryMax, c.MaxRetries = 200*time.Millisecond, time.Second, 6
	})
	for range 5 {
		if err := e.search(t); err != nil {
			t.Fatal(err)
		}
	}
	if n := searches(e); n <= 5 {
		t.Fatalf("attempts = %d: expected some 429s from a 3-TPS limit", n)
	}
}

func TestServerErrorsRetriedThenSucceed(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	e.fake.SetFaults(amadeusfake.Faults{ServerErrors: 2, StringErrors: true})
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	if n := searches(e); n != 3 {
		t.Fatalf("attempts = %d, want 3", n)
	}
}

func TestBreakerOpensAndRecovers(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{}, func(c *Config) {
		c.MaxRetries = 2
		c.Breaker = BreakerConfig{Failures: 4, CoolDown: time.Minute}
	})
	if err := e.search(t); err != nil { // get a token first
		t.Fatal(err)
	}
	e.fake.ResetRequests()
	e.fake.SetFaults(amadeusfake.Faults{ServerErrors: 1000})
	err := e.search(t) // 3 failed attempts
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("5xx: %v", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 500 || ae.Code != 141 {
		t.Fatalf("5xx APIError = %+v", ae)
	}
	if n := searches(e); n != 3 {
		t.Fatalf("attempts = %d, want 3", n)
	}
	if err := e.search(t); apperr.CodeOf(err) != apperr.Unavailable { // fourth failure opens; the retry is refused
		t.Fatalf("second search: %v", err)
	}
	if e.client.BreakerState() != "open" {
		t.Fatalf("breaker = %s after 4 failures", e.client.BreakerState())
	}
	if n := searches(e); n != 4 {
		t.Fatalf("attempts = %d, want 4 (the open breaker stops the rest)", n)
	}
	before := searches(e)
	err = e.search(t)
	if apperr.CodeOf(err) != apperr.Unavailable || errors.As(err, &ae) {
		t.Fatalf("open breaker should fail fast without calling Amadeus: %v", err)
	}
	if searches(e) != before {
		t.Fatal("open breaker let a request through")
	}

	e.fake.SetFaults(amadeusfake.Faults{}) // Amadeus recovers
	e.clock.Advance(59 * time.Second)
	if e.search(t) == nil || searches(e) != before {
		t.Fatal("breaker let a request through before the cool-down")
	}
	e.clock.Advance(time.Second)
	if e.client.BreakerState() != "half-open" {
		t.Fatalf("breaker = %s after the cool-down", e.client.BreakerState())
	}
	if err := e.search(t); err != nil {
		t.Fatalf("probe after cool-down: %v", err)
	}
	if e.client.BreakerState() != "closed" {
		t.Fatalf("breaker = %s after a successful probe", e.client.BreakerState())
	}
}

func TestTimeoutsRetriedAndContextRespected(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{}, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	if err := e.search(t); err != nil {
		t.Fatal(err)
	}
	e.fake.SetFaults(amadeusfake.Faults{Latency: time.Second})
	start := time.Now()
	err := e.search(t)
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("timeout: %v", err)
	}
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Fatalf("two 50ms attempts took %s", el)
	}
	if n := searches(e); n != 3 {
		t.Fatalf("attempts = %d, want 1 + 2", n)
	}

	// The caller's deadline bounds the whole call, retries included.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	slow := newEnv(t, amadeusfake.Options{}, func(c *Config) { c.RetryBase, c.RetryMax, c.MaxRetries = time.Second, time.Second, 10 })
	slow.fake.SetFaults(amadeusfake.Faults{RateLimited: 1000})
	start = time.Now()
	_, err = slow.client.SearchFlightOffers(ctx, sydMnl())
	if err == nil || time.Since(start) > 500*time.Millisecond {
		t.Fatalf("deadline not respected: %v after %s", err, time.Since(start))
	}
}

func TestCreateOrderNotRetriedOn5xx(t *testing.T) {
	e := newEnv(t, amadeusfake.Options{})
	priced := priceOne(t, e)
	e.fake.SetFaults(amadeusfake.Faults{ServerErrors: 1})
	_, err := e.client.CreateFlightOrder(context.Background(), FlightOrderRequest{Offers: priced, Travelers: travelers()})
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("order on 5xx: %v", err)
	}
	if n := len(e.fake.RequestsTo("/v1/booking/flight-orders")); n != 1 {
		t.Fatalf("order attempts = %d: a booking must not be retried after a 5xx", n)
	}
	e.fake.SetFaults(amadeusfake.Faults{RateLimited: 1})
	if _, err := e.client.CreateFlightOrder(context.Background(), FlightOrderRequest{Offers: priced, Travelers: travelers()}); err != nil {
		t.Fatalf("order after a 429 (safe to retry): %v", err)
	}
}

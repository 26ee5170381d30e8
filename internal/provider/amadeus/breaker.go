package amadeus

import (
	"sync"
	"time"
)

// BreakerConfig tunes the circuit breaker.
type BreakerConfig struct {
	// Failures is how many consecutive failed attempts (5xx, network
	// errors, timeouts) open the breaker (default 5).
	Failures int
	// CoolDown is how long the breaker stays open before letting one probe
	// through (default 30s).
	CoolDown time.Duration
}

type breakerState int

const (
	closed breakerState = iota
	open
	halfOpen
)

func (s breakerState) String() string {
	return [...]string{"closed", "open", "half-open"}[s]
}

// outcome is what one attempt tells the breaker.
type outcome int

const (
	success outcome = iota // Amadeus answered (2xx or a 4xx about our input)
	failure                // Amadeus is down or unreachable (5xx, network, timeout)
	neutral                // says nothing about health (429, caller cancelled)
)

// breaker stops calls to an Amadeus that is failing, so that a dead
// upstream costs each user request one fast Unavailable instead of
// Timeout×retries, and so that the upstream gets room to recover.
//
// closed → (Failures consecutive failures) → open → (CoolDown) → half-open,
// which admits exactly one probe: its success closes the breaker, its
// failure reopens it for another CoolDown.
type breaker struct {
	failures int
	coolDown time.Duration
	now      func() time.Time

	mu          sync.Mutex
	state       breakerState
	consecutive int
	openedAt    time.Time
	probing     bool
}

func newBreaker(cfg BreakerConfig, now func() time.Time) *breaker {
	b := &breaker{failures: cfg.Failures, coolDown: orDefault(cfg.CoolDown, 30*time.Second), now: now}
	if b.failures <= 0 {
		b.failures = 5
	}
	return b
}

// allow reports whether an attempt may go ahead. In half-open state it
// admits the first caller as the probe and turns away the rest.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case open:
		if b.now().Sub(b.openedAt) < b.coolDown {
			return false
		}
		b.state, b.probing = halfOpen, true
		return true
	case halfOpen:
		if b.probing {
			return false
		}
		b.probing = true
		return true
	}
	return true
}

// record reports the outcome of an attempt that allow admitted.
func (b *breaker) record(o outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch o {
	case success:
		b.state, b.consecutive, b.probing = closed, 0, false
	case failure:
		switch b.state {
		case halfOpen:
			b.trip()
		case closed:
			b.consecutive++
			if b.consecutive >= b.failures {
				b.trip()
			}
		}
		// Already open: a straggler's failure must not extend the cool-down.
	case neutral:
		if b.state == halfOpen {
			b.probing = false // let the next caller probe instead
		}
	}
}

func (b *breaker) trip() {
	b.state, b.openedAt, b.probing, b.consecutive = open, b.now(), false, 0
}

// State names the current state.
func (b *breaker) State() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == open && b.now().Sub(b.openedAt) >= b.coolDown {
		return halfOpen.String()
	}
	return b.state.String()
}

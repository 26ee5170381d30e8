package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pathavana/internal/jobs"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

type greeting struct {
	To    string            `json:"to"`
	N     []int             `json:"n"`
	Note  string            `json:"note"`
	Extra map[string]string `json:"extra"`
}

func TestSuccessMarksSucceededWithPayloadIntact(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		obs := &observer{}
		r := newRunner(t, db, clock, jobs.Options{WorkerID: "w1", Observer: obs})
		sent := greeting{To: "a@example.com", N: []int{1, 2, 3}, Note: "ünïcödé \"quoted\" <tag> & \\ \n",
			Extra: map[string]string{"k": "v"}}
		var got []byte
		var hadDeadline bool
		r.Handle("greet", func(ctx context.Context, payload []byte) error {
			got = append([]byte(nil), payload...)
			_, hadDeadline = ctx.Deadline()
			clock.Advance(3 * time.Second) // the observer reports clock time
			return nil
		})
		id := enqueue(t, db, "greet", sent, start, 0)

		drain(t, r, 1)
		j := wantState(t, db, id, model.JobSucceeded)
		if j.Attempts != 1 || j.LastError != "" || j.LockedUntil != nil || j.LockedBy != "w1" {
			t.Fatalf("succeeded job = %+v", j)
		}
		if j.FinishedAt == nil || !j.FinishedAt.Equal(start.Add(3*time.Second)) {
			t.Fatalf("FinishedAt = %v, want %v", j.FinishedAt, start.Add(3*time.Second))
		}
		var dec greeting
		must(t, json.Unmarshal(got, &dec))
		if !reflect.DeepEqual(dec, sent) {
			t.Fatalf("handler got %+v, want %+v", dec, sent)
		}
		want, _ := json.Marshal(sent)
		jsonEqual(t, j.Payload, want)
		if !hadDeadline {
			t.Error("handler context has no deadline")
		}
		if o := obs.outcomes(); !reflect.DeepEqual(o, []outcome{{"greet", "succeeded"}}) {
			t.Fatalf("observer = %v", o)
		}
		if obs.durs[0] != 3*time.Second {
			t.Fatalf("observed duration = %v, want 3s on the runner's clock", obs.durs[0])
		}
		// Nothing left; a succeeded job is never run again.
		clock.Advance(24 * time.Hour)
		drain(t, r, 0)
	})
}

func TestFutureJobWaitsForRunAt(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		r := newRunner(t, db, clock, jobs.Options{})
		var calls atomic.Int32
		r.Handle("later", func(context.Context, []byte) error { calls.Add(1); return nil })
		id := enqueue(t, db, "later", nil, start.Add(time.Minute), 0)
		drain(t, r, 0)
		clock.Advance(time.Minute - time.Microsecond)
		drain(t, r, 0)
		clock.Advance(time.Microsecond)
		drain(t, r, 1)
		wantState(t, db, id, model.JobSucceeded)
		if calls.Load() != 1 {
			t.Fatalf("handler ran %d times", calls.Load())
		}
	})
}

// backoffBounds mirrors Backoff's contract: the base doubles from 10s per
// attempt, capped at an hour, and jitter picks from [base/2, base].
func backoffBounds(attempt int) (lo, hi time.Duration) {
	d := 10 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	return d / 2, d
}

func TestBackoff(t *testing.T) {
	for attempt := 0; attempt <= 40; attempt++ {
		lo, hi := backoffBounds(attempt)
		seen := map[time.Duration]bool{}
		for range 200 {
			d := jobs.Backoff(attempt)
			if d < lo || d > hi {
				t.Fatalf("Backoff(%d) = %v, want within [%v, %v]", attempt, d, lo, hi)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("Backoff(%d) has no jitter: always %v", attempt, jobs.Backoff(attempt))
		}
	}
	if lo, hi := backoffBounds(1); lo != 5*time.Second || hi != 10*time.Second {
		t.Fatalf("first retry bounds [%v, %v]", lo, hi)
	}
	if lo, hi := backoffBounds(100); lo != 30*time.Minute || hi != time.Hour {
		t.Fatalf("capped bounds [%v, %v]", lo, hi)
	}
}

func TestErrorRetriesWithBackoffThenFails(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		obs := &observer{}
		r := newRunner(t, db, clock, jobs.Options{WorkerID: "w1", Observer: obs})
		var calls atomic.Int32
		r.Handle("flaky", func(context.Context, []byte) error {
			return fmt.Errorf("smtp: 451 try again later (call %d)", calls.Add(1))
		})
		id := enqueue(t, db, "flaky", map[string]int{"x": 1}, start, 3)

		for attempt := 1; attempt <= 2; attempt++ {
			now := clock.Now()
			drain(t, r, 1)
			j := wantState(t, db, id, model.JobPending)
			wantErr := fmt.Sprintf("smtp: 451 try again later (call %d)", attempt)
			if j.Attempts != attempt || j.LastError != wantErr || j.LockedBy != "" || j.LockedUntil != nil || j.FinishedAt != nil {
				t.Fatalf("after attempt %d: %+v", attempt, j)
			}
			lo, hi := backoffBounds(attempt)
			// The store keeps microseconds, so allow that much truncation.
			if delay := j.RunAt.Sub(now); delay < lo-time.Microsecond || delay > hi {
				t.Fatalf("attempt %d: retry in %v, want within [%v, %v]", attempt, delay, lo, hi)
			}
			// Not claimed again before run_at, by this runner or any other.
			drain(t, r, 0)
			clock.Advance(j.RunAt.Sub(clock.Now()) - time.Microsecond)
			drain(t, r, 0)
			other := newRunner(t, db, clock, jobs.Options{WorkerID: "w2"})
			other.Handle("flaky", func(context.Context, []byte) error { t.Error("claimed before run_at"); return nil })
			drain(t, other, 0)
			clock.Advance(time.Microsecond)
		}

		// Third and last attempt fails for good.
		drain(t, r, 1)
		j := wantState(t, db, id, model.JobFailed)
		if j.Attempts != 3 || j.LastError != "smtp: 451 try again later (call 3)" || j.FinishedAt == nil ||
			!j.FinishedAt.Equal(clock.Now()) || j.LockedUntil != nil {
			t.Fatalf("failed job = %+v", j)
		}
		clock.Advance(48 * time.Hour)
		drain(t, r, 0)
		if calls.Load() != 3 {
			t.Fatalf("handler ran %d times, want 3", calls.Load())
		}
		want := []outcome{{"flaky", "retried"}, {"flaky", "retried"}, {"flaky", "failed"}}
		if o := obs.outcomes(); !reflect.DeepEqual(o, want) {
			t.Fatalf("observer = %v, want %v", o, want)
		}
	})
}

func TestPermanentErrorFailsAtOnce(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		obs := &observer{}
		r := newRunner(t, db, clock, jobs.Options{Observer: obs})
		var calls atomic.Int32
		r.Handle("bad", func(context.Context, []byte) error {
			calls.Add(1)
			return jobs.Permanent(fmt.Errorf("bad payload: %w", io.ErrUnexpectedEOF))
		})
		// Permanent still counts when wrapped again further up.
		r.Handle("wrapped", func(context.Context, []byte) error {
			calls.Add(1)
			return fmt.Errorf("send: %w", jobs.Permanent(errors.New("550 no such user")))
		})
		bad := enqueue(t, db, "bad", nil, start.Add(-time.Microsecond), 5)
		wrapped := enqueue(t, db, "wrapped", nil, start, 5)
		drain(t, r, 2)
		if j := wantState(t, db, bad, model.JobFailed); j.Attempts != 1 || j.LastError != "bad payload: unexpected EOF" || j.FinishedAt == nil {
			t.Fatalf("bad job = %+v", j)
		}
		if j := wantState(t, db, wrapped, model.JobFailed); j.Attempts != 1 || j.LastError != "send: 550 no such user" {
			t.Fatalf("wrapped job = %+v", j)
		}
		clock.Advance(48 * time.Hour)
		drain(t, r, 0)
		if calls.Load() != 2 {
			t.Fatalf("handlers ran %d times, want 2", calls.Load())
		}
		want := []outcome{{"bad", "failed"}, {"wrapped", "failed"}}
		if o := obs.outcomes(); !reflect.DeepEqual(o, want) {
			t.Fatalf("observer = %v, want %v", o, want)
		}
	})
}

func TestPermanentUnwraps(t *testing.T) {
	base := io.ErrUnexpectedEOF
	p := jobs.Permanent(base)
	if !errors.Is(p, base) || p.Error() != base.Error() {
		t.Fatalf("Permanent(%v) = %v, does not wrap it", base, p)
	}
}

func TestPanickingHandlerFailsAndWorkerSurvives(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		obs := &observer{}
		r := newRunner(t, db, clock, jobs.Options{Concurrency: 1, Observer: obs})
		r.Handle("boom", func(context.Context, []byte) error { panic("nil map somewhere") })
		done := make(chan string, 10)
		r.Handle("ok", func(_ context.Context, p []byte) error { done <- string(p); return nil })
		// With one slot and oldest-first claiming, the panic comes first.
		boom := enqueue(t, db, "boom", nil, start.Add(-2*time.Second), 3)
		ok1 := enqueue(t, db, "ok", "first", start.Add(-time.Second), 3)
		stop := runInBackground(t, r)
		if got := recv(t, done, "first ok job"); got != `"first"` {
			t.Fatalf("ok handler got %s", got)
		}
		// Still working: a job enqueued now is picked up by the next poll.
		ok2 := enqueue(t, db, "ok", "second", start, 3)
		if got := recv(t, done, "second ok job"); got != `"second"` {
			t.Fatalf("ok handler got %s", got)
		}
		stop()
		j := wantState(t, db, boom, model.JobFailed)
		if j.Attempts != 1 || !strings.Contains(j.LastError, "panicked") || !strings.Contains(j.LastError, "nil map somewhere") {
			t.Fatalf("panicked job = %+v", j)
		}
		wantState(t, db, ok1, model.JobSucceeded)
		wantState(t, db, ok2, model.JobSucceeded)
		want := []outcome{{"boom", "failed"}, {"ok", "succeeded"}, {"ok", "succeeded"}}
		if o := obs.outcomes(); !reflect.DeepEqual(o, want) {
			t.Fatalf("observer = %v, want %v", o, want)
		}
	})
}

func TestUnknownKindIsLeftForARunnerThatKnowsIt(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		r := newRunner(t, db, clock, jobs.Options{})
		r.Handle("known", func(context.Context, []byte) error { return nil })
		if k := r.Kinds(); !reflect.DeepEqual(k, []string{"known"}) {
			t.Fatalf("Kinds = %v", k)
		}
		mystery := enqueue(t, db, "mystery", nil, start, 0)
		known := enqueue(t, db, "known", nil, start, 0)
		drain(t, r, 1)
		wantState(t, db, known, model.JobSucceeded)
		// During a rolling deploy an older worker must not take (and fail)
		// a kind only newer workers handle.
		if j := wantState(t, db, mystery, model.JobPending); j.Attempts != 0 {
			t.Fatalf("mystery job = %+v", j)
		}

		// A runner with no handlers at all claims nothing either: an empty
		// kind list must not mean "every kind" here.
		empty := newRunner(t, db, clock, jobs.Options{})
		drain(t, empty, 0)
		if j := wantState(t, db, mystery, model.JobPending); j.Attempts != 0 {
			t.Fatalf("mystery job after empty runner = %+v", j)
		}

		newer := newRunner(t, db, clock, jobs.Options{})
		var got atomic.Int32
		newer.Handle("mystery", func(context.Context, []byte) error { got.Add(1); return nil })
		drain(t, newer, 1)
		wantState(t, db, mystery, model.JobSucceeded)
		if got.Load() != 1 {
			t.Fatalf("mystery handler ran %d times", got.Load())
		}
	})
}

// A handler that overruns its deadline (90% of the lease) still has its
// failure recorded: the retry is scheduled with back-off and the error kept,
// rather than the job sitting "running" until its lease runs out.
func TestHandlerDeadlineIsRecordedAsRetry(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		obs := &observer{}
		const lease = 300 * time.Millisecond
		r := newRunner(t, db, clock, jobs.Options{Lease: lease, Observer: obs})
		var mu sync.Mutex
		var left time.Duration
		r.Handle("slow", func(ctx context.Context, _ []byte) error {
			dl, _ := ctx.Deadline()
			mu.Lock()
			left = time.Until(dl)
			mu.Unlock()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(waitLimit):
				return errors.New("deadline never came")
			}
		})
		id := enqueue(t, db, "slow", nil, start, 3)
		drain(t, r, 1)
		mu.Lock()
		if left <= 0 || left > lease*9/10 {
			t.Errorf("handler deadline %v away, want within 90%% of the %v lease", left, lease)
		}
		mu.Unlock()
		j := wantState(t, db, id, model.JobPending)
		if j.Attempts != 1 || !strings.Contains(j.LastError, "deadline exceeded") {
			t.Fatalf("timed-out job = %+v", j)
		}
		if lo, _ := backoffBounds(1); j.RunAt.Before(start.Add(lo - time.Microsecond)) {
			t.Fatalf("retry at %v, want back-off from %v", j.RunAt, start)
		}
		if o := obs.outcomes(); !reflect.DeepEqual(o, []outcome{{"slow", "retried"}}) {
			t.Fatalf("observer = %v", o)
		}
	})
}

func TestNewEncodesPayload(t *testing.T) {
	j, err := jobs.New("mail", map[string]any{"to": "a@example.com"})
	must(t, err)
	if j.Kind != "mail" || string(j.Payload) != `{"to":"a@example.com"}` {
		t.Fatalf("New = %+v", j)
	}
	if _, err := jobs.New("mail", make(chan int)); err == nil || !strings.Contains(err.Error(), "mail") {
		t.Fatalf("New with unencodable payload: err = %v", err)
	}
}

// Interrupting Drain (Ctrl-C on `pathavana worker --once`) mid-job still
// records that job's outcome before Drain returns.
func TestDrainInterruptedMidJobRecordsOutcome(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		r := newRunner(t, db, clock, jobs.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		r.Handle("long", func(hctx context.Context, _ []byte) error {
			cancel()
			<-hctx.Done()
			return hctx.Err()
		})
		id := enqueue(t, db, "long", nil, start.Add(-time.Microsecond), 3)
		other := enqueue(t, db, "long", nil, start, 3)
		n, err := r.Drain(ctx)
		if n != 1 || !errors.Is(err, context.Canceled) {
			t.Fatalf("Drain = %d, %v; want 1, context.Canceled", n, err)
		}
		if j := wantState(t, db, id, model.JobPending); j.Attempts != 1 || j.LastError != context.Canceled.Error() {
			t.Fatalf("interrupted job = %+v", j)
		}
		// The next job is neither run with a dead context nor left leased.
		if j := wantState(t, db, other, model.JobPending); j.Attempts != 0 {
			t.Fatalf("second job = %+v", j)
		}
	})
}

package jobs_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/jobs"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// claimAndDie claims the job of kind as worker "dead" would, and then never
// reports back, as if the process had been killed mid-job.
func claimAndDie(t *testing.T, db *store.DB, clock *testkit.Clock, kind string, lease time.Duration) model.Job {
	t.Helper()
	got, err := db.ClaimJobs(context.Background(), "dead", []string{kind}, 1, lease, clock.Now())
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("dead worker claimed %d jobs, want 1", len(got))
	}
	return got[0]
}

func TestDeadWorkersJobIsReclaimedAfterLease(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := testkit.NewClock(start)
		const lease = time.Minute
		obs := &observer{}
		r := newRunner(t, db, clock, jobs.Options{WorkerID: "alive", Lease: lease, Observer: obs})
		var calls atomic.Int32
		var payload atomic.Value
		r.Handle("export", func(_ context.Context, p []byte) error {
			calls.Add(1)
			payload.Store(string(p))
			return nil
		})
		id := enqueue(t, db, "export", map[string]string{"user": "u1"}, start, 3)
		dead := claimAndDie(t, db, clock, "export", lease)
		if dead.ID != id || dead.Attempts != 1 {
			t.Fatalf("dead claim = %+v", dead)
		}

		// The lease still holds: nobody else may take the job.
		drain(t, r, 0)
		clock.Advance(lease - time.Microsecond)
		drain(t, r, 0)
		if calls.Load() != 0 {
			t.Fatal("job ran while another worker held its lease")
		}

		clock.Advance(2 * time.Microsecond)
		drain(t, r, 1)
		j := wantState(t, db, id, model.JobSucceeded)
		if j.Attempts != 2 || j.LockedBy != "alive" || calls.Load() != 1 {
			t.Fatalf("reclaimed job = %+v, handler calls %d", j, calls.Load())
		}
		jsonEqual(t, []byte(payload.Load().(string)), []byte(`{"user":"u1"}`))

		// The dead worker coming back late cannot overwrite the result.
		for name, err := range map[string]error{
			"complete": db.CompleteJob(ctx, id, "dead", clock.Now()),
			"retry":    db.RetryJob(ctx, id, "dead", clock.Now(), "late"),
			"fail":     db.FailJob(ctx, id, "dead", "late", clock.Now()),
		} {
			if apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("late %s by dead worker: err = %v, want conflict", name, err)
			}
		}
		wantState(t, db, id, model.JobSucceeded)
		if o := obs.outcomes(); !reflect.DeepEqual(o, []outcome{{"export", "succeeded"}}) {
			t.Fatalf("observer = %v", o)
		}
	})
}

func TestDeadWorkersJobIsReclaimedByRun(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		const lease = time.Minute
		r := newRunner(t, db, clock, jobs.Options{WorkerID: "alive", Lease: lease})
		done := make(chan struct{}, 1)
		r.Handle("export", func(context.Context, []byte) error { done <- struct{}{}; return nil })
		id := enqueue(t, db, "export", nil, start, 3)
		claimAndDie(t, db, clock, "export", lease)
		stop := runInBackground(t, r)
		clock.Advance(lease + time.Second)
		recv(t, done, "reclaimed job to run")
		stop()
		if j := wantState(t, db, id, model.JobSucceeded); j.Attempts != 2 || j.LockedBy != "alive" {
			t.Fatalf("reclaimed job = %+v", j)
		}
	})
}

func TestJobThatKeepsKillingItsWorkerFails(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		const lease = time.Minute
		obs := &observer{}
		r := newRunner(t, db, clock, jobs.Options{WorkerID: "alive", Lease: lease, Observer: obs})
		var calls atomic.Int32
		r.Handle("poison", func(context.Context, []byte) error { calls.Add(1); return nil })
		id := enqueue(t, db, "poison", nil, start, 2)

		// Both allowed attempts die mid-job.
		for range 2 {
			claimAndDie(t, db, clock, "poison", lease)
			clock.Advance(lease + time.Second)
		}
		// The third claim exceeds MaxAttempts: fail without running it.
		drain(t, r, 1)
		j := wantState(t, db, id, model.JobFailed)
		if j.Attempts != 3 || !strings.Contains(j.LastError, "gave up after 2 attempts") || j.FinishedAt == nil {
			t.Fatalf("poison job = %+v", j)
		}
		if calls.Load() != 0 {
			t.Fatalf("handler ran %d times for a job past MaxAttempts", calls.Load())
		}
		if o := obs.outcomes(); !reflect.DeepEqual(o, []outcome{{"poison", "failed"}}) {
			t.Fatalf("observer = %v", o)
		}
		clock.Advance(48 * time.Hour)
		drain(t, r, 0)
	})
}

// A job whose worker died on its last allowed attempt is not run again,
// but one that died earlier gets its remaining attempts.
func TestDiedOnceThenErrorsUsesRemainingAttempts(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		const lease = time.Minute
		r := newRunner(t, db, clock, jobs.Options{Lease: lease})
		var calls atomic.Int32
		r.Handle("k", func(context.Context, []byte) error { calls.Add(1); return context.DeadlineExceeded })
		id := enqueue(t, db, "k", nil, start, 2)
		claimAndDie(t, db, clock, "k", lease)
		clock.Advance(lease + time.Second)
		drain(t, r, 1) // attempt 2 of 2 errors: that was the last one
		if j := wantState(t, db, id, model.JobFailed); j.Attempts != 2 {
			t.Fatalf("job = %+v", j)
		}
		if calls.Load() != 1 {
			t.Fatalf("handler ran %d times, want 1", calls.Load())
		}
	})
}

// Drain runs jobs one after another, so it must not hold leases on jobs it
// has not started: while a long job runs, those leases would expire and
// another worker would run the same jobs too.
func TestDrainHoldsNoLeaseOnJobsItHasNotStarted(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := testkit.NewClock(start)
		const lease = time.Minute
		r := newRunner(t, db, clock, jobs.Options{Lease: lease, Concurrency: 4})
		var mu sync.Mutex
		ran := map[string]int{}
		r.Handle("k", func(_ context.Context, p []byte) error {
			mu.Lock()
			ran[string(p)]++
			first := len(ran) == 1 && ran[string(p)] == 1
			mu.Unlock()
			if first {
				// A long first job: meanwhile another replica takes what
				// is due and finishes it.
				clock.Advance(2 * lease)
				got, err := db.ClaimJobs(ctx, "other", []string{"k"}, 10, lease, clock.Now())
				must(t, err)
				for _, j := range got {
					must(t, db.CompleteJob(ctx, j.ID, "other", clock.Now()))
				}
			}
			return nil
		})
		a := enqueue(t, db, "k", "a", start.Add(-time.Microsecond), 0)
		b := enqueue(t, db, "k", "b", start, 0)
		n, err := r.Drain(ctx)
		must(t, err)
		if n != 1 {
			t.Fatalf("Drain ran %d jobs, want 1 (the other replica took b)", n)
		}
		mu.Lock()
		defer mu.Unlock()
		if ran[`"b"`] != 0 {
			t.Fatalf("job b ran here too (runs: %v)", ran)
		}
		wantState(t, db, a, model.JobSucceeded)
		if j := wantState(t, db, b, model.JobSucceeded); j.LockedBy != "other" || j.Attempts != 1 {
			t.Fatalf("b = %+v", j)
		}
	})
}

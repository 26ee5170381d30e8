package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pathavana/internal/jobs"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func TestRunIsConcurrentAndWaitsForInFlightJobsOnShutdown(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		const conc = 4
		r := newRunner(t, db, clock, jobs.Options{Concurrency: conc})
		var inFlight, peak atomic.Int32
		started := make(chan int, 10)
		release := make(chan struct{})
		var finished atomic.Int32
		var ctxErrs atomic.Int32
		r.Handle("block", func(ctx context.Context, p []byte) error {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			var i int
			_ = json.Unmarshal(p, &i)
			started <- i
			// Every handler waits for all of them: only parallel execution
			// gets past this barrier.
			select {
			case <-release:
			case <-time.After(waitLimit):
				return fmt.Errorf("never released")
			}
			if ctx.Err() != nil {
				ctxErrs.Add(1) // shutdown must not cancel running jobs
			}
			finished.Add(1)
			return nil
		})
		ids := make([]string, 6)
		for i := range ids {
			// All due; oldest first, so jobs 0-3 are the ones claimed.
			ids[i] = enqueue(t, db, "block", i, start.Add(time.Duration(i-len(ids))*time.Microsecond), 0)
		}

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		runDone := make(chan error, 1)
		go func() { runDone <- r.Run(ctx) }()

		seen := map[int]bool{}
		for range conc {
			seen[recv(t, started, "a handler to start")] = true
		}
		// All four slots busy: the two youngest jobs wait, unclaimed.
		for i := range conc {
			if !seen[i] {
				t.Errorf("job %d not among the first %d started: %v", i, conc, seen)
			}
		}
		if c := counts(t, db); c[model.JobRunning] != conc || c[model.JobPending] != 2 {
			t.Fatalf("counts with every slot busy = %v", c)
		}

		cancel()
		// Run must not return while handlers are still running. (A short
		// wait can only miss a bug, never invent one.)
		select {
		case err := <-runDone:
			t.Fatalf("Run returned (%v) with %d handlers still running", err, inFlight.Load())
		case <-time.After(50 * time.Millisecond):
		}
		close(release)
		if err := recv(t, runDone, "Run to return after release"); err != nil {
			t.Fatalf("Run: %v", err)
		}
		// Returned only after every in-flight handler finished and its
		// outcome was recorded.
		if finished.Load() != conc || inFlight.Load() != 0 {
			t.Fatalf("Run returned with finished=%d inFlight=%d", finished.Load(), inFlight.Load())
		}
		if ctxErrs.Load() != 0 {
			t.Fatalf("%d handlers saw their context cancelled by shutdown", ctxErrs.Load())
		}
		if p := peak.Load(); p != conc {
			t.Fatalf("peak concurrency %d, want %d", p, conc)
		}
		for i, id := range ids {
			want := model.JobSucceeded
			if i >= conc {
				want = model.JobPending
			}
			wantState(t, db, id, want)
		}
		select {
		case i := <-started:
			t.Fatalf("job %d started after shutdown", i)
		default:
		}
	})
}

func TestRunPicksUpNewJobsAndStopsPromptlyWhenIdle(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		cs := &countingStore{Store: db}
		r := jobs.NewRunner(cs, testLog(t), jobs.Options{Now: clock.Now, PollInterval: 10 * time.Millisecond})
		done := make(chan string, 1)
		r.Handle("ping", func(_ context.Context, p []byte) error { done <- string(p); return nil })
		stop := runInBackground(t, r)
		eventually(t, "the runner to poll", func() bool { return cs.claims.Load() >= 2 })
		id := enqueue(t, db, "ping", "hello", start, 0)
		if got := recv(t, done, "ping"); got != `"hello"` {
			t.Fatalf("payload = %s", got)
		}
		stop()
		wantState(t, db, id, model.JobSucceeded)
	})
}

func TestTwoRunnersNeverRunAJobTwice(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		const total = 200
		var mu sync.Mutex
		runs := map[int]int{}
		byWorker := map[string]int{}
		all := make(chan struct{})
		var doneCount atomic.Int32
		handler := func(worker string) jobs.Handler {
			return func(_ context.Context, p []byte) error {
				var n int
				if err := json.Unmarshal(p, &n); err != nil {
					return jobs.Permanent(err)
				}
				mu.Lock()
				runs[n]++
				byWorker[worker]++
				mu.Unlock()
				runtime.Gosched()
				if doneCount.Add(1) == total {
					close(all)
				}
				return nil
			}
		}
		ids := make([]string, total)
		for i := range total {
			ids[i] = enqueue(t, db, "count", i, start, 0)
		}
		var stops []func()
		for _, w := range []string{"replica-a", "replica-b"} {
			r := newRunner(t, db, clock, jobs.Options{WorkerID: w, Concurrency: 4})
			r.Handle("count", handler(w))
			stops = append(stops, runInBackground(t, r))
		}
		recv(t, all, fmt.Sprintf("all %d jobs to run", total))
		for _, stop := range stops {
			stop()
		}

		mu.Lock()
		defer mu.Unlock()
		for i := range total {
			if runs[i] != 1 {
				t.Errorf("job %d ran %d times", i, runs[i])
			}
		}
		if len(runs) != total {
			t.Errorf("%d distinct jobs ran, want %d", len(runs), total)
		}
		t.Logf("work split: %v", byWorker)
		if c := counts(t, db); c[model.JobSucceeded] != total || c[model.JobPending]+c[model.JobRunning]+c[model.JobFailed] != 0 {
			t.Fatalf("counts = %v", c)
		}
		for _, id := range ids {
			if j := getJob(t, db, id); j.Attempts != 1 {
				t.Fatalf("job %s claimed %d times", id, j.Attempts)
			}
		}
	})
}

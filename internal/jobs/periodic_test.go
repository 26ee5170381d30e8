package jobs_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pathavana/internal/jobs"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// countingStore wraps the store to count calls, so tests can wait for a
// runner to have polled instead of sleeping.
type countingStore struct {
	jobs.Store
	enqueues atomic.Int64
	claims   atomic.Int64
}

func (c *countingStore) EnqueueJob(ctx context.Context, j model.Job) (string, bool, error) {
	c.enqueues.Add(1)
	return c.Store.EnqueueJob(ctx, j)
}

func (c *countingStore) ClaimJobs(ctx context.Context, workerID string, kinds []string, limit int,
	lease time.Duration, now time.Time) ([]model.Job, error) {
	c.claims.Add(1)
	return c.Store.ClaimJobs(ctx, workerID, kinds, limit, lease, now)
}

func totalJobs(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	for _, c := range counts(t, db) {
		n += c
	}
	return n
}

func TestEveryEnqueuesOncePerPeriodAcrossReplicas(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := testkit.NewClock(start) // 12:00:00.123456
		var calls atomic.Int32
		replicas := make([]*jobs.Runner, 3)
		for i := range replicas {
			r := newRunner(t, db, clock, jobs.Options{})
			r.Handle("cleanup", func(_ context.Context, p []byte) error {
				if string(p) != "{}" {
					t.Errorf("periodic payload = %s", p)
				}
				calls.Add(1)
				return nil
			})
			r.Every("cleanup", time.Hour)
			replicas[i] = r
		}

		drainAll := func() int {
			var wg sync.WaitGroup
			var ran atomic.Int64
			for _, r := range replicas {
				wg.Go(func() {
					dctx, cancel := context.WithTimeout(ctx, waitLimit)
					defer cancel()
					n, err := r.Drain(dctx)
					if err != nil {
						t.Errorf("Drain: %v", err)
					}
					ran.Add(int64(n))
				})
			}
			wg.Wait()
			return int(ran.Load())
		}

		if n := drainAll(); n != 1 {
			t.Fatalf("first period: %d jobs ran across replicas, want 1", n)
		}
		if calls.Load() != 1 || totalJobs(t, db) != 1 {
			t.Fatalf("first period: %d calls, %d jobs", calls.Load(), totalJobs(t, db))
		}
		// The job belongs to the period that started at 12:00.
		firstKey := "cleanup@2030-06-01T12:00:00Z"
		id, inserted, err := db.EnqueueJob(ctx, model.Job{Kind: "cleanup", UniqueKey: firstKey})
		must(t, err)
		if inserted {
			t.Fatalf("period key %q was not taken by the scheduled job", firstKey)
		}
		j := wantState(t, db, id, model.JobSucceeded)
		if want := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC); !j.RunAt.Equal(want) {
			t.Fatalf("RunAt = %v, want the period start %v", j.RunAt, want)
		}

		// Later in the same period: nothing new, even after success.
		clock.Advance(59 * time.Minute)
		if n := drainAll(); n != 0 || calls.Load() != 1 || totalJobs(t, db) != 1 {
			t.Fatalf("same period: ran %d, %d calls, %d jobs", n, calls.Load(), totalJobs(t, db))
		}

		// The next period (13:00) gets exactly one new job.
		clock.Advance(time.Minute)
		if n := drainAll(); n != 1 || calls.Load() != 2 || totalJobs(t, db) != 2 {
			t.Fatalf("next period: ran %d, %d calls, %d jobs", n, calls.Load(), totalJobs(t, db))
		}
		if c := counts(t, db); c[model.JobSucceeded] != 2 {
			t.Fatalf("counts = %v", c)
		}
	})
}

// Replicas running Run (not Drain) schedule on every poll; however many
// polls happen, one period holds one job.
func TestEveryWithRunningReplicas(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(start)
		var calls atomic.Int32
		ran := make(chan struct{}, 10)
		stores := make([]*countingStore, 2)
		for i := range stores {
			stores[i] = &countingStore{Store: db}
			r := jobs.NewRunner(stores[i], testLog(t), jobs.Options{Now: clock.Now, PollInterval: 5 * time.Millisecond})
			r.Handle("digest", func(context.Context, []byte) error { calls.Add(1); ran <- struct{}{}; return nil })
			r.Every("digest", 24*time.Hour)
			runInBackground(t, r)
		}
		recv(t, ran, "first digest")
		polledPast := func(n int64) func() bool {
			return func() bool { return stores[0].enqueues.Load() >= n && stores[1].enqueues.Load() >= n }
		}
		mark := max(stores[0].enqueues.Load(), stores[1].enqueues.Load())
		eventually(t, "both replicas to poll again", polledPast(mark+5))
		if calls.Load() != 1 || totalJobs(t, db) != 1 {
			t.Fatalf("one day: %d calls, %d jobs", calls.Load(), totalJobs(t, db))
		}
		// Let the outcome land before jumping a day: the jump also expires
		// the job's lease, and a job still running would be reclaimed.
		eventually(t, "the first digest to be recorded", func() bool { return counts(t, db)[model.JobSucceeded] == 1 })

		clock.Advance(24 * time.Hour)
		recv(t, ran, "second digest")
		mark = max(stores[0].enqueues.Load(), stores[1].enqueues.Load())
		eventually(t, "both replicas to poll again", polledPast(mark+5))
		if calls.Load() != 2 || totalJobs(t, db) != 2 {
			t.Fatalf("two days: %d calls, %d jobs", calls.Load(), totalJobs(t, db))
		}
		eventually(t, "the second digest to be recorded", func() bool { return counts(t, db)[model.JobSucceeded] == 2 })
	})
}

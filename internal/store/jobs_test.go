package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func jsonEqual(t *testing.T, got, exp []byte) {
	t.Helper()
	var g, e any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("payload %q: %v", got, err)
	}
	_ = json.Unmarshal(exp, &e)
	if !reflect.DeepEqual(g, e) {
		t.Fatalf("payload = %s, want %s", got, exp)
	}
}

func TestEnqueueAndGetJob(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		payload := []byte(`{"to": "a@example.com", "n": [1, 2, 3]}`)
		id, inserted, err := db.EnqueueJob(ctx, model.Job{Kind: "email", Payload: payload, RunAt: t0, CreatedAt: t0})
		must(t, err)
		if !inserted {
			t.Fatal("not inserted")
		}
		if u, err := uuid.Parse(id); err != nil || u.Version() != 7 {
			t.Fatalf("generated id %q is not a UUIDv7", id)
		}
		j, err := db.GetJob(ctx, id)
		must(t, err)
		if j.ID != id || j.Kind != "email" || j.State != model.JobPending || j.Attempts != 0 ||
			j.MaxAttempts != 5 || j.LockedUntil != nil || j.LockedBy != "" || j.FinishedAt != nil || j.UniqueKey != "" {
			t.Fatalf("GetJob = %+v", j)
		}
		jsonEqual(t, j.Payload, payload)
		sameTime(t, "RunAt", j.RunAt, t0)
		sameTime(t, "CreatedAt", j.CreatedAt, t0)

		// Explicit id, nil payload, custom attempts; zero RunAt and CreatedAt.
		_, _, err = db.EnqueueJob(ctx, model.Job{ID: "fixed", Kind: "x", MaxAttempts: 2})
		must(t, err)
		j, err = db.GetJob(ctx, "fixed")
		must(t, err)
		if j.Payload != nil || j.MaxAttempts != 2 || !j.RunAt.IsZero() || j.CreatedAt.IsZero() {
			t.Fatalf("fixed job = %+v", j)
		}
		// Zero RunAt is due for any claimer, even one whose clock is far behind.
		claimed, err := db.ClaimJobs(ctx, "w", []string{"x"}, 1, time.Minute, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
		must(t, err)
		if len(claimed) != 1 || claimed[0].ID != "fixed" {
			t.Fatalf("zero RunAt job not claimable: %v", jobIDs(claimed))
		}
		_, _, err = db.EnqueueJob(ctx, model.Job{ID: "fixed", Kind: "x"})
		wantCode(t, err, apperr.Conflict)

		_, _, err = db.EnqueueJob(ctx, model.Job{Kind: ""})
		wantCode(t, err, apperr.Invalid)
		_, _, err = db.EnqueueJob(ctx, model.Job{Kind: "x", Payload: []byte("{not json")})
		wantCode(t, err, apperr.Invalid)
		_, err = db.GetJob(ctx, "nope")
		wantCode(t, err, apperr.NotFound)
	})
}

func TestUniqueJobKeys(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		first, ins, err := db.EnqueueJob(ctx, model.Job{Kind: "retention", UniqueKey: "retention:2026031415", RunAt: t0})
		must(t, err)
		if !ins {
			t.Fatal("first not inserted")
		}
		again, ins, err := db.EnqueueJob(ctx, model.Job{Kind: "retention", UniqueKey: "retention:2026031415", RunAt: t0})
		must(t, err)
		if ins || again != first {
			t.Fatalf("duplicate key: id=%s inserted=%v, want %s,false", again, ins, first)
		}
		// Jobs without a key never collide.
		for range 2 {
			if _, ins, err := db.EnqueueJob(ctx, model.Job{Kind: "retention", RunAt: t0}); err != nil || !ins {
				t.Fatalf("keyless enqueue: %v %v", ins, err)
			}
		}
		// Concurrent replicas enqueueing the same key: one row.
		var wg sync.WaitGroup
		ids := make([]string, 10)
		inserted := make([]bool, 10)
		for i := range ids {
			wg.Go(func() {
				var err error
				ids[i], inserted[i], err = db.EnqueueJob(ctx, model.Job{Kind: "digest", UniqueKey: "digest:1", RunAt: t0})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		n := 0
		for i := range ids {
			if inserted[i] {
				n++
			}
			if ids[i] != ids[0] {
				t.Errorf("ids differ: %v", ids)
			}
		}
		if n != 1 {
			t.Errorf("%d concurrent enqueues inserted, want 1", n)
		}
		counts, err := db.JobCounts(ctx)
		must(t, err)
		if counts[model.JobPending] != 4 {
			t.Errorf("pending = %d, want 4", counts[model.JobPending])
		}
	})
}

func TestJobLifecycle(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		late, _, _ := db.EnqueueJob(ctx, model.Job{Kind: "email", RunAt: t0.Add(2 * time.Second)})
		early, _, _ := db.EnqueueJob(ctx, model.Job{Kind: "email", RunAt: t0.Add(time.Second)})
		future, _, _ := db.EnqueueJob(ctx, model.Job{Kind: "email", RunAt: t0.Add(time.Hour)})
		other, _, _ := db.EnqueueJob(ctx, model.Job{Kind: "export", RunAt: t0})

		now := t0.Add(time.Minute)
		jobs, err := db.ClaimJobs(ctx, "w1", []string{"email"}, 10, 30*time.Second, now)
		must(t, err)
		if len(jobs) != 2 || jobs[0].ID != early || jobs[1].ID != late {
			t.Fatalf("claimed %v, want [%s %s]", jobIDs(jobs), early, late)
		}
		for _, j := range jobs {
			if j.State != model.JobRunning || j.Attempts != 1 || j.LockedBy != "w1" {
				t.Fatalf("claimed job = %+v", j)
			}
			sameTimePtr(t, "LockedUntil", j.LockedUntil, ptr(now.Add(30*time.Second)))
		}
		// Nothing left for email; export needs its own kind or "all kinds".
		jobs, err = db.ClaimJobs(ctx, "w2", []string{"email"}, 10, time.Minute, now)
		must(t, err)
		if len(jobs) != 0 {
			t.Fatalf("claimed again: %v", jobIDs(jobs))
		}
		jobs, err = db.ClaimJobs(ctx, "w2", nil, 10, 24*time.Hour, now)
		must(t, err)
		if len(jobs) != 1 || jobs[0].ID != other {
			t.Fatalf("all-kinds claim = %v, want [%s]", jobIDs(jobs), other)
		}

		// Only the lease holder may finish a job.
		wantCode(t, db.CompleteJob(ctx, early, "w2", now), apperr.Conflict)
		wantCode(t, db.CompleteJob(ctx, "nope", "w1", now), apperr.NotFound)
		must(t, db.CompleteJob(ctx, early, "w1", now))
		j, _ := db.GetJob(ctx, early)
		if j.State != model.JobSucceeded || j.LockedUntil != nil {
			t.Fatalf("completed = %+v", j)
		}
		sameTimePtr(t, "FinishedAt", j.FinishedAt, &now)
		wantCode(t, db.CompleteJob(ctx, early, "w1", now), apperr.Conflict) // not running any more

		retryAt := now.Add(5 * time.Minute)
		must(t, db.RetryJob(ctx, late, "w1", retryAt, "smtp: 421 try later"))
		j, _ = db.GetJob(ctx, late)
		if j.State != model.JobPending || j.LastError != "smtp: 421 try later" || j.LockedBy != "" ||
			j.LockedUntil != nil || j.Attempts != 1 {
			t.Fatalf("retried = %+v", j)
		}
		sameTime(t, "RunAt", j.RunAt, retryAt)
		if jobs, _ := db.ClaimJobs(ctx, "w1", nil, 10, time.Minute, retryAt.Add(-time.Second)); len(jobs) != 0 {
			t.Fatalf("claimed before run_at: %v", jobIDs(jobs))
		}
		jobs, _ = db.ClaimJobs(ctx, "w1", nil, 10, time.Minute, retryAt)
		if len(jobs) != 1 || jobs[0].ID != late || jobs[0].Attempts != 2 {
			t.Fatalf("re-claim = %+v", jobs)
		}
		must(t, db.FailJob(ctx, late, "w1", "gave up", retryAt))
		j, _ = db.GetJob(ctx, late)
		if j.State != model.JobFailed || j.LastError != "gave up" {
			t.Fatalf("failed = %+v", j)
		}
		wantCode(t, db.RetryJob(ctx, late, "w1", retryAt, "x"), apperr.Conflict)
		wantCode(t, db.FailJob(ctx, late, "w1", "x", retryAt), apperr.Conflict)

		counts, err := db.JobCounts(ctx)
		must(t, err)
		wantCounts := map[model.JobState]int{model.JobPending: 1, model.JobRunning: 1, model.JobSucceeded: 1, model.JobFailed: 1}
		if !reflect.DeepEqual(counts, wantCounts) {
			t.Fatalf("JobCounts = %v, want %v", counts, wantCounts)
		}
		if j, _ := db.GetJob(ctx, future); j.State != model.JobPending || j.Attempts != 0 {
			t.Fatalf("future job touched: %+v", j)
		}

		// Finished jobs older than the cut-off go; pending/running stay.
		n, err := db.DeleteFinishedJobs(ctx, now)
		must(t, err)
		if n != 0 {
			t.Fatalf("deleted %d before cut-off", n)
		}
		n, err = db.DeleteFinishedJobs(ctx, retryAt.Add(time.Second))
		must(t, err)
		if n != 2 {
			t.Fatalf("deleted %d, want 2", n)
		}
		counts, _ = db.JobCounts(ctx)
		if counts[model.JobPending] != 1 || counts[model.JobRunning] != 1 || counts[model.JobSucceeded] != 0 {
			t.Fatalf("after delete: %v", counts)
		}

		if jobs, err := db.ClaimJobs(ctx, "w1", nil, 0, time.Minute, now); err != nil || len(jobs) != 0 {
			t.Fatalf("limit 0: %v %v", jobs, err)
		}
		_, err = db.ClaimJobs(ctx, "w1", nil, 1, 0, now)
		wantCode(t, err, apperr.Invalid)
	})
}

func TestJobLeaseExpiry(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id, _, _ := db.EnqueueJob(ctx, model.Job{Kind: "export", RunAt: t0})
		jobs, err := db.ClaimJobs(ctx, "dead", nil, 1, time.Minute, t0)
		must(t, err)
		if len(jobs) != 1 {
			t.Fatal("not claimed")
		}
		// Within the lease nobody else gets it; at the exact expiry neither.
		for _, at := range []time.Time{t0.Add(30 * time.Second), t0.Add(time.Minute)} {
			if jobs, _ := db.ClaimJobs(ctx, "alive", nil, 1, time.Minute, at); len(jobs) != 0 {
				t.Fatalf("claimed at %v inside lease", at)
			}
		}
		later := t0.Add(time.Minute + time.Microsecond)
		jobs, err = db.ClaimJobs(ctx, "alive", nil, 1, time.Minute, later)
		must(t, err)
		if len(jobs) != 1 || jobs[0].ID != id || jobs[0].LockedBy != "alive" || jobs[0].Attempts != 2 {
			t.Fatalf("reclaim = %+v", jobs)
		}
		// The dead worker's late result must not clobber the new owner's.
		wantCode(t, db.CompleteJob(ctx, id, "dead", later), apperr.Conflict)
		must(t, db.CompleteJob(ctx, id, "alive", later))
	})
}

func TestClaimJobsConcurrent(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const total = 200
		for i := range total {
			if _, _, err := db.EnqueueJob(ctx, model.Job{Kind: "k", RunAt: t0.Add(time.Duration(i) * time.Millisecond)}); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[string]string{}
		var wg sync.WaitGroup
		for w := range 8 {
			worker := fmt.Sprintf("w%d", w)
			wg.Go(func() {
				for {
					jobs, err := db.ClaimJobs(ctx, worker, []string{"k"}, 7, time.Hour, t0.Add(time.Hour))
					if err != nil {
						t.Error(err)
						return
					}
					if len(jobs) == 0 {
						return
					}
					mu.Lock()
					for _, j := range jobs {
						if prev, dup := seen[j.ID]; dup {
							t.Errorf("job %s claimed by %s and %s", j.ID, prev, worker)
						}
						seen[j.ID] = worker
					}
					mu.Unlock()
					for _, j := range jobs {
						if err := db.CompleteJob(ctx, j.ID, worker, t0); err != nil {
							t.Error(err)
						}
					}
				}
			})
		}
		wg.Wait()
		if len(seen) != total {
			t.Fatalf("claimed %d distinct jobs, want %d", len(seen), total)
		}
		counts, _ := db.JobCounts(ctx)
		if counts[model.JobSucceeded] != total {
			t.Fatalf("succeeded = %d", counts[model.JobSucceeded])
		}
	})
}

func jobIDs(jobs []model.Job) []string {
	var ids []string
	for _, j := range jobs {
		ids = append(ids, j.ID)
	}
	return ids
}

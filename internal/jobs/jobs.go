// Package jobs runs background work from the durable queue in the main
// database. Any number of worker processes may run at once: the store hands
// each job to one worker under a lease, and a job whose worker died is
// claimed again when its lease runs out. Handlers must therefore be
// idempotent.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"pathavana/internal/model"
)

// Store is the part of the store the runner needs.
type Store interface {
	EnqueueJob(ctx context.Context, j model.Job) (string, bool, error)
	ClaimJobs(ctx context.Context, workerID string, kinds []string, limit int, lease time.Duration, now time.Time) ([]model.Job, error)
	CompleteJob(ctx context.Context, id, workerID string, now time.Time) error
	RetryJob(ctx context.Context, id, workerID string, runAt time.Time, errMsg string) error
	FailJob(ctx context.Context, id, workerID, errMsg string, now time.Time) error
}

// Handler does the work of one job kind. Returning an error retries the job
// with back-off unless the error is wrapped with Permanent.
type Handler func(ctx context.Context, payload []byte) error

// Observer receives one call per finished attempt (for metrics).
type Observer interface {
	JobDone(kind, outcome string, d time.Duration)
}

// New builds a job of kind with a JSON payload, ready to enqueue inside the
// caller's transaction, so the job exists exactly when the change does.
func New(kind string, payload any) (model.Job, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return model.Job{}, fmt.Errorf("encode %s job: %w", kind, err)
	}
	return model.Job{Kind: kind, Payload: b}, nil
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying (a 5xx from SMTP, bad payload).
func Permanent(err error) error { return permanentError{err} }

// Options tune a Runner; zero values take the defaults.
type Options struct {
	WorkerID     string
	Concurrency  int           // jobs run at once by this process (default 4)
	PollInterval time.Duration // how often to look for due jobs (default 1s)
	Lease        time.Duration // how long a claimed job is ours (default 5m)
	Now          func() time.Time
	Observer     Observer
}

// Runner claims due jobs and runs their handlers.
type Runner struct {
	store    Store
	log      *slog.Logger
	opts     Options
	handlers map[string]Handler
	periodic []periodic
}

type periodic struct {
	kind  string
	every time.Duration
}

// NewRunner returns a runner with no handlers registered.
func NewRunner(store Store, log *slog.Logger, opts Options) *Runner {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.WorkerID == "" {
		opts.WorkerID = fmt.Sprintf("worker-%08x", rand.Uint32())
	}
	return &Runner{store: store, log: log, opts: opts, handlers: map[string]Handler{}}
}

// Handle registers the handler for kind.
func (r *Runner) Handle(kind string, h Handler) { r.handlers[kind] = h }

// Every enqueues a kind job once per period. The unique key is the period's
// start, so several replicas running the same schedule enqueue it once.
func (r *Runner) Every(kind string, every time.Duration) {
	if every < time.Second {
		// The unique key has whole seconds: shorter periods would collide.
		panic(fmt.Sprintf("jobs: period of %s must be at least one second", kind))
	}
	r.periodic = append(r.periodic, periodic{kind: kind, every: every})
}

// Kinds lists the registered job kinds.
func (r *Runner) Kinds() []string {
	kinds := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		kinds = append(kinds, k)
	}
	return kinds
}

// Run works until ctx is cancelled, then waits for running jobs to finish.
func (r *Runner) Run(ctx context.Context) error {
	r.log.Info("job worker started", "worker_id", r.opts.WorkerID, "kinds", r.Kinds(), "concurrency", r.opts.Concurrency)
	ticker := time.NewTicker(r.opts.PollInterval)
	defer ticker.Stop()
	sem := make(chan struct{}, r.opts.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		r.schedule(ctx)
		free := r.opts.Concurrency - len(sem)
		if free > 0 {
			claimed, err := r.claim(ctx, free)
			if err != nil && ctx.Err() == nil {
				r.log.Error("claim jobs", "err", err)
			}
			for _, j := range claimed {
				sem <- struct{}{}
				wg.Add(1)
				go func(j model.Job) {
					defer func() { <-sem; wg.Done() }()
					// A job in flight at shutdown finishes with its own
					// deadline rather than the cancelled run context.
					r.execute(context.WithoutCancel(ctx), j)
				}(j)
			}
			if len(claimed) == free {
				continue // more may be waiting
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// Drain runs due jobs until none is left and returns how many ran. The CLI
// uses it for one-shot runs; tests use it to make queues deterministic.
func (r *Runner) Drain(ctx context.Context) (int, error) {
	r.schedule(ctx)
	n := 0
	for {
		// One at a time: jobs run one after another here, and a job
		// claimed in a batch would sit on its lease while the others ran
		// (another worker could reclaim and run it meanwhile), or be run
		// with an already cancelled context after an interrupt.
		claimed, err := r.claim(ctx, 1)
		if err != nil {
			return n, err
		}
		if len(claimed) == 0 {
			return n, nil
		}
		for _, j := range claimed {
			r.execute(ctx, j)
			n++
		}
	}
}

// claim leases up to limit due jobs of the kinds this runner handles. A
// runner without handlers claims nothing: the store reads an empty kind list
// as "every kind", and such a runner would fail every job it took.
func (r *Runner) claim(ctx context.Context, limit int) ([]model.Job, error) {
	kinds := r.Kinds()
	if len(kinds) == 0 {
		return nil, nil
	}
	return r.store.ClaimJobs(ctx, r.opts.WorkerID, kinds, limit, r.opts.Lease, r.opts.Now())
}

func (r *Runner) schedule(ctx context.Context) {
	now := r.opts.Now()
	for _, p := range r.periodic {
		start := now.Truncate(p.every)
		j := model.Job{Kind: p.kind, Payload: []byte("{}"), RunAt: start,
			UniqueKey: fmt.Sprintf("%s@%s", p.kind, start.UTC().Format(time.RFC3339))}
		if _, _, err := r.store.EnqueueJob(ctx, j); err != nil && ctx.Err() == nil {
			r.log.Error("schedule periodic job", "kind", p.kind, "err", err)
		}
	}
}

// recordTimeout bounds writing a job's outcome to the store.
const recordTimeout = 30 * time.Second

func (r *Runner) execute(parent context.Context, j model.Job) {
	start := r.opts.Now()
	var err error
	if j.Attempts > j.MaxAttempts {
		// Claimed again after its lease ran out on every attempt: the job
		// keeps killing or stalling its worker, so stop trying.
		err = Permanent(fmt.Errorf("gave up after %d attempts that never finished", j.MaxAttempts))
	} else {
		hctx, hcancel := context.WithTimeout(parent, r.opts.Lease*9/10)
		err = r.call(hctx, j)
		hcancel()
	}
	// The outcome is recorded even when the handler ran out its deadline
	// or the caller gave up: otherwise the job would sit "running" until
	// its lease expired and be retried at once, with no error kept.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), recordTimeout)
	defer cancel()
	outcome := "succeeded"
	log := r.log.With("job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	var storeErr error
	switch {
	case err == nil:
		storeErr = r.store.CompleteJob(ctx, j.ID, r.opts.WorkerID, r.opts.Now())
	case errors.As(err, new(permanentError)) || j.Attempts >= j.MaxAttempts:
		outcome = "failed"
		log.Error("job failed for good", "err", err)
		storeErr = r.store.FailJob(ctx, j.ID, r.opts.WorkerID, err.Error(), r.opts.Now())
	default:
		outcome = "retried"
		next := r.opts.Now().Add(Backoff(j.Attempts))
		log.Warn("job failed, will retry", "err", err, "next_run", next)
		storeErr = r.store.RetryJob(ctx, j.ID, r.opts.WorkerID, next, err.Error())
	}
	if storeErr != nil {
		log.Error("record job outcome", "outcome", outcome, "err", storeErr)
	}
	if r.opts.Observer != nil {
		r.opts.Observer.JobDone(j.Kind, outcome, r.opts.Now().Sub(start))
	}
}

// call runs the handler, turning a panic into a permanent failure so one
// bad job cannot take the worker down.
func (r *Runner) call(ctx context.Context, j model.Job) (err error) {
	h, ok := r.handlers[j.Kind]
	if !ok {
		return Permanent(fmt.Errorf("no handler for job kind %q", j.Kind))
	}
	defer func() {
		if p := recover(); p != nil {
			err = Permanent(fmt.Errorf("handler panicked: %v", p))
		}
	}()
	return h(ctx, j.Payload)
}

// Backoff is the wait before retry number attempt: exponential from 10s,
// capped at an hour, with jitter so failed jobs do not retry in lockstep.
func Backoff(attempt int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	return d/2 + rand.N(d/2+1)
}

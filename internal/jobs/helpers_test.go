package jobs_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"pathavana/internal/jobs"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// start is the test clock's origin: on the hour, so periodic jobs have an
// obvious period, with sub-second digits the store keeps (microseconds).
var start = time.Date(2030, 6, 1, 12, 0, 0, 123456000, time.UTC)

// waitLimit bounds every wait in this package, so a bug fails the test
// rather than hanging it.
const waitLimit = 15 * time.Second

// testLog sends the runner's warnings and errors to the test log, shown
// when a test fails or with -v. Runners must stop before the test ends.
func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(logWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func newRunner(t *testing.T, db *store.DB, clock *testkit.Clock, opts jobs.Options) *jobs.Runner {
	opts.Now = clock.Now
	if opts.PollInterval == 0 {
		opts.PollInterval = 10 * time.Millisecond
	}
	return jobs.NewRunner(db, testLog(t), opts)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// enqueue adds a job due at runAt and returns its id.
func enqueue(t *testing.T, db *store.DB, kind string, payload any, runAt time.Time, maxAttempts int) string {
	t.Helper()
	j, err := jobs.New(kind, payload)
	must(t, err)
	j.RunAt, j.MaxAttempts = runAt, maxAttempts
	id, _, err := db.EnqueueJob(context.Background(), j)
	must(t, err)
	return id
}

func getJob(t *testing.T, db *store.DB, id string) model.Job {
	t.Helper()
	j, err := db.GetJob(context.Background(), id)
	must(t, err)
	return j
}

func wantState(t *testing.T, db *store.DB, id string, state model.JobState) model.Job {
	t.Helper()
	j := getJob(t, db, id)
	if j.State != state {
		t.Fatalf("job %s state = %s (attempts %d, last_error %q), want %s", id, j.State, j.Attempts, j.LastError, state)
	}
	return j
}

func drain(t *testing.T, r *jobs.Runner, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	n, err := r.Drain(ctx)
	must(t, err)
	if n != want {
		t.Fatalf("Drain ran %d jobs, want %d", n, want)
	}
}

func counts(t *testing.T, db *store.DB) map[model.JobState]int {
	t.Helper()
	c, err := db.JobCounts(context.Background())
	must(t, err)
	return c
}

func jsonEqual(t *testing.T, got, exp []byte) {
	t.Helper()
	var g, e any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("payload %q: %v", got, err)
	}
	must(t, json.Unmarshal(exp, &e))
	if !reflect.DeepEqual(g, e) {
		t.Fatalf("payload = %s, want %s", got, exp)
	}
}

// recv waits for a value from ch, failing the test after waitLimit.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitLimit):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// eventually polls cond until it holds, failing after waitLimit.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runInBackground starts r.Run and returns a stop function that cancels it
// and waits (bounded) for it to return.
func runInBackground(t *testing.T, r *jobs.Runner) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan error, 1)
	go func() { ch <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := recv(t, ch, "Run to return"); err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

type outcome struct{ kind, outcome string }

// observer records every JobDone call; safe for concurrent use.
type observer struct {
	mu   sync.Mutex
	got  []outcome
	durs []time.Duration
}

func (o *observer) JobDone(kind, out string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, outcome{kind, out})
	o.durs = append(o.durs, d)
}

func (o *observer) outcomes() []outcome {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]outcome(nil), o.got...)
}

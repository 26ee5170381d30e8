package jobs

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

type doneCall struct{ kind, outcome string }

type recordingObserver struct{ got []doneCall }

func (o *recordingObserver) JobDone(kind, outcome string, _ time.Duration) {
	o.got = append(o.got, doneCall{kind, outcome})
}

// Runners only claim kinds they handle, so an unknown kind reaches execute
// only if something else handed it over; it must then fail for good rather
// than retry forever.
func TestExecuteUnknownKindFails(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := testkit.NewClock(time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC))
		obs := &recordingObserver{}
		r := NewRunner(db, slog.New(slog.NewTextHandler(io.Discard, nil)),
			Options{WorkerID: "w1", Now: clock.Now, Observer: obs})
		r.Handle("known", func(context.Context, []byte) error { return nil })
		id, _, err := db.EnqueueJob(ctx, model.Job{Kind: "mystery", RunAt: clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		claimed, err := db.ClaimJobs(ctx, "w1", []string{"mystery"}, 1, r.opts.Lease, clock.Now())
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v, %d jobs", err, len(claimed))
		}
		r.execute(ctx, claimed[0])
		j, err := db.GetJob(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State != model.JobFailed || j.Attempts != 1 || !strings.Contains(j.LastError, `no handler for job kind "mystery"`) {
			t.Fatalf("unknown-kind job = %+v", j)
		}
		if len(obs.got) != 1 || obs.got[0] != (doneCall{"mystery", "failed"}) {
			t.Fatalf("observer = %v", obs.got)
		}
	})
}

func TestNewRunnerDefaults(t *testing.T) {
	r := NewRunner(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	o := r.opts
	if o.Concurrency != 4 || o.PollInterval != time.Second || o.Lease != 5*time.Minute || o.Now == nil ||
		!strings.HasPrefix(o.WorkerID, "worker-") {
		t.Fatalf("defaults = %+v", o)
	}
	if r2 := NewRunner(nil, slog.Default(), Options{}); r2.opts.WorkerID == o.WorkerID {
		t.Fatalf("two runners share worker id %q", o.WorkerID)
	}
}

package store_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func verifyChain(t *testing.T, db *store.DB) (model.AuditChain, *model.AuditBreak) {
	t.Helper()
	entries, err := db.ListAudit(context.Background(), model.AuditFilter{Limit: 1000})
	must(t, err)
	var c model.AuditChain
	for _, e := range entries {
		if b := c.Add(e); b != nil {
			return c, b
		}
	}
	return c, nil
}

func TestAuditChainAcrossConcurrentWriters(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		first, err := db.AppendAudit(ctx, model.AuditEntry{At: t0, ActorID: "u1", Action: model.AuditSignIn,
			Details: `{"method":"password"}`, IP: "192.0.2.1"})
		must(t, err)
		if first.Seq != 1 || first.PrevHash != model.GenesisHash || first.Hash != first.ChainHash() || first.ID == "" ||
			first.Outcome != model.AuditSuccess {
			t.Fatalf("first entry %+v", first)
		}
		// Replicas append at once: seq stays gap-free and the chain linear.
		const writers = 24
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() {
				_, err := db.AppendAudit(ctx, model.AuditEntry{At: t0.Add(time.Duration(i) * time.Second),
					ActorID: "u" + strconv.Itoa(i%3), SubjectID: "s" + strconv.Itoa(i%2), Action: "traveler.reveal"})
				if err != nil {
					t.Errorf("writer %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		c, broken := verifyChain(t, db)
		if broken != nil || c.Entries != writers+1 || c.FirstSeq != 1 || c.LastSeq != writers+1 {
			t.Fatalf("chain %+v broken %+v", c, broken)
		}

		// Inside a transaction that fails, the entry goes with the change.
		err = db.InTx(ctx, func(q *store.Queries) error {
			if _, err := q.AppendAudit(ctx, model.AuditEntry{At: t0, Action: "traveler.delete"}); err != nil {
				return err
			}
			return context.Canceled
		})
		if err != context.Canceled {
			t.Fatalf("tx: %v", err)
		}
		if c2, _ := verifyChain(t, db); c2.Entries != c.Entries {
			t.Fatalf("a rolled-back entry stayed: %d entries", c2.Entries)
		}

		// The table refuses updates outright.
		if err := store.ExecRaw(ctx, db, `UPDATE audit_log SET ip = '203.0.113.9' WHERE seq = 1`); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
	})
}

func TestListAuditFilters(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		add := func(actor, subject, action string, at time.Time) {
			_, err := db.AppendAudit(ctx, model.AuditEntry{At: at, ActorID: actor, SubjectID: subject, Action: action})
			must(t, err)
		}
		add("a", "a", model.AuditSignIn, t0)
		add("a", "b", "traveler.reveal", t0.Add(time.Hour))
		add("b", "b", "traveler.update", t0.Add(2*time.Hour))
		add("", "b", "travelerx.other", t0.Add(3*time.Hour))
		count := func(f model.AuditFilter) int {
			t.Helper()
			es, err := db.ListAudit(ctx, f)
			must(t, err)
			return len(es)
		}
		for name, c := range map[string]struct {
			f    model.AuditFilter
			want int
		}{
			"all":            {model.AuditFilter{}, 4},
			"actor":          {model.AuditFilter{ActorID: "a"}, 2},
			"subject":        {model.AuditFilter{SubjectID: "b"}, 3},
			"family":         {model.AuditFilter{Action: "traveler."}, 2},
			"exact":          {model.AuditFilter{Action: "traveler.update"}, 1},
			"window":         {model.AuditFilter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, 2},
			"breach query":   {model.AuditFilter{ActorID: "a", Action: "traveler.", From: t0, To: t0.Add(24 * time.Hour)}, 1},
			"after":          {model.AuditFilter{AfterSeq: 3}, 1},
			"limit":          {model.AuditFilter{Limit: 3}, 3},
			"nothing before": {model.AuditFilter{To: t0}, 0},
		} {
			if got := count(c.f); got != c.want {
				t.Errorf("%s: %d entries, want %d", name, got, c.want)
			}
		}
	})
}

// TestAuditTamperingIsFound plays an attacker with database access who
// gets past the append-only trigger.
func TestAuditTamperingIsFound(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 5 {
			_, err := db.AppendAudit(ctx, model.AuditEntry{At: t0.Add(time.Duration(i) * time.Minute), ActorID: "u",
				Action: model.AuditSignInFailed, IP: "198.51.100." + strconv.Itoa(i)})
			must(t, err)
		}
		disable, enable := `DROP TRIGGER audit_log_append_only`, ``
		if db.Dialect() == store.DialectPostgres {
			disable, enable = `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`
		}
		must(t, store.ExecRaw(ctx, db, disable))

		must(t, store.ExecRaw(ctx, db, `UPDATE audit_log SET ip = '10.0.0.1' WHERE seq = 3`))
		if _, b := verifyChain(t, db); b == nil || b.Seq != 3 {
			t.Fatalf("altered entry: %+v", b)
		}
		// Recomputing its hash moves the break to the next entry.
		es, err := db.ListAudit(ctx, model.AuditFilter{AfterSeq: 2, Limit: 1})
		must(t, err)
		must(t, store.ExecRaw(ctx, db, `UPDATE audit_log SET hash = ? WHERE seq = 3`, es[0].ChainHash()))
		if _, b := verifyChain(t, db); b == nil || b.Seq != 4 {
			t.Fatalf("rehashed entry: %+v", b)
		}
		must(t, store.ExecRaw(ctx, db, `DELETE FROM audit_log WHERE seq IN (3, 4)`))
		if _, b := verifyChain(t, db); b == nil || b.Seq != 3 {
			t.Fatalf("deleted entries: %+v", b)
		}
		// Retention pruning the oldest entries leaves a chain that verifies
		// from its new start.
		must(t, store.ExecRaw(ctx, db, `DELETE FROM audit_log WHERE seq <= 4`))
		if c, b := verifyChain(t, db); b != nil || c.FirstSeq != 5 || c.Entries != 1 {
			t.Fatalf("pruned: %+v %+v", c, b)
		}
		if enable != "" {
			must(t, store.ExecRaw(ctx, db, enable))
		}
	})
}

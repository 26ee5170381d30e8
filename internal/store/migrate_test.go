package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"pathavana/internal/apperr"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// unmigrated is a fresh, empty database plus a raw connection to it for
// poking at schema_migrations behind the store's back.
type unmigrated struct {
	db     *store.DB
	url    string // for opening more store.DBs (replicas) on the same database
	raw    *sql.DB
	rebind func(string) string
}

func forEachUnmigrated(t *testing.T, fn func(t *testing.T, u unmigrated)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "m.db")
		db, err := store.Open(context.Background(), path, store.Options{})
		must(t, err)
		t.Cleanup(func() { _ = db.Close() })
		raw, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
		must(t, err)
		t.Cleanup(func() { _ = raw.Close() })
		fn(t, unmigrated{db: db, url: path, raw: raw, rebind: func(s string) string { return s }})
	})
	t.Run("postgres", func(t *testing.T) {
		db, url := testkit.NewTestStorePGUnmigrated(t)
		raw, err := sql.Open("pgx", url)
		must(t, err)
		t.Cleanup(func() { _ = raw.Close() })
		fn(t, unmigrated{db: db, url: url, raw: raw, rebind: func(s string) string {
			for i := 1; strings.Contains(s, "?"); i++ {
				s = strings.Replace(s, "?", "$"+string(rune('0'+i)), 1)
			}
			return s
		}})
	})
}

func TestMigrate(t *testing.T) {
	forEachUnmigrated(t, func(t *testing.T, u unmigrated) {
		ctx := context.Background()
		all := pendingMigrations(t, u.db)
		if len(all) < 2 || all[0] != "0001_init" || all[1] != "0002_catalog_imports" {
			t.Fatalf("embedded migrations = %v", all)
		}
		err := u.db.CheckSchema(ctx)
		wantCode(t, err, apperr.Unavailable)
		if e, _ := apperr.As(err); e.Message != fmt.Sprintf("database schema is out of date (%d pending migrations): run `pathavana migrate up`", len(all)) {
			t.Errorf("message = %q", e.Message)
		}
		st, err := u.db.MigrationStatus(ctx)
		must(t, err)
		if len(st) != len(all) || st[0].Version != 1 || st[0].Name != "0001_init" || st[1].Name != "0002_catalog_imports" || st[0].AppliedAt != nil {
			t.Fatalf("status before = %+v", st)
		}

		applied, err := u.db.Migrate(ctx)
		must(t, err)
		if !reflect.DeepEqual(applied, all) {
			t.Fatalf("applied = %v", applied)
		}
		applied, err = u.db.Migrate(ctx)
		must(t, err)
		if len(applied) != 0 {
			t.Fatalf("second Migrate applied %v", applied)
		}
		must(t, u.db.CheckSchema(ctx))
		st, err = u.db.MigrationStatus(ctx)
		must(t, err)
		if len(st) != len(all) || st[len(all)-1].AppliedAt == nil || st[0].AppliedAt.Location().String() != "UTC" {
			t.Fatalf("status after = %+v", st)
		}

		// A newer binary migrated further: this one must refuse to run.
		_, err = u.raw.ExecContext(ctx, u.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			9999, "9999_future", want(t0))
		must(t, err)
		err = u.db.CheckSchema(ctx)
		wantCode(t, err, apperr.Unavailable)
		if !strings.Contains(err.Error(), "9999_future") {
			t.Errorf("error does not name the unknown migration: %v", err)
		}
		st, err = u.db.MigrationStatus(ctx)
		must(t, err)
		if len(st) != len(all)+1 || st[len(all)].Name != "9999_future" || st[len(all)].AppliedAt == nil {
			t.Fatalf("status with unknown = %+v", st)
		}
		sameTime(t, "AppliedAt", *st[len(all)].AppliedAt, t0)
	})
}

func TestMigrateConcurrentReplicas(t *testing.T) {
	forEachUnmigrated(t, func(t *testing.T, u unmigrated) {
		ctx := context.Background()
		pending := pendingMigrations(t, u.db)
		const replicas = 5
		var dbs []*store.DB
		for range replicas {
			db, err := store.Open(ctx, u.url, store.Options{MaxOpenConns: 2})
			must(t, err)
			t.Cleanup(func() { _ = db.Close() })
			dbs = append(dbs, db)
		}
		results := make([][]string, replicas)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, db := range dbs {
			wg.Go(func() {
				<-start
				var err error
				if results[i], err = db.Migrate(ctx); err != nil {
					t.Errorf("replica %d: %v", i, err)
				}
			})
		}
		close(start)
		wg.Wait()
		total := 0
		for _, r := range results {
			total += len(r)
		}
		if total != len(pending) {
			t.Fatalf("migrations applied across replicas = %v, want each exactly once", results)
		}
		for _, db := range dbs {
			must(t, db.CheckSchema(ctx))
		}
	})
}

func TestInTx(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mk := func(q *store.Queries, id string) error {
			return q.CreateUser(ctx, newUserValue(id))
		}

		// Commit: writes become visible, and the tx sees its own writes.
		must(t, db.InTx(ctx, func(q *store.Queries) error {
			if err := mk(q, "tx-commit"); err != nil {
				return err
			}
			_, err := q.GetProfile(ctx, "tx-commit")
			return err
		}))
		if _, err := db.GetUser(ctx, "tx-commit"); err != nil {
			t.Fatalf("committed user missing: %v", err)
		}

		// Error: rolled back (user and its profile), error returned unchanged.
		sentinel := apperr.New(apperr.Invalid, "stop")
		err := db.InTx(ctx, func(q *store.Queries) error {
			if err := mk(q, "tx-rollback"); err != nil {
				return err
			}
			if _, _, err := q.RecordLoginFailure(ctx, "tx-rollback", t0, nil); err != nil {
				return err
			}
			return sentinel
		})
		if err != sentinel {
			t.Fatalf("InTx error = %v, want the sentinel", err)
		}
		_, err = db.GetUser(ctx, "tx-rollback")
		wantCode(t, err, apperr.NotFound)
		_, err = db.GetProfile(ctx, "tx-rollback")
		wantCode(t, err, apperr.NotFound)

		// Panic: rolled back and re-raised.
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Fatalf("recovered %v, want boom", r)
				}
			}()
			_ = db.InTx(ctx, func(q *store.Queries) error {
				must(t, mk(q, "tx-panic"))
				panic("boom")
			})
		}()
		_, err = db.GetUser(ctx, "tx-panic")
		wantCode(t, err, apperr.NotFound)

		// A Conflict inside a transaction surfaces and the pool stays usable.
		err = db.InTx(ctx, func(q *store.Queries) error { return mk(q, "tx-commit") })
		wantCode(t, err, apperr.Conflict)
		must(t, db.Ping(ctx))
		if db.Stats().OpenConnections == 0 {
			t.Error("Stats reports no open connections")
		}
	})
}

func TestDialect(t *testing.T) {
	if d := testkit.NewTestStore(t).Dialect(); d != store.DialectSQLite {
		t.Errorf("sqlite Dialect() = %q", d)
	}
	if d := testkit.NewTestStorePG(t).Dialect(); d != store.DialectPostgres {
		t.Errorf("postgres Dialect() = %q", d)
	}
}

// pendingMigrations names the migrations an unmigrated database lacks: all
// of them, in order.
func pendingMigrations(t *testing.T, db *store.DB) []string {
	t.Helper()
	st, err := db.MigrationStatus(context.Background())
	must(t, err)
	var names []string
	for _, m := range st {
		names = append(names, m.Name)
	}
	return names
}

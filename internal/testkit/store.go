package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pathavana/internal/store"
)

// PostgresURLEnv names the variable that enables PostgreSQL test runs. CI
// sets it; without it every PostgreSQL test skips and `go test ./...` needs
// no services.
const PostgresURLEnv = "PATHAVANA_TEST_DATABASE_URL"

// NewTestStore returns a migrated SQLite database in t.TempDir(), closed
// when the test ends. Each call is a fresh, isolated database.
func NewTestStore(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "pathavana.db"), store.Options{})
	if err != nil {
		t.Fatalf("testkit: open sqlite: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("testkit: migrate sqlite: %v", err)
	}
	return db
}

// NewTestStorePG returns a migrated PostgreSQL database isolated in a fresh
// schema "t_<random>" (selected through the search_path connection
// parameter), dropped when the test ends. Schemas instead of databases keep
// setup fast and let parallel tests share one server. It skips the test
// when PATHAVANA_TEST_DATABASE_URL is unset.
func NewTestStorePG(t testing.TB) *store.DB {
	t.Helper()
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		t.Skipf("%s not set: skipping PostgreSQL", PostgresURLEnv)
	}
	db, _ := newPGSchemaStore(t, base, true)
	return db
}

// NewTestStorePGUnmigrated is NewTestStorePG without the migration, for
// tests of migration itself. It also returns the URL of the schema, so a
// test can open further connections (e.g. simulated replicas) to it.
func NewTestStorePGUnmigrated(t testing.TB) (*store.DB, string) {
	t.Helper()
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		t.Skipf("%s not set: skipping PostgreSQL", PostgresURLEnv)
	}
	return newPGSchemaStore(t, base, false)
}

func newPGSchemaStore(t testing.TB, base string, migrate bool) (*store.DB, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("testkit: open postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("testkit: create schema: %v", err)
	}
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer ccancel()
		a, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("testkit: drop schema %s: %v", schema, err)
			return
		}
		defer a.Close()
		if _, err := a.ExecContext(cctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("testkit: drop schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testkit: parse %s: %v", PostgresURLEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	schemaURL := u.String()

	db, err := store.Open(ctx, schemaURL, store.Options{MaxOpenConns: 10})
	if err != nil {
		t.Fatalf("testkit: open postgres schema: %v", err)
	}
	// Registered after the drop, so it runs first: connections are closed
	// before the schema is dropped.
	t.Cleanup(func() { _ = db.Close() })
	if migrate {
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("testkit: migrate postgres: %v", err)
		}
	}
	return db, schemaURL
}

// ForEachStore runs fn as subtest "sqlite" (always) and "postgres" (when
// PATHAVANA_TEST_DATABASE_URL is set), each with its own fresh database:
// the conformance suite that keeps both engines behaving alike.
func ForEachStore(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, NewTestStore(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, NewTestStorePG(t)) })
}

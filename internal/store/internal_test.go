package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
)

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b IN (?, ?)", "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)"},
		{"SELECT '?', \"odd?col\" FROM t WHERE a = ?", "SELECT '?', \"odd?col\" FROM t WHERE a = $1"},
		{"SELECT 'it''s ?' WHERE x = ?", "SELECT 'it''s ?' WHERE x = $1"},
	}
	for _, c := range cases {
		if got := rebind(DialectPostgres, c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := rebind(DialectSQLite, c.in); got != c.in {
			t.Errorf("sqlite rebind changed %q to %q", c.in, got)
		}
	}
	if got := rebind(DialectPostgres, "a = ?"+strings.Repeat(", ?", 11)); !strings.HasSuffix(got, "$12") {
		t.Errorf("multi-digit: %q", got)
	}
}

func TestParseURL(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		in      string
		dialect Dialect
		dsnPfx  string
	}{
		{"postgres://u:p@h/db?sslmode=disable", DialectPostgres, "postgres://u:p@h/db?sslmode=disable"},
		{"postgresql://h/db", DialectPostgres, "postgresql://h/db"},
		{filepath.Join(dir, "a", "x.db"), DialectSQLite, "file:" + filepath.Join(dir, "a", "x.db") + "?_pragma="},
		{"sqlite:" + filepath.Join(dir, "b", "x.db"), DialectSQLite, "file:" + filepath.Join(dir, "b", "x.db") + "?"},
		{"sqlite://" + filepath.Join(dir, "c", "x.db"), DialectSQLite, "file:" + filepath.Join(dir, "c", "x.db") + "?"},
		{"file:" + filepath.Join(dir, "d", "x.db") + "?_txlock=deferred", DialectSQLite, "file:" + filepath.Join(dir, "d", "x.db") + "?_txlock=deferred&"},
		{filepath.Join(dir, "e", "we?ird#.db"), DialectSQLite, "file:" + filepath.Join(dir, "e", "we%3Fird%23.db") + "?"},
		{":memory:", DialectSQLite, "file::memory:?"},
	}
	for _, c := range cases {
		d, _, dsn, err := parseURL(c.in)
		if err != nil {
			t.Errorf("parseURL(%q): %v", c.in, err)
			continue
		}
		if d != c.dialect || !strings.HasPrefix(dsn, c.dsnPfx) {
			t.Errorf("parseURL(%q) = %s %q, want %s %q…", c.in, d, dsn, c.dialect, c.dsnPfx)
		}
		if d == DialectSQLite && strings.Count(dsn, "_txlock=") != 1 {
			t.Errorf("parseURL(%q): caller's _txlock not respected exactly once: %q", c.in, dsn)
		}
	}
	for _, sub := range []string{"a", "b", "c", "d", "e"} {
		fi, err := os.Stat(filepath.Join(dir, sub))
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("dir %s: %v %v, want 0700", sub, fi.Mode(), err)
		}
	}
	for _, bad := range []string{"", "mysql://h/db"} {
		if _, _, _, err := parseURL(bad); err == nil {
			t.Errorf("parseURL(%q) succeeded", bad)
		}
	}
}

func TestOpenOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub dir", "we?ird#100%.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not at %q: %v", path, err)
	}
}

func TestOpenRedactsPassword(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://bob:hunter2@127.0.0.1:1/db?sslmode=disable&connect_timeout=2", Options{})
	if err == nil {
		t.Fatal("Open on a closed port succeeded")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("password leaked: %v", err)
	}
}

// TestSQLiteTimeStorage pins the on-disk format: UTC text that sorts
// chronologically, which the store's WHERE clauses on times rely on.
func TestSQLiteTimeStorage(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2026, 3, 15, 0, 9, 26, 535897932, tokyo)
	if err := db.CreateUser(ctx, model.User{ID: "u", Email: "e", CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	var typ, text string
	if err := db.sql.QueryRowContext(ctx, "SELECT typeof(created_at), CAST(created_at AS TEXT) FROM users").Scan(&typ, &text); err != nil {
		t.Fatal(err)
	}
	if typ != "text" || text != "2026-03-14 15:09:26.535897+00:00" {
		t.Fatalf("stored %s %q", typ, text)
	}
	var fk, journal string
	_ = db.sql.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
	_ = db.sql.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal)
	if fk != "1" || journal != "wal" {
		t.Fatalf("foreign_keys=%s journal_mode=%s", fk, journal)
	}
}

func TestInMemorySQLite(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:", Options{MaxOpenConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if db.Stats().MaxOpenConnections != 1 {
		t.Fatalf("in-memory pool size = %d, want 1", db.Stats().MaxOpenConnections)
	}
}

func TestEmbeddedMigrationsMatch(t *testing.T) {
	lite, err := loadMigrations(DialectSQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := loadMigrations(DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("%d sqlite vs %d postgres migrations", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].version != pg[i].version || lite[i].name != pg[i].name {
			t.Errorf("migration %d: sqlite %s vs postgres %s", i, lite[i].name, pg[i].name)
		}
	}
}

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"pathavana/internal/apperr"
)

// migrationsFS holds one directory of numbered SQL files per dialect. They
// are compiled into the binary so a deployed build always carries exactly
// the schema it was written against.
//
//go:embed migrations
var migrationsFS embed.FS

// migrationLockKey is the first half of the PostgreSQL advisory lock taken
// while migrating ("path" in ASCII); the second half is derived from the
// current schema so separate schemas (tests, tenants) do not block each other.
const migrationLockKey = 0x70617468

// migration is one embedded SQL file, e.g. 0001_init.sql.
type migration struct {
	version int
	name    string // file name without ".sql", e.g. "0001_init"
	sql     string
}

// MigrationState describes one migration, known to this binary or found in
// the database. AppliedAt is nil while it is pending.
type MigrationState struct {
	Version   int
	Name      string
	AppliedAt *time.Time
}

// loadMigrations reads the dialect's embedded migrations in version order.
func loadMigrations(d Dialect) ([]migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".sql")
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must start with a positive version number", e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s share version %d", prev, name, v)
		}
		seen[v] = name
		body, err := fs.ReadFile(migrationsFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the names of those it applied (none when up to date). On
// PostgreSQL it holds an advisory lock throughout, so replicas starting
// together apply each migration once; on SQLite the immediate-mode
// transaction serialises migrators, and each re-checks the version inside
// its transaction.
func (db *DB) Migrate(ctx context.Context) (applied []string, err error) {
	migs, err := loadMigrations(db.dialect)
	if err != nil {
		return nil, err
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()

	if db.dialect == DialectPostgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", migrationLockKey); err != nil {
			return nil, fmt.Errorf("store: migrate: take advisory lock: %w", err)
		}
		defer func() {
			// Unlock even if ctx was cancelled; if that fails, discard the
			// connection so the lock cannot linger in the pool.
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if _, uerr := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", migrationLockKey); uerr != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}

	if _, err := conn.ExecContext(ctx, createMigrationsTable(db.dialect)); err != nil {
		return nil, fmt.Errorf("store: migrate: create schema_migrations: %w", err)
	}
	for _, m := range migs {
		done, err := applyMigration(ctx, conn, db.dialect, m)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

func createMigrationsTable(d Dialect) string {
	ts := "TIMESTAMP"
	if d == DialectPostgres {
		ts = "TIMESTAMPTZ"
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at ` + ts + ` NOT NULL
	)`
}

// applyMigration runs one migration in its own transaction unless another
// migrator already applied it, reporting whether it ran.
func applyMigration(ctx context.Context, conn *sql.Conn, d Dialect, m migration) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: migration %s: begin: %w", m.name, err)
	}
	defer func() { _ = tx.Rollback() }() // no-op after Commit

	var one int
	err = tx.QueryRowContext(ctx, rebind(d, "SELECT 1 FROM schema_migrations WHERE version = ?"), m.version).Scan(&one)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	// No arguments: both drivers then accept several statements in one call.
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, rebind(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
		m.version, m.name, dbTime(time.Now())); err != nil {
		return false, fmt.Errorf("store: migration %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("store: migration %s: commit: %w", m.name, err)
	}
	return true, nil
}

// MigrationStatus lists every migration this binary knows, plus any the
// database has that it does not (applied by a newer build), by version.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	migs, err := loadMigrations(db.dialect)
	if err != nil {
		return nil, err
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	var out []MigrationState
	for _, m := range migs {
		st := MigrationState{Version: m.version, Name: m.name}
		if a, ok := applied[m.version]; ok {
			st.AppliedAt = a.AppliedAt
			delete(applied, m.version)
		}
		out = append(out, st)
	}
	for _, a := range applied {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// appliedMigrations reads schema_migrations, treating a missing table as an
// empty database.
func (db *DB) appliedMigrations(ctx context.Context) (map[int]MigrationState, error) {
	exists := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	if db.dialect == DialectPostgres {
		exists = "SELECT COUNT(*) FROM (SELECT to_regclass('schema_migrations') AS t) r WHERE r.t IS NOT NULL"
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	out := map[int]MigrationState{}
	if n == 0 {
		return out, nil
	}
	rows, err := db.sql.QueryContext(ctx, "SELECT version, name, applied_at FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s MigrationState
		var at timeCol
		if err := rows.Scan(&s.Version, &s.Name, &at); err != nil {
			return nil, fmt.Errorf("store: migration status: %w", err)
		}
		s.AppliedAt = at.ptr()
		out[s.Version] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	return out, nil
}

// CheckSchema returns an Unavailable error unless the database schema is
// exactly what this binary expects, so `serve` refuses to run against a
// schema it would misread: pending migrations mean an operator must migrate;
// unknown ones mean a newer build migrated and this one is too old.
func (db *DB) CheckSchema(ctx context.Context) error {
	migs, err := loadMigrations(db.dialect)
	if err != nil {
		return err
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	pending := 0
	for _, m := range migs {
		if _, ok := applied[m.version]; ok {
			delete(applied, m.version)
		} else {
			pending++
		}
	}
	if len(applied) > 0 {
		var names []string
		for _, a := range applied {
			names = append(names, a.Name)
		}
		sort.Strings(names)
		return apperr.New(apperr.Unavailable,
			"database schema is newer than this binary (unknown migrations: %s): upgrade pathavana", strings.Join(names, ", "))
	}
	if pending > 0 {
		return apperr.New(apperr.Unavailable,
			"database schema is out of date (%d pending migrations): run `pathavana migrate up`", pending)
	}
	return nil
}

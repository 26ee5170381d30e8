// Package store is the only package that speaks SQL. It serves SQLite (the
// zero-setup default: one file next to the binary) and PostgreSQL (what
// replicated deployments share) through one query layer: every query is
// written once with `?` placeholders and rebound to `$n` for PostgreSQL, so
// the two engines cannot drift apart feature by feature. A single
// conformance suite runs against both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver (pure Go, no cgo)
)

// Dialect names the SQL engine behind a DB. Queries are shared; only a
// handful of statements (locking, schema inspection) differ per dialect.
type Dialect string

const (
	DialectSQLite   Dialect = "sqlite"
	DialectPostgres Dialect = "postgres"
)

// Options tunes the connection pool. Zero values pick defaults suited to
// the dialect, so most callers pass Options{}.
type Options struct {
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
}

// DB is an open database. It embeds *Queries so every query method can be
// called directly (each statement in its own implicit transaction), and
// offers InTx for work that must be atomic.
type DB struct {
	*Queries
	sql     *sql.DB
	dialect Dialect
}

// sqliteParams are applied to every SQLite connection. WAL lets readers run
// beside the single writer; busy_timeout makes writers queue instead of
// failing; _txlock=immediate takes the write lock at BEGIN, so a transaction
// never fails half-way when it upgrades from reading to writing; times are
// written in SQLite's own sortable format and always in UTC.
func sqliteParams() [][2]string {
	return [][2]string{
		{"_pragma", "busy_timeout(5000)"},
		{"_pragma", "journal_mode(WAL)"},
		{"_pragma", "synchronous(NORMAL)"},
		{"_pragma", "foreign_keys(1)"},
		{"_txlock", "immediate"},
		{"_time_format", "sqlite"},
		{"_timezone", "UTC"},
	}
}

// Open connects to the database named by rawURL and checks that it answers.
// "postgres://…" and "postgresql://…" select PostgreSQL; "sqlite:PATH",
// "file:PATH" or a bare path select SQLite, creating the parent directory
// (0700: the file holds password hashes) when missing. Open does not
// migrate: call Migrate or CheckSchema.
func Open(ctx context.Context, rawURL string, opts Options) (*DB, error) {
	dialect, driver, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	sqlDB, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", redact(rawURL), err)
	}
	applyPool(sqlDB, dialect, opts, dsn)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", redact(rawURL), err)
	}
	return &DB{
		Queries: &Queries{dialect: dialect, db: sqlDB, conn: sqlDB},
		sql:     sqlDB,
		dialect: dialect,
	}, nil
}

// parseURL maps the user-facing URL onto a driver name and DSN.
func parseURL(rawURL string) (Dialect, string, string, error) {
	if rawURL == "" {
		return "", "", "", errors.New("store: empty database URL")
	}
	lower := strings.ToLower(rawURL)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		return DialectPostgres, "pgx", rawURL, nil
	}
	if strings.Contains(rawURL, "://") && !strings.HasPrefix(lower, "sqlite:") && !strings.HasPrefix(lower, "file:") {
		return "", "", "", fmt.Errorf("store: unsupported database URL %s (want postgres://… or a SQLite path)", redact(rawURL))
	}

	var uriPath, query string
	switch {
	case strings.HasPrefix(lower, "file:"):
		// Already an SQLite URI: keep the caller's escaping and parameters.
		uriPath, query, _ = strings.Cut(rawURL[len("file:"):], "?")
		if rest, ok := strings.CutPrefix(uriPath, "//"); ok { // file:///abs or file://localhost/abs
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				uriPath = rest[i:]
			}
		}
	case strings.HasPrefix(lower, "sqlite:"):
		// sqlite:PATH, sqlite:///abs/path or sqlite://rel/path
		uriPath = escapeURIPath(strings.TrimPrefix(rawURL[len("sqlite:"):], "//"))
	default:
		uriPath = escapeURIPath(rawURL)
	}
	fsPath, err := url.PathUnescape(uriPath)
	if err != nil || fsPath == "" {
		return "", "", "", fmt.Errorf("store: invalid SQLite path in %q", rawURL)
	}
	if fsPath != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(fsPath), 0o700); err != nil {
			return "", "", "", fmt.Errorf("store: create database directory: %w", err)
		}
	}

	params, err := url.ParseQuery(query)
	if err != nil {
		return "", "", "", fmt.Errorf("store: invalid SQLite parameters in %q: %w", rawURL, err)
	}
	var b strings.Builder
	b.WriteString(query)
	for _, kv := range sqliteParams() {
		if kv[0] != "_pragma" && params.Has(kv[0]) {
			continue // the caller's explicit choice wins
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[0] + "=" + url.QueryEscape(kv[1]))
	}
	return DialectSQLite, "sqlite", "file:" + uriPath + "?" + b.String(), nil
}

// escapeURIPath escapes the characters SQLite URI filenames treat specially.
func escapeURIPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(p)
}

// redact hides a password in a PostgreSQL URL before it reaches an error
// message or a log line.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		if strings.Contains(rawURL, "@") {
			return "(unparseable database URL)"
		}
		return rawURL
	}
	return u.Redacted()
}

// applyPool sets pool limits. SQLite has one writer, so a few connections
// suffice for concurrent readers; idle connections are kept because each new
// one replays the pragmas. An in-memory SQLite database lives and dies with
// its connection, so it gets exactly one.
func applyPool(db *sql.DB, d Dialect, o Options, dsn string) {
	maxOpen, maxIdle, life := o.MaxOpenConns, o.MaxIdleConns, o.ConnMaxLifetime
	switch d {
	case DialectSQLite:
		if maxOpen <= 0 {
			maxOpen = max(4, runtime.NumCPU())
		}
		if strings.HasPrefix(dsn, "file::memory:") {
			maxOpen = 1
		}
		if maxIdle <= 0 {
			maxIdle = maxOpen
		}
	case DialectPostgres:
		if maxOpen <= 0 {
			maxOpen = 20
		}
		if maxIdle <= 0 {
			// Keep every connection: under load a smaller idle pool closes
			// and reopens connections (TCP + auth) on nearly every request.
			maxIdle = maxOpen
		}
		if life <= 0 {
			life = 30 * time.Minute // lets connections follow a failover or a PgBouncer restart
		}
	}
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(min(maxIdle, maxOpen))
	db.SetConnMaxLifetime(life)
}

// Close closes every connection in the pool.
func (db *DB) Close() error { return db.sql.Close() }

// Dialect reports which engine this DB talks to.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers, for readiness probes.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Stats exposes pool statistics for metrics.
func (db *DB) Stats() sql.DBStats { return db.sql.Stats() }

// InTx runs fn in a transaction: committed when fn returns nil, rolled back
// when it returns an error or panics (the panic is re-raised after the
// rollback). On SQLite the transaction holds the write lock from the start.
func (db *DB) InTx(ctx context.Context, fn func(q *Queries) error) error {
	return runTx(ctx, db.sql, db.dialect, fn)
}

func runTx(ctx context.Context, sqlDB *sql.DB, d Dialect, fn func(q *Queries) error) (err error) {
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin transaction: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = tx.Rollback() // panicking: undo, then let the panic continue
		}
	}()
	if err := fn(&Queries{dialect: d, db: sqlDB, conn: tx, inTx: true}); err != nil {
		done = true
		_ = tx.Rollback()
		return err
	}
	done = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"pathavana/internal/apperr"
)

// Queries holds every query method. It runs against the pool (outside a
// transaction, via DB) or against one transaction (inside InTx), so the
// service layer composes the same methods either way.
type Queries struct {
	dialect Dialect
	db      *sql.DB // the pool, for methods that need their own transaction
	conn    execer  // *sql.DB or *sql.Tx
	inTx    bool
}

// execer is what *sql.DB and *sql.Tx have in common.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// atomic runs fn in a transaction unless q already is one, for methods made
// of several statements that must not be observed half-done.
func (q *Queries) atomic(ctx context.Context, fn func(q *Queries) error) error {
	if q.inTx {
		return fn(q)
	}
	return runTx(ctx, q.db, q.dialect, fn)
}

func (q *Queries) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.conn.ExecContext(ctx, rebind(q.dialect, query), normArgs(args)...)
}

func (q *Queries) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.conn.QueryContext(ctx, rebind(q.dialect, query), normArgs(args)...)
}

func (q *Queries) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return q.conn.QueryRowContext(ctx, rebind(q.dialect, query), normArgs(args)...)
}

// execOne runs an UPDATE/DELETE that must hit exactly one row and returns
// notFound when it hit none.
func (q *Queries) execOne(ctx context.Context, notFound error, query string, args ...any) error {
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: rows affected: %w", err)
	}
	if n == 0 {
		return notFound
	}
	return nil
}

// rebind turns `?` placeholders into PostgreSQL's `$1, $2, …`. Question
// marks inside quoted literals or identifiers are left alone; PostgreSQL's
// jsonb `?` operators must not be used in queries (use jsonb_exists).
func rebind(d Dialect, query string) string {
	if d != DialectPostgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0 // a doubled quote re-enters the literal on the next byte
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// placeholders returns "?, ?, …" for an IN list of n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// dbTime is how every instant is stored: UTC, microsecond precision (what
// PostgreSQL keeps), no monotonic reading. Doing it here, not per engine,
// makes both engines return identical values and keeps SQLite's text
// timestamps comparable as strings.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func normArgs(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = dbTime(v)
		case *time.Time:
			if v == nil {
				args[i] = nil
			} else {
				args[i] = dbTime(*v)
			}
		}
	}
	return args
}

// nullString stores "" as NULL, for optional columns under unique indexes.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// timeCol scans a possibly NULL timestamp from either engine. pgx returns
// time.Time in the local zone; modernc returns time.Time for TIMESTAMP
// columns but plain text for expressions (e.g. RETURNING in some versions),
// so text is parsed here too. Every value comes out in UTC.
type timeCol struct {
	t     time.Time
	valid bool
}

// sqliteTimeFormats are the layouts SQLite text timestamps may take.
func sqliteTimeFormats() []string {
	return []string{
		"2006-01-02 15:04:05.999999999-07:00",
		"2006-01-02T15:04:05.999999999-07:00",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02T15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04",
		"2006-01-02",
	}
}

func (c *timeCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c = timeCol{}
		return nil
	case time.Time:
		*c = timeCol{t: x.UTC(), valid: true}
		return nil
	case []byte:
		return c.Scan(string(x))
	case string:
		for _, layout := range sqliteTimeFormats() {
			if t, err := time.Parse(layout, x); err == nil {
				*c = timeCol{t: t.UTC(), valid: true}
				return nil
			}
		}
		return fmt.Errorf("store: unrecognised timestamp %q", x)
	default:
		return fmt.Errorf("store: cannot scan %T into a timestamp", v)
	}
}

// ptr returns nil for NULL, else a pointer to a copy.
func (c timeCol) ptr() *time.Time {
	if !c.valid {
		return nil
	}
	t := c.t
	return &t
}

// rowScanner is what *sql.Row and *sql.Rows have in common.
type rowScanner interface{ Scan(dest ...any) error }

// isUniqueViolation reports a UNIQUE or PRIMARY KEY violation on either
// engine, which callers turn into apperr.Conflict.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isForeignKeyViolation reports a reference to a row that does not exist.
func isForeignKeyViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// notFound wraps sql.ErrNoRows (so errors.Is still sees it) in a NotFound
// error with a client-safe message.
func notFound(what string) error {
	return apperr.Wrap(sql.ErrNoRows, apperr.NotFound, "%s not found", what)
}

// rowErr maps sql.ErrNoRows to NotFound and wraps anything else as a plain
// error, which the HTTP layer reports as a 500.
func rowErr(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

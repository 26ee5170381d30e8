package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// RestoreOptions tune Restore.
type RestoreOptions struct {
	// Force replaces the contents of a database that already holds rows.
	// Without it, Restore refuses to touch a database that is not empty.
	Force bool
}

// RestoreResult reports what Restore did.
type RestoreResult struct {
	BackupInfo // the archive, as verified
	// CreatedSchema lists the migrations Restore applied to give an empty
	// database the archive's schema version.
	CreatedSchema []string
	// Replaced lists, with Force, the tables that held rows before and how
	// many.
	Replaced []TableSummary
}

// Restore loads a logical backup into this database, which must be empty:
// either brand new (no tables at all: Restore then applies the migrations
// up to the archive's schema version, so an old backup restores into a
// newer binary, which then migrates it up as usual) or migrated to exactly
// the archive's schema version with no rows. Force lifts the "no rows"
// rule by deleting every row first.
//
// Everything happens in one transaction: rows are inserted, the archive's
// checksums are checked, every table is read back and its row count and
// digest compared with what the archive holds, and only then is the
// transaction committed. A damaged archive, a failed insert or a failed
// check writes no row. (When Restore created the schema of a new database,
// that empty schema stays, and a retry uses it.) The archive may come from
// either engine.
func (db *DB) Restore(ctx context.Context, r io.Reader, opts RestoreOptions) (res RestoreResult, err error) {
	var tx *sql.Tx
	defer func() {
		if tx != nil {
			_ = tx.Rollback()
		}
	}()
	target := map[string]TableInfo{}
	// A failed insert stops writing but not reading: the rest of the
	// archive is still checked, so damage is reported as damage rather than
	// as the constraint violation it caused.
	var writeErr error
	var done []*tableRestore
	var cur *tableRestore

	visitor := archiveVisitor{
		header: func(h archiveHeader) error {
			if h.Dialect != DialectSQLite && h.Dialect != DialectPostgres {
				return corrupt("unknown source dialect %q", h.Dialect)
			}
			if res.CreatedSchema, err = db.prepareSchema(ctx, h.Schema); err != nil {
				return err
			}
			if tx, err = db.sql.BeginTx(ctx, nil); err != nil {
				return fmt.Errorf("store: restore: begin: %w", err)
			}
			if err := deferForeignKeys(ctx, tx, db.dialect); err != nil {
				return err
			}
			tables, err := describeTables(ctx, tx, db.dialect)
			if err != nil {
				return err
			}
			for _, t := range tables {
				target[t.Name] = t
			}
			var missing []string
			for _, n := range h.Tables {
				if _, ok := target[n]; !ok {
					missing = append(missing, n)
				}
			}
			if len(missing) > 0 {
				return fmt.Errorf("store: restore: the database has no table %s (schema differs from the backup's)",
					strings.Join(missing, ", "))
			}
			res.Replaced, err = emptyTables(ctx, tx, tables, opts.Force)
			return err
		},
		table: func(a archiveTable) error {
			if writeErr != nil {
				return nil
			}
			if cur != nil {
				if writeErr = cur.flush(ctx, tx, db.dialect); writeErr != nil {
					return nil
				}
			}
			if cur, writeErr = newTableRestore(a, target[a.Name]); writeErr == nil {
				done = append(done, cur)
			}
			return nil
		},
		row: func(_ archiveTable, vals []any) error {
			if writeErr == nil {
				writeErr = cur.add(ctx, tx, db.dialect, vals)
			}
			return nil
		},
	}
	info, err := readArchive(r, visitor)
	if err != nil {
		return res, err
	}
	res.BackupInfo = info
	if writeErr == nil && cur != nil {
		writeErr = cur.flush(ctx, tx, db.dialect)
	}
	if writeErr != nil {
		return res, writeErr
	}
	for _, t := range done {
		if err := t.verify(ctx, tx, db.dialect); err != nil {
			return res, err
		}
		if err := resetSequences(ctx, tx, db.dialect, t); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("store: restore: commit: %w", err)
	}
	tx = nil
	return res, nil
}

// prepareSchema makes sure the database is at the archive's schema
// version, creating that schema in a database that has none.
func (db *DB) prepareSchema(ctx context.Context, want []SchemaVersion) ([]string, error) {
	if len(want) == 0 {
		return nil, corrupt("the header records no schema version")
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	wantVersions := make([]int, len(want))
	for i, v := range want {
		wantVersions[i] = v.Version
	}
	slices.Sort(wantVersions)
	if len(applied) == 0 {
		tables, err := db.ListTables(ctx)
		if err != nil {
			return nil, err
		}
		if len(tables) > 0 {
			return nil, fmt.Errorf("store: restore: the database has tables (%s) but no recorded migrations: "+
				"restore into an empty database", strings.Join(tables, ", "))
		}
		migs, err := loadMigrations(db.dialect)
		if err != nil {
			return nil, err
		}
		var known []int
		for _, m := range migs {
			if m.version <= wantVersions[len(wantVersions)-1] {
				known = append(known, m.version)
			}
		}
		if !slices.Equal(known, wantVersions) {
			return nil, fmt.Errorf("store: restore: the backup's schema (migrations %v) is not one this build can create "+
				"(it knows %v up to that version): restore with the pathavana version that took the backup", wantVersions, known)
		}
		return db.migrateTo(ctx, wantVersions[len(wantVersions)-1])
	}
	have := make([]int, 0, len(applied))
	for v := range applied {
		have = append(have, v)
	}
	slices.Sort(have)
	if !slices.Equal(have, wantVersions) {
		return nil, fmt.Errorf("store: restore: the database's schema (migrations %v) differs from the backup's (%v): "+
			"restore into a new, empty database (without tables), where restore creates the backup's schema itself", have, wantVersions)
	}
	return nil, nil
}

// migrateTo is Migrate stopping at version max.
func (db *DB) migrateTo(ctx context.Context, max int) (applied []string, err error) {
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
		if m.version > max {
			break
		}
		ok, err := applyMigration(ctx, conn, db.dialect, m)
		if err != nil {
			return applied, err
		}
		if ok {
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

// deferForeignKeys postpones foreign-key checks to COMMIT where the engine
// allows it (always on SQLite; DEFERRABLE constraints on PostgreSQL), so
// rows referencing rows of their own table restore in any order.
func deferForeignKeys(ctx context.Context, tx *sql.Tx, d Dialect) error {
	stmt := "PRAGMA defer_foreign_keys = ON"
	if d == DialectPostgres {
		stmt = "SET CONSTRAINTS ALL DEFERRED"
	}
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	return nil
}

// emptyTables refuses a database with rows, or with force deletes them
// (referencing tables first) and reports what was there.
func emptyTables(ctx context.Context, tx *sql.Tx, tables []TableInfo, force bool) ([]TableSummary, error) {
	var full []TableSummary
	for _, t := range tables {
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quoteIdent(t.Name)).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: restore: count %s: %w", t.Name, err)
		}
		if n > 0 {
			full = append(full, TableSummary{Name: t.Name, Rows: n})
		}
	}
	if len(full) == 0 {
		return nil, nil
	}
	if !force {
		var desc []string
		for _, t := range full {
			desc = append(desc, fmt.Sprintf("%s: %d rows", t.Name, t.Rows))
		}
		return nil, fmt.Errorf("store: restore: the database is not empty (%s): restore into an empty database, "+
			"or force it (pathavana restore --force) to replace every row", strings.Join(desc, ", "))
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(tables[i].Name)); err != nil {
			return nil, fmt.Errorf("store: restore: empty %s: %w", tables[i].Name, err)
		}
	}
	return full, nil
}

// tableRestore inserts one archive table in batches and keeps the digest
// its rows must have when read back from this database.
type tableRestore struct {
	table    TableInfo    // the target table
	cols     []ColumnInfo // target columns, in archive order
	from     []ColumnType // archive column types
	perBatch int
	batch    []any
	pending  int
	stmt     string // INSERT for a full batch
	tvals    []any
	expected digest
}

func newTableRestore(a archiveTable, t TableInfo) (*tableRestore, error) {
	byName := map[string]ColumnInfo{}
	for _, c := range t.Columns {
		byName[c.Name] = c
	}
	tr := &tableRestore{table: t, tvals: make([]any, len(a.Columns))}
	for _, ac := range a.Columns {
		c, ok := byName[ac.Name]
		if !ok {
			return nil, fmt.Errorf("store: restore: table %s has no column %s (schema differs from the backup's)", a.Name, ac.Name)
		}
		if _, err := convert(nil, ac.Type, c.Type); err != nil {
			return nil, err
		}
		tr.cols = append(tr.cols, c)
		tr.from = append(tr.from, ac.Type)
	}
	// Stay well below SQLite's 32766 and PostgreSQL's 65535 parameters.
	tr.perBatch = max(1, min(500, 30000/len(tr.cols)))
	return tr, nil
}

func (t *tableRestore) add(ctx context.Context, tx *sql.Tx, d Dialect, vals []any) error {
	for i, v := range vals {
		tv, err := convert(v, t.from[i], t.cols[i].Type)
		if err != nil {
			return fmt.Errorf("store: restore table %s column %s: %w", t.table.Name, t.cols[i].Name, err)
		}
		arg, err := toDB(tv, t.cols[i].Type)
		if err != nil {
			return fmt.Errorf("store: restore table %s column %s: %w", t.table.Name, t.cols[i].Name, err)
		}
		t.tvals[i] = tv
		t.batch = append(t.batch, arg)
	}
	row, err := encodeJSON(t.tvals)
	if err != nil {
		return fmt.Errorf("store: restore table %s: %w", t.table.Name, err)
	}
	t.expected.add(row)
	t.pending++
	if t.pending == t.perBatch {
		return t.flush(ctx, tx, d)
	}
	return nil
}

func (t *tableRestore) flush(ctx context.Context, tx *sql.Tx, d Dialect) error {
	if t.pending == 0 {
		return nil
	}
	stmt := t.stmt
	if t.pending != t.perBatch || stmt == "" {
		names := make([]string, len(t.cols))
		for i, c := range t.cols {
			names[i] = quoteIdent(c.Name)
		}
		tuple := "(" + placeholders(len(t.cols)) + ")"
		stmt = rebind(d, "INSERT INTO "+quoteIdent(t.table.Name)+" ("+strings.Join(names, ", ")+") VALUES "+
			strings.TrimSuffix(strings.Repeat(tuple+", ", t.pending), ", "))
		if t.pending == t.perBatch {
			t.stmt = stmt
		}
	}
	if _, err := tx.ExecContext(ctx, stmt, normArgs(t.batch)...); err != nil {
		return fmt.Errorf("store: restore table %s: %w", t.table.Name, err)
	}
	t.batch, t.pending = t.batch[:0], 0
	return nil
}

// verify reads the table back and compares it with what was written.
func (t *tableRestore) verify(ctx context.Context, tx *sql.Tx, d Dialect) error {
	var got digest
	err := readTable(ctx, tx, d, t.table, t.cols, func(vals []any) error {
		row, err := encodeJSON(vals)
		got.add(row)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: restore: read back %s: %w", t.table.Name, err)
	}
	if got != t.expected {
		return fmt.Errorf("store: restore: verification failed for table %s: wrote %d rows (digest %s), read back %d (digest %s)",
			t.table.Name, t.expected.rows, t.expected.hex(), got.rows, got.hex())
	}
	return nil
}

// resetSequences moves PostgreSQL sequences (serial and identity columns)
// past the restored values, so the next insert does not collide.
func resetSequences(ctx context.Context, tx *sql.Tx, d Dialect, t *tableRestore) error {
	if d != DialectPostgres {
		return nil
	}
	for _, c := range t.cols {
		if !c.serial {
			continue
		}
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)",
			quoteIdent(c.Name), quoteIdent(t.table.Name))
		if _, err := tx.ExecContext(ctx, q, quoteIdent(t.table.Name), c.Name); err != nil {
			return fmt.Errorf("store: restore: reset sequence of %s.%s: %w", t.table.Name, c.Name, err)
		}
	}
	return nil
}

// BackupSQLiteFile writes a consistent, compacted copy of a SQLite database
// to path with VACUUM INTO (the online backup: readers and writers carry
// on). path must not exist. The copy is a complete SQLite database that
// `restore` reads like an archive, verifying it against its manifest.
func (db *DB) BackupSQLiteFile(ctx context.Context, path string) error {
	if db.dialect != DialectSQLite {
		return errors.New("store: a SQLite file backup needs a SQLite database")
	}
	if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("store: VACUUM INTO %s: %w", path, err)
	}
	return nil
}

// OpenSQLiteFile opens a SQLite database file read-only and immutable (a
// file backup), so reading it cannot change a byte of it.
func OpenSQLiteFile(ctx context.Context, path string) (*DB, error) {
	dsn := "file:" + escapeURIPath(path) + "?mode=ro&immutable=1&_time_format=sqlite&_timezone=UTC"
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(1)
	var check string
	if err := sqlDB.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil || check != "ok" {
		_ = sqlDB.Close()
		if err == nil {
			err = errors.New(check)
		}
		return nil, fmt.Errorf("store: %s is not an intact SQLite database: %w", path, err)
	}
	return &DB{Queries: &Queries{dialect: DialectSQLite, db: sqlDB, conn: sqlDB}, sql: sqlDB, dialect: DialectSQLite}, nil
}

// ExportSnapshot holds a PostgreSQL snapshot open and runs fn with its id,
// for `pg_dump --snapshot`, and returns the digest of that same snapshot:
// the manifest that proves a later pg_restore complete.
func (db *DB) ExportSnapshot(ctx context.Context, fn func(snapshot string) error) (BackupInfo, error) {
	if db.dialect != DialectPostgres {
		return BackupInfo{}, errors.New("store: snapshots can be exported from PostgreSQL only")
	}
	var info BackupInfo
	err := db.readSnapshot(ctx, func(tx *sql.Tx) error {
		var id string
		if err := tx.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&id); err != nil {
			return fmt.Errorf("store: export snapshot: %w", err)
		}
		var err error
		if info, err = digestTables(ctx, tx, db.dialect); err != nil {
			return err
		}
		return fn(id)
	})
	return info, err
}

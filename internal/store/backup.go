package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"time"
)

// A logical backup is an engine-neutral archive: gzip-compressed JSON
// Lines, one JSON object per line.
//
//	{"header":{"format":"pathavana-backup","format_version":1,"created_at":…,"dialect":"postgres",
//	           "app_version":…,"schema":[{"version":1,"name":"0001_init"}],"tables":["users",…]}}
//	{"table":{"name":"users","columns":[{"name":"id","type":"text","nullable":false},…],"primary_key":["id"]}}
//	{"row":["u-1","ana@example.com",…]}          one per row, values in column order
//	…                                            a "table" line, then its rows, for every table
//	{"trailer":{"tables":[{"name":"users","rows":12,"sha256":"…"},…],"content_sha256":"…"}}
//
// Tables come in dependency order (referenced tables first). Values are in
// the canonical form of their column type (see ColumnType). Each table's
// sha256 is the order-independent digest of its rows (see digest), which a
// restore recomputes from what it wrote; content_sha256 is the SHA-256 of
// every line before the trailer, so any damage to the archive is caught.
// The gzip CRC covers the compressed stream.
const (
	BackupFormat        = "pathavana-backup"
	BackupFormatVersion = 1
)

// maxArchiveLine bounds one line of an archive (one row), so a damaged
// file cannot make restore allocate without limit.
const maxArchiveLine = 64 << 20

// SchemaVersion is one applied migration, as recorded in a backup.
type SchemaVersion struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
}

// TableSummary is what a backup holds of one table: its row count and the
// order-independent SHA-256 digest of its rows.
type TableSummary struct {
	Name   string `json:"name"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// BackupInfo describes a backup: where and when it was taken, the schema
// it was taken at, and every table's row count and digest. It doubles as
// the manifest written beside engine-native backups (pg_dump, SQLite file).
type BackupInfo struct {
	Format        string          `json:"format"`
	FormatVersion int             `json:"format_version"`
	CreatedAt     time.Time       `json:"created_at"`
	Dialect       Dialect         `json:"dialect"`
	AppVersion    string          `json:"app_version,omitempty"`
	Schema        []SchemaVersion `json:"schema"`
	Tables        []TableSummary  `json:"tables"`
}

// Rows is the total number of rows over every table.
func (b BackupInfo) Rows() int64 {
	var n int64
	for _, t := range b.Tables {
		n += t.Rows
	}
	return n
}

// BackupOptions are recorded in the archive header.
type BackupOptions struct {
	AppVersion string
	Now        func() time.Time // default time.Now
}

type archiveHeader struct {
	Format        string          `json:"format"`
	FormatVersion int             `json:"format_version"`
	CreatedAt     time.Time       `json:"created_at"`
	Dialect       Dialect         `json:"dialect"`
	AppVersion    string          `json:"app_version,omitempty"`
	Schema        []SchemaVersion `json:"schema"`
	Tables        []string        `json:"tables"`
}

type archiveTable struct {
	Name       string       `json:"name"`
	Columns    []ColumnInfo `json:"columns"`
	PrimaryKey []string     `json:"primary_key,omitempty"`
}

type archiveTrailer struct {
	Tables        []TableSummary `json:"tables"`
	ContentSHA256 string         `json:"content_sha256"`
}

// archiveLine is any line of an archive; exactly one field is set.
type archiveLine struct {
	Header  *archiveHeader  `json:"header,omitempty"`
	Table   *archiveTable   `json:"table,omitempty"`
	Row     []any           `json:"row,omitempty"`
	Trailer *archiveTrailer `json:"trailer,omitempty"`
}

// Backup writes a logical backup of every user table to w. All tables are
// read in one read-only transaction, a consistent snapshot on both engines
// (REPEATABLE READ on PostgreSQL; a WAL read transaction on SQLite, which
// does not block writers), so the service can keep running.
func (db *DB) Backup(ctx context.Context, w io.Writer, opts BackupOptions) (BackupInfo, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	var info BackupInfo
	err := db.readSnapshot(ctx, func(tx *sql.Tx) error {
		schema, err := schemaVersions(ctx, tx)
		if err != nil {
			return err
		}
		tables, err := describeTables(ctx, tx, db.dialect)
		if err != nil {
			return err
		}
		info = BackupInfo{Format: BackupFormat, FormatVersion: BackupFormatVersion, CreatedAt: now().UTC(),
			Dialect: db.dialect, AppVersion: opts.AppVersion, Schema: schema}
		aw := newArchiveWriter(w)
		h := archiveHeader{Format: info.Format, FormatVersion: info.FormatVersion, CreatedAt: info.CreatedAt,
			Dialect: info.Dialect, AppVersion: info.AppVersion, Schema: schema}
		for _, t := range tables {
			h.Tables = append(h.Tables, t.Name)
		}
		if err := aw.line(archiveLine{Header: &h}); err != nil {
			return err
		}
		for _, t := range tables {
			if err := aw.line(archiveLine{Table: &archiveTable{Name: t.Name, Columns: t.Columns, PrimaryKey: t.PrimaryKey}}); err != nil {
				return err
			}
			var d digest
			err := readTable(ctx, tx, db.dialect, t, t.Columns, func(vals []any) error {
				row, err := encodeJSON(vals)
				if err != nil {
					return err
				}
				d.add(row)
				return aw.raw(`{"row":`, row, "}\n")
			})
			if err != nil {
				return fmt.Errorf("store: backup table %s: %w", t.Name, err)
			}
			info.Tables = append(info.Tables, TableSummary{Name: t.Name, Rows: d.rows, SHA256: d.hex()})
		}
		return aw.close(info.Tables)
	})
	if err != nil {
		return BackupInfo{}, err
	}
	return info, nil
}

// Digest returns what a backup taken now would record (schema, row counts,
// digests) without writing one: the check after a restore from an
// engine-native backup, and a cheap comparison between two databases.
func (db *DB) Digest(ctx context.Context) (BackupInfo, error) {
	var info BackupInfo
	err := db.readSnapshot(ctx, func(tx *sql.Tx) error {
		var err error
		info, err = digestTables(ctx, tx, db.dialect)
		return err
	})
	return info, err
}

func digestTables(ctx context.Context, tx *sql.Tx, d Dialect) (BackupInfo, error) {
	info := BackupInfo{Format: BackupFormat, FormatVersion: BackupFormatVersion, CreatedAt: time.Now().UTC(), Dialect: d}
	var err error
	if info.Schema, err = schemaVersions(ctx, tx); err != nil {
		return info, err
	}
	tables, err := describeTables(ctx, tx, d)
	if err != nil {
		return info, err
	}
	for _, t := range tables {
		var dg digest
		err := readTable(ctx, tx, d, t, t.Columns, func(vals []any) error {
			row, err := encodeJSON(vals)
			dg.add(row)
			return err
		})
		if err != nil {
			return info, fmt.Errorf("store: digest table %s: %w", t.Name, err)
		}
		info.Tables = append(info.Tables, TableSummary{Name: t.Name, Rows: dg.rows, SHA256: dg.hex()})
	}
	return info, nil
}

// readSnapshot runs fn in a read-only transaction that sees one consistent
// state of the whole database.
func (db *DB) readSnapshot(ctx context.Context, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == DialectPostgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin snapshot: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

// schemaVersions reads the applied migrations, in version order.
func schemaVersions(ctx context.Context, q execer) ([]SchemaVersion, error) {
	rows, err := q.QueryContext(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("store: read schema version (is the database migrated?): %w", err)
	}
	defer rows.Close()
	var out []SchemaVersion
	for rows.Next() {
		var v SchemaVersion
		if err := rows.Scan(&v.Version, &v.Name); err != nil {
			return nil, fmt.Errorf("store: read schema version: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read schema version: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("store: the database has no schema (no migrations applied): nothing to back up")
	}
	return out, nil
}

// readTable streams the canonical values of cols of every row of t, in
// primary-key order (byte order for text on both engines).
func readTable(ctx context.Context, q execer, d Dialect, t TableInfo, cols []ColumnInfo, fn func(vals []any) error) error {
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = selectExpr(d, c)
	}
	var order []string
	byName := map[string]ColumnInfo{}
	for _, c := range t.Columns {
		byName[c.Name] = c
	}
	keys := t.PrimaryKey
	if len(keys) == 0 {
		for _, c := range t.Columns {
			keys = append(keys, c.Name)
		}
	}
	for _, k := range keys {
		expr := selectExpr(d, byName[k])
		if d == DialectPostgres && (byName[k].castText || byName[k].Type == TypeText) {
			expr += ` COLLATE "C"`
		}
		order = append(order, expr+" NULLS FIRST")
	}
	rows, err := q.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+quoteIdent(t.Name)+
		" ORDER BY "+strings.Join(order, ", "))
	if err != nil {
		return err
	}
	defer rows.Close()
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	vals := make([]any, len(cols))
	var n int64
	for rows.Next() {
		n++
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range cols {
			if vals[i], err = fromDB(raw[i], c.Type); err != nil {
				return fmt.Errorf("row %d, column %s: %w", n, c.Name, err)
			}
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

func selectExpr(d Dialect, c ColumnInfo) string {
	if d == DialectPostgres && c.castText {
		return quoteIdent(c.Name) + "::text"
	}
	return quoteIdent(c.Name)
}

// archiveWriter writes lines through gzip while hashing their content.
type archiveWriter struct {
	gz      *gzip.Writer
	buf     *bufio.Writer
	content hash.Hash
}

func newArchiveWriter(w io.Writer) *archiveWriter {
	gz := gzip.NewWriter(w)
	return &archiveWriter{gz: gz, buf: bufio.NewWriterSize(gz, 64<<10), content: sha256.New()}
}

func (a *archiveWriter) line(l archiveLine) error {
	b, err := encodeJSON(l)
	if err != nil {
		return fmt.Errorf("store: encode backup line: %w", err)
	}
	return a.raw("", b, "\n")
}

func (a *archiveWriter) raw(prefix string, b []byte, suffix string) error {
	_, _ = io.WriteString(a.content, prefix)
	_, _ = a.content.Write(b)
	_, _ = io.WriteString(a.content, suffix)
	_, _ = a.buf.WriteString(prefix)
	_, _ = a.buf.Write(b)
	if _, err := a.buf.WriteString(suffix); err != nil {
		return fmt.Errorf("store: write backup: %w", err)
	}
	return nil
}

func (a *archiveWriter) close(tables []TableSummary) error {
	tr := archiveTrailer{Tables: tables, ContentSHA256: hex.EncodeToString(a.content.Sum(nil))}
	if err := a.line(archiveLine{Trailer: &tr}); err != nil {
		return err
	}
	if err := a.buf.Flush(); err != nil {
		return fmt.Errorf("store: write backup: %w", err)
	}
	if err := a.gz.Close(); err != nil {
		return fmt.Errorf("store: write backup: %w", err)
	}
	return nil
}

// ErrCorruptBackup marks an archive that is damaged, truncated or not a
// backup at all.
var ErrCorruptBackup = errors.New("corrupt backup")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("store: %w: %s", ErrCorruptBackup, fmt.Sprintf(format, args...))
}

// archiveVisitor receives an archive as it is read. Values passed to row
// are canonical for the archive's column types; the slice is reused.
type archiveVisitor struct {
	header func(h archiveHeader) error
	table  func(t archiveTable) error
	row    func(t archiveTable, vals []any) error
}

// readArchive reads and checks a whole archive: the header, every table in
// the order the header lists them, every row against its columns, the
// digests and content checksum of the trailer, and the gzip checksum at
// the end of the stream. Nothing is trusted until it returns nil.
func readArchive(r io.Reader, v archiveVisitor) (BackupInfo, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return BackupInfo{}, corrupt("not a gzip-compressed pathavana backup: %v", err)
	}
	gz.Multistream(false)
	br := bufio.NewReaderSize(gz, 256<<10)
	content := sha256.New()
	lineNo := 0
	next := func() (archiveLine, error) {
		var l archiveLine
		b, err := readLine(br)
		lineNo++
		if err == io.EOF {
			return l, corrupt("archive ends at line %d without its trailer (truncated?)", lineNo)
		}
		if err != nil {
			return l, corrupt("line %d: %v", lineNo, err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&l); err != nil {
			return l, corrupt("line %d: %v", lineNo, err)
		}
		if l.Trailer == nil {
			content.Write(b)
			content.Write([]byte{'\n'})
		}
		return l, nil
	}

	first, err := next()
	if err != nil {
		return BackupInfo{}, err
	}
	h := first.Header
	if h == nil || h.Format != BackupFormat {
		return BackupInfo{}, corrupt("line 1 is not a %s header", BackupFormat)
	}
	if h.FormatVersion != BackupFormatVersion {
		return BackupInfo{}, fmt.Errorf("store: backup format version %d is not supported by this build (it reads version %d)",
			h.FormatVersion, BackupFormatVersion)
	}
	if v.header != nil {
		if err := v.header(*h); err != nil {
			return BackupInfo{}, err
		}
	}
	info := BackupInfo{Format: h.Format, FormatVersion: h.FormatVersion, CreatedAt: h.CreatedAt,
		Dialect: h.Dialect, AppVersion: h.AppVersion, Schema: h.Schema}

	var cur *archiveTable
	var d digest
	var vals []any
	finish := func() {
		if cur != nil {
			info.Tables = append(info.Tables, TableSummary{Name: cur.Name, Rows: d.rows, SHA256: d.hex()})
		}
	}
	for {
		l, err := next()
		if err != nil {
			return BackupInfo{}, err
		}
		switch {
		case l.Table != nil:
			finish()
			i := len(info.Tables)
			if i >= len(h.Tables) || h.Tables[i] != l.Table.Name {
				return BackupInfo{}, corrupt("line %d: unexpected table %q (the header lists %v)", lineNo, l.Table.Name, h.Tables)
			}
			if len(l.Table.Columns) == 0 {
				return BackupInfo{}, corrupt("line %d: table %s has no columns", lineNo, l.Table.Name)
			}
			cur, d, vals = l.Table, digest{}, make([]any, len(l.Table.Columns))
			if v.table != nil {
				if err := v.table(*cur); err != nil {
					return BackupInfo{}, err
				}
			}
		case l.Row != nil:
			if cur == nil {
				return BackupInfo{}, corrupt("line %d: row before any table", lineNo)
			}
			if len(l.Row) != len(cur.Columns) {
				return BackupInfo{}, corrupt("line %d: table %s row has %d values, want %d", lineNo, cur.Name, len(l.Row), len(cur.Columns))
			}
			for i, c := range cur.Columns {
				if vals[i], err = fromArchive(l.Row[i], c.Type); err != nil {
					return BackupInfo{}, corrupt("line %d: table %s column %s: %v", lineNo, cur.Name, c.Name, err)
				}
			}
			row, err := encodeJSON(vals)
			if err != nil {
				return BackupInfo{}, corrupt("line %d: %v", lineNo, err)
			}
			d.add(row)
			if v.row != nil {
				if err := v.row(*cur, vals); err != nil {
					return BackupInfo{}, err
				}
			}
		case l.Trailer != nil:
			finish()
			if err := checkTrailer(info.Tables, h.Tables, *l.Trailer, hex.EncodeToString(content.Sum(nil))); err != nil {
				return BackupInfo{}, err
			}
			// Reading to the end makes gzip verify its CRC and length.
			if rest, err := io.Copy(io.Discard, br); err != nil {
				return BackupInfo{}, corrupt("after the trailer: %v", err)
			} else if rest > 0 {
				return BackupInfo{}, corrupt("%d unexpected bytes after the trailer", rest)
			}
			return info, nil
		default:
			return BackupInfo{}, corrupt("line %d: neither a table, a row nor a trailer", lineNo)
		}
	}
}

func checkTrailer(got []TableSummary, listed []string, tr archiveTrailer, content string) error {
	if tr.ContentSHA256 != content {
		return corrupt("content checksum mismatch: the archive was modified or damaged")
	}
	if len(got) != len(listed) {
		return corrupt("archive holds %d of the %d tables its header lists", len(got), len(listed))
	}
	if len(tr.Tables) != len(got) {
		return corrupt("trailer lists %d tables, archive holds %d", len(tr.Tables), len(got))
	}
	for i, g := range got {
		if tr.Tables[i] != g {
			return corrupt("table %s: archive has %d rows with digest %s, trailer says %d rows with %s",
				g.Name, g.Rows, g.SHA256, tr.Tables[i].Rows, tr.Tables[i].SHA256)
		}
	}
	return nil
}

// readLine returns the next line without its newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		chunk, err := br.ReadSlice('\n')
		out = append(out, chunk...)
		if len(out) > maxArchiveLine {
			return nil, fmt.Errorf("line longer than %d bytes", maxArchiveLine)
		}
		switch {
		case err == nil:
			return out[:len(out)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(out) > 0:
			return nil, errors.New("last line is incomplete (truncated archive?)")
		default:
			return nil, err
		}
	}
}

// VerifyBackup reads a whole archive without touching any database and
// checks every checksum: the monthly "is this backup restorable" test that
// needs no spare database.
func VerifyBackup(r io.Reader) (BackupInfo, error) {
	return readArchive(r, archiveVisitor{})
}

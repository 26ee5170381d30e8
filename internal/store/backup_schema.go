package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// ColumnType is the engine-neutral type of a column in a logical backup.
// Each engine's declared types map onto one of these, so a backup taken on
// one engine restores into the other: TEXT holding JSON on SQLite and JSONB
// on PostgreSQL are both fine targets for the same value.
type ColumnType string

const (
	TypeText      ColumnType = "text"      // JSON string
	TypeInteger   ColumnType = "integer"   // JSON number (int64)
	TypeReal      ColumnType = "real"      // JSON number (float64)
	TypeDecimal   ColumnType = "decimal"   // JSON string, exact digits
	TypeBoolean   ColumnType = "boolean"   // JSON true/false
	TypeTimestamp ColumnType = "timestamp" // JSON string, RFC 3339 UTC, microseconds
	TypeDate      ColumnType = "date"      // JSON string, YYYY-MM-DD
	TypeJSON      ColumnType = "json"      // JSON string holding compact JSON with sorted keys
	TypeBytes     ColumnType = "bytes"     // JSON string, standard base64
)

// ColumnInfo describes one column of a user table.
type ColumnInfo struct {
	Name     string     `json:"name"`
	Type     ColumnType `json:"type"`
	Nullable bool       `json:"nullable"`

	castText bool // PostgreSQL: read as col::text (json, numeric, types without a Go mapping)
	serial   bool // PostgreSQL: fed by a sequence that restore must move past the restored values
}

// TableInfo describes one user table: its columns in declaration order, its
// primary key (the order rows are read in) and the tables its foreign keys
// reference (which a restore must fill first).
type TableInfo struct {
	Name       string
	Columns    []ColumnInfo
	PrimaryKey []string
	References []string
}

// ListTables returns the names of every user table, sorted: everything the
// application stores, without schema_migrations (the schema version travels
// separately) or the engine's own tables. Backups take their table list
// from here, so a table added by a migration is backed up without anyone
// having to remember it.
func (db *DB) ListTables(ctx context.Context) ([]string, error) {
	return listTables(ctx, db.sql, db.dialect)
}

func listTables(ctx context.Context, q execer, d Dialect) ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`
	if d == DialectPostgres {
		query = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: list tables: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: list tables: %w", err)
		}
		if n != "schema_migrations" {
			names = append(names, n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list tables: %w", err)
	}
	sort.Strings(names)
	return names, nil
}

// DescribeTables returns every user table in dependency order: a table
// comes after every table its foreign keys reference (ties by name), which
// is the order a restore inserts them in.
func (db *DB) DescribeTables(ctx context.Context) ([]TableInfo, error) {
	return describeTables(ctx, db.sql, db.dialect)
}

func describeTables(ctx context.Context, q execer, d Dialect) ([]TableInfo, error) {
	names, err := listTables(ctx, q, d)
	if err != nil {
		return nil, err
	}
	tables := make([]TableInfo, 0, len(names))
	for _, n := range names {
		var t TableInfo
		if d == DialectPostgres {
			t, err = describePostgres(ctx, q, n)
		} else {
			t, err = describeSQLite(ctx, q, n)
		}
		if err != nil {
			return nil, fmt.Errorf("store: describe table %s: %w", n, err)
		}
		tables = append(tables, t)
	}
	return dependencyOrder(tables), nil
}

func describeSQLite(ctx context.Context, q execer, name string) (TableInfo, error) {
	t := TableInfo{Name: name}
	rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, name)
	if err != nil {
		return t, err
	}
	pk := map[int]string{}
	for rows.Next() {
		var col, decl string
		var notNull, pkPos int
		if err := rows.Scan(&col, &decl, &notNull, &pkPos); err != nil {
			rows.Close()
			return t, err
		}
		t.Columns = append(t.Columns, ColumnInfo{Name: col, Type: sqliteColumnType(decl), Nullable: notNull == 0 && pkPos == 0})
		if pkPos > 0 {
			pk[pkPos] = col
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	for i := 1; i <= len(pk); i++ {
		t.PrimaryKey = append(t.PrimaryKey, pk[i])
	}
	refs, err := q.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name)
	if err != nil {
		return t, err
	}
	defer refs.Close()
	for refs.Next() {
		var ref string
		if err := refs.Scan(&ref); err != nil {
			return t, err
		}
		t.References = append(t.References, ref)
	}
	sort.Strings(t.References)
	return t, refs.Err()
}

// sqliteColumnType maps a declared SQLite type with SQLite's own affinity
// rules, refined for the types the driver gives meaning to (TIMESTAMP,
// DATE, BOOLEAN) and for JSON.
func sqliteColumnType(decl string) ColumnType {
	u := strings.ToUpper(decl)
	switch {
	case strings.Contains(u, "TIMESTAMP") || strings.Contains(u, "DATETIME"):
		return TypeTimestamp
	case u == "DATE":
		return TypeDate
	case strings.Contains(u, "BOOL"):
		return TypeBoolean
	case strings.Contains(u, "JSON"):
		return TypeJSON
	case strings.Contains(u, "INT"):
		return TypeInteger
	case strings.Contains(u, "CHAR") || strings.Contains(u, "CLOB") || strings.Contains(u, "TEXT"):
		return TypeText
	case u == "" || strings.Contains(u, "BLOB"):
		return TypeBytes
	case strings.Contains(u, "REAL") || strings.Contains(u, "FLOA") || strings.Contains(u, "DOUB"):
		return TypeReal
	default: // NUMERIC, DECIMAL(…) and anything else with numeric affinity
		return TypeDecimal
	}
}

func describePostgres(ctx context.Context, q execer, name string) (TableInfo, error) {
	t := TableInfo{Name: name}
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, is_nullable = 'YES',
			pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1
		ORDER BY ordinal_position`, name)
	if err != nil {
		return t, err
	}
	for rows.Next() {
		var c ColumnInfo
		var dataType string
		if err := rows.Scan(&c.Name, &dataType, &c.Nullable, &c.serial); err != nil {
			rows.Close()
			return t, err
		}
		c.Type, c.castText = postgresColumnType(dataType)
		t.Columns = append(t.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	pk, err := q.QueryContext(ctx, `SELECT a.attname
		FROM pg_index i
		JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos) ON true
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE i.indrelid = $1::regclass AND i.indisprimary
		ORDER BY k.pos`, quoteIdent(name))
	if err != nil {
		return t, err
	}
	for pk.Next() {
		var col string
		if err := pk.Scan(&col); err != nil {
			pk.Close()
			return t, err
		}
		t.PrimaryKey = append(t.PrimaryKey, col)
	}
	pk.Close()
	if err := pk.Err(); err != nil {
		return t, err
	}
	refs, err := q.QueryContext(ctx, `SELECT DISTINCT c.relname
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.confrelid
		WHERE k.contype = 'f' AND k.conrelid = $1::regclass
		ORDER BY c.relname`, quoteIdent(name))
	if err != nil {
		return t, err
	}
	defer refs.Close()
	for refs.Next() {
		var ref string
		if err := refs.Scan(&ref); err != nil {
			return t, err
		}
		t.References = append(t.References, ref)
	}
	return t, refs.Err()
}

// postgresColumnType maps information_schema.columns.data_type. Types with
// no neutral equivalent (arrays, intervals, network types, …) travel as
// their text form, which PostgreSQL parses back on restore.
func postgresColumnType(dataType string) (ColumnType, bool) {
	switch dataType {
	case "text", "character varying", "character", "uuid", "citext", "name":
		return TypeText, false
	case "smallint", "integer", "bigint":
		return TypeInteger, false
	case "real", "double precision":
		return TypeReal, false
	case "numeric":
		return TypeDecimal, true
	case "boolean":
		return TypeBoolean, false
	case "timestamp with time zone", "timestamp without time zone":
		return TypeTimestamp, false
	case "date":
		return TypeDate, false
	case "json", "jsonb":
		return TypeJSON, true
	case "bytea":
		return TypeBytes, false
	default:
		return TypeText, true
	}
}

// dependencyOrder sorts tables so that each follows the tables it
// references, choosing by name among the ready ones so the order is stable.
// Self-references are ignored; members of a reference cycle are appended by
// name (SQLite restores them with deferred foreign keys; PostgreSQL needs
// the constraints to be DEFERRABLE).
func dependencyOrder(tables []TableInfo) []TableInfo {
	byName := map[string]TableInfo{}
	for _, t := range tables {
		byName[t.Name] = t
	}
	done := map[string]bool{}
	var out []TableInfo
	for len(out) < len(tables) {
		progressed := false
		for _, t := range tables { // tables are sorted by name
			if done[t.Name] {
				continue
			}
			ready := true
			for _, r := range t.References {
				if _, known := byName[r]; known && r != t.Name && !done[r] {
					ready = false
					break
				}
			}
			if ready {
				done[t.Name] = true
				out = append(out, t)
				progressed = true
				break
			}
		}
		if !progressed { // a cycle: take the first remaining table
			for _, t := range tables {
				if !done[t.Name] {
					done[t.Name] = true
					out = append(out, t)
					break
				}
			}
		}
	}
	return out
}

// quoteIdent quotes an identifier the way both engines accept.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

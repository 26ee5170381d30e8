package store

import "context"

// ExecRaw runs a statement outside the query layer, for tests that play
// an attacker with direct database access.
func ExecRaw(ctx context.Context, db *DB, query string, args ...any) error {
	_, err := db.sql.ExecContext(ctx, rebind(db.dialect, query), args...)
	return err
}

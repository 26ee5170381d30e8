package store

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

// The store keeps travelers as the service sealed them: ciphertext, the
// wrapped data key and blind indexes. It never sees plaintext PII.

var travelerCols = `id, owner_id, label, ` + strings.Join(model.TravelerFields, ", ") +
	`, key_id, data_key, passport_bidx, name_bidx, version, created_at, updated_at`

func scanTraveler(r rowScanner) (model.SealedTraveler, error) {
	var t model.SealedTraveler
	cipher := make([][]byte, len(model.TravelerFields))
	var passportBidx *string
	var created, updated timeCol
	dest := []any{&t.ID, &t.OwnerID, &t.Label}
	for i := range cipher {
		dest = append(dest, &cipher[i])
	}
	dest = append(dest, &t.KeyID, &t.DataKey, &passportBidx, &t.NameBidx, &t.Version, &created, &updated)
	if err := r.Scan(dest...); err != nil {
		return t, err
	}
	t.Fields = make(map[string][]byte, len(cipher))
	for i, f := range model.TravelerFields {
		if cipher[i] != nil {
			t.Fields[f] = cipher[i]
		}
	}
	if passportBidx != nil {
		t.PassportBidx = *passportBidx
	}
	t.CreatedAt, t.UpdatedAt = created.t, updated.t
	return t, nil
}

// fieldArgs returns the ciphertext columns in TravelerFields order; NULL
// for fields that are not set.
func fieldArgs(t model.SealedTraveler) []any {
	out := make([]any, len(model.TravelerFields))
	for i, f := range model.TravelerFields {
		if c, ok := t.Fields[f]; ok && c != nil {
			out[i] = c
		}
	}
	return out
}

var errDuplicatePassport = apperr.New(apperr.Conflict, "another saved traveler already has this passport number")

// CreateTraveler stores a new sealed traveler. A second traveler of the
// same owner with the same passport (equal blind index) is Conflict.
func (q *Queries) CreateTraveler(ctx context.Context, t model.SealedTraveler) error {
	args := append([]any{t.ID, t.OwnerID, t.Label}, fieldArgs(t)...)
	args = append(args, t.KeyID, t.DataKey, nullString(t.PassportBidx), t.NameBidx, t.Version, t.CreatedAt, t.UpdatedAt)
	_, err := q.exec(ctx, `INSERT INTO travelers (`+travelerCols+`) VALUES (`+placeholders(len(args))+`)`, args...)
	switch {
	case err == nil:
		return nil
	case isUniqueViolation(err):
		return errDuplicatePassport
	case isForeignKeyViolation(err):
		return notFound("user")
	}
	return fmt.Errorf("store: create traveler: %w", err)
}

// GetTraveler returns the owner's traveler; another owner's is NotFound,
// exactly like one that does not exist.
func (q *Queries) GetTraveler(ctx context.Context, ownerID, id string) (model.SealedTraveler, error) {
	t, err := scanTraveler(q.queryRow(ctx, `SELECT `+travelerCols+` FROM travelers WHERE id = ? AND owner_id = ?`, id, ownerID))
	if err != nil {
		return model.SealedTraveler{}, rowErr(err, "traveler")
	}
	return t, nil
}

// GetTravelerForUpdate is GetTraveler inside a transaction that will
// write the row: PostgreSQL locks it (FOR UPDATE) so concurrent updates
// queue instead of failing their version check; SQLite transactions hold
// the write lock from BEGIN already.
func (q *Queries) GetTravelerForUpdate(ctx context.Context, ownerID, id string) (model.SealedTraveler, error) {
	lock := ""
	if q.dialect == DialectPostgres {
		lock = " FOR UPDATE"
	}
	t, err := scanTraveler(q.queryRow(ctx, `SELECT `+travelerCols+` FROM travelers WHERE id = ? AND owner_id = ?`+lock, id, ownerID))
	if err != nil {
		return model.SealedTraveler{}, rowErr(err, "traveler")
	}
	return t, nil
}

// FindTravelerByPassport returns the owner's traveler whose passport number
// has blind index bidx.
func (q *Queries) FindTravelerByPassport(ctx context.Context, ownerID, bidx string) (model.SealedTraveler, error) {
	t, err := scanTraveler(q.queryRow(ctx, `SELECT `+travelerCols+` FROM travelers WHERE owner_id = ? AND passport_bidx = ?`, ownerID, bidx))
	if err != nil {
		return model.SealedTraveler{}, rowErr(err, "traveler")
	}
	return t, nil
}

// ListTravelers returns the owner's travelers in creation order (ids are
// UUIDv7), after the cursor (the last id of the previous page).
func (q *Queries) ListTravelers(ctx context.Context, ownerID, after string, limit int) ([]model.SealedTraveler, error) {
	rows, err := q.query(ctx, `SELECT `+travelerCols+` FROM travelers WHERE owner_id = ? AND id > ?`+
		fmt.Sprintf(` ORDER BY id LIMIT %d`, min(max(limit, 1), 100)), ownerID, after)
	if err != nil {
		return nil, fmt.Errorf("store: list travelers: %w", err)
	}
	defer rows.Close()
	var out []model.SealedTraveler
	for rows.Next() {
		t, err := scanTraveler(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan traveler: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// UpdateTraveler replaces a traveler's sealed fields, data key and indexes
// when it is still at version t.Version-1: a concurrent write in between
// is Precondition, another owner's or a missing traveler NotFound.
func (q *Queries) UpdateTraveler(ctx context.Context, t model.SealedTraveler) error {
	sets := make([]string, 0, len(model.TravelerFields))
	for _, f := range model.TravelerFields {
		sets = append(sets, f+" = ?")
	}
	args := append([]any{t.Label}, fieldArgs(t)...)
	args = append(args, t.KeyID, t.DataKey, nullString(t.PassportBidx), t.NameBidx, t.Version, t.UpdatedAt,
		t.ID, t.OwnerID, t.Version-1)
	return q.atomic(ctx, func(q *Queries) error {
		res, err := q.exec(ctx, `UPDATE travelers SET label = ?, `+strings.Join(sets, ", ")+`,
			key_id = ?, data_key = ?, passport_bidx = ?, name_bidx = ?, version = ?, updated_at = ?
			WHERE id = ? AND owner_id = ? AND version = ?`, args...)
		if isUniqueViolation(err) {
			return errDuplicatePassport
		}
		if err != nil {
			return fmt.Errorf("store: update traveler: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := q.GetTraveler(ctx, t.OwnerID, t.ID); err != nil {
				return err
			}
			return apperr.New(apperr.Precondition, "the traveler was changed by another request; reload it and apply your change again")
		}
		return nil
	})
}

// DeleteTraveler removes the owner's traveler.
func (q *Queries) DeleteTraveler(ctx context.Context, ownerID, id string) error {
	return q.execOne(ctx, notFound("traveler"), `DELETE FROM travelers WHERE id = ? AND owner_id = ?`, id, ownerID)
}

// TravelerKeysNotUnder returns up to limit wrapped data keys whose master
// key is not keyID, in id order after the cursor: the work list of a key
// rotation, which stays correct while rows are written concurrently.
func (q *Queries) TravelerKeysNotUnder(ctx context.Context, keyID, after string, limit int) ([]model.TravelerKey, error) {
	rows, err := q.query(ctx, `SELECT id, key_id, data_key FROM travelers WHERE key_id <> ? AND id > ?`+
		fmt.Sprintf(` ORDER BY id LIMIT %d`, min(max(limit, 1), 10000)), keyID, after)
	if err != nil {
		return nil, fmt.Errorf("store: traveler keys: %w", err)
	}
	defer rows.Close()
	var out []model.TravelerKey
	for rows.Next() {
		var k model.TravelerKey
		if err := rows.Scan(&k.ID, &k.KeyID, &k.DataKey); err != nil {
			return nil, fmt.Errorf("store: scan traveler key: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RewrapTravelerKey stores a re-wrapped data key only if the row still
// holds the wrap that was read (compare-and-swap), so a traveler updated
// meanwhile (with a fresh data key) is never overwritten with its old one.
// It reports whether the row was changed. The version is kept: the
// traveler's content did not change.
func (q *Queries) RewrapTravelerKey(ctx context.Context, old model.TravelerKey, keyID string, wrapped []byte) (bool, error) {
	if old.KeyID == keyID && bytes.Equal(old.DataKey, wrapped) {
		return false, nil
	}
	res, err := q.exec(ctx, `UPDATE travelers SET key_id = ?, data_key = ? WHERE id = ? AND key_id = ? AND data_key = ?`,
		keyID, wrapped, old.ID, old.KeyID, old.DataKey)
	if err != nil {
		return false, fmt.Errorf("store: rewrap traveler key: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// CountTravelersByKey counts rows per master key id, for rotation reports.
func (q *Queries) CountTravelersByKey(ctx context.Context) (map[string]int, error) {
	rows, err := q.query(ctx, `SELECT key_id, COUNT(*) FROM travelers GROUP BY key_id`)
	if err != nil {
		return nil, fmt.Errorf("store: count traveler keys: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: scan traveler key count: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

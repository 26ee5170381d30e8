package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

const tripCols = `id, owner_id, title, status, starts_on, ends_on, destinations, cover_city, party_adults,
	party_children, party_infants, budget_minor, currency, source_session_id, version, created_at, updated_at`

const itemCols = `id, trip_id, day, position, kind, title, starts_at, ends_at, time_zone, place, cost_minor, currency,
	provider, offer_ref, details, url, notes, booking_id, created_at, updated_at`

// errStale is what a write with an outdated version gets: the client must
// reload the trip (its new ETag) and try again.
func errStale() error {
	return apperr.New(apperr.Precondition, "the trip was changed since you loaded it; reload it and try again")
}

func scanTrip(r rowScanner) (model.Trip, error) {
	var t model.Trip
	var status, dests string
	var created, updated timeCol
	err := r.Scan(&t.ID, &t.OwnerID, &t.Title, &status, &t.StartsOn, &t.EndsOn, &dests, &t.CoverCity, &t.Party.Adults,
		&t.Party.Children, &t.Party.Infants, &t.BudgetMinor, &t.Currency, &t.SourceSessionID, &t.Version, &created, &updated)
	if err != nil {
		return t, err
	}
	t.Status, t.CreatedAt, t.UpdatedAt = model.TripStatus(status), created.t, updated.t
	if err := json.Unmarshal([]byte(dests), &t.Destinations); err != nil {
		return t, fmt.Errorf("decode destinations: %w", err)
	}
	return t, nil
}

func scanItem(r rowScanner) (model.TripItem, error) {
	var it model.TripItem
	var kind string
	var starts, ends sql.NullString
	var created, updated timeCol
	err := r.Scan(&it.ID, &it.TripID, &it.Day, &it.Position, &kind, &it.Title, &starts, &ends, &it.TimeZone, &it.Place,
		&it.CostMinor, &it.Currency, &it.Provider, &it.OfferRef, &it.Details, &it.URL, &it.Notes, &it.BookingID, &created, &updated)
	it.Kind, it.StartsAt, it.EndsAt = model.ItemKind(kind), starts.String, ends.String
	it.CreatedAt, it.UpdatedAt = created.t, updated.t
	return it, err
}

// CreateTrip stores a new trip (without items) at version 1.
func (q *Queries) CreateTrip(ctx context.Context, t model.Trip) error {
	dests, err := json.Marshal(nonNilStrings(t.Destinations))
	if err != nil {
		return fmt.Errorf("store: encode destinations: %w", err)
	}
	_, err = q.exec(ctx, `INSERT INTO trips (`+tripCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		t.ID, t.OwnerID, t.Title, string(t.Status), t.StartsOn, t.EndsOn, string(dests), t.CoverCity, t.Party.Adults,
		t.Party.Children, t.Party.Infants, t.BudgetMinor, t.Currency, t.SourceSessionID, t.CreatedAt, t.UpdatedAt)
	if isForeignKeyViolation(err) {
		return apperr.Wrap(err, apperr.NotFound, "user not found")
	}
	if err != nil {
		return fmt.Errorf("store: create trip: %w", err)
	}
	return nil
}

// GetTrip returns the owner's trip with its items in itinerary order.
// Another owner's trip is NotFound, exactly like a missing one, so trip
// IDs reveal nothing.
func (q *Queries) GetTrip(ctx context.Context, ownerID, id string) (model.Trip, error) {
	t, err := scanTrip(q.queryRow(ctx, `SELECT `+tripCols+` FROM trips WHERE id = ? AND owner_id = ?`, id, ownerID))
	if err != nil {
		return model.Trip{}, rowErr(err, "trip")
	}
	t.Items, err = q.listItems(ctx, id)
	return t, err
}

// GetTripForUpdate is GetTrip holding the trip's row lock until the
// transaction ends (PostgreSQL FOR UPDATE; SQLite transactions already hold
// the write lock), so a service can validate against the trip and then
// write at exactly the version it read, without spurious 412s when two
// requests without If-Match race. Call it inside InTx.
func (q *Queries) GetTripForUpdate(ctx context.Context, ownerID, id string) (model.Trip, error) {
	lock := ""
	if q.dialect == DialectPostgres {
		lock = " FOR UPDATE"
	}
	t, err := scanTrip(q.queryRow(ctx, `SELECT `+tripCols+` FROM trips WHERE id = ? AND owner_id = ?`+lock, id, ownerID))
	if err != nil {
		return model.Trip{}, rowErr(err, "trip")
	}
	t.Items, err = q.listItems(ctx, id)
	return t, err
}

func (q *Queries) listItems(ctx context.Context, tripID string) ([]model.TripItem, error) {
	rows, err := q.query(ctx, `SELECT `+itemCols+` FROM trip_items WHERE trip_id = ? ORDER BY day, position, id`, tripID)
	if err != nil {
		return nil, fmt.Errorf("store: list trip items: %w", err)
	}
	defer rows.Close()
	out := []model.TripItem{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan trip item: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ListTrips returns the owner's trips without items, newest first, after
// the cursor (the last ID of the previous page; IDs are UUIDv7, so their
// order is creation order).
func (q *Queries) ListTrips(ctx context.Context, ownerID, after string, limit int) ([]model.Trip, error) {
	query, args := `SELECT `+tripCols+` FROM trips WHERE owner_id = ?`, []any{ownerID}
	if after != "" {
		query, args = query+` AND id < ?`, append(args, after)
	}
	rows, err := q.query(ctx, query+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, min(max(limit, 1), 100)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list trips: %w", err)
	}
	defer rows.Close()
	var out []model.Trip
	for rows.Next() {
		t, err := scanTrip(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan trip: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// bumpTrip is the first statement of every trip write: it checks the
// owner and, when expect > 0, the version (compare-and-swap), and bumps
// the version. On PostgreSQL the row lock it takes serialises concurrent
// writers of the same trip until commit, which is what keeps item
// positions unique; SQLite's write lock does the same.
func (q *Queries) bumpTrip(ctx context.Context, ownerID, tripID string, expect int, now time.Time) (int, error) {
	query, args := `UPDATE trips SET version = version + 1, updated_at = ? WHERE id = ? AND owner_id = ?`,
		[]any{now, tripID, ownerID}
	if expect > 0 {
		query, args = query+` AND version = ?`, append(args, expect)
	}
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("store: bump trip version: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var v int
		if err := q.queryRow(ctx, `SELECT version FROM trips WHERE id = ? AND owner_id = ?`, tripID, ownerID).Scan(&v); err != nil {
			return 0, rowErr(err, "trip")
		}
		return 0, errStale()
	}
	var v int
	if err := q.queryRow(ctx, `SELECT version FROM trips WHERE id = ?`, tripID).Scan(&v); err != nil {
		return 0, rowErr(err, "trip")
	}
	return v, nil
}

// UpdateTrip writes t's fields (not its items) when the stored version is
// expect (any version when expect is 0) and returns the new version. A
// stale version is Precondition; another owner's trip NotFound.
func (q *Queries) UpdateTrip(ctx context.Context, t model.Trip, expect int) (int, error) {
	dests, err := json.Marshal(nonNilStrings(t.Destinations))
	if err != nil {
		return 0, fmt.Errorf("store: encode destinations: %w", err)
	}
	var v int
	err = q.atomic(ctx, func(q *Queries) error {
		if v, err = q.bumpTrip(ctx, t.OwnerID, t.ID, expect, t.UpdatedAt); err != nil {
			return err
		}
		_, err := q.exec(ctx, `UPDATE trips SET title = ?, status = ?, starts_on = ?, ends_on = ?, destinations = ?,
			cover_city = ?, party_adults = ?, party_children = ?, party_infants = ?, budget_minor = ?, currency = ?,
			source_session_id = ? WHERE id = ?`, t.Title, string(t.Status), t.StartsOn, t.EndsOn, string(dests), t.CoverCity,
			t.Party.Adults, t.Party.Children, t.Party.Infants, t.BudgetMinor, t.Currency, t.SourceSessionID, t.ID)
		if err != nil {
			return fmt.Errorf("store: update trip: %w", err)
		}
		return nil
	})
	return v, err
}

// DeleteTrip removes the owner's trip and its items (expect as in
// UpdateTrip). Bookings made from it stay: they are financial records.
func (q *Queries) DeleteTrip(ctx context.Context, ownerID, id string, expect int) error {
	return q.atomic(ctx, func(q *Queries) error {
		if _, err := q.bumpTrip(ctx, ownerID, id, expect, time.Now()); err != nil {
			return err
		}
		return q.execOne(ctx, notFound("trip"), `DELETE FROM trips WHERE id = ? AND owner_id = ?`, id, ownerID)
	})
}

// dayOrder returns the item IDs of one day of a trip in order.
func (q *Queries) dayOrder(ctx context.Context, tripID string, day int) ([]string, error) {
	rows, err := q.query(ctx, `SELECT id FROM trip_items WHERE trip_id = ? AND day = ? ORDER BY position, id`, tripID, day)
	if err != nil {
		return nil, fmt.Errorf("store: read day order: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: read day order: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// renumber writes positions 1..n for ids on day, so positions stay dense
// and unique whatever was inserted, moved or deleted. There is no unique
// index on (trip_id, day, position) on purpose: PostgreSQL checks it row
// by row, and shifting a day would trip over it half-way.
func (q *Queries) renumber(ctx context.Context, tripID string, day int, ids []string) error {
	for i, id := range ids {
		if _, err := q.exec(ctx, `UPDATE trip_items SET day = ?, position = ? WHERE id = ? AND trip_id = ?`,
			day, i+1, id, tripID); err != nil {
			return fmt.Errorf("store: renumber items: %w", err)
		}
	}
	return nil
}

// insertAt puts id into ids at the 1-based position (appended when the
// position is 0 or past the end).
func insertAt(ids []string, id string, position int) []string {
	if position <= 0 || position > len(ids) {
		return append(ids, id)
	}
	return append(ids[:position-1], append([]string{id}, ids[position-1:]...)...)
}

// AddTripItem adds it to the owner's trip at it.Day and it.Position
// (appended to the day when Position is 0 or past the end), renumbering
// the day, and returns the item as stored with the trip's new version.
func (q *Queries) AddTripItem(ctx context.Context, ownerID string, it model.TripItem, expect int) (model.TripItem, int, error) {
	if it.Details == "" {
		it.Details = "{}"
	}
	var v int
	err := q.atomic(ctx, func(q *Queries) error {
		var err error
		if v, err = q.bumpTrip(ctx, ownerID, it.TripID, expect, it.UpdatedAt); err != nil {
			return err
		}
		ids, err := q.dayOrder(ctx, it.TripID, it.Day)
		if err != nil {
			return err
		}
		ids = insertAt(ids, it.ID, it.Position)
		for i, id := range ids {
			if id == it.ID {
				it.Position = i + 1
			}
		}
		_, err = q.exec(ctx, `INSERT INTO trip_items (`+itemCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			it.ID, it.TripID, it.Day, it.Position, string(it.Kind), it.Title, nullString(it.StartsAt), nullString(it.EndsAt),
			it.TimeZone, it.Place, it.CostMinor, it.Currency, it.Provider, it.OfferRef, it.Details, it.URL, it.Notes,
			it.BookingID, it.CreatedAt, it.UpdatedAt)
		if err != nil {
			return fmt.Errorf("store: add trip item: %w", err)
		}
		return q.renumber(ctx, it.TripID, it.Day, ids)
	})
	return it, v, err
}

// UpdateTripItem writes an item's content (not its day, position or
// booking) and returns the trip's new version.
func (q *Queries) UpdateTripItem(ctx context.Context, ownerID string, it model.TripItem, expect int) (int, error) {
	if it.Details == "" {
		it.Details = "{}"
	}
	var v int
	err := q.atomic(ctx, func(q *Queries) error {
		var err error
		if v, err = q.bumpTrip(ctx, ownerID, it.TripID, expect, it.UpdatedAt); err != nil {
			return err
		}
		return q.execOne(ctx, notFound("trip item"), `UPDATE trip_items SET kind = ?, title = ?, starts_at = ?, ends_at = ?,
			time_zone = ?, place = ?, cost_minor = ?, currency = ?, provider = ?, offer_ref = ?, details = ?, url = ?,
			notes = ?, updated_at = ? WHERE id = ? AND trip_id = ?`, string(it.Kind), it.Title, nullString(it.StartsAt),
			nullString(it.EndsAt), it.TimeZone, it.Place, it.CostMinor, it.Currency, it.Provider, it.OfferRef, it.Details,
			it.URL, it.Notes, it.UpdatedAt, it.ID, it.TripID)
	})
	return v, err
}

// MoveTripItem moves an item to a day and 1-based position (the end of
// the day when position is 0 or past it), renumbering both days in the
// same transaction, and returns the trip's new version.
func (q *Queries) MoveTripItem(ctx context.Context, ownerID, tripID, itemID string, day, position, expect int, now time.Time) (int, error) {
	var v int
	err := q.atomic(ctx, func(q *Queries) error {
		var err error
		if v, err = q.bumpTrip(ctx, ownerID, tripID, expect, now); err != nil {
			return err
		}
		var from int
		if err := q.queryRow(ctx, `SELECT day FROM trip_items WHERE id = ? AND trip_id = ?`, itemID, tripID).Scan(&from); err != nil {
			return rowErr(err, "trip item")
		}
		old, err := q.dayOrder(ctx, tripID, from)
		if err != nil {
			return err
		}
		rest := old[:0:0]
		for _, id := range old {
			if id != itemID {
				rest = append(rest, id)
			}
		}
		if from != day {
			if err := q.renumber(ctx, tripID, from, rest); err != nil {
				return err
			}
			if rest, err = q.dayOrder(ctx, tripID, day); err != nil {
				return err
			}
		}
		if _, err := q.exec(ctx, `UPDATE trip_items SET updated_at = ? WHERE id = ?`, now, itemID); err != nil {
			return fmt.Errorf("store: move item: %w", err)
		}
		return q.renumber(ctx, tripID, day, insertAt(rest, itemID, position))
	})
	return v, err
}

// DeleteTripItem removes an item, closes the gap in its day and returns
// the trip's new version.
func (q *Queries) DeleteTripItem(ctx context.Context, ownerID, tripID, itemID string, expect int, now time.Time) (int, error) {
	var v int
	err := q.atomic(ctx, func(q *Queries) error {
		var err error
		if v, err = q.bumpTrip(ctx, ownerID, tripID, expect, now); err != nil {
			return err
		}
		var day int
		if err := q.queryRow(ctx, `SELECT day FROM trip_items WHERE id = ? AND trip_id = ?`, itemID, tripID).Scan(&day); err != nil {
			return rowErr(err, "trip item")
		}
		if _, err := q.exec(ctx, `DELETE FROM trip_items WHERE id = ? AND trip_id = ?`, itemID, tripID); err != nil {
			return fmt.Errorf("store: delete trip item: %w", err)
		}
		ids, err := q.dayOrder(ctx, tripID, day)
		if err != nil {
			return err
		}
		return q.renumber(ctx, tripID, day, ids)
	})
	return v, err
}

// SetItemBooking links an item to a booking (to) when it is linked to from
// ("" = none), or unlinks it (to ""), and bumps the trip's version. The
// booking service calls it on the *Queries of its own transaction (InTx),
// so the booking and the link commit together. An item linked to another
// booking is Conflict (two bookings of one item cannot both win); another
// owner's trip or a missing item is NotFound.
func (q *Queries) SetItemBooking(ctx context.Context, ownerID, tripID, itemID, from, to string, now time.Time) error {
	return q.atomic(ctx, func(q *Queries) error {
		if _, err := q.bumpTrip(ctx, ownerID, tripID, 0, now); err != nil {
			return err
		}
		res, err := q.exec(ctx, `UPDATE trip_items SET booking_id = ?, updated_at = ?
			WHERE id = ? AND trip_id = ? AND booking_id = ?`, to, now, itemID, tripID, from)
		if err != nil {
			return fmt.Errorf("store: link item booking: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		var current string
		if err := q.queryRow(ctx, `SELECT booking_id FROM trip_items WHERE id = ? AND trip_id = ?`, itemID, tripID).Scan(&current); err != nil {
			return rowErr(err, "trip item")
		}
		return apperr.New(apperr.Conflict, "this trip item is already booked (booking %s); cancel that booking first", current)
	})
}

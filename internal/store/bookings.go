package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

const bookingCols = `id, owner_id, idempotency_key, request_hash, trip_id, item_id, kind, provider, offer_ref,
	state, title, starts_on, ends_on, quantity, travelers, total_minor, currency, refund_minor, free_cancel_until,
	cancel_fee_minor, provider_ref, confirmation_code, failure, details, created_at, updated_at, confirmed_at, cancelled_at`

func scanBooking(r rowScanner) (model.Booking, error) {
	var b model.Booking
	var state, travelers, details string
	var freeUntil, created, updated, confirmed, cancelled timeCol
	err := r.Scan(&b.ID, &b.OwnerID, &b.IdempotencyKey, &b.RequestHash, &b.TripID, &b.ItemID, &b.Kind, &b.Provider,
		&b.OfferRef, &state, &b.Title, &b.StartsOn, &b.EndsOn, &b.Quantity, &travelers, &b.TotalMinor, &b.Currency,
		&b.RefundMinor, &freeUntil, &b.CancelFeeMinor, &b.ProviderRef, &b.ConfirmationCode, &b.Failure, &details,
		&created, &updated, &confirmed, &cancelled)
	if err != nil {
		return b, err
	}
	b.State, b.Details = model.BookingState(state), details
	b.FreeCancelUntil, b.ConfirmedAt, b.CancelledAt = freeUntil.ptr(), confirmed.ptr(), cancelled.ptr()
	b.CreatedAt, b.UpdatedAt = created.t, updated.t
	if err := json.Unmarshal([]byte(travelers), &b.TravelerIDs); err != nil {
		return b, fmt.Errorf("decode travelers: %w", err)
	}
	return b, nil
}

// errKeyReused answers a key that comes back with a different request:
// returning the first request's booking would be wrong, and booking again
// would break the key's promise.
const errKeyReused = "this Idempotency-Key was already used for a different booking request; use a new key for a new request"

// CreateBooking stores b and takes its holds in one transaction: every
// hold succeeds or none does, so inventory is never half-taken. A key the
// owner already used returns the booking stored under it (created false),
// and Conflict when that booking was for another request. A hold that does
// not fit is Conflict, saying how many units are left; nothing is written.
//
// Holds are counted with a conditional increment (sold + n <= capacity) on
// the resource-day row: PostgreSQL's row lock makes concurrent bookings of
// the last unit queue behind each other and re-check, SQLite's single
// writer serialises them, and a CHECK constraint backs both.
func (q *Queries) CreateBooking(ctx context.Context, b model.Booking, holds []model.Hold) (model.Booking, bool, error) {
	travelers, err := json.Marshal(nonNilStrings(b.TravelerIDs))
	if err != nil {
		return b, false, fmt.Errorf("store: encode travelers: %w", err)
	}
	if b.Details == "" {
		b.Details = "{}"
	}
	var prior *model.Booking
	err = q.atomic(ctx, func(q *Queries) error {
		// DO NOTHING rather than a unique violation: on PostgreSQL a
		// concurrent insert of the same key waits for the first to commit,
		// and the transaction stays usable to read what it stored.
		res, err := q.exec(ctx, `INSERT INTO bookings (`+bookingCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (owner_id, idempotency_key) DO NOTHING`,
			b.ID, b.OwnerID, b.IdempotencyKey, b.RequestHash, b.TripID, b.ItemID, b.Kind, b.Provider, b.OfferRef,
			string(b.State), b.Title, b.StartsOn, b.EndsOn, b.Quantity, string(travelers), b.TotalMinor, b.Currency,
			b.RefundMinor, b.FreeCancelUntil, b.CancelFeeMinor, b.ProviderRef, b.ConfirmationCode, b.Failure, b.Details,
			b.CreatedAt, b.UpdatedAt, b.ConfirmedAt, b.CancelledAt)
		if err != nil {
			return fmt.Errorf("store: create booking: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			p, err := q.GetBookingByKey(ctx, b.OwnerID, b.IdempotencyKey)
			if err != nil {
				return err
			}
			prior = &p
			return nil
		}
		for _, h := range holds {
			if err := q.takeHold(ctx, b.ID, h, b.UpdatedAt); err != nil {
				return err
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return b, false, err
	case prior != nil && prior.RequestHash != b.RequestHash:
		return *prior, false, apperr.New(apperr.Conflict, "%s", errKeyReused)
	case prior != nil:
		return *prior, false, nil
	}
	return b, true, nil
}

func (q *Queries) takeHold(ctx context.Context, bookingID string, h model.Hold, now time.Time) error {
	if h.Quantity <= 0 {
		return fmt.Errorf("store: hold of %d units", h.Quantity)
	}
	if _, err := q.exec(ctx, `INSERT INTO inventory (resource, day, capacity, sold, updated_at) VALUES (?, ?, ?, 0, ?)
		ON CONFLICT (resource, day) DO NOTHING`, h.Resource, h.Day, h.Capacity, now); err != nil {
		return fmt.Errorf("store: inventory row: %w", err)
	}
	res, err := q.exec(ctx, `UPDATE inventory SET sold = sold + ?, updated_at = ?
		WHERE resource = ? AND day = ? AND sold + ? <= capacity`, h.Quantity, now, h.Resource, h.Day, h.Quantity)
	if err != nil {
		return fmt.Errorf("store: take inventory: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		left := 0
		_ = q.queryRow(ctx, `SELECT capacity - sold FROM inventory WHERE resource = ? AND day = ?`, h.Resource, h.Day).Scan(&left)
		return &apperr.Error{Code: apperr.Conflict, Message: fmt.Sprintf("sold out: %d of the %d units needed are left on %s",
			left, h.Quantity, h.Day), Err: ErrSoldOut}
	}
	_, err = q.exec(ctx, `INSERT INTO booking_holds (booking_id, resource, day, quantity) VALUES (?, ?, ?, ?)`,
		bookingID, h.Resource, h.Day, h.Quantity)
	if err != nil {
		return fmt.Errorf("store: record hold: %w", err)
	}
	return nil
}

// ErrSoldOut is wrapped by the Conflict of a hold that does not fit.
var ErrSoldOut = errors.New("sold out")

// GetBooking returns the owner's booking; another owner's is NotFound.
func (q *Queries) GetBooking(ctx context.Context, ownerID, id string) (model.Booking, error) {
	b, err := scanBooking(q.queryRow(ctx, `SELECT `+bookingCols+` FROM bookings WHERE id = ? AND owner_id = ?`, id, ownerID))
	if err != nil {
		return model.Booking{}, rowErr(err, "booking")
	}
	return b, nil
}

// GetBookingByKey returns the booking the owner made with an idempotency key.
func (q *Queries) GetBookingByKey(ctx context.Context, ownerID, key string) (model.Booking, error) {
	b, err := scanBooking(q.queryRow(ctx, `SELECT `+bookingCols+` FROM bookings WHERE owner_id = ? AND idempotency_key = ?`, ownerID, key))
	if err != nil {
		return model.Booking{}, rowErr(err, "booking")
	}
	return b, nil
}

// ListBookings returns the owner's bookings, newest first, optionally of one
// trip, after the cursor (the last ID of the previous page).
func (q *Queries) ListBookings(ctx context.Context, ownerID, tripID, after string, limit int) ([]model.Booking, error) {
	query, args := `SELECT `+bookingCols+` FROM bookings WHERE owner_id = ?`, []any{ownerID}
	if tripID != "" {
		query, args = query+` AND trip_id = ?`, append(args, tripID)
	}
	if after != "" {
		// IDs are UUIDv7: their order is creation order.
		query, args = query+` AND id < ?`, append(args, after)
	}
	rows, err := q.query(ctx, query+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, min(max(limit, 1), 100)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list bookings: %w", err)
	}
	defer rows.Close()
	var out []model.Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan booking: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// FinishBooking moves a pending booking to confirmed or failed (a provider
// answered); a booking no longer pending is Conflict, so two workers
// finishing the same booking cannot both win.
func (q *Queries) FinishBooking(ctx context.Context, b model.Booking) error {
	if b.State != model.BookingConfirmed && b.State != model.BookingFailed {
		return fmt.Errorf("store: finish booking as %s", b.State)
	}
	res, err := q.exec(ctx, `UPDATE bookings SET state = ?, provider_ref = ?, confirmation_code = ?, failure = ?,
		confirmed_at = ?, updated_at = ? WHERE id = ? AND owner_id = ? AND state = 'pending'`,
		string(b.State), b.ProviderRef, b.ConfirmationCode, b.Failure, b.ConfirmedAt, b.UpdatedAt, b.ID, b.OwnerID)
	if err != nil {
		return fmt.Errorf("store: finish booking: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "the booking is no longer pending")
	}
	return nil
}

// CancelBooking cancels a confirmed booking with the refund the service
// computed and gives its held inventory back, in one transaction. Only a
// confirmed booking can be cancelled: anything else is Conflict naming the
// state it is in.
func (q *Queries) CancelBooking(ctx context.Context, ownerID, id string, refundMinor int64, at time.Time) (model.Booking, error) {
	var out model.Booking
	err := q.atomic(ctx, func(q *Queries) error {
		res, err := q.exec(ctx, `UPDATE bookings SET state = 'cancelled', refund_minor = ?, cancelled_at = ?, updated_at = ?
			WHERE id = ? AND owner_id = ? AND state = 'confirmed'`, refundMinor, at, at, id, ownerID)
		if err != nil {
			return fmt.Errorf("store: cancel booking: %w", err)
		}
		b, err := q.GetBooking(ctx, ownerID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "only a confirmed booking can be cancelled; this one is %s", b.State)
		}
		if _, err := q.exec(ctx, `UPDATE inventory SET sold = sold - (SELECT h.quantity FROM booking_holds h
				WHERE h.booking_id = ? AND h.resource = inventory.resource AND h.day = inventory.day), updated_at = ?
			WHERE EXISTS (SELECT 1 FROM booking_holds h WHERE h.booking_id = ? AND h.resource = inventory.resource
				AND h.day = inventory.day)`, id, at, id); err != nil {
			return fmt.Errorf("store: release inventory: %w", err)
		}
		out = b
		return nil
	})
	return out, err
}

// GetInventory returns a resource-day; NotFound when it was never booked.
func (q *Queries) GetInventory(ctx context.Context, resource, day string) (model.Inventory, error) {
	inv := model.Inventory{Resource: resource, Day: day}
	err := q.queryRow(ctx, `SELECT capacity, sold FROM inventory WHERE resource = ? AND day = ?`, resource, day).
		Scan(&inv.Capacity, &inv.Sold)
	if err != nil {
		return inv, rowErr(err, "inventory")
	}
	return inv, nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// FailStalePendingBookings marks bookings still pending since before
// cutoff as failed with reason: their provider call never finished (the
// process died mid-order). It returns the IDs, for the operator to check
// with the provider.
func (q *Queries) FailStalePendingBookings(ctx context.Context, cutoff, now time.Time, reason string) ([]string, error) {
	rows, err := q.query(ctx, `SELECT id FROM bookings WHERE state = 'pending' AND updated_at < ? ORDER BY id`, cutoff)
	if err != nil {
		return nil, fmt.Errorf("store: stale bookings: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: scan stale booking: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var failed []string
	for _, id := range ids {
		// Conditional on still pending: a late answer may have won.
		res, err := q.exec(ctx, `UPDATE bookings SET state = 'failed', failure = ?, updated_at = ? WHERE id = ? AND state = 'pending'`,
			reason, now, id)
		if err != nil {
			return failed, fmt.Errorf("store: fail stale booking: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			failed = append(failed, id)
		}
	}
	return failed, nil
}

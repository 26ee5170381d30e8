package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/money"
	"pathavana/internal/service"
)

type bookingResponse struct {
	ID               string             `json:"id"`
	State            model.BookingState `json:"state"`
	Kind             string             `json:"kind"`
	Provider         string             `json:"provider"`
	OfferRef         string             `json:"offer_ref"`
	Title            string             `json:"title"`
	StartsOn         string             `json:"starts_on"`
	EndsOn           string             `json:"ends_on"`
	Quantity         int                `json:"quantity"`
	TripID           string             `json:"trip_id,omitempty"`
	ItemID           string             `json:"item_id,omitempty"`
	TravelerIDs      []string           `json:"traveler_ids"`
	Total            money.Money        `json:"total"`
	FreeCancelUntil  *time.Time         `json:"free_cancel_until,omitempty"`
	CancelFee        money.Money        `json:"cancel_fee"`
	Refund           *money.Money       `json:"refund,omitempty"`
	ProviderRef      string             `json:"provider_ref,omitempty"`
	ConfirmationCode string             `json:"confirmation_code,omitempty"`
	Failure          string             `json:"failure,omitempty"`
	Details          json.RawMessage    `json:"details"`
	Warnings         []string           `json:"warnings,omitempty"`
	CreatedAt        time.Time          `json:"created_at"`
	ConfirmedAt      *time.Time         `json:"confirmed_at,omitempty"`
	CancelledAt      *time.Time         `json:"cancelled_at,omitempty"`
}

func bookingView(b model.Booking) bookingResponse {
	amount := func(minor int64) money.Money { m, _ := money.FromMinor(minor, b.Currency); return m }
	out := bookingResponse{ID: b.ID, State: b.State, Kind: b.Kind, Provider: b.Provider, OfferRef: b.OfferRef, Title: b.Title,
		StartsOn: b.StartsOn, EndsOn: b.EndsOn, Quantity: b.Quantity, TripID: b.TripID, ItemID: b.ItemID,
		TravelerIDs: b.TravelerIDs, Total: amount(b.TotalMinor), FreeCancelUntil: b.FreeCancelUntil,
		CancelFee: amount(b.CancelFeeMinor), ProviderRef: b.ProviderRef, ConfirmationCode: b.ConfirmationCode,
		Failure: b.Failure, Details: json.RawMessage(b.Details), CreatedAt: b.CreatedAt, ConfirmedAt: b.ConfirmedAt,
		CancelledAt: b.CancelledAt}
	if out.TravelerIDs == nil {
		out.TravelerIDs = []string{}
	}
	if b.RefundMinor != nil {
		r := amount(*b.RefundMinor)
		out.Refund = &r
	}
	return out
}

// handleBookingCreate books one offer. 201 for a new booking; a retry with
// the same Idempotency-Key gets the original with 200 and
// Idempotent-Replayed: true.
func (s *Server) handleBookingCreate(w http.ResponseWriter, r *http.Request) {
	var req service.BookingRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	req.IdempotencyKey = r.Header.Get("Idempotency-Key")
	res, err := s.svc.Book(r.Context(), principal(r), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	view := bookingView(res.Booking)
	view.Warnings = res.Warnings
	w.Header().Set("Location", "/api/v1/bookings/"+res.Booking.ID)
	status := http.StatusCreated
	if !res.Created {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, status, view)
}

func (s *Server) handleBookingList(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	tripID, after, limit := q.str("trip_id"), q.str("cursor"), q.int("limit", 50)
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	bs, err := s.svc.ListBookings(r.Context(), principal(r), tripID, after, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]bookingResponse, 0, len(bs))
	for _, b := range bs {
		out = append(out, bookingView(b))
	}
	next := ""
	if len(bs) == limit {
		next = bs[len(bs)-1].ID
	}
	writeJSON(w, http.StatusOK, struct {
		Bookings   []bookingResponse `json:"bookings"`
		NextCursor string            `json:"next_cursor,omitempty"`
	}{out, next})
}

func (s *Server) handleBookingGet(w http.ResponseWriter, r *http.Request) {
	b, err := s.svc.GetBooking(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, bookingView(b))
}

func (s *Server) handleBookingCancel(w http.ResponseWriter, r *http.Request) {
	b, err := s.svc.CancelBooking(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, bookingView(b))
}

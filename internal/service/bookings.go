package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	pmail "pathavana/internal/mail"
	"pathavana/internal/model"
	"pathavana/internal/money"
	"pathavana/internal/search"
	"pathavana/internal/search/flights"
	"pathavana/internal/search/local"
	"pathavana/internal/store"
)

// Booking providers: the catalog's own counted inventory, and Amadeus
// flight orders when Amadeus is configured.
const (
	ProviderCatalog = "catalog"
	ProviderAmadeus = "amadeus"
)

// BookingParty is who travels: adults, children (2–11) and lap infants.
type BookingParty struct {
	Adults   int `json:"adults"`
	Children int `json:"children"`
	Infants  int `json:"infants"`
	// ChildrenUnder10 counts among Children; stays must allow them.
	ChildrenUnder10 int `json:"children_under_10"`
}

// StayOffer is a stay as search offered it.
type StayOffer struct {
	City     string       `json:"city"`
	StayID   string       `json:"stay_id"`
	CheckIn  catalog.Date `json:"check_in"`
	CheckOut catalog.Date `json:"check_out"`
	Rooms    int          `json:"rooms,omitempty"` // 0: computed from occupancy
}

// FlightOffer is an itinerary as search offered it.
type FlightOffer struct {
	Segments []flights.SegmentRef `json:"segments"`
	Cabin    catalog.Cabin        `json:"cabin"`
}

// AttractionOffer is an attraction's tickets for one day.
type AttractionOffer struct {
	City         string       `json:"city"`
	AttractionID string       `json:"attraction_id"`
	Date         catalog.Date `json:"date"`
}

// BookingRequest books one offer. AcceptedTotal is the price the traveler
// saw and agreed to: when today's price differs, nothing is booked and the
// new price comes back to be accepted.
type BookingRequest struct {
	IdempotencyKey string           `json:"-"`
	Provider       string           `json:"provider,omitempty"` // catalog (default) or amadeus
	TripID         string           `json:"trip_id,omitempty"`
	ItemID         string           `json:"item_id,omitempty"`
	TravelerIDs    []string         `json:"traveler_ids,omitempty"`
	Party          BookingParty     `json:"party"`
	Stay           *StayOffer       `json:"stay,omitempty"`
	Flight         *FlightOffer     `json:"flight,omitempty"`
	Attraction     *AttractionOffer `json:"attraction,omitempty"`
	AcceptedTotal  money.Money      `json:"accepted_total"`
}

// PriceChange is the problem detail of a re-priced offer.
type PriceChange struct {
	Accepted money.Money `json:"accepted_total"`
	Current  money.Money `json:"current_total"`
}

// BookingResult is a booking and whether this request created it (false
// for a retry answered from the idempotency key).
type BookingResult struct {
	Booking  model.Booking
	Created  bool
	Warnings []string
}

// offerQuote is what re-pricing an offer found: the booking to write and
// the inventory it holds.
type offerQuote struct {
	booking model.Booking
	holds   []model.Hold
}

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 200

// Book re-prices the offer and books it. A retry with the same key returns
// the first result without booking again; the same key with another
// request is a Conflict.
func (s *Service) Book(ctx context.Context, p Principal, req BookingRequest) (BookingResult, error) {
	if err := checkIdempotencyKey(req.IdempotencyKey); err != nil {
		return BookingResult{}, err
	}
	switch _, known := money.Exponent(req.AcceptedTotal.Currency); {
	case req.AcceptedTotal.Currency == "":
		return BookingResult{}, apperr.Validation(apperr.FieldError{Field: "accepted_total",
			Message: "is required: the total you were shown, as {\"amount\": \"312.00\", \"currency\": \"EUR\"}"})
	case !known:
		return BookingResult{}, apperr.Validation(apperr.FieldError{Field: "accepted_total.currency",
			Message: req.AcceptedTotal.Currency + " is not an ISO 4217 currency"})
	}
	hash, err := requestHash(req)
	if err != nil {
		return BookingResult{}, err
	}
	// A retry is answered before anything is re-priced: the price may have
	// moved since, and the traveler must still get the original booking.
	if prior, err := s.Store.GetBookingByKey(ctx, p.UserID, req.IdempotencyKey); err == nil {
		if prior.RequestHash != hash {
			return BookingResult{}, apperr.New(apperr.Conflict, "this Idempotency-Key was used for a different booking request; use a new key for a new booking")
		}
		return BookingResult{Booking: prior}, nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return BookingResult{}, err
	}
	if err := checkParty(req.Party); err != nil {
		return BookingResult{}, err
	}
	party := req.Party.Adults + req.Party.Children + req.Party.Infants
	if n := len(req.TravelerIDs); n > 0 && n != party {
		return BookingResult{}, apperr.Validation(apperr.FieldError{Field: "traveler_ids",
			Message: fmt.Sprintf("lists %d travelers but the party is %d", n, party)})
	}

	if err := s.checkTripItem(ctx, p, req.TripID, req.ItemID); err != nil {
		return BookingResult{}, err
	}

	var q offerQuote
	var priced search.PricedFlight
	switch req.Provider {
	case "", ProviderCatalog:
		q, err = s.quoteOffer(req)
	case ProviderAmadeus:
		q, priced, err = s.quoteAmadeus(ctx, req)
	default:
		err = apperr.Validation(apperr.FieldError{Field: "provider", Message: "must be catalog or amadeus"})
	}
	if err != nil {
		return BookingResult{}, err
	}
	b := q.booking
	if b.StartsOn < s.now().Format(time.DateOnly) {
		return BookingResult{}, apperr.Validation(apperr.FieldError{Field: b.Kind, Message: "starts on " + b.StartsOn + ", which is in the past"})
	}
	current, _ := money.FromMinor(b.TotalMinor, b.Currency)
	if req.AcceptedTotal != current {
		return BookingResult{}, &apperr.Error{Code: apperr.Conflict, Details: PriceChange{Accepted: req.AcceptedTotal, Current: current},
			Message: fmt.Sprintf("the price is now %s (you accepted %s); send accepted_total %s to book at the new price",
				priceText(current), priceText(req.AcceptedTotal), priceText(current))}
	}
	now := s.now()
	b.ID, b.OwnerID, b.IdempotencyKey, b.RequestHash = newID(), p.UserID, req.IdempotencyKey, hash
	b.TripID, b.ItemID, b.TravelerIDs = req.TripID, req.ItemID, req.TravelerIDs
	b.CreatedAt, b.UpdatedAt = now, now
	b.FreeCancelUntil = freeCancelUntil(b, now)
	if b.Provider == ProviderCatalog {
		// The held inventory is the reservation: confirmed on commit.
		b.State, b.ConfirmationCode, b.ProviderRef, b.ConfirmedAt = model.BookingConfirmed, confirmationCode(), "catalog-"+b.ID, &now
	} else {
		b.State = model.BookingPending // until the provider answers
	}

	var out BookingResult
	var travelers []model.Traveler
	err = s.Store.InTx(ctx, func(tx *store.Queries) error {
		stored, created, err := tx.CreateBooking(ctx, b, q.holds)
		if err != nil {
			return err
		}
		out = BookingResult{Booking: stored, Created: created}
		if !created {
			return nil // a concurrent retry with the same key won
		}
		if b.ItemID != "" {
			if err := tx.SetItemBooking(ctx, p.UserID, b.TripID, b.ItemID, "", b.ID, now); err != nil {
				return err
			}
		}
		if len(b.TravelerIDs) > 0 {
			if travelers, err = s.travelersForBooking(ctx, tx, p, b.TravelerIDs); err != nil {
				return err
			}
		}
		if err := s.recordAudit(ctx, tx, p, AuditEvent{Action: model.AuditBookingCreate, TargetType: "booking", TargetID: b.ID,
			Details: map[string]any{"kind": b.Kind, "provider": b.Provider, "state": b.State, "travelers": len(b.TravelerIDs)}}); err != nil {
			return err
		}
		if b.State != model.BookingConfirmed {
			return nil
		}
		return s.mailConfirmation(ctx, tx, b)
	})
	if err != nil {
		return BookingResult{}, err
	}
	end, _ := time.Parse(time.DateOnly, b.EndsOn)
	for _, t := range travelers {
		for _, w := range PassportWarnings(t, end) {
			out.Warnings = append(out.Warnings, t.GivenNames+" "+t.FamilyName+": "+w)
		}
	}
	if out.Created && b.State == model.BookingPending {
		out.Booking, err = s.placeFlightOrder(ctx, b, priced, travelers)
	}
	return out, err
}

func (s *Service) mailConfirmation(ctx context.Context, tx *store.Queries, b model.Booking) error {
	return s.mailOwner(ctx, tx, b.OwnerID, func(to string) pmail.Message {
		return pmail.BookingConfirmed(to, s.Settings.PublicURL+"/bookings/"+b.ID, summaryOf(b))
	})
}

// GetBooking returns one of the caller's bookings.
func (s *Service) GetBooking(ctx context.Context, p Principal, id string) (model.Booking, error) {
	return s.Store.GetBooking(ctx, p.UserID, id)
}

// ListBookings returns the caller's bookings, newest first.
func (s *Service) ListBookings(ctx context.Context, p Principal, tripID, after string, limit int) ([]model.Booking, error) {
	if limit < 0 || limit > 100 {
		return nil, apperr.Validation(apperr.FieldError{Field: "limit", Message: "must be between 1 and 100"})
	}
	if limit == 0 {
		limit = 50
	}
	return s.Store.ListBookings(ctx, p.UserID, tripID, after, limit)
}

// CancelBooking cancels a confirmed booking under its rule: a full refund
// until FreeCancelUntil, the total less the fee after it. Inventory is
// released in the same transaction.
func (s *Service) CancelBooking(ctx context.Context, p Principal, id string) (model.Booking, error) {
	b, err := s.Store.GetBooking(ctx, p.UserID, id)
	if err != nil {
		return model.Booking{}, err
	}
	if err := s.cancelProviderOrder(ctx, b); err != nil {
		return model.Booking{}, err
	}
	now := s.now()
	refund := refundAt(b, now)
	var out model.Booking
	err = s.Store.InTx(ctx, func(tx *store.Queries) error {
		out, err = tx.CancelBooking(ctx, p.UserID, id, refund, now)
		if err != nil {
			return err
		}
		// The item is free to book again; a deleted item or trip has
		// nothing left to unlink.
		if b.ItemID != "" {
			if err := tx.SetItemBooking(ctx, p.UserID, b.TripID, b.ItemID, b.ID, "", now); err != nil &&
				!apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Conflict) {
				return err
			}
		}
		if err := s.recordAudit(ctx, tx, p, AuditEvent{Action: model.AuditBookingCancel, TargetType: "booking", TargetID: id,
			Details: map[string]any{"kind": b.Kind, "refund_minor": refund}}); err != nil {
			return err
		}
		refunded, _ := money.FromMinor(refund, b.Currency)
		return s.mailOwner(ctx, tx, p.UserID, func(to string) pmail.Message {
			return pmail.BookingCancelled(to, s.Settings.PublicURL+"/bookings", summaryOf(out), priceText(refunded))
		})
	})
	return out, err
}

// checkTripItem refuses a booking for a trip or item the caller does not
// have, or an item that is already booked.
func (s *Service) checkTripItem(ctx context.Context, p Principal, tripID, itemID string) error {
	if tripID == "" {
		if itemID != "" {
			return apperr.Validation(apperr.FieldError{Field: "trip_id", Message: "is required with item_id"})
		}
		return nil
	}
	t, err := s.Store.GetTrip(ctx, p.UserID, tripID)
	if err != nil {
		return err
	}
	if itemID == "" {
		return nil
	}
	for _, it := range t.Items {
		if it.ID == itemID {
			if it.BookingID != "" {
				return apperr.New(apperr.Conflict, "this trip item is already booked (booking %s); cancel that booking first", it.BookingID)
			}
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "trip item not found")
}

// mailOwner queues an email to the account's address inside tx.
func (s *Service) mailOwner(ctx context.Context, tx *store.Queries, userID string, msg func(to string) pmail.Message) error {
	u, err := tx.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	return enqueueMail(ctx, tx, msg(u.Email))
}

// quoteOffer re-prices the one offer of req against the catalog.
func (s *Service) quoteOffer(req BookingRequest) (offerQuote, error) {
	n := 0
	for _, set := range []bool{req.Stay != nil, req.Flight != nil, req.Attraction != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return offerQuote{}, apperr.Validation(apperr.FieldError{Field: "offer", Message: "give exactly one of stay, flight or attraction"})
	}
	cat := s.Search.Catalog()
	party := req.Party
	switch {
	case req.Stay != nil:
		o := req.Stay
		r, err := local.QuoteStay(cat.Local, o.City, o.StayID, local.StayQuery{CheckIn: o.CheckIn, CheckOut: o.CheckOut, Rooms: o.Rooms,
			Guests: local.Guests{Adults: party.Adults, Children: party.Children + party.Infants, ChildrenUnder10: party.ChildrenUnder10}})
		if err != nil {
			return offerQuote{}, err
		}
		b := model.Booking{Provider: ProviderCatalog, Kind: "stay", OfferRef: "stay:" + r.Stay.ID, Title: r.Stay.Name, StartsOn: o.CheckIn.String(),
			EndsOn: o.CheckOut.String(), Quantity: r.Rooms, TotalMinor: r.Total.Minor, Currency: r.Total.Currency,
			CancelFeeMinor: r.NightlyTotal.Minor, // the first night
			Details: detailsJSON(map[string]any{"offer": o, "party": party, "room_type": r.Stay.RoomType, "nights": r.Nights,
				"rooms": r.Rooms, "nightly_total": r.NightlyTotal})}
		var holds []model.Hold
		for d := o.CheckIn; d.Before(o.CheckOut.Time); d = (catalog.Date{Time: d.AddDate(0, 0, 1)}) {
			holds = append(holds, model.Hold{Resource: b.OfferRef, Day: d.String(), Quantity: r.Rooms, Capacity: stayUnits(r.Stay)})
		}
		return offerQuote{booking: b, holds: holds}, nil

	case req.Flight != nil:
		o := req.Flight
		if o.Cabin == "" {
			o.Cabin = catalog.Economy
		}
		qt, err := cat.Flights.Quote(o.Segments, o.Cabin, flights.Passengers{Adults: party.Adults, Children: party.Children, Infants: party.Infants})
		if err != nil {
			return offerQuote{}, err
		}
		first, last := qt.Segments[0], qt.Segments[len(qt.Segments)-1]
		var holds []model.Hold
		seated := party.Adults + party.Children // lap infants take no seat
		for i, sg := range qt.Segments {
			ref := o.Segments[i]
			capacity := qt.Seats[i]
			if capacity == 0 {
				capacity = defaultSeats[o.Cabin]
			}
			holds = append(holds, model.Hold{Resource: fmt.Sprintf("flight:%s:%s-%s:%s", ref.Number, ref.From, ref.To, o.Cabin),
				Day: sg.Departs.Format(time.DateOnly), Quantity: seated, Capacity: capacity})
		}
		numbers, title := flightTitle(o.Segments)
		b := model.Booking{Provider: ProviderCatalog, Kind: "flight", OfferRef: "flight:" + numbers + ":" + first.Departs.Format(time.DateOnly),
			Title:    title,
			StartsOn: first.Departs.Format(time.DateOnly), EndsOn: last.Arrives.Format(time.DateOnly), Quantity: seated,
			TotalMinor: qt.Price.Minor, Currency: qt.Price.Currency, CancelFeeMinor: flightCancelFee(qt.Price.Minor, o.Cabin),
			Details: detailsJSON(map[string]any{"offer": o, "party": party, "per_adult": qt.PerAdult,
				"departs": first.Departs.Format(time.RFC3339), "arrives": last.Arrives.Format(time.RFC3339)})}
		return offerQuote{booking: b, holds: holds}, nil

	default:
		o := req.Attraction
		// Children and infants both pay the child ticket: what search shows.
		r, err := local.QuoteAttraction(cat.Local, o.City, o.AttractionID, o.Date, party.Adults, party.Children+party.Infants)
		if err != nil {
			return offerQuote{}, err
		}
		tickets := party.Adults + party.Children + party.Infants
		b := model.Booking{Provider: ProviderCatalog, Kind: "attraction", OfferRef: "attraction:" + r.Attraction.ID, Title: r.Attraction.Name,
			StartsOn: o.Date.String(), EndsOn: o.Date.String(), Quantity: tickets, TotalMinor: r.PartyCost.Minor,
			CancelFeeMinor: r.PartyCost.Minor, // late cancellation refunds nothing
			Currency:       r.PartyCost.Currency, Details: detailsJSON(map[string]any{"offer": o, "party": party, "open": r.Open})}
		return offerQuote{booking: b, holds: []model.Hold{{Resource: b.OfferRef, Day: o.Date.String(), Quantity: tickets,
			Capacity: attractionTickets}}}, nil
	}
}

// flightTitle names an itinerary: "TP1940+TP201" for references and
// "TP1940, TP201 LIS→JFK" for people.
func flightTitle(segs []flights.SegmentRef) (numbers, title string) {
	names := make([]string, len(segs))
	for i, sg := range segs {
		names[i] = sg.Number
	}
	return strings.Join(names, "+"), fmt.Sprintf("%s %s→%s", strings.Join(names, ", "), segs[0].From, segs[len(segs)-1].To)
}

// The catalog says what a stay and a flight cost but not how many units it
// has; these are the sandbox's counts (a flight's own seat count wins).
var defaultSeats = map[catalog.Cabin]int{catalog.Economy: 150, catalog.PremiumEconomy: 24, catalog.Business: 30, catalog.First: 8}

const attractionTickets = 200

// flightCancelFee keeps a quarter of the fare, a tenth in business and first.
func flightCancelFee(total int64, cabin catalog.Cabin) int64 {
	if cabin == catalog.Business || cabin == catalog.First {
		return total / 10
	}
	return total / 4
}

func stayUnits(s catalog.Stay) int {
	switch s.RoomType {
	case catalog.EntireHome:
		return 1
	case catalog.SharedRoom:
		return s.MaxOccupancy // beds
	case catalog.PrivateRoom:
		return 3
	default:
		return 12
	}
}

// freeCancelUntil is the catalog's cancellation policy: stays are free to
// cancel until 48 hours before check-in, tickets until 24 hours before the
// day, flights within 24 hours of booking when they leave at least 7 days
// later; nil when that moment has passed. The fee after it is set with the
// quote.
func freeCancelUntil(b model.Booking, now time.Time) *time.Time {
	start, _ := time.Parse(time.DateOnly, b.StartsOn)
	var until time.Time
	switch b.Kind {
	case "stay":
		until = start.Add(-48 * time.Hour)
	case "attraction":
		until = start.Add(-24 * time.Hour)
	default:
		if start.Sub(now) >= 7*24*time.Hour {
			until = now.Add(24 * time.Hour)
		}
	}
	if until.IsZero() || !until.After(now) {
		return nil
	}
	return &until
}

// refundAt is what cancelling b at t gives back.
func refundAt(b model.Booking, t time.Time) int64 {
	if b.FreeCancelUntil != nil && !t.After(*b.FreeCancelUntil) {
		return b.TotalMinor
	}
	return b.TotalMinor - b.CancelFeeMinor
}

func summaryOf(b model.Booking) pmail.BookingSummary {
	total, _ := money.FromMinor(b.TotalMinor, b.Currency)
	dates := b.StartsOn
	if b.EndsOn != b.StartsOn {
		dates += " – " + b.EndsOn
	}
	fee, _ := money.FromMinor(b.CancelFeeMinor, b.Currency)
	note := fmt.Sprintf("Cancelling costs %s.", priceText(fee))
	if b.FreeCancelUntil != nil {
		note = fmt.Sprintf("Free cancellation until %s; after that cancelling costs %s.",
			b.FreeCancelUntil.UTC().Format("15:04 UTC on 2 January 2006"), priceText(fee))
	}
	return pmail.BookingSummary{Title: b.Title, Dates: dates, Total: priceText(total), ConfirmationCode: b.ConfirmationCode, CancelNote: note}
}

// priceText is money as people read it: "EUR 312.00".
func priceText(m money.Money) string { return m.Currency + " " + m.String() }

func checkIdempotencyKey(k string) error {
	if k == "" {
		return apperr.New(apperr.Invalid, "the Idempotency-Key header is required: send a fresh random value (a UUID) per booking and reuse it only to retry")
	}
	if len(k) > maxIdempotencyKey {
		return apperr.New(apperr.Invalid, "the Idempotency-Key header is at most %d characters", maxIdempotencyKey)
	}
	for _, c := range k {
		if c < 0x21 || c > 0x7e {
			return apperr.New(apperr.Invalid, "the Idempotency-Key header must be printable ASCII without spaces")
		}
	}
	return nil
}

func checkParty(p BookingParty) error {
	var fs []apperr.FieldError
	switch {
	case p.Adults < 1:
		fs = append(fs, apperr.FieldError{Field: "party.adults", Message: "at least one adult travels"})
	case p.Children < 0 || p.Infants < 0 || p.ChildrenUnder10 < 0 || p.ChildrenUnder10 > p.Children:
		fs = append(fs, apperr.FieldError{Field: "party.children", Message: "counts cannot be negative, and children_under_10 counts among children"})
	case p.Adults+p.Children > flights.MaxSeated:
		fs = append(fs, apperr.FieldError{Field: "party", Message: fmt.Sprintf("at most %d travelers with a seat in one booking", flights.MaxSeated)})
	case p.Infants > p.Adults:
		fs = append(fs, apperr.FieldError{Field: "party.infants", Message: "each lap infant needs an adult"})
	}
	if len(fs) > 0 {
		return apperr.Validation(fs...)
	}
	return nil
}

// requestHash identifies a booking request for its idempotency key.
func requestHash(req BookingRequest) (string, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("hash booking request: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func detailsJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// confirmationCode is six characters without look-alikes (0/O, 1/I/L).
func confirmationCode() string {
	const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// BookingsOfUser lists an account's bookings for an admin or operator
// (support answering "where is my booking?"); the read is audited.
func (s *Service) BookingsOfUser(ctx context.Context, p Principal, email, tripID string, limit int) ([]model.Booking, error) {
	if !p.IsAdmin() {
		return nil, apperr.New(apperr.Forbidden, "this action needs the admin role")
	}
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	bs, err := s.Store.ListBookings(ctx, u.ID, tripID, "", min(max(limit, 1), 100))
	if err != nil {
		return nil, err
	}
	return bs, s.recordAudit(ctx, s.Store.Queries, p, AuditEvent{Action: model.AuditAdminUserRead, TargetType: "bookings",
		TargetID: u.ID, SubjectID: u.ID, Details: map[string]any{"bookings": len(bs)}})
}

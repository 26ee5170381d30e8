package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/ical"
	"pathavana/internal/model"
	"pathavana/internal/money"
	"pathavana/internal/service"
)

type partyResponse struct {
	Adults   int `json:"adults"`
	Children int `json:"children"`
	Infants  int `json:"infants"`
}

type tripResponse struct {
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	Status          string         `json:"status"`
	StartsOn        string         `json:"starts_on"`
	EndsOn          string         `json:"ends_on"`
	Days            int            `json:"days"`
	Destinations    []string       `json:"destinations"`
	CoverCity       string         `json:"cover_city"`
	Party           partyResponse  `json:"party"`
	Budget          *money.Money   `json:"budget"`
	Currency        string         `json:"currency"`
	SourceSessionID string         `json:"source_session_id"`
	Version         int            `json:"version"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	Items           []itemResponse `json:"items,omitempty"`
}

type itemResponse struct {
	ID        string          `json:"id"`
	Day       int             `json:"day"`
	Position  int             `json:"position"`
	Kind      string          `json:"kind"`
	Title     string          `json:"title"`
	StartsAt  *string         `json:"starts_at"`
	EndsAt    *string         `json:"ends_at"`
	TimeZone  string          `json:"time_zone"`
	Place     string          `json:"place"`
	Cost      *money.Money    `json:"cost"`
	Provider  string          `json:"provider"`
	OfferRef  string          `json:"offer_ref"`
	Details   json.RawMessage `json:"details"`
	URL       string          `json:"url"`
	Notes     string          `json:"notes"`
	BookingID string          `json:"booking_id"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

func optMoney(minor *int64, currency string) *money.Money {
	if minor == nil {
		return nil
	}
	return &money.Money{Minor: *minor, Currency: currency}
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toTripResponse(t model.Trip, withItems bool) tripResponse {
	out := tripResponse{ID: t.ID, Title: t.Title, Status: string(t.Status), StartsOn: t.StartsOn, EndsOn: t.EndsOn,
		Days: t.Days(), Destinations: nonNil(t.Destinations), CoverCity: t.CoverCity,
		Party:  partyResponse{Adults: t.Party.Adults, Children: t.Party.Children, Infants: t.Party.Infants},
		Budget: optMoney(t.BudgetMinor, t.Currency), Currency: t.Currency, SourceSessionID: t.SourceSessionID,
		Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	if withItems {
		out.Items = make([]itemResponse, 0, len(t.Items))
		for _, it := range t.Items {
			out.Items = append(out.Items, toItemResponse(it))
		}
	}
	return out
}

func toItemResponse(it model.TripItem) itemResponse {
	details := json.RawMessage(it.Details)
	if len(details) == 0 {
		details = json.RawMessage("{}")
	}
	return itemResponse{ID: it.ID, Day: it.Day, Position: it.Position, Kind: string(it.Kind), Title: it.Title,
		StartsAt: optString(it.StartsAt), EndsAt: optString(it.EndsAt), TimeZone: it.TimeZone, Place: it.Place,
		Cost: optMoney(it.CostMinor, it.Currency), Provider: it.Provider, OfferRef: it.OfferRef, Details: details,
		URL: it.URL, Notes: it.Notes, BookingID: it.BookingID, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt}
}

// etag is a trip's version as an ETag; every trip or item write bumps it.
func etag(version int) string { return `"v` + strconv.Itoa(version) + `"` }

var reTripETag = regexp.MustCompile(`^(?:W/)?"v([0-9]{1,9})"$`)

// ifMatch reads If-Match as the version the client last saw: 0 when the
// header is absent or "*" (no check). An ETag this API never sent cannot
// match any version, so it is a 412 like a stale one.
func ifMatch(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	first, _, _ := strings.Cut(h, ",")
	m := reTripETag.FindStringSubmatch(strings.TrimSpace(first))
	if m == nil {
		return 0, apperr.New(apperr.Precondition, `If-Match must be an ETag this API sent, like "v3"`)
	}
	v, _ := strconv.Atoi(m[1])
	if v == 0 {
		return 0, apperr.New(apperr.Precondition, "the trip was changed since you loaded it; reload it and try again")
	}
	return v, nil
}

func (s *Server) handleTripList(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	limit := q.int("limit", 20)
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	trips, err := s.svc.ListTrips(r.Context(), principal(r), q.str("cursor"), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]tripResponse, 0, len(trips))
	for _, t := range trips {
		out = append(out, toTripResponse(t, false))
	}
	next := ""
	if len(trips) > 0 && len(trips) == min(max(limit, 1), 100) {
		next = trips[len(trips)-1].ID
	}
	writeJSON(w, http.StatusOK, struct {
		Trips      []tripResponse `json:"trips"`
		NextCursor string         `json:"next_cursor,omitempty"`
	}{out, next})
}

func (s *Server) handleTripCreate(w http.ResponseWriter, r *http.Request) {
	var in service.TripInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.svc.CreateTrip(r.Context(), principal(r), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(t.Version))
	w.Header().Set("Location", "/api/v1/trips/"+t.ID)
	writeJSON(w, http.StatusCreated, toTripResponse(t, true))
}

func (s *Server) handleTripGet(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.GetTrip(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeTrip(w, t)
}

func (s *Server) writeTrip(w http.ResponseWriter, t model.Trip) {
	w.Header().Set("ETag", etag(t.Version))
	w.Header().Set("Cache-Control", "private, no-cache")
	writeJSON(w, http.StatusOK, toTripResponse(t, true))
}

func (s *Server) handleTripUpdate(w http.ResponseWriter, r *http.Request) {
	expect, err := ifMatch(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in service.TripInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.svc.UpdateTrip(r.Context(), principal(r), r.PathValue("id"), expect, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeTrip(w, t)
}

func (s *Server) handleTripDelete(w http.ResponseWriter, r *http.Request) {
	expect, err := ifMatch(r)
	if err == nil {
		err = s.svc.DeleteTrip(r.Context(), principal(r), r.PathValue("id"), expect)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleTripItemCreate(w http.ResponseWriter, r *http.Request) {
	expect, err := ifMatch(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in service.ItemInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	it, ver, err := s.svc.AddTripItem(r.Context(), principal(r), r.PathValue("id"), expect, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(ver))
	writeJSON(w, http.StatusCreated, toItemResponse(it))
}

func (s *Server) handleTripItemUpdate(w http.ResponseWriter, r *http.Request) {
	expect, err := ifMatch(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in service.ItemInput
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	it, ver, err := s.svc.UpdateTripItem(r.Context(), principal(r), r.PathValue("id"), r.PathValue("itemId"), expect, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(ver))
	writeJSON(w, http.StatusOK, toItemResponse(it))
}

func (s *Server) handleTripItemDelete(w http.ResponseWriter, r *http.Request) {
	expect, err := ifMatch(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ver, err := s.svc.DeleteTripItem(r.Context(), principal(r), r.PathValue("id"), r.PathValue("itemId"), expect)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(ver))
	w.WriteHeader(http.StatusNoContent)
}

// handleTripItemMove answers with the whole trip: a move renumbers other
// items too, and the client needs their new positions.
func (s *Server) handleTripItemMove(w http.ResponseWriter, r *http.Request) {
	expect, err := ifMatch(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in struct {
		Day      *int `json:"day"`
		Position int  `json:"position"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.Day == nil {
		s.writeError(w, r, apperr.Validation(apperr.FieldError{Field: "day", Message: "is required (0: unscheduled)"}))
		return
	}
	p, id := principal(r), r.PathValue("id")
	if _, err := s.svc.MoveTripItem(r.Context(), p, id, r.PathValue("itemId"), expect, *in.Day, in.Position); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.svc.GetTrip(r.Context(), p, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeTrip(w, t)
}

type budgetLineResponse struct {
	Kind    string      `json:"kind"`
	Items   int         `json:"items"`
	Planned money.Money `json:"planned"`
	Booked  money.Money `json:"booked"`
}

type budgetTotalsResponse struct {
	Currency string               `json:"currency"`
	Planned  money.Money          `json:"planned"`
	Booked   money.Money          `json:"booked"`
	ByKind   []budgetLineResponse `json:"by_kind"`
}

func toBudgetTotals(t service.BudgetTotals) budgetTotalsResponse {
	m := func(minor int64) money.Money { return money.Money{Minor: minor, Currency: t.Currency} }
	out := budgetTotalsResponse{Currency: t.Currency, Planned: m(t.Planned), Booked: m(t.Booked), ByKind: []budgetLineResponse{}}
	for _, l := range t.ByKind {
		out.ByKind = append(out.ByKind, budgetLineResponse{Kind: string(l.Kind), Items: l.Items, Planned: m(l.Planned), Booked: m(l.Booked)})
	}
	return out
}

func (s *Server) handleTripBudget(w http.ResponseWriter, r *http.Request) {
	b, err := s.svc.TripBudget(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	other := make([]budgetTotalsResponse, 0, len(b.Other))
	for _, o := range b.Other {
		other = append(other, toBudgetTotals(o))
	}
	cur := b.Trip.Currency
	writeJSON(w, http.StatusOK, struct {
		Budget    *money.Money           `json:"budget"`
		Remaining *money.Money           `json:"remaining"`
		Trip      budgetTotalsResponse   `json:"trip"`
		Other     []budgetTotalsResponse `json:"other_currencies"`
	}{optMoney(b.Budget, cur), optMoney(b.Remaining, cur), toBudgetTotals(b.Trip), other})
}

func (s *Server) handleTripCalendarExport(w http.ResponseWriter, r *http.Request) {
	body, err := s.svc.TripCalendar(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="trip.ics"`)
	w.Header().Set("Cache-Control", "private, no-cache")
	_, _ = w.Write(body)
}

func (s *Server) handleTripCalendarImport(w http.ResponseWriter, r *http.Request) {
	expect, err := ifMatch(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/calendar" {
		s.writeError(w, r, apperr.New(apperr.Invalid, "Content-Type must be text/calendar (an .ics file)"))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, ical.MaxSize+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.writeError(w, r, apperr.New(apperr.TooLarge, "the calendar is larger than %d bytes", tooBig.Limit))
		return
	case err != nil:
		s.writeError(w, r, apperr.Wrap(err, apperr.Invalid, "the request body could not be read"))
		return
	}
	items, ver, err := s.svc.ImportCalendar(r.Context(), principal(r), r.PathValue("id"), expect, strings.NewReader(string(body)))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]itemResponse, 0, len(items))
	for _, it := range items {
		out = append(out, toItemResponse(it))
	}
	w.Header().Set("ETag", etag(ver))
	writeJSON(w, http.StatusCreated, struct {
		Items   []itemResponse `json:"items"`
		Version int            `json:"version"`
	}{out, ver})
}

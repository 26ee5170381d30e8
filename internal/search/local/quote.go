package local

import (
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
)

// QuoteStay prices one stay of a city for the party and dates exactly as
// SearchStays would, so a booking re-prices the offer the traveler saw.
// It refuses a stay that no longer exists (NotFound) or that cannot take
// the party for these dates (Conflict).
func QuoteStay(src Source, cityID, stayID string, q StayQuery) (StayResult, error) {
	var ps problems
	nights := 0
	if q.CheckIn.IsZero() || q.CheckOut.IsZero() {
		ps.add("check_in", "check_in and check_out are required (YYYY-MM-DD)")
	} else if nights = int(q.CheckOut.Sub(q.CheckIn.Time).Round(24*time.Hour) / (24 * time.Hour)); nights < 1 || nights > MaxNights {
		ps.add("check_out", "must be 1 to 30 nights after check_in")
	}
	g := q.Guests
	if g.Adults < 1 || g.Children < 0 || g.Adults+g.Children > MaxGuests {
		ps.add("adults", "a party of 1 to 16 guests with at least one adult")
	}
	if q.Rooms < 0 || q.Rooms > MaxRooms {
		ps.add("rooms", "must be between 0 (automatic) and 8")
	}
	if err := ps.err(); err != nil {
		return StayResult{}, err
	}
	s, ok := find(src.Stays(cityID), func(s catalog.Stay) bool { return s.ID == stayID })
	if !ok {
		return StayResult{}, apperr.New(apperr.NotFound, "stay %s is no longer offered in this city", stayID)
	}
	if s.MinNights > nights {
		return StayResult{}, apperr.New(apperr.Conflict, "%s needs at least %d nights", s.Name, s.MinNights)
	}
	if g.ChildrenUnder10 > 0 && !s.Rules.ChildrenUnder10 {
		return StayResult{}, apperr.New(apperr.Conflict, "%s does not take children under 10", s.Name)
	}
	units, ok := unitsFor(s, g.Adults+g.Children, q.Rooms)
	if !ok {
		return StayResult{}, apperr.New(apperr.Conflict, "%s cannot take a party of %d", s.Name, g.Adults+g.Children)
	}
	nightly, err := s.PricePerNight.MulInt(int64(units))
	if err != nil {
		return StayResult{}, apperr.Wrap(err, apperr.Invalid, "the stay's price overflows")
	}
	total, err := nightly.MulInt(int64(nights))
	if err != nil {
		return StayResult{}, apperr.Wrap(err, apperr.Invalid, "the stay's price overflows")
	}
	return StayResult{Stay: s, Rooms: units, Nights: nights, NightlyTotal: nightly, Total: total}, nil
}

// QuoteAttraction prices one attraction's tickets for the party on a date
// exactly as SearchAttractions would; a day it is closed is a Conflict.
func QuoteAttraction(src Source, cityID, attractionID string, date catalog.Date, adults, children int) (AttractionResult, error) {
	if date.IsZero() {
		return AttractionResult{}, apperr.Validation(apperr.FieldError{Field: "date", Message: "is required (YYYY-MM-DD)"})
	}
	if adults < 1 || children < 0 || adults+children > 50 {
		return AttractionResult{}, apperr.Validation(apperr.FieldError{Field: "adults", Message: "a party of 1 to 50 with at least one adult"})
	}
	a, ok := find(src.Attractions(cityID), func(a catalog.Attraction) bool { return a.ID == attractionID })
	if !ok {
		return AttractionResult{}, apperr.New(apperr.NotFound, "attraction %s is no longer offered in this city", attractionID)
	}
	span := a.Hours.On(date.Weekday())
	if span.Closed {
		return AttractionResult{}, apperr.New(apperr.Conflict, "%s is closed on %s", a.Name, date)
	}
	cost, ok := partyTicket(a.Price, adults, children)
	if !ok {
		return AttractionResult{}, apperr.New(apperr.Invalid, "the tickets' price overflows")
	}
	return AttractionResult{Attraction: a, PartyCost: cost, Open: &span}, nil
}

func find[T any](xs []T, match func(T) bool) (T, bool) {
	for _, x := range xs {
		if match(x) {
			return x, true
		}
	}
	var zero T
	return zero, false
}

package service

import (
	"context"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/model"
	"pathavana/internal/search"
	"pathavana/internal/search/flights"
	"pathavana/internal/store"
)

// quoteAmadeus prices a flight itinerary with Amadeus (search again, then
// Flight Offers Price). Amadeus holds the seats, so there is no local hold.
func (s *Service) quoteAmadeus(ctx context.Context, req BookingRequest) (offerQuote, search.PricedFlight, error) {
	fo := s.Search.FlightOrders()
	switch {
	case fo == nil:
		return offerQuote{}, search.PricedFlight{}, apperr.Validation(apperr.FieldError{Field: "provider",
			Message: "Amadeus is not configured here; book from the catalog"})
	case req.Flight == nil || req.Stay != nil || req.Attraction != nil:
		return offerQuote{}, search.PricedFlight{}, apperr.Validation(apperr.FieldError{Field: "flight",
			Message: "Amadeus books flights only: give flight and nothing else"})
	case len(req.TravelerIDs) == 0:
		return offerQuote{}, search.PricedFlight{}, apperr.Validation(apperr.FieldError{Field: "traveler_ids",
			Message: "an airline booking needs a saved traveler for every passenger"})
	}
	o := *req.Flight
	if o.Cabin == "" {
		o.Cabin = catalog.Economy
	}
	party := req.Party
	priced, err := fo.PriceItinerary(ctx, o.Segments, o.Cabin, flights.Passengers{Adults: party.Adults, Children: party.Children, Infants: party.Infants})
	if err != nil {
		return offerQuote{}, search.PricedFlight{}, err
	}
	numbers, title := flightTitle(o.Segments)
	b := model.Booking{Provider: ProviderAmadeus, Kind: "flight",
		OfferRef: "amadeus:" + numbers + ":" + priced.Departs.Format(time.DateOnly), Title: title,
		StartsOn: priced.Departs.Format(time.DateOnly), EndsOn: priced.Arrives.Format(time.DateOnly),
		Quantity: party.Adults + party.Children, TotalMinor: priced.Total.Minor, Currency: priced.Total.Currency,
		CancelFeeMinor: flightCancelFee(priced.Total.Minor, o.Cabin),
		Details: detailsJSON(map[string]any{"offer": o, "party": party,
			"departs": priced.Departs.Format(time.RFC3339), "arrives": priced.Arrives.Format(time.RFC3339)})}
	return offerQuote{booking: b}, priced, nil
}

// placeFlightOrder sends a pending booking's order to the airline and
// records the answer: confirmed with the record locator, or failed with
// the reason. The order is placed outside any transaction (a slow provider
// must not hold a database connection); a crash between the two leaves
// the booking pending with no order, which nobody was charged for.
func (s *Service) placeFlightOrder(ctx context.Context, b model.Booking, priced search.PricedFlight, travelers []model.Traveler) (model.Booking, error) {
	passengers := make([]search.Passenger, len(travelers))
	for i, t := range travelers {
		dob, _ := catalog.ParseDate(t.DateOfBirth)
		passengers[i] = search.Passenger{GivenNames: t.GivenNames, FamilyName: t.FamilyName, DateOfBirth: dob,
			Gender: map[string]string{"female": "FEMALE", "male": "MALE"}[t.Gender]}
	}
	orderID, pnr, err := s.Search.FlightOrders().Order(ctx, priced, passengers)
	now := s.now()
	b.UpdatedAt = now
	if err != nil {
		s.Log.WarnContext(ctx, "flight order failed", "booking_id", b.ID, "err", err)
		b.State = model.BookingFailed
		b.Failure = "the airline did not confirm the booking; nothing was charged. Try again or choose another flight"
		if e, ok := apperr.As(err); ok && e.Code != apperr.Internal {
			b.Failure = "the airline did not confirm the booking: " + e.Message
		}
	} else {
		b.State, b.ProviderRef, b.ConfirmationCode, b.ConfirmedAt = model.BookingConfirmed, orderID, pnr, &now
	}
	err = s.Store.InTx(ctx, func(tx *store.Queries) error {
		if err := tx.FinishBooking(ctx, b); err != nil {
			return err
		}
		if b.State != model.BookingConfirmed {
			return nil
		}
		return s.mailConfirmation(ctx, tx, b)
	})
	if err != nil {
		// The airline holds an order the database does not know about:
		// say so loudly with what is needed to reconcile it.
		s.Log.ErrorContext(ctx, "flight order placed but not recorded", "booking_id", b.ID, "order_id", orderID, "err", err)
		return b, err
	}
	return b, nil
}

// cancelProviderOrder cancels the provider's side of a booking first, so a
// booking is never shown cancelled while the airline still holds it.
func (s *Service) cancelProviderOrder(ctx context.Context, b model.Booking) error {
	if b.Provider != ProviderAmadeus || b.State != model.BookingConfirmed {
		return nil
	}
	fo := s.Search.FlightOrders()
	if fo == nil {
		return apperr.New(apperr.Unavailable, "this booking was made with Amadeus, which is not configured here")
	}
	return fo.CancelOrder(ctx, b.ProviderRef)
}

package search

import (
	"context"
	"strconv"
	"strings"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/money"
	"pathavana/internal/provider/amadeus"
	"pathavana/internal/search/flights"
)

// PricedFlight is an itinerary Amadeus confirmed a price for, ready to
// order. Offer is opaque to callers: it goes back to Order unchanged.
type PricedFlight struct {
	Offer            amadeus.FlightOffer
	Total            money.Money
	Departs, Arrives time.Time // first departure, last arrival, local
}

// Passenger is a traveler as an airline order needs them. It holds
// personal data: never log it.
type Passenger struct {
	GivenNames, FamilyName string
	DateOfBirth            catalog.Date
	Gender                 string // MALE, FEMALE, or empty
	Email                  string
}

// FlightOrders prices and orders flight itineraries with a provider.
type FlightOrders interface {
	Name() string
	PriceItinerary(ctx context.Context, segs []flights.SegmentRef, cabin catalog.Cabin, pax flights.Passengers) (PricedFlight, error)
	Order(ctx context.Context, f PricedFlight, travelers []Passenger) (orderID, pnr string, err error)
	CancelOrder(ctx context.Context, orderID string) error
}

// PriceItinerary finds the chosen flights among today's Amadeus offers
// (offers must be sent back "unchanged from search", so the itinerary is
// searched again) and confirms their price with Flight Offers Price.
func (a *AmadeusFlights) PriceItinerary(ctx context.Context, segs []flights.SegmentRef, cabin catalog.Cabin, pax flights.Passengers) (PricedFlight, error) {
	if len(segs) == 0 || len(segs) > 3 {
		return PricedFlight{}, apperr.New(apperr.Invalid, "an Amadeus itinerary is one way with 1 to 3 flights")
	}
	first, last := segs[0], segs[len(segs)-1]
	offers, err := a.Client.SearchFlightOffers(ctx, amadeus.FlightSearch{Origin: first.From, Destination: last.To,
		DepartureDate: amadeus.DateOf(first.Date.Time), Adults: max(pax.Adults, 1), Children: pax.Children, Infants: pax.Infants,
		TravelClass: amadeusCabins[cabin], NonStop: len(segs) == 1, Currency: "USD", Max: 250})
	if err != nil {
		return PricedFlight{}, err
	}
	var match *amadeus.FlightOffer
	for i, o := range offers.Offers {
		if len(o.Itineraries) == 1 && a.sameFlights(o.Itineraries[0].Segments, segs) {
			match = &offers.Offers[i]
			break
		}
	}
	if match == nil {
		return PricedFlight{}, apperr.New(apperr.NotFound, "Amadeus no longer offers %s on %s", flightNames(segs), first.Date)
	}
	priced, err := a.Client.PriceFlightOffers(ctx, []amadeus.FlightOffer{*match})
	if err != nil {
		return PricedFlight{}, err
	}
	if len(priced.Offers) != 1 || len(priced.Offers[0].Itineraries) != 1 {
		return PricedFlight{}, apperr.New(apperr.Unavailable, "Amadeus priced an unexpected offer; try again")
	}
	o := priced.Offers[0]
	total := o.Price.GrandTotal
	if total.IsZero() {
		total = o.Price.Total
	}
	sg := o.Itineraries[0].Segments
	return PricedFlight{Offer: o, Total: total, Departs: a.segment(sg[0]).Departs, Arrives: a.segment(sg[len(sg)-1]).Arrives}, nil
}

func (a *AmadeusFlights) sameFlights(got []amadeus.Segment, want []flights.SegmentRef) bool {
	if len(got) != len(want) {
		return false
	}
	for i, sg := range got {
		s := a.segment(sg)
		if s.Flight.Number != want[i].Number || s.Flight.From != want[i].From || s.Flight.To != want[i].To ||
			s.Departs.Format(time.DateOnly) != want[i].Date.String() {
			return false
		}
	}
	return true
}

func flightNames(segs []flights.SegmentRef) string {
	names := make([]string, len(segs))
	for i, s := range segs {
		names[i] = s.Number
	}
	return strings.Join(names, ", ")
}

// Order creates the flight order for the travelers, in the offer's
// traveler order (adults, then children, then infants).
func (a *AmadeusFlights) Order(ctx context.Context, f PricedFlight, travelers []Passenger) (string, string, error) {
	ts := make([]amadeus.Traveler, len(travelers))
	for i, p := range travelers {
		// Amadeus numbers travelers as the offer's travelerPricings do.
		ts[i] = amadeus.Traveler{ID: strconv.Itoa(i + 1), DateOfBirth: amadeus.DateOf(p.DateOfBirth.Time), Gender: p.Gender,
			Name: amadeus.Name{FirstName: strings.ToUpper(p.GivenNames), LastName: strings.ToUpper(p.FamilyName)}}
		if p.Email != "" {
			ts[i].Contact = &amadeus.Contact{EmailAddress: p.Email}
		}
	}
	order, err := a.Client.CreateFlightOrder(ctx, amadeus.FlightOrderRequest{Offers: []amadeus.FlightOffer{f.Offer}, Travelers: ts})
	if err != nil {
		return "", "", err
	}
	return order.ID, order.PNR(), nil
}

// CancelOrder deletes the flight order.
func (a *AmadeusFlights) CancelOrder(ctx context.Context, orderID string) error {
	return a.Client.DeleteFlightOrder(ctx, orderID)
}

// FlightOrders is the configured flight provider when it can take orders;
// nil when flights are booked from the catalog only.
func (s *Searcher) FlightOrders() FlightOrders {
	fo, _ := s.providers.Flights.(FlightOrders)
	return fo
}

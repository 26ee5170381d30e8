package search

import (
	"context"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
	"pathavana/internal/provider/amadeus"
	"pathavana/internal/search/flights"
)

// AmadeusFlights answers flight searches with Amadeus Self-Service flight
// offers. It covers one-way and round trips on exact dates from one airport
// to one airport; anything else is UnsupportedError, so the catalog answers.
type AmadeusFlights struct {
	Client *amadeus.Client
	// Zone returns an airport's time zone (Amadeus gives local wall times
	// only); unknown airports are read as UTC.
	Zone func(iata string) *time.Location
}

func (a *AmadeusFlights) Name() string { return "amadeus" }

var amadeusCabins = map[catalog.Cabin]amadeus.TravelClass{
	"": amadeus.Economy, catalog.Economy: amadeus.Economy, catalog.PremiumEconomy: amadeus.PremiumEconomy,
	catalog.Business: amadeus.Business, catalog.First: amadeus.First,
}

// SearchFlights runs the query against Amadeus and converts the offers.
func (a *AmadeusFlights) SearchFlights(ctx context.Context, q flights.Query) ([]flights.Itinerary, error) {
	s, err := amadeusSearch(q)
	if err != nil {
		return nil, err
	}
	offers, err := a.Client.SearchFlightOffers(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]flights.Itinerary, 0, len(offers.Offers))
	for _, o := range offers.Offers {
		if it, ok := a.itinerary(o, q); ok {
			out = append(out, it)
		}
		if len(out) == limitOf(q) {
			break
		}
	}
	return out, nil
}

func limitOf(q flights.Query) int {
	if q.Limit <= 0 {
		return flights.DefaultLimit
	}
	return min(q.Limit, flights.MaxLimit)
}

// amadeusSearch maps what Amadeus's GET flight-offers can express.
func amadeusSearch(q flights.Query) (amadeus.FlightSearch, error) {
	n := len(q.Slices)
	if n == 0 || n > 2 {
		return amadeus.FlightSearch{}, &UnsupportedError{What: "multi-city trips"}
	}
	first := q.Slices[0]
	for _, sl := range q.Slices {
		if len(sl.From) == 0 || len(sl.To) == 0 {
			return amadeus.FlightSearch{}, &UnsupportedError{What: "a slice without airports"}
		}
		if sl.DateFlex > 0 {
			return amadeus.FlightSearch{}, &UnsupportedError{What: "flexible dates"}
		}
	}
	s := amadeus.FlightSearch{
		Origin: first.From[0], Destination: first.To[0],
		DepartureDate: amadeus.DateOf(first.Date.Time),
		Adults:        max(q.Passengers.Adults, 1), Children: q.Passengers.Children, Infants: q.Passengers.Infants,
		TravelClass:      amadeusCabins[q.Cabin],
		IncludedAirlines: q.Airlines, ExcludedAirlines: q.ExcludeAirlines,
		NonStop:  q.MaxStops == 0,
		Currency: "USD",
		Max:      min(limitOf(q)*3, 250), // extra room for the filters below
	}
	if n == 2 {
		back := q.Slices[1]
		if back.From[0] != first.To[0] || back.To[0] != first.From[0] {
			return amadeus.FlightSearch{}, &UnsupportedError{What: "open-jaw trips"}
		}
		s.ReturnDate = amadeus.DateOf(back.Date.Time)
	}
	return s, nil
}

// itinerary converts one offer, applying the filters Amadeus cannot.
func (a *AmadeusFlights) itinerary(o amadeus.FlightOffer, q flights.Query) (flights.Itinerary, bool) {
	it := flights.Itinerary{Cabin: q.Cabin, Price: o.Price.GrandTotal, PerAdult: o.Price.GrandTotal}
	if it.Cabin == "" {
		it.Cabin = catalog.Economy
	}
	if it.Price.IsZero() {
		it.Price = o.Price.Total
	}
	for _, tp := range o.TravelerPricings {
		if tp.TravelerType == "ADULT" {
			it.PerAdult = tp.Total
			break
		}
	}
	if len(o.Itineraries) != len(q.Slices) {
		return it, false
	}
	for _, ai := range o.Itineraries {
		leg := flights.Leg{Stops: ai.Connections()}
		for _, sg := range ai.Segments {
			leg.Segments = append(leg.Segments, a.segment(sg))
		}
		if len(leg.Segments) == 0 || leg.Stops > q.MaxStops {
			return it, false
		}
		leg.Duration = leg.Segments[len(leg.Segments)-1].Arrives.Sub(leg.Segments[0].Departs)
		if q.MaxDuration > 0 && leg.Duration > q.MaxDuration {
			return it, false
		}
		if !inWindow(leg.Segments[0].Flight.Departs, q.DepartAfter, q.DepartBefore) {
			return it, false
		}
		if q.NoRedEye && hasRedEye(leg) {
			return it, false
		}
		it.Legs = append(it.Legs, leg)
	}
	return it, true
}

func (a *AmadeusFlights) zone(iata string) *time.Location {
	if a.Zone != nil {
		if loc := a.Zone(iata); loc != nil {
			return loc
		}
	}
	return time.UTC
}

func (a *AmadeusFlights) segment(sg amadeus.Segment) flights.Segment {
	dep := sg.Departure.At.In(a.zone(sg.Departure.IATACode))
	arr := sg.Arrival.At.In(a.zone(sg.Arrival.IATACode))
	depDay := time.Date(dep.Year(), dep.Month(), dep.Day(), 0, 0, 0, 0, time.UTC)
	arrDay := time.Date(arr.Year(), arr.Month(), arr.Day(), 0, 0, 0, 0, time.UTC)
	f := &catalog.Flight{
		Carrier: sg.CarrierCode, Number: sg.CarrierCode + sg.Number,
		From: sg.Departure.IATACode, To: sg.Arrival.IATACode,
		Departs:    catalog.Clock(dep.Hour()*60 + dep.Minute()),
		Arrives:    catalog.Clock(arr.Hour()*60 + arr.Minute()),
		ArrivalDay: int(arrDay.Sub(depDay).Hours() / 24),
		ValidFrom:  catalog.Date{Time: depDay}, ValidTo: catalog.Date{Time: depDay},
		Fares:    map[catalog.Cabin]money.Money{},
		Aircraft: sg.AircraftCode,
	}
	return flights.Segment{Flight: f, Departs: dep, Arrives: arr}
}

func inWindow(c, after, before catalog.Clock) bool {
	if after == 0 && before == 0 {
		return true
	}
	if before == 0 {
		before = 24 * 60
	}
	return c >= after && c <= before
}

// hasRedEye: a segment leaving 22:00–04:59 local that lands on a later
// local date, the same rule as the catalog search.
func hasRedEye(l flights.Leg) bool {
	for _, s := range l.Segments {
		d := s.Flight.Departs
		if (d >= 22*60 || d < 5*60) && s.Flight.ArrivalDay > 0 {
			return true
		}
	}
	return false
}

package amadeus

import (
	"encoding/json"
	"fmt"
	"time"

	"pathavana/internal/money"
)

type jsonRaw = json.RawMessage

// FlightOffers is the answer of a flight search.
type FlightOffers struct {
	Offers       []FlightOffer
	Dictionaries Dictionaries
}

// FlightOffer is one bookable combination of itineraries and fares.
type FlightOffer struct {
	ID                 string
	Source             string
	OneWay             bool
	LastTicketingDate  Date
	BookableSeats      int
	Itineraries        []Itinerary
	Price              OfferPrice
	ValidatingAirlines []string
	TravelerPricings   []TravelerPricing
	// Raw is the offer exactly as Amadeus sent it. Pricing and booking
	// require the offer "copied unchanged from search", including fields
	// this client does not model, so it is kept and sent back verbatim.
	Raw json.RawMessage
}

// Itinerary is one direction of travel (outbound, return).
type Itinerary struct {
	Duration time.Duration
	Segments []Segment
}

// Connections is the number of changes of aircraft: len(segments)-1.
// NumberOfStops on a segment counts technical stops, not connections.
func (it Itinerary) Connections() int { return max(len(it.Segments)-1, 0) }

// Segment is one flight.
type Segment struct {
	ID                 string
	Departure, Arrival Endpoint
	CarrierCode        string
	Number             string
	AircraftCode       string
	OperatingCarrier   string
	Duration           time.Duration
	NumberOfStops      int // technical stops within this flight
}

// Endpoint is where and when a segment leaves or arrives. At is the
// airport's local wall time: combine it with the airport's zone.
type Endpoint struct {
	IATACode string
	Terminal string
	At       LocalDateTime
}

// OfferPrice is the price for all travellers of an offer.
type OfferPrice struct {
	Total, Base, GrandTotal money.Money
	Fees                    []Fee
}

// Fee is one fee line of a price.
type Fee struct {
	Amount money.Money
	Type   string
}

// TravelerPricing is one traveller's share of an offer.
type TravelerPricing struct {
	TravelerID   string
	FareOption   string
	TravelerType string // ADULT, CHILD, HELD_INFANT, …
	Total, Base  money.Money
	Segments     []FareDetail
}

// FareDetail is the fare of one traveller on one segment.
type FareDetail struct {
	SegmentID, Cabin, FareBasis, Class string
	CheckedBags                        *Bags
}

// Bags is the free checked-baggage allowance: a count or a weight.
type Bags struct {
	Quantity   int
	Weight     int
	WeightUnit string
}

// Dictionaries resolve the codes used in offers to names.
type Dictionaries struct {
	Locations  map[string]DictLocation
	Aircraft   map[string]string
	Currencies map[string]string
	Carriers   map[string]string
}

// DictLocation is the city and country of an airport code.
type DictLocation struct{ CityCode, CountryCode string }

type wireDictionaries struct {
	Locations map[string]struct {
		CityCode    string `json:"cityCode"`
		CountryCode string `json:"countryCode"`
	} `json:"locations"`
	Aircraft   map[string]string `json:"aircraft"`
	Currencies map[string]string `json:"currencies"`
	Carriers   map[string]string `json:"carriers"`
}

func (w wireDictionaries) convert() Dictionaries {
	d := Dictionaries{Aircraft: w.Aircraft, Currencies: w.Currencies, Carriers: w.Carriers,
		Locations: make(map[string]DictLocation, len(w.Locations))}
	for k, v := range w.Locations {
		d.Locations[k] = DictLocation{CityCode: v.CityCode, CountryCode: v.CountryCode}
	}
	return d
}

type wirePrice struct {
	Currency   string `json:"currency"`
	Total      string `json:"total"`
	Base       string `json:"base"`
	GrandTotal string `json:"grandTotal"`
	Fees       []struct {
		Amount string `json:"amount"`
		Type   string `json:"type"`
	} `json:"fees"`
}

type wireEndpoint struct {
	IATACode string        `json:"iataCode"`
	Terminal string        `json:"terminal"`
	At       LocalDateTime `json:"at"`
}

type wireOffer struct {
	ID                string `json:"id"`
	Source            string `json:"source"`
	OneWay            bool   `json:"oneWay"`
	LastTicketingDate string `json:"lastTicketingDate"`
	Seats             int    `json:"numberOfBookableSeats"`
	Itineraries       []struct {
		Duration string `json:"duration"`
		Segments []struct {
			ID          string       `json:"id"`
			Departure   wireEndpoint `json:"departure"`
			Arrival     wireEndpoint `json:"arrival"`
			CarrierCode string       `json:"carrierCode"`
			Number      string       `json:"number"`
			Aircraft    struct {
				Code string `json:"code"`
			} `json:"aircraft"`
			Operating struct {
				CarrierCode string `json:"carrierCode"`
			} `json:"operating"`
			Duration      string `json:"duration"`
			NumberOfStops int    `json:"numberOfStops"`
		} `json:"segments"`
	} `json:"itineraries"`
	Price              wirePrice `json:"price"`
	ValidatingAirlines []string  `json:"validatingAirlineCodes"`
	TravelerPricings   []struct {
		TravelerID   string    `json:"travelerId"`
		FareOption   string    `json:"fareOption"`
		TravelerType string    `json:"travelerType"`
		Price        wirePrice `json:"price"`
		FareDetails  []struct {
			SegmentID   string `json:"segmentId"`
			Cabin       string `json:"cabin"`
			FareBasis   string `json:"fareBasis"`
			Class       string `json:"class"`
			CheckedBags *struct {
				Quantity   int    `json:"quantity"`
				Weight     int    `json:"weight"`
				WeightUnit string `json:"weightUnit"`
			} `json:"includedCheckedBags"`
		} `json:"fareDetailsBySegment"`
	} `json:"travelerPricings"`
}

// convertOffers decodes each raw offer and keeps its bytes in Raw.
func convertOffers(raws []jsonRaw) ([]FlightOffer, error) {
	out := make([]FlightOffer, 0, len(raws))
	for i, raw := range raws {
		o, err := convertOffer(raw)
		if err != nil {
			return nil, fmt.Errorf("offer %d: %w", i, err)
		}
		out = append(out, o)
	}
	return out, nil
}

func convertOffer(raw jsonRaw) (FlightOffer, error) {
	var w wireOffer
	if err := json.Unmarshal(raw, &w); err != nil {
		return FlightOffer{}, err
	}
	o := FlightOffer{ID: w.ID, Source: w.Source, OneWay: w.OneWay, BookableSeats: w.Seats,
		ValidatingAirlines: w.ValidatingAirlines, Raw: append(json.RawMessage(nil), raw...)}
	var err error
	if w.LastTicketingDate != "" {
		if o.LastTicketingDate, err = ParseDate(w.LastTicketingDate); err != nil {
			return o, err
		}
	}
	for i, wi := range w.Itineraries {
		it := Itinerary{}
		if it.Duration, err = optDuration(fmt.Sprintf("itineraries[%d].duration", i), wi.Duration); err != nil {
			return o, err
		}
		for _, ws := range wi.Segments {
			s := Segment{ID: ws.ID, CarrierCode: ws.CarrierCode, Number: ws.Number, AircraftCode: ws.Aircraft.Code,
				OperatingCarrier: ws.Operating.CarrierCode, NumberOfStops: ws.NumberOfStops,
				Departure: Endpoint(ws.Departure), Arrival: Endpoint(ws.Arrival)}
			if s.Duration, err = optDuration("segment "+ws.ID+" duration", ws.Duration); err != nil {
				return o, err
			}
			it.Segments = append(it.Segments, s)
		}
		o.Itineraries = append(o.Itineraries, it)
	}
	if o.Price, err = w.Price.convert("price"); err != nil {
		return o, err
	}
	for _, wt := range w.TravelerPricings {
		tp := TravelerPricing{TravelerID: wt.TravelerID, FareOption: wt.FareOption, TravelerType: wt.TravelerType}
		if tp.Total, err = price("travelerPricings.price.total", wt.Price.Total, wt.Price.Currency); err != nil {
			return o, err
		}
		if tp.Base, err = optZero("travelerPricings.price.base", wt.Price.Base, wt.Price.Currency); err != nil {
			return o, err
		}
		for _, fd := range wt.FareDetails {
			d := FareDetail{SegmentID: fd.SegmentID, Cabin: fd.Cabin, FareBasis: fd.FareBasis, Class: fd.Class}
			if fd.CheckedBags != nil {
				d.CheckedBags = &Bags{Quantity: fd.CheckedBags.Quantity, Weight: fd.CheckedBags.Weight, WeightUnit: fd.CheckedBags.WeightUnit}
			}
			tp.Segments = append(tp.Segments, d)
		}
		o.TravelerPricings = append(o.TravelerPricings, tp)
	}
	return o, nil
}

func (w wirePrice) convert(field string) (OfferPrice, error) {
	var p OfferPrice
	var err error
	if p.Total, err = price(field+".total", w.Total, w.Currency); err != nil {
		return p, err
	}
	if p.Base, err = optZero(field+".base", w.Base, w.Currency); err != nil {
		return p, err
	}
	gt := w.GrandTotal
	if gt == "" {
		gt = w.Total
	}
	if p.GrandTotal, err = price(field+".grandTotal", gt, w.Currency); err != nil {
		return p, err
	}
	for _, f := range w.Fees {
		m, err := price(field+".fees.amount", f.Amount, w.Currency)
		if err != nil {
			return p, err
		}
		p.Fees = append(p.Fees, Fee{Amount: m, Type: f.Type})
	}
	return p, nil
}

// optZero parses an amount that may be absent as zero in that currency.
func optZero(field, amount, currency string) (money.Money, error) {
	if amount == "" {
		amount = "0"
	}
	return price(field, amount, currency)
}

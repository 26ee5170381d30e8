package amadeusfake

import (
	"slices"
	"strconv"
	"time"
)

// The JSON shapes of a flight offer, as Flight Offers Search sends them.
type (
	jOffer struct {
		Type                     string   `json:"type"`
		ID                       string   `json:"id"`
		Source                   string   `json:"source"`
		InstantTicketingRequired bool     `json:"instantTicketingRequired"`
		NonHomogeneous           bool     `json:"nonHomogeneous"`
		OneWay                   bool     `json:"oneWay"`
		LastTicketingDate        string   `json:"lastTicketingDate"`
		NumberOfBookableSeats    int      `json:"numberOfBookableSeats"`
		Itineraries              []jItin  `json:"itineraries"`
		Price                    jPrice   `json:"price"`
		PricingOptions           jOptions `json:"pricingOptions"`
		ValidatingAirlineCodes   []string `json:"validatingAirlineCodes"`
		TravelerPricings         []jTP    `json:"travelerPricings"`
	}
	jItin struct {
		Duration string `json:"duration"`
		Segments []jSeg `json:"segments"`
	}
	jSeg struct {
		Departure     jPoint            `json:"departure"`
		Arrival       jPoint            `json:"arrival"`
		CarrierCode   string            `json:"carrierCode"`
		Number        string            `json:"number"`
		Aircraft      map[string]string `json:"aircraft"`
		Operating     map[string]string `json:"operating"`
		Duration      string            `json:"duration"`
		ID            string            `json:"id"`
		NumberOfStops int               `json:"numberOfStops"`
	}
	jPoint struct {
		IATACode string `json:"iataCode"`
		Terminal string `json:"terminal,omitempty"`
		At       string `json:"at"`
	}
	jPrice struct {
		Currency   string `json:"currency"`
		Total      string `json:"total"`
		Base       string `json:"base"`
		Fees       []jFee `json:"fees,omitempty"`
		GrandTotal string `json:"grandTotal,omitempty"`
	}
	jFee struct {
		Amount string `json:"amount"`
		Type   string `json:"type"`
	}
	jOptions struct {
		FareType                []string `json:"fareType"`
		IncludedCheckedBagsOnly bool     `json:"includedCheckedBagsOnly"`
	}
	jTP struct {
		TravelerID   string    `json:"travelerId"`
		FareOption   string    `json:"fareOption"`
		TravelerType string    `json:"travelerType"`
		Price        jPrice    `json:"price"`
		FareDetails  []jDetail `json:"fareDetailsBySegment"`
	}
	jDetail struct {
		SegmentID   string         `json:"segmentId"`
		Cabin       string         `json:"cabin"`
		FareBasis   string         `json:"fareBasis"`
		Class       string         `json:"class"`
		CheckedBags map[string]any `json:"includedCheckedBags"`
	}
)

// offersFor builds the offers of a search: every matching outbound
// itinerary, each combined with the first matching return for round trips.
// The same search always gives the same offers with the same IDs.
func (s *Server) offersFor(sr search) []jOffer {
	matches := func(from, to string) []itin {
		var out []itin
		for _, it := range flightInventory() {
			if (it.from() == from || cityOf(it.from()) == from) && (it.to() == to || cityOf(it.to()) == to) &&
				(!sr.nonStop || len(it.segs) == 1) && carriersAllowed(it, sr) {
				out = append(out, it)
			}
		}
		return out
	}
	var back []itin
	if !sr.ret.IsZero() {
		if back = matches(sr.dest, sr.origin); len(back) == 0 {
			return nil
		}
	}
	rate, _ := minorPerEuro(sr.currency)
	multiplier := map[string]int64{"": 100, "ECONOMY": 100, "PREMIUM_ECONOMY": 150, "BUSINESS": 300, "FIRST": 500}[sr.cabin]
	cabin := sr.cabin
	if cabin == "" {
		cabin = "ECONOMY"
	}
	var offers []jOffer
	for _, out := range matches(sr.origin, sr.dest) {
		legs := []dated{{out, sr.dep}}
		fare, base := out.fare, out.base
		if len(back) > 0 {
			legs = append(legs, dated{back[0], sr.ret})
			fare, base = fare+back[0].fare, base+back[0].base
		}
		conv := func(cents int64) int64 { return cents * multiplier / 100 * rate / 100 }
		adultTotal := conv(fare)
		if sr.maxPrice > 0 && adultTotal > sr.maxPrice*exponentUnit(sr.currency) {
			continue
		}
		o := jOffer{Type: "flight-offer", ID: strconv.Itoa(len(offers) + 1), Source: "GDS", OneWay: len(back) == 0,
			LastTicketingDate: sr.dep.Format(time.DateOnly), NumberOfBookableSeats: 9,
			PricingOptions: jOptions{FareType: []string{"PUBLISHED"}, IncludedCheckedBagsOnly: true}}
		var segIDs []string
		for _, l := range legs {
			ji := jItin{Duration: l.it.dur}
			for _, sg := range l.it.segs {
				id := strconv.Itoa(len(segIDs) + 1)
				segIDs = append(segIDs, id)
				ji.Segments = append(ji.Segments, jSeg{
					Departure:   jPoint{IATACode: sg.from, Terminal: sg.terminal, At: at(l.day, sg.depDays, sg.dep)},
					Arrival:     jPoint{IATACode: sg.to, At: at(l.day, sg.arrDays, sg.arr)},
					CarrierCode: sg.carrier, Number: sg.number, Aircraft: map[string]string{"code": sg.aircraft},
					Operating: map[string]string{"carrierCode": sg.carrier}, Duration: sg.dur, ID: id})
			}
			o.Itineraries = append(o.Itineraries, ji)
		}
		o.ValidatingAirlineCodes = []string{out.segs[0].carrier}
		var total, totalBase int64
		pax := []struct {
			kind    string
			n       int
			percent int64
		}{{"ADULT", sr.adults, 100}, {"CHILD", sr.children, 75}, {"HELD_INFANT", sr.infant, 10}}
		for _, p := range pax {
			t, b := conv(fare)*p.percent/100, conv(base)*p.percent/100
			for range p.n {
				tp := jTP{TravelerID: strconv.Itoa(len(o.TravelerPricings) + 1), FareOption: "STANDARD", TravelerType: p.kind,
					Price: jPrice{Currency: sr.currency, Total: amount(t, sr.currency), Base: amount(b, sr.currency)}}
				for _, id := range segIDs {
					tp.FareDetails = append(tp.FareDetails, jDetail{SegmentID: id, Cabin: cabin, FareBasis: "EOBAU", Class: "E",
						CheckedBags: map[string]any{"weight": 25, "weightUnit": "KG"}})
				}
				o.TravelerPricings = append(o.TravelerPricings, tp)
				total, totalBase = total+t, totalBase+b
			}
		}
		zero := amount(0, sr.currency)
		o.Price = jPrice{Currency: sr.currency, Total: amount(total, sr.currency), Base: amount(totalBase, sr.currency),
			Fees: []jFee{{zero, "SUPPLIER"}, {zero, "TICKETING"}}, GrandTotal: amount(total, sr.currency)}
		offers = append(offers, o)
		if sr.max > 0 && len(offers) == sr.max {
			break
		}
	}
	return offers
}

type dated struct {
	it  itin
	day time.Time
}

func carriersAllowed(it itin, sr search) bool {
	for _, sg := range it.segs {
		if len(sr.included) > 0 && !slices.Contains(sr.included, sg.carrier) || slices.Contains(sr.excluded, sg.carrier) {
			return false
		}
	}
	return true
}

// at formats a local wall time: no offset, as Amadeus sends "at".
func at(day time.Time, plusDays int, hhmm string) string {
	return day.AddDate(0, 0, plusDays).Format(time.DateOnly) + "T" + hhmm + ":00"
}

func exponentUnit(currency string) int64 {
	switch currency {
	case "JPY":
		return 1
	case "KWD":
		return 1000
	}
	return 100
}

// dictionaries names every code the offers use.
func dictionaries(offers []jOffer) map[string]any {
	locations := map[string]map[string]string{}
	aircraft, carriers, currencies := map[string]string{}, map[string]string{}, map[string]string{}
	for _, o := range offers {
		currencies[o.Price.Currency] = currencyName(o.Price.Currency)
		for _, it := range o.Itineraries {
			for _, sg := range it.Segments {
				for _, code := range []string{sg.Departure.IATACode, sg.Arrival.IATACode} {
					locations[code] = map[string]string{"cityCode": cityOf(code), "countryCode": countryOf(code)}
				}
				aircraft[sg.Aircraft["code"]] = aircraftName(sg.Aircraft["code"])
				carriers[sg.CarrierCode] = carrierName(sg.CarrierCode)
			}
		}
	}
	return map[string]any{"locations": locations, "aircraft": aircraft, "currencies": currencies, "carriers": carriers}
}

package amadeus

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pathavana/internal/apperr"
)

// TravelClass is a cabin for the whole search.
type TravelClass string

// Cabins accepted by travelClass.
const (
	Economy        TravelClass = "ECONOMY"
	PremiumEconomy TravelClass = "PREMIUM_ECONOMY"
	Business       TravelClass = "BUSINESS"
	First          TravelClass = "FIRST"
)

// FlightSearch holds the parameters of GET /v2/shopping/flight-offers.
// Zero values mean "not sent", so Amadeus applies its defaults.
type FlightSearch struct {
	Origin, Destination string // IATA airport or city codes
	DepartureDate       Date
	ReturnDate          Date // zero for one-way; set → only round trips
	Adults              int  // 1–9
	Children            int  // seated, count towards the 9
	Infants             int  // on a lap: at most one per adult
	TravelClass         TravelClass
	IncludedAirlines    []string // IATA carrier codes; not with ExcludedAirlines
	ExcludedAirlines    []string
	NonStop             bool
	Currency            string // ISO 4217 for the prices; empty = provider default
	MaxPrice            int    // whole units per traveller; 0 = no limit
	Max                 int    // offers to return, 1–250; 0 = Amadeus default (250)
}

// Validate checks what Amadeus would reject, so a bad search fails fast
// with field errors instead of costing a request and a 400. Field names are
// the Amadeus parameter names. Past dates are left to Amadeus (error 425),
// since "today" depends on the origin's time zone.
func (s FlightSearch) Validate() error {
	var fe []apperr.FieldError
	bad := func(field, msg string) { fe = append(fe, apperr.FieldError{Field: field, Message: msg}) }
	if !upperCode(s.Origin, 3, false) {
		bad("originLocationCode", "must be a 3-letter IATA code")
	}
	if !upperCode(s.Destination, 3, false) {
		bad("destinationLocationCode", "must be a 3-letter IATA code")
	}
	if s.Origin != "" && s.Origin == s.Destination {
		bad("destinationLocationCode", "must differ from the origin")
	}
	if !s.DepartureDate.valid() {
		bad("departureDate", "is required and must be a real date")
	}
	if !s.ReturnDate.IsZero() && (!s.ReturnDate.valid() || s.ReturnDate.Compare(s.DepartureDate) < 0) {
		bad("returnDate", "must be a real date on or after the departure date")
	}
	switch {
	case s.Adults < 1 || s.Adults > 9:
		bad("adults", "must be between 1 and 9")
	case s.Children < 0 || s.Infants < 0:
		bad("children", "children and infants cannot be negative")
	case s.Infants > s.Adults:
		bad("infants", "cannot exceed the number of adults")
	case s.Adults+s.Children > 9:
		bad("children", "at most 9 seated travellers (adults + children)")
	}
	switch s.TravelClass {
	case "", Economy, PremiumEconomy, Business, First:
	default:
		bad("travelClass", "must be ECONOMY, PREMIUM_ECONOMY, BUSINESS or FIRST")
	}
	if len(s.IncludedAirlines) > 0 && len(s.ExcludedAirlines) > 0 {
		bad("includedAirlineCodes", "cannot be combined with excludedAirlineCodes")
	}
	airlines := func(field string, list []string) {
		for _, a := range list {
			if !upperCode(a, 2, true) {
				bad(field, "airline codes are 2 upper-case letters or digits: "+a)
			}
		}
	}
	airlines("includedAirlineCodes", s.IncludedAirlines)
	airlines("excludedAirlineCodes", s.ExcludedAirlines)
	if s.Currency != "" && !upperCode(s.Currency, 3, false) {
		bad("currencyCode", "must be an ISO 4217 code")
	}
	if s.MaxPrice < 0 {
		bad("maxPrice", "cannot be negative")
	}
	if s.Max < 0 || s.Max > 250 {
		bad("max", "must be between 1 and 250")
	}
	if len(fe) > 0 {
		return apperr.Validation(fe...)
	}
	return nil
}

// query encodes the search as Amadeus' query parameters.
func (s FlightSearch) query() url.Values {
	q := url.Values{
		"originLocationCode":      {s.Origin},
		"destinationLocationCode": {s.Destination},
		"departureDate":           {s.DepartureDate.String()},
		"adults":                  {strconv.Itoa(s.Adults)},
	}
	if !s.ReturnDate.IsZero() {
		q.Set("returnDate", s.ReturnDate.String())
	}
	setInt := func(k string, v int) {
		if v > 0 {
			q.Set(k, strconv.Itoa(v))
		}
	}
	setInt("children", s.Children)
	setInt("infants", s.Infants)
	setInt("maxPrice", s.MaxPrice)
	setInt("max", s.Max)
	if s.TravelClass != "" {
		q.Set("travelClass", string(s.TravelClass))
	}
	if len(s.IncludedAirlines) > 0 {
		q.Set("includedAirlineCodes", strings.Join(s.IncludedAirlines, ","))
	}
	if len(s.ExcludedAirlines) > 0 {
		q.Set("excludedAirlineCodes", strings.Join(s.ExcludedAirlines, ","))
	}
	if s.NonStop {
		q.Set("nonStop", "true")
	}
	if s.Currency != "" {
		q.Set("currencyCode", s.Currency)
	}
	return q
}

// SearchFlightOffers runs GET /v2/shopping/flight-offers.
func (c *Client) SearchFlightOffers(ctx context.Context, s FlightSearch) (*FlightOffers, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	r := request{method: http.MethodGet, path: "/v2/shopping/flight-offers", query: s.query(), idempotent: true}
	var w struct {
		Data         []jsonRaw        `json:"data"`
		Dictionaries wireDictionaries `json:"dictionaries"`
	}
	if err := c.getJSON(ctx, r, &w); err != nil {
		return nil, err
	}
	offers, err := convertOffers(w.Data)
	if err != nil {
		return nil, unusable(r.op(), "bad flight offer", err)
	}
	return &FlightOffers{Offers: offers, Dictionaries: w.Dictionaries.convert()}, nil
}

// upperCode reports whether s is n upper-case ASCII letters (airport, city
// and currency codes) or, with digits, letters and digits (airline codes
// such as "U2" or "6E").
func upperCode(s string, n int, digits bool) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if (s[i] < 'A' || s[i] > 'Z') && (!digits || s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

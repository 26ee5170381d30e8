package amadeus

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"pathavana/internal/apperr"
)

// FlightPricing is the answer of Flight Offers Price: the offers with
// their confirmed (possibly changed) prices, and what booking will need.
type FlightPricing struct {
	Offers                    []FlightOffer
	EmailAddressRequired      bool
	MobilePhoneNumberRequired bool
	Dictionaries              Dictionaries
}

// PriceFlightOffers runs POST /v1/shopping/flight-offers/pricing. The
// offers must come from SearchFlightOffers (their Raw is sent unchanged).
// include takes credit-card-fees, bags, other-services,
// detailed-fare-rules. Show the returned price: it may differ from search.
func (c *Client) PriceFlightOffers(ctx context.Context, offers []FlightOffer, include ...string) (*FlightPricing, error) {
	raws, err := rawOffers(offers)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]any{"data": map[string]any{"type": "flight-offers-pricing", "flightOffers": raws}})
	r := request{method: http.MethodPost, path: "/v1/shopping/flight-offers/pricing", body: body, override: true, idempotent: true}
	if len(include) > 0 {
		r.query = url.Values{"include": {strings.Join(include, ",")}}
	}
	var w struct {
		Data struct {
			FlightOffers        []jsonRaw `json:"flightOffers"`
			BookingRequirements struct {
				Email bool `json:"emailAddressRequired"`
				Phone bool `json:"mobilePhoneNumberRequired"`
			} `json:"bookingRequirements"`
		} `json:"data"`
		Dictionaries wireDictionaries `json:"dictionaries"`
	}
	if err := c.getJSON(ctx, r, &w); err != nil {
		return nil, err
	}
	priced, err := convertOffers(w.Data.FlightOffers)
	if err != nil {
		return nil, unusable(r.op(), "bad priced offer", err)
	}
	return &FlightPricing{Offers: priced, EmailAddressRequired: w.Data.BookingRequirements.Email,
		MobilePhoneNumberRequired: w.Data.BookingRequirements.Phone, Dictionaries: w.Dictionaries.convert()}, nil
}

func rawOffers(offers []FlightOffer) ([]jsonRaw, error) {
	if len(offers) == 0 {
		return nil, apperr.Validation(apperr.FieldError{Field: "flightOffers", Message: "at least one offer is required"})
	}
	raws := make([]jsonRaw, len(offers))
	for i, o := range offers {
		if !json.Valid(o.Raw) {
			return nil, apperr.Validation(apperr.FieldError{Field: "flightOffers",
				Message: "offers must be passed unchanged from a search or pricing result"})
		}
		raws[i] = o.Raw
	}
	return raws, nil
}

// Traveler is a passenger of a flight order, in Amadeus' shape. It holds
// personal data: never log it.
type Traveler struct {
	ID          string     `json:"id"`
	DateOfBirth Date       `json:"dateOfBirth"`
	Gender      string     `json:"gender,omitempty"` // MALE, FEMALE
	Name        Name       `json:"name"`
	Contact     *Contact   `json:"contact,omitempty"`
	Documents   []Document `json:"documents,omitempty"`
}

// Name is a traveller's name as on the travel document.
type Name struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

// Contact is how the airline reaches a traveller.
type Contact struct {
	EmailAddress string  `json:"emailAddress,omitempty"`
	Phones       []Phone `json:"phones,omitempty"`
}

// Phone is a phone number split as Amadeus wants it.
type Phone struct {
	DeviceType         string `json:"deviceType"` // MOBILE, LANDLINE
	CountryCallingCode string `json:"countryCallingCode"`
	Number             string `json:"number"`
}

// Document is a travel document (passport, identity card).
type Document struct {
	DocumentType    string `json:"documentType"`
	Number          string `json:"number"`
	ExpiryDate      *Date  `json:"expiryDate,omitempty"`
	IssuanceCountry string `json:"issuanceCountry,omitempty"`
	Nationality     string `json:"nationality,omitempty"`
	Holder          bool   `json:"holder"`
}

// TicketingAgreement says when the order is ticketed or cancelled.
type TicketingAgreement struct {
	Option string `json:"option"`          // CONFIRM, DELAY_TO_CANCEL
	Delay  string `json:"delay,omitempty"` // e.g. "6D"
}

// FlightOrderRequest is the input of CreateFlightOrder.
type FlightOrderRequest struct {
	Offers             []FlightOffer // priced offers, from PriceFlightOffers
	Travelers          []Traveler
	TicketingAgreement *TicketingAgreement
}

// FlightOrder is a created (test: never ticketed) booking.
type FlightOrder struct {
	// ID is used verbatim in GET/DELETE paths; it may contain "%2f" and "=".
	ID                string
	QueuingOfficeID   string
	AssociatedRecords []AssociatedRecord
	Offers            []FlightOffer
}

// AssociatedRecord links the order to a reservation system record.
type AssociatedRecord struct {
	Reference        string // the PNR / record locator
	OriginSystemCode string
	FlightOfferID    string
	CreationDateTime LocalDateTime
}

// PNR returns the record locator travellers quote to the airline.
func (o *FlightOrder) PNR() string {
	if len(o.AssociatedRecords) == 0 {
		return ""
	}
	return o.AssociatedRecords[0].Reference
}

type wireOrder struct {
	Data struct {
		ID                string    `json:"id"`
		QueuingOfficeID   string    `json:"queuingOfficeId"`
		FlightOffers      []jsonRaw `json:"flightOffers"`
		AssociatedRecords []struct {
			Reference        string        `json:"reference"`
			OriginSystemCode string        `json:"originSystemCode"`
			FlightOfferID    string        `json:"flightOfferId"`
			CreationDateTime LocalDateTime `json:"creationDateTime"`
		} `json:"associatedRecords"`
	} `json:"data"`
}

func (w wireOrder) convert(op string) (*FlightOrder, error) {
	o := &FlightOrder{ID: w.Data.ID, QueuingOfficeID: w.Data.QueuingOfficeID}
	for _, a := range w.Data.AssociatedRecords {
		o.AssociatedRecords = append(o.AssociatedRecords, AssociatedRecord(a))
	}
	offers, err := convertOffers(w.Data.FlightOffers)
	if err != nil {
		return nil, unusable(op, "bad offer in order", err)
	}
	o.Offers = offers
	if o.ID == "" {
		return nil, unusable(op, "order without id", nil)
	}
	return o, nil
}

// CreateFlightOrder runs POST /v1/booking/flight-orders (201). It is not
// retried after a 5xx or a lost connection, since the order may exist;
// look it up or let the user retry knowingly.
func (c *Client) CreateFlightOrder(ctx context.Context, req FlightOrderRequest) (*FlightOrder, error) {
	raws, err := rawOffers(req.Offers)
	if err != nil {
		return nil, err
	}
	if err := validateTravelers(req.Travelers); err != nil {
		return nil, err
	}
	data := map[string]any{"type": "flight-order", "flightOffers": raws, "travelers": req.Travelers}
	if req.TicketingAgreement != nil {
		data["ticketingAgreement"] = req.TicketingAgreement
	}
	body, err := json.Marshal(map[string]any{"data": data})
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the order cannot be encoded")
	}
	r := request{method: http.MethodPost, path: "/v1/booking/flight-orders", body: body}
	var w wireOrder
	if err := c.getJSON(ctx, r, &w); err != nil {
		return nil, err
	}
	return w.convert(r.op())
}

func validateTravelers(ts []Traveler) error {
	if len(ts) == 0 {
		return apperr.Validation(apperr.FieldError{Field: "travelers", Message: "at least one traveller is required"})
	}
	seen := map[string]bool{}
	for i, t := range ts {
		field := fmt.Sprintf("travelers[%d]", i)
		switch {
		case t.ID == "" || seen[t.ID]:
			return apperr.Validation(apperr.FieldError{Field: field + ".id", Message: "must be set and unique"})
		case strings.TrimSpace(t.Name.FirstName) == "" || strings.TrimSpace(t.Name.LastName) == "":
			return apperr.Validation(apperr.FieldError{Field: field + ".name", Message: "first and last name are required"})
		case !t.DateOfBirth.valid():
			return apperr.Validation(apperr.FieldError{Field: field + ".dateOfBirth", Message: "must be a real date"})
		}
		seen[t.ID] = true
	}
	return nil
}

// GetFlightOrder runs GET /v1/booking/flight-orders/{id}.
func (c *Client) GetFlightOrder(ctx context.Context, id string) (*FlightOrder, error) {
	path, err := orderPath(id)
	if err != nil {
		return nil, err
	}
	r := request{method: http.MethodGet, path: path, idempotent: true}
	var w wireOrder
	if err := c.getJSON(ctx, r, &w); err != nil {
		return nil, err
	}
	return w.convert(r.op())
}

// DeleteFlightOrder runs DELETE /v1/booking/flight-orders/{id} (204),
// cancelling an unticketed order. Deleting twice gives NotFound, so it is
// safe to retry.
func (c *Client) DeleteFlightOrder(ctx context.Context, id string) error {
	path, err := orderPath(id)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, request{method: http.MethodDelete, path: path, idempotent: true})
	return err
}

// orderPath puts an order ID into the path exactly as Amadeus issued it.
// IDs arrive already percent-encoded ("eJzTd9f3NjIJdzUGAAp%2fAiY="):
// escaping them again (%252f) or decoding them (a real "/") both produce a
// path Amadeus does not know. So the ID is used verbatim, and only checked
// to be a single path segment (RFC 3986 pchar with valid %XX escapes), so
// that no ID can smuggle "/", "?" or "#" into the request.
func orderPath(id string) (string, error) {
	if id == "" {
		return "", apperr.Validation(apperr.FieldError{Field: "id", Message: "order id is required"})
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		switch {
		case ch == '%':
			if i+2 >= len(id) || !isHex(id[i+1]) || !isHex(id[i+2]) {
				return "", apperr.Validation(apperr.FieldError{Field: "id", Message: "order id has a bad percent-escape"})
			}
			i += 2
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9',
			strings.IndexByte("-._~!$&'()*+,;=:@", ch) >= 0:
		default:
			return "", apperr.Validation(apperr.FieldError{Field: "id", Message: "order id contains characters not allowed in a path segment"})
		}
	}
	return "/v1/booking/flight-orders/" + id, nil
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

package amadeusfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// order is a stored flight order.
type order struct {
	id        string
	pnr       string
	created   string
	offers    []json.RawMessage
	travelers json.RawMessage
}

// handlePricing implements POST /v1/shopping/flight-offers/pricing. Every
// offer must be one that search issued, byte for byte after compaction:
// Amadeus requires offers "copied unchanged from search".
func (s *Server) handlePricing(w http.ResponseWriter, r *http.Request) {
	if !s.requireOverride(w, r) {
		return
	}
	for _, inc := range splitList(r.URL.Query().Get("include")) {
		switch inc {
		case "credit-card-fees", "bags", "other-services", "detailed-fare-rules":
		default:
			s.badFormat(w, "include", "Unknown include value "+inc)
			return
		}
	}
	var body struct {
		Data struct {
			Type         string            `json:"type"`
			FlightOffers []json.RawMessage `json:"flightOffers"`
		} `json:"data"`
	}
	if !jsonBody(r) || json.NewDecoder(r.Body).Decode(&body) != nil || body.Data.Type != "flight-offers-pricing" {
		s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "Body must be {data:{type:flight-offers-pricing,flightOffers}}", "data")
		return
	}
	if len(body.Data.FlightOffers) == 0 {
		s.missing(w, "data/flightOffers")
		return
	}
	priced := make([]json.RawMessage, 0, len(body.Data.FlightOffers))
	var offers []jOffer
	for i, raw := range body.Data.FlightOffers {
		s.mu.Lock()
		known := s.offers[compact(raw)]
		s.mu.Unlock()
		var o map[string]any
		var jo jOffer
		if !known || json.Unmarshal(raw, &o) != nil || json.Unmarshal(raw, &jo) != nil {
			s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "Flight offer was not issued by search or was modified",
				fmt.Sprintf("data/flightOffers[%d]", i))
			return
		}
		o["paymentCardRequired"] = false // priced offers carry fields search does not
		b, _ := json.Marshal(o)
		priced = append(priced, b)
		offers = append(offers, jo)
	}
	s.mu.Lock()
	for _, b := range priced {
		s.priced[compact(b)] = true
	}
	s.mu.Unlock()
	s.writeJSON(w, http.StatusOK, map[string]any{
		"data": map[string]any{"type": "flight-offers-pricing", "flightOffers": priced,
			"bookingRequirements": map[string]any{"emailAddressRequired": true, "mobilePhoneNumberRequired": true}},
		"dictionaries": dictionaries(offers),
	})
}

// handleCreateOrder implements POST /v1/booking/flight-orders → 201.
func (s *Server) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Data struct {
			Type         string            `json:"type"`
			FlightOffers []json.RawMessage `json:"flightOffers"`
			Travelers    []struct {
				ID          string `json:"id"`
				DateOfBirth string `json:"dateOfBirth"`
				Name        struct {
					FirstName string `json:"firstName"`
					LastName  string `json:"lastName"`
				} `json:"name"`
			} `json:"travelers"`
		} `json:"data"`
	}
	raw, _ := io.ReadAll(r.Body)
	if !jsonBody(r) || json.Unmarshal(raw, &body) != nil || body.Data.Type != "flight-order" {
		s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "Body must be {data:{type:flight-order,…}}", "data")
		return
	}
	if len(body.Data.FlightOffers) == 0 {
		s.missing(w, "data/flightOffers")
		return
	}
	if len(body.Data.Travelers) == 0 {
		s.missing(w, "data/travelers")
		return
	}
	for i, t := range body.Data.Travelers {
		if t.ID == "" || t.Name.FirstName == "" || t.Name.LastName == "" || t.DateOfBirth == "" {
			s.missing(w, fmt.Sprintf("data/travelers[%d]", i))
			return
		}
	}
	for i, o := range body.Data.FlightOffers {
		s.mu.Lock()
		ok := s.priced[compact(o)]
		s.mu.Unlock()
		if !ok {
			s.badRequest(w, codePriceChanged, "PRICE DISCREPANCY", "Offer must be priced with Flight Offers Price first",
				fmt.Sprintf("data/flightOffers[%d]", i))
			return
		}
	}
	var whole struct {
		Data struct {
			Travelers json.RawMessage `json:"travelers"`
		} `json:"data"`
	}
	json.Unmarshal(raw, &whole)
	s.writeJSON(w, http.StatusCreated, orderJSON(s.newOrder(body.Data.FlightOffers, whole.Data.Travelers)))
}

// newOrder stores an order with the next stable ID and record locator.
func (s *Server) newOrder(offers []json.RawMessage, travelers json.RawMessage) order {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orderSeq++
	o := order{id: s.nextOrder, pnr: fmt.Sprintf("2ZY%03d", s.orderSeq), offers: offers, travelers: travelers,
		created: s.opts.Now().UTC().Format("2006-01-02T15:04:05")}
	if o.id == "" {
		// Amadeus order IDs are base64 with "/" already escaped as %2f.
		o.id = fmt.Sprintf("eJzTd9f3NjIJdzUGAAp%%2fA%03d=", s.orderSeq)
	}
	if s.orderSeq == 1 {
		o.pnr = "2ZYVAL"
	}
	s.nextOrder = ""
	s.orders[o.id] = o
	return o
}

func orderJSON(o order) map[string]any {
	return map[string]any{"data": map[string]any{
		"type": "flight-order", "id": o.id, "queuingOfficeId": "NCE1A0950",
		"associatedRecords": []map[string]string{{"reference": o.pnr, "creationDateTime": o.created,
			"originSystemCode": "GDS", "flightOfferId": "1"}},
		"flightOffers": o.offers, "travelers": o.travelers,
	}}
}

// orderID returns the {id} segment exactly as it appeared on the wire, so a
// client that escapes the ID again (%252f) or decodes it (/) finds nothing.
func orderID(r *http.Request) string {
	return strings.TrimPrefix(r.URL.EscapedPath(), "/v1/booking/flight-orders/")
}

func (s *Server) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	o, ok := s.orders[orderID(r)]
	s.mu.Unlock()
	if !ok {
		s.apiError(w, http.StatusNotFound, 38196, "Resource not found", "Flight order not found", "id")
		return
	}
	s.writeJSON(w, http.StatusOK, orderJSON(o))
}

func (s *Server) handleDeleteOrder(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, ok := s.orders[orderID(r)]
	delete(s.orders, orderID(r))
	s.mu.Unlock()
	if !ok {
		s.apiError(w, http.StatusNotFound, 38196, "Resource not found", "Flight order not found", "id")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

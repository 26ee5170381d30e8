package amadeusfake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// search is a validated flight search.
type search struct {
	origin, dest             string
	dep, ret                 time.Time // ret zero for one-way
	adults, children, infant int
	cabin, currency          string
	included, excluded       []string
	nonStop                  bool
	maxPrice                 int64 // whole units per traveller; 0 = none
	max                      int
}

// handleSearchGet implements GET /v2/shopping/flight-offers.
func (s *Server) handleSearchGet(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, p := range []string{"originLocationCode", "destinationLocationCode", "departureDate", "adults"} {
		if q.Get(p) == "" {
			s.missing(w, p)
			return
		}
	}
	sr := search{origin: q.Get("originLocationCode"), dest: q.Get("destinationLocationCode"),
		cabin: q.Get("travelClass"), currency: q.Get("currencyCode"), nonStop: q.Get("nonStop") == "true"}
	ints := []struct {
		name string
		dst  *int
	}{{"adults", &sr.adults}, {"children", &sr.children}, {"infants", &sr.infant}, {"max", &sr.max}}
	for _, p := range ints {
		name, dst := p.name, p.dst
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				s.badFormat(w, name, "must be a non-negative integer")
				return
			}
			*dst = n
		}
	}
	if v := q.Get("maxPrice"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			s.badFormat(w, "maxPrice", "must be a positive integer")
			return
		}
		sr.maxPrice = n
	}
	sr.included = splitList(q.Get("includedAirlineCodes"))
	sr.excluded = splitList(q.Get("excludedAirlineCodes"))
	var ok bool
	if sr.dep, ok = s.date(w, q.Get("departureDate"), "departureDate"); !ok {
		return
	}
	if v := q.Get("returnDate"); v != "" {
		if sr.ret, ok = s.date(w, v, "returnDate"); !ok {
			return
		}
	}
	s.runSearch(w, sr)
}

// date parses a YYYY-MM-DD parameter and refuses days in the past.
func (s *Server) date(w http.ResponseWriter, v, param string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		s.badFormat(w, param, "Date must be in YYYY-MM-DD format")
		return time.Time{}, false
	}
	today, _ := time.Parse(time.DateOnly, s.opts.Now().UTC().Format(time.DateOnly))
	if d.Before(today) {
		s.badRequest(w, codeInvalidDate, "INVALID DATE", "Date/Time is in the past", param)
		return time.Time{}, false
	}
	return d, true
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// handleSearchPost implements the POST form of flight search, which needs
// X-HTTP-Method-Override: GET like pricing does.
func (s *Server) handleSearchPost(w http.ResponseWriter, r *http.Request) {
	if !s.requireOverride(w, r) {
		return
	}
	var body struct {
		CurrencyCode       string `json:"currencyCode"`
		OriginDestinations []struct {
			Origin string `json:"originLocationCode"`
			Dest   string `json:"destinationLocationCode"`
			Range  struct {
				Date string `json:"date"`
			} `json:"departureDateTimeRange"`
		} `json:"originDestinations"`
		Travelers []struct {
			Type string `json:"travelerType"`
		} `json:"travelers"`
		SearchCriteria struct {
			Max int `json:"maxFlightOffers"`
		} `json:"searchCriteria"`
	}
	if !jsonBody(r) || json.NewDecoder(r.Body).Decode(&body) != nil {
		s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "Body must be JSON", "")
		return
	}
	if len(body.OriginDestinations) == 0 || len(body.OriginDestinations) > 2 {
		s.missing(w, "originDestinations")
		return
	}
	if len(body.Travelers) == 0 {
		s.missing(w, "travelers")
		return
	}
	od := body.OriginDestinations[0]
	sr := search{origin: od.Origin, dest: od.Dest, currency: body.CurrencyCode, max: body.SearchCriteria.Max}
	var ok bool
	if sr.dep, ok = s.date(w, od.Range.Date, "originDestinations[0].departureDateTimeRange.date"); !ok {
		return
	}
	if len(body.OriginDestinations) == 2 {
		if sr.ret, ok = s.date(w, body.OriginDestinations[1].Range.Date, "originDestinations[1].departureDateTimeRange.date"); !ok {
			return
		}
	}
	for _, t := range body.Travelers {
		switch t.Type {
		case "ADULT":
			sr.adults++
		case "CHILD":
			sr.children++
		case "HELD_INFANT":
			sr.infant++
		}
	}
	s.runSearch(w, sr)
}

// runSearch validates the cross-field rules and answers with offers.
func (s *Server) runSearch(w http.ResponseWriter, sr search) {
	for _, p := range [][2]string{{sr.origin, "originLocationCode"}, {sr.dest, "destinationLocationCode"}} {
		if len(p[0]) != 3 || strings.ToUpper(p[0]) != p[0] {
			s.badFormat(w, p[1], "Location code must be 3 upper-case letters")
			return
		}
	}
	if sr.currency == "" {
		sr.currency = "EUR"
	}
	switch {
	case sr.adults < 1 || sr.adults > 9:
		s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "adults must be between 1 and 9", "adults")
	case sr.infant > sr.adults:
		s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "Number of infants must not exceed adults", "infants")
	case sr.adults+sr.children > 9:
		s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "At most 9 seated travelers", "children")
	case len(sr.included) > 0 && len(sr.excluded) > 0:
		s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "includedAirlineCodes and excludedAirlineCodes are exclusive", "includedAirlineCodes")
	case !sr.ret.IsZero() && sr.ret.Before(sr.dep):
		s.badRequest(w, codeInvalidDate, "INVALID DATE", "Return date must not be before departure date", "returnDate")
	case !slices.Contains([]string{"", "ECONOMY", "PREMIUM_ECONOMY", "BUSINESS", "FIRST"}, sr.cabin):
		s.badFormat(w, "travelClass", "Invalid travel class")
	default:
		if _, ok := minorPerEuro(sr.currency); !ok {
			s.badFormat(w, "currencyCode", "Currency not offered by this fake (EUR, USD, JPY, KWD)")
			return
		}
		offers := s.offersFor(sr)
		data := make([]json.RawMessage, 0, len(offers))
		s.mu.Lock()
		for _, o := range offers {
			b, _ := json.Marshal(o)
			s.offers[compact(b)] = true
			data = append(data, b)
		}
		s.mu.Unlock()
		s.writeJSON(w, http.StatusOK, map[string]any{
			"meta":         map[string]any{"count": len(data), "links": map[string]string{"self": "search"}},
			"data":         data,
			"dictionaries": dictionaries(offers),
		})
	}
}

// compact normalises JSON so offers can be compared byte for byte.
func compact(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}

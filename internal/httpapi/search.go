package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/money"
	"pathavana/internal/search/flights"
	"pathavana/internal/service"
)

// queryReader reads typed query parameters, collecting every problem so a
// request with three mistakes gets one answer naming all three.
type queryReader struct {
	v    url.Values
	errs []apperr.FieldError
}

func newQueryReader(r *http.Request) *queryReader { return &queryReader{v: r.URL.Query()} }

func (q *queryReader) str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

func (q *queryReader) int(name string, def int) int {
	s := q.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		q.errs = append(q.errs, apperr.FieldError{Field: name, Message: "must be a whole number"})
	}
	return n
}

func (q *queryReader) optInt(name string) *int {
	if q.str(name) == "" {
		return nil
	}
	n := q.int(name, 0)
	return &n
}

func (q *queryReader) float(name string) float64 {
	s := q.str(name)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		q.errs = append(q.errs, apperr.FieldError{Field: name, Message: "must be a number"})
	}
	return f
}

// time reads an RFC 3339 instant; "" is the zero time.
func (q *queryReader) time(name string) time.Time {
	s := q.str(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		q.errs = append(q.errs, apperr.FieldError{Field: name, Message: "must be an RFC 3339 time such as 2026-12-01T00:00:00Z"})
	}
	return t
}

func (q *queryReader) bool(name string) bool {
	switch strings.ToLower(q.str(name)) {
	case "", "false", "0", "no":
		return false
	case "true", "1", "yes":
		return true
	}
	q.errs = append(q.errs, apperr.FieldError{Field: name, Message: "must be true or false"})
	return false
}

// list reads "a,b,c" (or the parameter repeated).
func (q *queryReader) list(name string) []string {
	var out []string
	for _, v := range q.v[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (q *queryReader) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return apperr.Validation(q.errs...)
}

type placeResponse struct {
	Kind        string   `json:"kind"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Region      string   `json:"region,omitempty"`
	Country     string   `json:"country"`
	CountryName string   `json:"country_name,omitempty"`
	Lat         float64  `json:"lat"`
	Lon         float64  `json:"lon"`
	Zone        string   `json:"zone,omitempty"`
	Population  int      `json:"population,omitempty"`
	Airports    []string `json:"airports"`
	Match       string   `json:"match"`
}

func (s *Server) handlePlaces(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	text := q.str("q")
	limit := q.int("limit", 10)
	if text == "" {
		q.errs = append(q.errs, apperr.FieldError{Field: "q", Message: "is required: a place name or code, e.g. Lisbon or LIS"})
	}
	if limit < 1 || limit > 50 {
		q.errs = append(q.errs, apperr.FieldError{Field: "limit", Message: "must be between 1 and 50"})
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []placeResponse{}
	for _, p := range s.svc.Places(text, limit) {
		out = append(out, placeResponse{Kind: string(p.Kind), Code: p.Code, Name: p.Name, Region: p.Region,
			Country: p.Country, CountryName: p.CountryName, Lat: p.Lat, Lon: p.Lon, Zone: p.Zone,
			Population: p.Population, Airports: nonNil(p.Airports), Match: p.Match})
	}
	writeJSON(w, http.StatusOK, map[string]any{"places": out})
}

// flightRequestFromQuery reads a one-way or round-trip search from the URL:
// from, to, date, return, flex and the filters.
func flightRequestFromQuery(r *http.Request) (service.FlightSearchRequest, error) {
	q := newQueryReader(r)
	req := service.FlightSearchRequest{
		Adults: q.int("adults", 0), Children: q.int("children", 0), Infants: q.int("infants", 0),
		Cabin: q.str("cabin"), MaxStops: q.optInt("max_stops"), MaxDurationMinutes: q.int("max_duration_minutes", 0),
		DepartAfter: q.str("depart_after"), DepartBefore: q.str("depart_before"),
		Airlines: q.list("airlines"), ExcludeAirlines: q.list("exclude_airlines"),
		NoRedEye: q.bool("no_red_eye"), Sort: q.str("sort"), Limit: q.int("limit", 0),
	}
	flex := q.int("flex", 0)
	req.Slices = []service.SliceRequest{{From: q.str("from"), To: q.str("to"), Date: q.str("date"), Flex: flex}}
	if back := q.str("return"); back != "" {
		req.Slices = append(req.Slices, service.SliceRequest{From: q.str("to"), To: q.str("from"), Date: back, Flex: flex})
	}
	return req, q.err()
}

func (s *Server) handleFlightSearchGet(w http.ResponseWriter, r *http.Request) {
	req, err := flightRequestFromQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.flightSearch(w, r, req)
}

func (s *Server) handleFlightSearchPost(w http.ResponseWriter, r *http.Request) {
	var req service.FlightSearchRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.flightSearch(w, r, req)
}

func (s *Server) flightSearch(w http.ResponseWriter, r *http.Request, req service.FlightSearchRequest) {
	res, err := s.svc.SearchFlightsText(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeResult(w, r, res.Key, func() any {
		out := flightResultsResponse{originResponse: originOf(res.Origin.Source, res.Sandbox, res.Fallback),
			Itineraries: make([]itineraryResponse, 0, len(res.Itineraries))}
		for _, it := range res.Itineraries {
			out.Itineraries = append(out.Itineraries, toItinerary(it))
		}
		return out
	})
}

func (s *Server) handleFlightCalendar(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	req := service.CalendarRequest{From: q.str("from"), To: q.str("to"), Month: q.str("month"), Cabin: q.str("cabin"),
		MaxStops: q.optInt("max_stops"), Adults: q.int("adults", 0), Children: q.int("children", 0), Infants: q.int("infants", 0)}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.svc.FlightCalendarText(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeResult(w, r, res.Key, func() any {
		days := make([]dayPriceResponse, 0, len(res.Days))
		for _, d := range res.Days {
			dp := dayPriceResponse{Date: d.Date.String(), Stops: d.Stops}
			if d.Found {
				p := d.Price
				dp.Price = &p
			}
			days = append(days, dp)
		}
		return calendarResponse{originResponse: originOf(res.Source, res.Sandbox, res.Fallback), Days: days}
	})
}

type originResponse struct {
	Source   string `json:"source"`
	Sandbox  bool   `json:"sandbox"`
	Fallback string `json:"fallback,omitempty"`
	Notice   string `json:"notice,omitempty"`
}

func originOf(source string, sandbox bool, fallback string) originResponse {
	o := originResponse{Source: source, Sandbox: sandbox, Fallback: fallback}
	if sandbox {
		o.Notice = "Sandbox inventory: generated schedules, places and prices for planning, not real availability."
	}
	return o
}

type flightResultsResponse struct {
	originResponse
	Itineraries []itineraryResponse `json:"itineraries"`
}

type itineraryResponse struct {
	Price         money.Money   `json:"price"`
	PricePerAdult money.Money   `json:"price_per_adult"`
	Cabin         string        `json:"cabin"`
	Legs          []legResponse `json:"legs"`
}

type legResponse struct {
	From            string            `json:"from"`
	To              string            `json:"to"`
	Departs         time.Time         `json:"departs"`
	Arrives         time.Time         `json:"arrives"`
	DurationMinutes int               `json:"duration_minutes"`
	Stops           int               `json:"stops"`
	Segments        []segmentResponse `json:"segments"`
}

type segmentResponse struct {
	Carrier         string    `json:"carrier"`
	FlightNumber    string    `json:"flight_number"`
	From            string    `json:"from"`
	To              string    `json:"to"`
	Departs         time.Time `json:"departs"`
	Arrives         time.Time `json:"arrives"`
	DurationMinutes int       `json:"duration_minutes"`
	Aircraft        string    `json:"aircraft,omitempty"`
	Overnight       bool      `json:"overnight"`
}

type calendarResponse struct {
	originResponse
	Days []dayPriceResponse `json:"days"`
}

type dayPriceResponse struct {
	Date  string       `json:"date"`
	Price *money.Money `json:"price"` // null: nothing sold that day
	Stops int          `json:"stops"`
}

func toItinerary(it flights.Itinerary) itineraryResponse {
	out := itineraryResponse{Price: it.Price, PricePerAdult: it.PerAdult, Cabin: string(it.Cabin), Legs: []legResponse{}}
	for _, l := range it.Legs {
		if len(l.Segments) == 0 {
			continue
		}
		first, last := l.Segments[0], l.Segments[len(l.Segments)-1]
		lr := legResponse{From: first.Flight.From, To: last.Flight.To, Departs: first.Departs, Arrives: last.Arrives,
			DurationMinutes: int(l.Duration / time.Minute), Stops: l.Stops}
		for _, sg := range l.Segments {
			lr.Segments = append(lr.Segments, segmentResponse{Carrier: sg.Flight.Carrier, FlightNumber: sg.Flight.Number,
				From: sg.Flight.From, To: sg.Flight.To, Departs: sg.Departs, Arrives: sg.Arrives,
				DurationMinutes: int(sg.Arrives.Sub(sg.Departs) / time.Minute), Aircraft: sg.Flight.Aircraft,
				Overnight: sg.Flight.ArrivalDay > 0})
		}
		out.Legs = append(out.Legs, lr)
	}
	return out
}

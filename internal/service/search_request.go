package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/money"
	"pathavana/internal/search/flights"
	"pathavana/internal/search/local"
)

// FlightSearchRequest is a flight search as people write it: places as text
// ("Lisbon", "JFK", "New York"), dates as YYYY-MM-DD, times as HH:MM. The
// API and the CLI both send this; the service resolves and validates it.
type FlightSearchRequest struct {
	Slices             []SliceRequest `json:"slices"`
	Adults             int            `json:"adults"`
	Children           int            `json:"children"`
	Infants            int            `json:"infants"`
	Cabin              string         `json:"cabin"`
	MaxStops           *int           `json:"max_stops"`
	MaxDurationMinutes int            `json:"max_duration_minutes"`
	DepartAfter        string         `json:"depart_after"`
	DepartBefore       string         `json:"depart_before"`
	Airlines           []string       `json:"airlines"`
	ExcludeAirlines    []string       `json:"exclude_airlines"`
	NoRedEye           bool           `json:"no_red_eye"`
	Sort               string         `json:"sort"`
	Limit              int            `json:"limit"`
}

// SliceRequest is one journey of a flight search.
type SliceRequest struct {
	From string `json:"from"`
	To   string `json:"to"`
	Date string `json:"date"`
	Flex int    `json:"flex"`
}

// CalendarRequest asks for a month of cheapest one-way fares.
type CalendarRequest struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Month    string `json:"month"` // YYYY-MM
	Cabin    string `json:"cabin"`
	MaxStops *int   `json:"max_stops"`
	Adults   int    `json:"adults"`
	Children int    `json:"children"`
	Infants  int    `json:"infants"`
}

// fieldErrors collects every problem of a request, so one answer lists
// them all.
type fieldErrors []apperr.FieldError

func (e *fieldErrors) add(field, msg string) {
	*e = append(*e, apperr.FieldError{Field: field, Message: msg})
}

func (e fieldErrors) err() error {
	if len(e) == 0 {
		return nil
	}
	return apperr.Validation(e...)
}

func parseCabin(errs *fieldErrors, field, s string) catalog.Cabin {
	if s == "" {
		return catalog.Economy
	}
	for _, c := range catalog.Cabins {
		if strings.EqualFold(s, string(c)) {
			return c
		}
	}
	errs.add(field, "must be economy, premium_economy, business or first")
	return catalog.Economy
}

func parseDate(errs *fieldErrors, field, s string) catalog.Date {
	d, err := catalog.ParseDate(strings.TrimSpace(s))
	if err != nil {
		errs.add(field, "must be a date like 2027-05-10")
	}
	return d
}

func parseClock(errs *fieldErrors, field, s string) catalog.Clock {
	if s == "" {
		return 0
	}
	c, err := catalog.ParseClock(s)
	if err != nil {
		errs.add(field, "must be a local time like 06:30")
	}
	return c
}

func maxStops(errs *fieldErrors, p *int) int {
	if p == nil {
		return flights.DefaultMaxStops
	}
	if *p < 0 || *p > flights.MaxStopsLimit {
		errs.add("max_stops", "must be 0 (nonstop), 1 or 2")
	}
	return *p
}

func upperList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.ToUpper(strings.TrimSpace(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FlightQuery resolves places and checks the request's own format; the
// flight index checks the rest (dates in the past, party size, ...).
func (s *Service) FlightQuery(r FlightSearchRequest) (flights.Query, error) {
	var errs fieldErrors
	q := flights.Query{
		Passengers:      flights.Passengers{Adults: r.Adults, Children: r.Children, Infants: r.Infants},
		Cabin:           parseCabin(&errs, "cabin", r.Cabin),
		MaxStops:        maxStops(&errs, r.MaxStops),
		MaxDuration:     time.Duration(r.MaxDurationMinutes) * time.Minute,
		DepartAfter:     parseClock(&errs, "depart_after", r.DepartAfter),
		DepartBefore:    parseClock(&errs, "depart_before", r.DepartBefore),
		Airlines:        upperList(r.Airlines),
		ExcludeAirlines: upperList(r.ExcludeAirlines),
		NoRedEye:        r.NoRedEye,
		Sort:            r.Sort,
		Limit:           r.Limit,
	}
	if q.Passengers.Adults == 0 && q.Passengers.Children == 0 && q.Passengers.Infants == 0 {
		q.Passengers.Adults = 1
	}
	if r.MaxDurationMinutes < 0 {
		errs.add("max_duration_minutes", "cannot be negative")
	}
	if len(r.Slices) == 0 {
		errs.add("slices", "give at least one journey: from, to and date")
	}
	if len(r.Slices) > flights.MaxSlices {
		errs.add("slices", "at most 6 journeys in one search")
	}
	for i, sl := range r.Slices {
		field := "slices[" + strconv.Itoa(i) + "]"
		if len(r.Slices) == 1 {
			field = ""
		}
		prefix := func(name string) string {
			if field == "" {
				return name
			}
			return field + "." + name
		}
		from, errFrom := s.Search.Airports(prefix("from"), sl.From)
		to, errTo := s.Search.Airports(prefix("to"), sl.To)
		for _, e := range []error{errFrom, errTo} {
			if ae, ok := apperr.As(e); ok {
				errs = append(errs, ae.Fields...)
			}
		}
		q.Slices = append(q.Slices, flights.Slice{From: from, To: to,
			Date: parseDate(&errs, prefix("date"), sl.Date), DateFlex: sl.Flex})
	}
	return q, errs.err()
}

// CalendarQuery resolves and checks a calendar request.
func (s *Service) CalendarQuery(r CalendarRequest) (flights.CalendarQuery, error) {
	var errs fieldErrors
	q := flights.CalendarQuery{
		Cabin:      parseCabin(&errs, "cabin", r.Cabin),
		MaxStops:   maxStops(&errs, r.MaxStops),
		Passengers: flights.Passengers{Adults: r.Adults, Children: r.Children, Infants: r.Infants},
	}
	if q.Passengers == (flights.Passengers{}) {
		q.Passengers.Adults = 1
	}
	var err error
	if q.From, err = s.Search.Airports("from", r.From); err != nil {
		if ae, ok := apperr.As(err); ok {
			errs = append(errs, ae.Fields...)
		}
	}
	if q.To, err = s.Search.Airports("to", r.To); err != nil {
		if ae, ok := apperr.As(err); ok {
			errs = append(errs, ae.Fields...)
		}
	}
	q.Month = parseDate(&errs, "month", strings.TrimSpace(r.Month)+"-01")
	return q, errs.err()
}

// SearchFlightsText resolves and runs a flight search request.
func (s *Service) SearchFlightsText(ctx context.Context, r FlightSearchRequest) (FlightResults, error) {
	q, err := s.FlightQuery(r)
	if err != nil {
		return FlightResults{}, err
	}
	return s.SearchFlights(ctx, q)
}

// FlightCalendarText resolves and runs a calendar request.
func (s *Service) FlightCalendarText(ctx context.Context, r CalendarRequest) (CalendarResults, error) {
	q, err := s.CalendarQuery(r)
	if err != nil {
		return CalendarResults{}, err
	}
	return s.FlightCalendar(ctx, q)
}

// AreaRequest is where to search: a city as text, or a point and radius.
type AreaRequest struct {
	City     string  `json:"city"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	RadiusKM float64 `json:"radius_km"`
}

// StayRequest is a stay search as the API and CLI send it. Prices are
// decimal strings in Currency (default USD).
type StayRequest struct {
	AreaRequest
	CheckIn         string   `json:"check_in"`
	CheckOut        string   `json:"check_out"`
	Adults          int      `json:"adults"`
	Children        int      `json:"children"`
	ChildrenUnder10 int      `json:"children_under_10"`
	Rooms           int      `json:"rooms"`
	RoomTypes       []string `json:"room_types"`
	Currency        string   `json:"currency"`
	MinPrice        string   `json:"min_price"`
	MaxPrice        string   `json:"max_price"`
	MaxTotal        string   `json:"max_total"`
	Rules           []string `json:"rules"` // smoking, parties, children_under_10, pets, visitors
	MinRating       float64  `json:"min_rating"`
	Sort            string   `json:"sort"`
	Limit           int      `json:"limit"`
}

// RestaurantRequest is a restaurant search.
type RestaurantRequest struct {
	AreaRequest
	Cuisines  []string `json:"cuisines"`
	Currency  string   `json:"currency"`
	MaxCost   string   `json:"max_cost"`
	MinRating float64  `json:"min_rating"`
	Party     int      `json:"party"`
	Sort      string   `json:"sort"`
	Limit     int      `json:"limit"`
}

// AttractionRequest is an attraction search.
type AttractionRequest struct {
	AreaRequest
	Categories []string `json:"categories"`
	Currency   string   `json:"currency"`
	MaxPrice   string   `json:"max_price"`
	Date       string   `json:"date"`
	Adults     int      `json:"adults"`
	Children   int      `json:"children"`
	MinRating  float64  `json:"min_rating"`
	Sort       string   `json:"sort"`
	Limit      int      `json:"limit"`
}

func (s *Service) area(errs *fieldErrors, a AreaRequest) local.Area {
	out := local.Area{Lat: a.Lat, Lon: a.Lon, RadiusKM: a.RadiusKM}
	if strings.TrimSpace(a.City) != "" {
		id, err := s.Search.City("city", a.City)
		if ae, ok := apperr.As(err); ok {
			*errs = append(*errs, ae.Fields...)
		}
		out.City = id
	}
	return out
}

func parsePrice(errs *fieldErrors, field, amount, currency string) *money.Money {
	if strings.TrimSpace(amount) == "" {
		return nil
	}
	if currency == "" {
		currency = "USD"
	}
	m, err := money.Parse(strings.TrimSpace(amount), strings.ToUpper(currency))
	if err != nil || m.Minor < 0 {
		errs.add(field, "must be an amount like 150 or 99.50 (currency "+currency+")")
		return nil
	}
	return &m
}

func optDate(errs *fieldErrors, field, s string) catalog.Date {
	if strings.TrimSpace(s) == "" {
		return catalog.Date{}
	}
	return parseDate(errs, field, s)
}

// SearchStaysText resolves and runs a stay search.
func (s *Service) SearchStaysText(ctx context.Context, r StayRequest) (StayResults, error) {
	var errs fieldErrors
	q := local.StayQuery{Area: s.area(&errs, r.AreaRequest),
		CheckIn: parseDate(&errs, "check_in", r.CheckIn), CheckOut: parseDate(&errs, "check_out", r.CheckOut),
		Guests: local.Guests{Adults: r.Adults, Children: r.Children, ChildrenUnder10: r.ChildrenUnder10},
		Rooms:  r.Rooms, MinRating: r.MinRating, Sort: r.Sort, Limit: r.Limit,
		MinPrice: parsePrice(&errs, "min_price", r.MinPrice, r.Currency),
		MaxPrice: parsePrice(&errs, "max_price", r.MaxPrice, r.Currency),
		MaxTotal: parsePrice(&errs, "max_total", r.MaxTotal, r.Currency)}
	if q.Guests.Adults == 0 {
		q.Guests.Adults = 1
	}
	for _, t := range r.RoomTypes {
		q.RoomTypes = append(q.RoomTypes, catalog.RoomType(strings.ToLower(strings.TrimSpace(t))))
	}
	for _, rule := range r.Rules {
		switch strings.ToLower(strings.TrimSpace(rule)) {
		case "smoking":
			q.Rules.Smoking = true
		case "parties":
			q.Rules.Parties = true
		case "children_under_10", "children":
			q.Rules.ChildrenUnder10 = true
		case "pets":
			q.Rules.Pets = true
		case "visitors":
			q.Rules.Visitors = true
		default:
			errs.add("rules", "must be among smoking, parties, children_under_10, pets, visitors")
		}
	}
	if err := errs.err(); err != nil {
		return StayResults{}, err
	}
	return s.SearchStays(ctx, q)
}

// SearchRestaurantsText resolves and runs a restaurant search.
func (s *Service) SearchRestaurantsText(ctx context.Context, r RestaurantRequest) (RestaurantResults, error) {
	var errs fieldErrors
	q := local.RestaurantQuery{Area: s.area(&errs, r.AreaRequest), Cuisines: r.Cuisines,
		MaxCost: parsePrice(&errs, "max_cost", r.MaxCost, r.Currency), MinRating: r.MinRating, Party: r.Party,
		Sort: r.Sort, Limit: r.Limit}
	if err := errs.err(); err != nil {
		return RestaurantResults{}, err
	}
	return s.SearchRestaurants(ctx, q)
}

// SearchAttractionsText resolves and runs an attraction search.
func (s *Service) SearchAttractionsText(ctx context.Context, r AttractionRequest) (AttractionResults, error) {
	var errs fieldErrors
	q := local.AttractionQuery{Area: s.area(&errs, r.AreaRequest), Categories: r.Categories,
		MaxPrice: parsePrice(&errs, "max_price", r.MaxPrice, r.Currency), Date: optDate(&errs, "date", r.Date),
		Adults: r.Adults, Children: r.Children, MinRating: r.MinRating, Sort: r.Sort, Limit: r.Limit}
	if err := errs.err(); err != nil {
		return AttractionResults{}, err
	}
	return s.SearchAttractions(ctx, q)
}

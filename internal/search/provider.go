package search

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/search/flights"
	"pathavana/internal/search/local"
	"pathavana/internal/search/places"
)

// FlightProvider searches flights somewhere other than the catalog.
type FlightProvider interface {
	Name() string
	SearchFlights(ctx context.Context, q flights.Query) ([]flights.Itinerary, error)
}

// StayProvider searches stays somewhere other than the catalog.
type StayProvider interface {
	Name() string
	SearchStays(ctx context.Context, q local.StayQuery) ([]local.StayResult, error)
}

// AttractionProvider searches attractions somewhere other than the catalog.
type AttractionProvider interface {
	Name() string
	SearchAttractions(ctx context.Context, q local.AttractionQuery) ([]local.AttractionResult, error)
}

// Providers are the real providers configured; nil fields mean the catalog
// answers that kind of search alone.
type Providers struct {
	Flights     FlightProvider
	Stays       StayProvider
	Attractions AttractionProvider
}

// Origin says where results came from.
type Origin struct {
	// Source is "amadeus" or the catalog's label ("sandbox", ...).
	Source string `json:"source"`
	// Sandbox marks generated inventory: not real availability or prices.
	Sandbox bool `json:"sandbox"`
	// Fallback, when set, is why the configured provider did not answer
	// and the catalog did instead.
	Fallback string `json:"fallback,omitempty"`
}

// Searcher is the one entry point for searches. The catalog can be swapped
// while it serves (after an import); providers are fixed at start.
type Searcher struct {
	catalog   atomic.Pointer[Catalog]
	providers Providers
	log       *slog.Logger
	zones     sync.Map // IANA name → *time.Location
}

// NewSearcher returns a searcher over c with the given providers.
func NewSearcher(c *Catalog, p Providers, log *slog.Logger) *Searcher {
	s := &Searcher{providers: p, log: log}
	s.catalog.Store(c)
	return s
}

// Catalog returns the catalog in use.
func (s *Searcher) Catalog() *Catalog { return s.catalog.Load() }

// SetCatalog replaces the catalog; searches in flight finish on the old one.
func (s *Searcher) SetCatalog(c *Catalog) { s.catalog.Store(c) }

func (s *Searcher) catalogOrigin(fallback string) Origin {
	c := s.Catalog()
	return Origin{Source: c.Label, Sandbox: c.Sandbox, Fallback: fallback}
}

// Places resolves free text to places, best first.
func (s *Searcher) Places(query string, limit int) []places.Place {
	return s.Catalog().Places.Resolve(query, limit)
}

// Airports resolves free text to the airports of the best matching place:
// "LIS" → [LIS], "New York" → [JFK LGA EWR ...]. field names the request
// field in the error.
func (s *Searcher) Airports(field, text string) ([]string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, apperr.Validation(apperr.FieldError{Field: field, Message: "is required: an airport code or a city name"})
	}
	// An airport's own code (what the web app and most callers send) needs
	// no ranking: answer it without running the resolver.
	if len(text) == 3 && strings.ToUpper(text) == text {
		if _, ok := s.Catalog().Places.Airport(text); ok {
			return []string{text}, nil
		}
	}
	for _, p := range s.Places(text, 5) {
		if len(p.Airports) > 0 {
			return p.Airports, nil
		}
	}
	return nil, apperr.Validation(apperr.FieldError{Field: field,
		Message: "no airport found for " + quote(text) + "; try an IATA code like LIS or a city name"})
}

// City resolves free text to the best matching city's ID.
func (s *Searcher) City(field, text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", apperr.Validation(apperr.FieldError{Field: field, Message: "is required: a city name"})
	}
	for _, p := range s.Places(text, 5) {
		switch p.Kind {
		case places.KindCity:
			return p.Code, nil
		case places.KindAirport:
			if a, ok := s.Catalog().Places.Airport(p.Code); ok {
				return a.City, nil
			}
		}
	}
	return "", apperr.Validation(apperr.FieldError{Field: field, Message: "no city found for " + quote(text)})
}

func quote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return `"` + s + `"`
}

// Flights searches the configured flight provider, or the catalog.
func (s *Searcher) Flights(ctx context.Context, q flights.Query) ([]flights.Itinerary, Origin, error) {
	if p := s.providers.Flights; p != nil {
		its, err := p.SearchFlights(ctx, q)
		if err == nil {
			return its, Origin{Source: p.Name()}, nil
		}
		reason := s.fallbackReason(ctx, p.Name(), err)
		its, err = s.Catalog().Flights.Search(ctx, q)
		return its, s.catalogOrigin(reason), err
	}
	its, err := s.Catalog().Flights.Search(ctx, q)
	return its, s.catalogOrigin(""), err
}

// Calendar is the cheapest fare per day of a month, from the catalog (no
// provider offers a month of prices in one call).
func (s *Searcher) Calendar(ctx context.Context, q flights.CalendarQuery) ([]flights.DayPrice, Origin, error) {
	days, err := s.Catalog().Flights.Calendar(ctx, q)
	return days, s.catalogOrigin(""), err
}

// Stays searches the configured stay provider, or the catalog.
func (s *Searcher) Stays(ctx context.Context, q local.StayQuery) ([]local.StayResult, Origin, error) {
	if p := s.providers.Stays; p != nil {
		res, err := p.SearchStays(ctx, q)
		if err == nil {
			return res, Origin{Source: p.Name()}, nil
		}
		reason := s.fallbackReason(ctx, p.Name(), err)
		res, err = local.SearchStays(s.Catalog().Local, q, s.near)
		return res, s.catalogOrigin(reason), err
	}
	res, err := local.SearchStays(s.Catalog().Local, q, s.near)
	return res, s.catalogOrigin(""), err
}

// Restaurants searches the catalog (no configured provider lists them).
func (s *Searcher) Restaurants(_ context.Context, q local.RestaurantQuery) ([]local.RestaurantResult, Origin, error) {
	res, err := local.SearchRestaurants(s.Catalog().Local, q, s.near)
	return res, s.catalogOrigin(""), err
}

// Attractions searches the configured attraction provider, or the catalog.
func (s *Searcher) Attractions(ctx context.Context, q local.AttractionQuery) ([]local.AttractionResult, Origin, error) {
	if p := s.providers.Attractions; p != nil {
		res, err := p.SearchAttractions(ctx, q)
		if err == nil {
			return res, Origin{Source: p.Name()}, nil
		}
		reason := s.fallbackReason(ctx, p.Name(), err)
		res, err = local.SearchAttractions(s.Catalog().Local, q, s.near)
		return res, s.catalogOrigin(reason), err
	}
	res, err := local.SearchAttractions(s.Catalog().Local, q, s.near)
	return res, s.catalogOrigin(""), err
}

// near lists the IDs of cities within radius of a point.
func (s *Searcher) near(lat, lon, radiusKM float64) []string {
	ps := s.Catalog().Places.Nearby(lat, lon, radiusKM, 50)
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.Code)
	}
	return ids
}

// fallbackReason logs a provider failure and words it for the response.
func (s *Searcher) fallbackReason(ctx context.Context, provider string, err error) string {
	var unsupported *UnsupportedError
	switch {
	case errors.As(err, &unsupported):
		return provider + " cannot answer this search (" + unsupported.What + ")"
	case errors.Is(err, context.DeadlineExceeded):
		s.log.WarnContext(ctx, "provider timed out; answering from the catalog", "provider", provider)
		return provider + " did not answer in time"
	default:
		s.log.WarnContext(ctx, "provider failed; answering from the catalog", "provider", provider, "err", err)
		return provider + " is unavailable"
	}
}

// UnsupportedError is a provider saying a query is outside what it offers
// (multi-city, coordinates instead of a city...): not a failure, a reason to
// ask the catalog.
type UnsupportedError struct{ What string }

func (e *UnsupportedError) Error() string { return "not supported by the provider: " + e.What }

// AirportZone is the time zone of an airport of the catalog, or nil.
func (s *Searcher) AirportZone(iata string) *time.Location {
	a, ok := s.Catalog().Places.Airport(iata)
	if !ok {
		return nil
	}
	if loc, ok := s.zones.Load(a.Zone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(a.Zone)
	if err != nil {
		return nil
	}
	s.zones.Store(a.Zone, loc)
	return loc
}

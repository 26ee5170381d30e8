package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"

	"pathavana/internal/search"
	"pathavana/internal/search/flights"
	"pathavana/internal/search/local"
	"pathavana/internal/search/places"
)

// SearchTTLs are how long search results are cached, per kind. Prices move,
// so flights are short; restaurants and attractions hardly change.
type SearchTTLs struct {
	Flights, Calendar, Stays, Restaurants, Attractions time.Duration
}

// DefaultSearchTTLs are the cache lifetimes when none are configured.
var DefaultSearchTTLs = SearchTTLs{Flights: 10 * time.Minute, Calendar: time.Hour, Stays: 30 * time.Minute,
	Restaurants: 6 * time.Hour, Attractions: 6 * time.Hour}

// ResultKey identifies an answer: equal keys, equal answers (same query,
// catalog version and day). Callers may memoize what they derive from a
// result under its key, as the HTTP layer does with encoded responses. It
// is empty when the answer must not be memoized (a fallback).
type ResultKey struct {
	Key string `json:"-"`
}

// FlightResults is a flight search answer with where it came from.
type FlightResults struct {
	ResultKey
	search.Origin
	Itineraries []flights.Itinerary `json:"itineraries"`
}

// CalendarResults is the cheapest fare per day of a month.
type CalendarResults struct {
	ResultKey
	search.Origin
	Days []flights.DayPrice `json:"days"`
}

// StayResults, RestaurantResults and AttractionResults are local searches.
type StayResults struct {
	ResultKey
	search.Origin
	Stays []local.StayResult `json:"stays"`
}

type RestaurantResults struct {
	ResultKey
	search.Origin
	Restaurants []local.RestaurantResult `json:"restaurants"`
}

type AttractionResults struct {
	ResultKey
	search.Origin
	Attractions []local.AttractionResult `json:"attractions"`
}

// Places resolves free text to places (in-process and fast: not cached).
func (s *Service) Places(query string, limit int) []places.Place {
	return s.Search.Places(query, limit)
}

// SearchFlights answers a flight search, from the cache when it can.
func (s *Service) SearchFlights(ctx context.Context, q flights.Query) (FlightResults, error) {
	res, key, err := cachedSearch(ctx, s, "flights", s.Settings.SearchTTLs.Flights, q, func() (FlightResults, search.Origin, error) {
		its, o, err := s.Search.Flights(ctx, q)
		return FlightResults{Origin: o, Itineraries: its}, o, err
	})
	res.Key = key
	return res, err
}

// FlightCalendar answers a month of cheapest fares.
func (s *Service) FlightCalendar(ctx context.Context, q flights.CalendarQuery) (CalendarResults, error) {
	res, key, err := cachedSearch(ctx, s, "calendar", s.Settings.SearchTTLs.Calendar, q, func() (CalendarResults, search.Origin, error) {
		days, o, err := s.Search.Calendar(ctx, q)
		return CalendarResults{Origin: o, Days: days}, o, err
	})
	res.Key = key
	return res, err
}

// SearchStays answers a stay search.
func (s *Service) SearchStays(ctx context.Context, q local.StayQuery) (StayResults, error) {
	res, key, err := cachedSearch(ctx, s, "stays", s.Settings.SearchTTLs.Stays, q, func() (StayResults, search.Origin, error) {
		res, o, err := s.Search.Stays(ctx, q)
		return StayResults{Origin: o, Stays: res}, o, err
	})
	res.Key = key
	return res, err
}

// SearchRestaurants answers a restaurant search.
func (s *Service) SearchRestaurants(ctx context.Context, q local.RestaurantQuery) (RestaurantResults, error) {
	res, key, err := cachedSearch(ctx, s, "restaurants", s.Settings.SearchTTLs.Restaurants, q, func() (RestaurantResults, search.Origin, error) {
		res, o, err := s.Search.Restaurants(ctx, q)
		return RestaurantResults{Origin: o, Restaurants: res}, o, err
	})
	res.Key = key
	return res, err
}

// SearchAttractions answers an attraction search.
func (s *Service) SearchAttractions(ctx context.Context, q local.AttractionQuery) (AttractionResults, error) {
	res, key, err := cachedSearch(ctx, s, "attractions", s.Settings.SearchTTLs.Attractions, q, func() (AttractionResults, search.Origin, error) {
		res, o, err := s.Search.Attractions(ctx, q)
		return AttractionResults{Origin: o, Attractions: res}, o, err
	})
	res.Key = key
	return res, err
}

// cachedSearch serves a search from the shared cache or runs it and stores
// the answer. The key covers every query parameter, the catalog version
// and today's date (sandbox fares depend on how far ahead one books). The
// cache is an optimisation only: if it fails the search runs uncached, and
// answers from a fallback (provider down) are not stored, so the provider
// gets asked again as soon as it is back.
// SearchStamp is what search answers depend on besides the query: the
// catalog's version and today's date. Equal query and stamp, equal answer.
func (s *Service) SearchStamp() string {
	return s.Search.Catalog().Version + "|" + s.now().Format(time.DateOnly)
}

func cachedSearch[T any](ctx context.Context, s *Service, kind string, ttl time.Duration, q any,
	run func() (T, search.Origin, error)) (T, string, error) {
	var key string
	if ttl > 0 {
		params, err := json.Marshal(q)
		if err == nil {
			sum := sha256.Sum256(append([]byte(s.SearchStamp()+"|"), params...))
			// v2: results carry JSON field names; bump when their encoding changes.
			key = "search:v2:" + kind + ":" + hex.EncodeToString(sum[:16])
		}
	}
	if key != "" {
		if v, ok := s.searchL1.get(key).(T); ok {
			return v, key, nil
		}
		raw, ok, err := s.Cache.Cache.Get(ctx, key)
		if err != nil {
			s.Log.WarnContext(ctx, "search cache unavailable; searching uncached", "kind", kind, "err", err)
		} else if ok {
			var v T
			if json.Unmarshal(raw, &v) == nil {
				s.searchL1.put(key, v, ttl)
				return v, key, nil
			}
		}
	}
	v, origin, err := run()
	if err != nil || key == "" || origin.Fallback != "" {
		return v, "", err
	}
	s.searchL1.put(key, v, ttl)
	if raw, err := json.Marshal(v); err == nil {
		if err := s.Cache.Cache.Set(ctx, key, raw, ttl); err != nil {
			s.Log.WarnContext(ctx, "search cache unavailable; result not stored", "kind", kind, "err", err)
		}
	}
	return v, key, nil
}

// searchMemo is a small in-process cache in front of the shared one: the
// answer to a search key is a pure function of its parameters, the catalog
// version and the date, so every replica may keep its own copy without ever
// disagreeing with the others, and the hot path skips decoding JSON.
type searchMemo struct {
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[string]memoEntry
}

type memoEntry struct {
	v       any
	expires time.Time
}

func newSearchMemo(max int, now func() time.Time) *searchMemo {
	return &searchMemo{max: max, now: now, entries: map[string]memoEntry{}}
}

func (m *searchMemo) get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || !m.now().Before(e.expires) {
		return nil
	}
	return e.v
}

func (m *searchMemo) put(key string, v any, ttl time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) >= m.max {
		clear(m.entries) // rare; cheaper than LRU bookkeeping on every hit
	}
	m.entries[key] = memoEntry{v: v, expires: m.now().Add(min(ttl, time.Minute))}
}

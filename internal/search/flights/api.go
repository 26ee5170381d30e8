package flights

import (
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// Pricer prices one adult seat on f in cabin c for local departure date day
// (a date at UTC midnight), bought on today (also a UTC-midnight date).
// ok=false when the cabin is not sold. The sandbox fare model plugs in here.
type Pricer func(f *catalog.Flight, c catalog.Cabin, day, today time.Time) (money.Money, bool)

// DefaultPricer returns the catalog's base fare for the cabin unchanged.
func DefaultPricer(f *catalog.Flight, c catalog.Cabin, day, today time.Time) (money.Money, bool) {
	m, ok := f.Fares[c]
	return m, ok
}

// Options configure an Index. The zero value is usable.
type Options struct {
	// Pricer prices seats; nil means DefaultPricer.
	Pricer Pricer
	// MinConnection is the minimum connection time at an airport, asked
	// once per airport when the index is built. nil means the default: 45
	// min domestic, 60 min international, 90 min international at large
	// airports (700+ weekly departures in the catalog). A connection is
	// international unless both flights stay within one country.
	MinConnection func(airport string, international bool) time.Duration
	// Now is the clock used to reject past dates and departed flights; nil
	// means time.Now.
	Now func() time.Time
}

// Passengers is the party. Children (2–11) pay 75% of the adult fare, lap
// infants 10%. The zero value means one adult.
type Passengers struct {
	Adults, Children, Infants int
}

// Limits of a query.
const (
	DefaultMaxStops = 2
	MaxStopsLimit   = 2
	DefaultLimit    = 20
	MaxLimit        = 100
	MaxSlices       = 6
	MaxDateFlex     = 3
	MaxSeated       = 9
	// MaxAirportsPerSide bounds the airports of one side of a slice (a city
	// has a handful at most).
	MaxAirportsPerSide = 10
)

// Sort orders.
const (
	SortBest      = "best"
	SortPrice     = "price"
	SortDuration  = "duration"
	SortDeparture = "departure"
)

// Query is a flight search.
type Query struct {
	// Slices: one-way 1; round trip 2 (the second is the return);
	// multi-city up to 6, in date order.
	Slices     []Slice
	Passengers Passengers
	// Cabin is the class of service; "" means economy.
	Cabin catalog.Cabin
	// MaxStops is 0 (nonstop only) to 2. The zero value means nonstop:
	// callers that want the default pass DefaultMaxStops.
	MaxStops int
	// MaxDuration bounds each slice's journey time; 0 means no limit.
	MaxDuration time.Duration
	// DepartAfter and DepartBefore bound the local departure time of each
	// slice's first flight, inclusive; 0/0 means any time. DepartBefore 0
	// with DepartAfter set means "until midnight".
	DepartAfter, DepartBefore catalog.Clock
	// Airlines, when set, lists the only carriers allowed on every segment;
	// ExcludeAirlines lists carriers never used.
	Airlines, ExcludeAirlines []string
	// NoRedEye drops itineraries with a segment departing 22:00–04:59 local
	// that arrives the next day (for departures after midnight: the day
	// after the night began, so the same date counts).
	NoRedEye bool
	// Sort is "best" (default), "price", "duration" or "departure"; see
	// the package doc for the "best" blend.
	Sort string
	// Limit is the number of itineraries returned: default 20, at most 100.
	Limit int
}

// Slice is one directional journey of a query.
type Slice struct {
	// From and To are airport IATA sets: a city may have several airports.
	From, To []string
	// Date is the local departure date at the origin.
	Date catalog.Date
	// DateFlex widens the search to ±DateFlex days (0–3).
	DateFlex int
}

// Segment is one flight on one date.
type Segment struct {
	Flight *catalog.Flight
	// Departs and Arrives are instants in the departure and arrival
	// airports' own zones.
	Departs, Arrives time.Time
}

// Leg is the answer to one slice.
type Leg struct {
	Segments []Segment
	Duration time.Duration // first departure to last arrival
	Stops    int
}

// Itinerary is one bookable combination of legs.
type Itinerary struct {
	Legs []Leg
	// Price is the total for all passengers; PerAdult the adult fare.
	Price    money.Money
	PerAdult money.Money
	Cabin    catalog.Cabin
}

// CalendarQuery asks for the cheapest one-way price per day of a month.
type CalendarQuery struct {
	From, To   []string
	Month      catalog.Date // any day of the month
	Cabin      catalog.Cabin
	MaxStops   int // 0–2, as Query.MaxStops
	Passengers Passengers
}

// DayPrice is the cheapest one-way price on one day; Found is false when
// nothing is sold that day (or the day is already past).
type DayPrice struct {
	Date  catalog.Date
	Price money.Money // total for all passengers
	Stops int
	Found bool
}

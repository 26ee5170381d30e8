package model

import "time"

// TripStatus is where a trip is in its life.
type TripStatus string

const (
	TripPlanning   TripStatus = "planning"
	TripBooked     TripStatus = "booked"
	TripInProgress TripStatus = "in_progress"
	TripCompleted  TripStatus = "completed"
	TripCancelled  TripStatus = "cancelled"
)

// TripStatuses lists every status, in life order, for validation and docs.
var TripStatuses = []TripStatus{TripPlanning, TripBooked, TripInProgress, TripCompleted, TripCancelled}

// Party is who travels: the counts fares and rooms are priced for.
type Party struct {
	Adults   int
	Children int
	Infants  int
}

// Trip is a plan a user keeps: dates, party, budget and a day-by-day
// itinerary. Version is bumped by every write to the trip or its items
// (the ETag). Money is in minor units of Currency.
type Trip struct {
	ID              string
	OwnerID         string
	Title           string
	Status          TripStatus
	StartsOn        string // YYYY-MM-DD, local
	EndsOn          string // YYYY-MM-DD, local, inclusive
	Destinations    []string
	CoverCity       string
	Party           Party
	BudgetMinor     *int64
	Currency        string
	SourceSessionID string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Items           []TripItem // ordered by day, position; filled by GetTrip only
}

// DateLayout is the layout of trip dates.
const DateLayout = "2006-01-02"

// LocalTimeLayout is the layout of item times: local wall-clock time.
const LocalTimeLayout = "2006-01-02T15:04"

// Days returns the trip's length in days (start and end inclusive), 0
// when its dates do not parse.
func (t Trip) Days() int {
	s, err1 := time.Parse(DateLayout, t.StartsOn)
	e, err2 := time.Parse(DateLayout, t.EndsOn)
	if err1 != nil || err2 != nil || e.Before(s) {
		return 0
	}
	return int(e.Sub(s).Hours()/24) + 1
}

// DayDate returns the date of a 1-based day of the trip.
func (t Trip) DayDate(day int) (time.Time, bool) {
	s, err := time.Parse(DateLayout, t.StartsOn)
	if err != nil || day < 1 {
		return time.Time{}, false
	}
	return s.AddDate(0, 0, day-1), true
}

// ItemKind is what an itinerary item is.
type ItemKind string

const (
	ItemFlight     ItemKind = "flight"
	ItemStay       ItemKind = "stay"
	ItemTransport  ItemKind = "transport"
	ItemRestaurant ItemKind = "restaurant"
	ItemAttraction ItemKind = "attraction"
	ItemNote       ItemKind = "note"
	ItemLink       ItemKind = "link"
)

// ItemKinds lists every kind, the budget's categories in this order.
var ItemKinds = []ItemKind{ItemFlight, ItemStay, ItemTransport, ItemRestaurant, ItemAttraction, ItemNote, ItemLink}

// TripItem is one entry of an itinerary. Day is 1-based (0: not yet
// scheduled); Position orders items within a day, from 1. StartsAt and
// EndsAt are local times in TimeZone ("" when the item has no time).
// Details is JSON: the offer as chosen.
type TripItem struct {
	ID        string
	TripID    string
	Day       int
	Position  int
	Kind      ItemKind
	Title     string
	StartsAt  string
	EndsAt    string
	TimeZone  string
	Place     string
	CostMinor *int64
	Currency  string
	Provider  string
	OfferRef  string
	Details   string
	URL       string
	Notes     string
	BookingID string
	CreatedAt time.Time
	UpdatedAt time.Time
}

package model

import "time"

// Profile is what a traveler tells us about themselves to plan better.
type Profile struct {
	UserID      string
	DisplayName string
	HomeAirport string // IATA code, e.g. "BOS"
	HomeCity    string
	Currency    string // ISO 4217, e.g. "USD"
	Language    string // BCP 47, e.g. "en-US"
	Preferences Preferences
	UpdatedAt   time.Time
}

// Preferences are the traveler's defaults for search and planning.
type Preferences struct {
	Cabin          string   `json:"cabin,omitempty"` // economy, premium_economy, business, first
	Seat           string   `json:"seat,omitempty"`  // window, aisle, any
	PreferAirlines []string `json:"prefer_airlines,omitempty"`
	AvoidAirlines  []string `json:"avoid_airlines,omitempty"`
	StayType       string   `json:"stay_type,omitempty"` // hotel_room, entire_home, private_room, shared_room
	Dietary        []string `json:"dietary,omitempty"`
	Interests      []string `json:"interests,omitempty"`
	Pace           string   `json:"pace,omitempty"` // relaxed, moderate, packed
}

// Package catalog holds the travel inventory the product can search: places
// (countries, regions, cities, airports), airlines, scheduled flights, stays,
// restaurants, attractions and ground legs. A catalog is read from JSON Lines
// files (see docs/catalog-format.md), validated as a whole, and layered over
// the sandbox inventory or used instead of it.
package catalog

import (
	"pathavana/internal/money"
)

// Cabin is a class of service on a flight.
type Cabin string

const (
	Economy        Cabin = "economy"
	PremiumEconomy Cabin = "premium_economy"
	Business       Cabin = "business"
	First          Cabin = "first"
)

// Cabins lists every cabin, cheapest first.
var Cabins = []Cabin{Economy, PremiumEconomy, Business, First}

// RoomType is what a stay rents out.
type RoomType string

const (
	HotelRoom   RoomType = "hotel_room"
	EntireHome  RoomType = "entire_home"
	PrivateRoom RoomType = "private_room"
	SharedRoom  RoomType = "shared_room"
)

// RoomTypes lists every room type.
var RoomTypes = []RoomType{HotelRoom, EntireHome, PrivateRoom, SharedRoom}

// Country is an ISO 3166-1 country.
type Country struct {
	Code       string   `json:"code"` // ISO 3166-1 alpha-2
	Name       string   `json:"name"`
	Currency   string   `json:"currency"`    // ISO 4217
	PriceLevel float64  `json:"price_level"` // relative cost of living, USA = 1
	Zones      []string `json:"zones,omitempty"`
}

// Region is a first-level subdivision (state, province).
type Region struct {
	Code    string `json:"code"` // ISO 3166-2, e.g. US-TX
	Name    string `json:"name"`
	Country string `json:"country"`
}

// City is a place people travel to.
type City struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	AltNames   []string `json:"alt_names,omitempty"`
	Region     string   `json:"region,omitempty"`
	Country    string   `json:"country"`
	Lat        float64  `json:"lat"`
	Lon        float64  `json:"lon"`
	Population int      `json:"population"`
	Zone       string   `json:"zone"` // IANA time zone
}

// Airport is an airport with an IATA code.
type Airport struct {
	IATA    string  `json:"iata"`
	ICAO    string  `json:"icao,omitempty"`
	Name    string  `json:"name"`
	City    string  `json:"city"` // City.ID
	Country string  `json:"country"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	Zone    string  `json:"zone"`
}

// Airline is a carrier with an IATA code.
type Airline struct {
	IATA    string `json:"iata"`
	ICAO    string `json:"icao,omitempty"`
	Name    string `json:"name"`
	Country string `json:"country,omitempty"`
}

// Flight is a scheduled service: a flight number flown between two airports
// at the same local times on some days of the week over a date range. Times
// are airport-local, as airlines publish them, so the duration follows DST.
type Flight struct {
	Carrier    string                `json:"carrier"`
	Number     string                `json:"number"` // e.g. "TP201"
	From       string                `json:"from"`   // origin IATA
	To         string                `json:"to"`     // destination IATA
	Departs    Clock                 `json:"departs"`
	Arrives    Clock                 `json:"arrives"`
	ArrivalDay int                   `json:"arrival_day"` // 0 same day, 1 next day, -1 previous (date line)
	Days       Weekdays              `json:"days"`
	ValidFrom  Date                  `json:"valid_from,omitzero"`
	ValidTo    Date                  `json:"valid_to,omitzero"`
	Fares      map[Cabin]money.Money `json:"fares"` // base one-way fare per adult
	Seats      map[Cabin]int         `json:"seats,omitempty"`
	Aircraft   string                `json:"aircraft,omitempty"`
}

// HouseRules say what a stay allows.
type HouseRules struct {
	Smoking         bool `json:"smoking"`
	Parties         bool `json:"parties"`
	ChildrenUnder10 bool `json:"children_under_10"`
	Pets            bool `json:"pets"`
	Visitors        bool `json:"visitors"`
}

// Stay is a bookable place to sleep.
type Stay struct {
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	City          string      `json:"city"`
	Lat           float64     `json:"lat"`
	Lon           float64     `json:"lon"`
	RoomType      RoomType    `json:"room_type"`
	PricePerNight money.Money `json:"price_per_night"`
	MaxOccupancy  int         `json:"max_occupancy"`
	MinNights     int         `json:"min_nights"`
	Rules         HouseRules  `json:"rules"`
	Rating        float64     `json:"rating"` // 0–5
}

// Restaurant is a place to eat.
type Restaurant struct {
	ID       string      `json:"id"`
	Name     string      `json:"name"`
	City     string      `json:"city"`
	Lat      float64     `json:"lat"`
	Lon      float64     `json:"lon"`
	Cuisines []string    `json:"cuisines"`
	AvgCost  money.Money `json:"avg_cost"` // per person
	Rating   float64     `json:"rating"`
}

// Attraction is a thing to see or do.
type Attraction struct {
	ID       string      `json:"id"`
	Name     string      `json:"name"`
	City     string      `json:"city"`
	Lat      float64     `json:"lat"`
	Lon      float64     `json:"lon"`
	Category string      `json:"category"`
	Hours    Hours       `json:"hours"`
	Price    money.Money `json:"price"`   // per adult
	Minutes  int         `json:"minutes"` // typical visit length
	Rating   float64     `json:"rating"`
}

// GroundMode is how a ground leg is travelled.
type GroundMode string

const (
	SelfDrive GroundMode = "self_drive"
	Taxi      GroundMode = "taxi"
)

// GroundLeg is a road connection between two cities.
type GroundLeg struct {
	From       string      `json:"from"` // City.ID
	To         string      `json:"to"`
	Mode       GroundMode  `json:"mode"`
	DistanceKM float64     `json:"distance_km"`
	Minutes    int         `json:"minutes"`
	Cost       money.Money `json:"cost"` // per vehicle
}

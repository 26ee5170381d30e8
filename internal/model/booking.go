package model

import "time"

// BookingState is where a booking is in its life:
// pending → confirmed | failed, confirmed → cancelled.
type BookingState string

const (
	BookingPending   BookingState = "pending"
	BookingConfirmed BookingState = "confirmed"
	BookingFailed    BookingState = "failed"
	BookingCancelled BookingState = "cancelled"
)

// Booking is a reservation of one offer for chosen travelers, made through
// the provider that supplied the offer. Money is in minor units of
// Currency. Details is JSON: the offer as booked.
type Booking struct {
	ID               string
	OwnerID          string
	IdempotencyKey   string
	RequestHash      string
	TripID           string
	ItemID           string
	Kind             string // flight, stay, attraction
	Provider         string
	OfferRef         string
	State            BookingState
	Title            string
	StartsOn         string // YYYY-MM-DD, local
	EndsOn           string
	Quantity         int
	TravelerIDs      []string
	TotalMinor       int64
	Currency         string
	RefundMinor      *int64
	FreeCancelUntil  *time.Time
	CancelFeeMinor   int64
	ProviderRef      string
	ConfirmationCode string
	Failure          string
	Details          string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ConfirmedAt      *time.Time
	CancelledAt      *time.Time
}

// Hold is a number of units of one inventory resource on one local day
// that a booking takes; Capacity is what the resource has in all, used
// when the day is first booked.
type Hold struct {
	Resource string
	Day      string
	Quantity int
	Capacity int
}

// Inventory is one resource-day of counted inventory.
type Inventory struct {
	Resource string
	Day      string
	Capacity int
	Sold     int
}

package local

import (
	"slices"
	"strings"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// Guests is the party for a stay. ChildrenUnder10 counts among Children.
type Guests struct {
	Adults, Children, ChildrenUnder10 int
}

// StayQuery is a stay search.
type StayQuery struct {
	Area
	CheckIn, CheckOut catalog.Date
	Guests            Guests
	// Rooms asks for at least this many rooms; 0 computes them from the
	// stays' occupancy.
	Rooms     int
	RoomTypes []catalog.RoomType // any of; empty = all
	// MinPrice and MaxPrice bound the price per night of one unit; MaxTotal
	// bounds the whole stay for the party.
	MinPrice, MaxPrice, MaxTotal *money.Money
	// Rules lists what the stay must allow (true = required).
	Rules     catalog.HouseRules
	MinRating float64
	Sort      string // best (default), price, rating, distance
	Limit     int
}

// StayResult is a stay priced for the party.
type StayResult struct {
	Stay catalog.Stay `json:"stay"`
	// Rooms is the number of units booked: rooms for hotel and private
	// rooms, 1 for an entire home, beds (one per guest) for a shared room.
	Rooms        int         `json:"rooms"`
	Nights       int         `json:"nights"`
	NightlyTotal money.Money `json:"nightly_total"` // all units, one night
	Total        money.Money `json:"total"`         // all units, all nights
	DistanceKM   float64     `json:"distance_km"`
}

// SearchStays finds stays for the party and dates, with totals.
func SearchStays(src Source, q StayQuery, near NearFunc) ([]StayResult, error) {
	var ps problems
	cities, point := q.where(near, &ps)
	nights := 0
	switch {
	case q.CheckIn.IsZero():
		ps.add("check_in", "is required (YYYY-MM-DD)")
	case q.CheckOut.IsZero():
		ps.add("check_out", "is required (YYYY-MM-DD)")
	default:
		nights = int(q.CheckOut.Sub(q.CheckIn.Time).Round(24*time.Hour) / (24 * time.Hour))
		if nights < 1 {
			ps.add("check_out", "must be after check_in")
		} else if nights > MaxNights {
			ps.add("check_out", "stays are searched for at most 30 nights")
		}
	}
	g := q.Guests
	guests := g.Adults + g.Children
	switch {
	case g.Adults < 1:
		ps.add("adults", "at least one adult")
	case g.Children < 0 || g.ChildrenUnder10 < 0 || g.ChildrenUnder10 > g.Children:
		ps.add("children", "children cannot be negative, and children_under_10 counts among children")
	case guests > MaxGuests:
		ps.add("adults", "at most 16 guests in one search; split larger groups")
	}
	if q.Rooms < 0 || q.Rooms > MaxRooms {
		ps.add("rooms", "must be between 0 (automatic) and 8")
	}
	for _, t := range q.RoomTypes {
		if !slices.Contains(catalog.RoomTypes, t) {
			ps.add("room_types", "must be hotel_room, entire_home, private_room or shared_room")
			break
		}
	}
	checkCommon(&ps, q.Sort, q.Limit, q.MinRating, point, SortBest, SortPrice, SortRating, SortDistance)
	if err := ps.err(); err != nil {
		return nil, err
	}

	need := q.Rules
	if g.ChildrenUnder10 > 0 {
		need.ChildrenUnder10 = true
	}
	var out []StayResult
	for _, city := range cities {
		for _, s := range src.Stays(city) {
			if len(q.RoomTypes) > 0 && !slices.Contains(q.RoomTypes, s.RoomType) {
				continue
			}
			if s.MinNights > nights || s.Rating < q.MinRating || !allows(s.Rules, need) {
				continue
			}
			if !atLeast(s.PricePerNight, q.MinPrice) || !atMost(s.PricePerNight, q.MaxPrice) {
				continue
			}
			units, ok := unitsFor(s, guests, q.Rooms)
			if !ok {
				continue
			}
			d, in := q.inside(point, s.Lat, s.Lon)
			if !in {
				continue
			}
			nightly, err := s.PricePerNight.MulInt(int64(units))
			if err != nil {
				continue
			}
			total, err := nightly.MulInt(int64(nights))
			if err != nil || !atMost(total, q.MaxTotal) {
				continue
			}
			out = append(out, StayResult{Stay: s, Rooms: units, Nights: nights, NightlyTotal: nightly, Total: total, DistanceKM: d})
		}
	}
	slices.SortStableFunc(out, func(a, b StayResult) int {
		switch q.Sort {
		case SortPrice:
			return firstNonZero(cmpMoney(a.Total, b.Total), cmpFloat(b.Stay.Rating, a.Stay.Rating), strings.Compare(a.Stay.ID, b.Stay.ID))
		case SortRating:
			return firstNonZero(cmpFloat(b.Stay.Rating, a.Stay.Rating), cmpMoney(a.Total, b.Total), strings.Compare(a.Stay.ID, b.Stay.ID))
		case SortDistance:
			return firstNonZero(cmpFloat(a.DistanceKM, b.DistanceKM), cmpMoney(a.Total, b.Total), strings.Compare(a.Stay.ID, b.Stay.ID))
		default:
			return firstNonZero(cmpFloat(value(b), value(a)), strings.Compare(a.Stay.ID, b.Stay.ID))
		}
	})
	if n := limitOf(q.Limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// value is the "best" order: rating per price, so a 4.8 at $120 beats a
// 4.9 at $300 and a 3.2 at $60.
func value(r StayResult) float64 {
	per := float64(r.NightlyTotal.Minor) / 100
	return r.Stay.Rating * r.Stay.Rating / (1 + per/50)
}

func firstNonZero(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}

// unitsFor is how many units of s the party books, or false if it cannot
// stay there: a home fits everyone or no one; shared rooms sell beds.
func unitsFor(s catalog.Stay, guests, minRooms int) (int, bool) {
	if s.MaxOccupancy < 1 {
		return 0, false
	}
	switch s.RoomType {
	case catalog.EntireHome:
		return 1, guests <= s.MaxOccupancy && minRooms <= 1
	case catalog.SharedRoom:
		return guests, guests <= s.MaxOccupancy
	default:
		n := (guests + s.MaxOccupancy - 1) / s.MaxOccupancy
		n = max(n, minRooms)
		return n, n <= MaxRooms
	}
}

func allows(have, need catalog.HouseRules) bool {
	return (!need.Smoking || have.Smoking) && (!need.Parties || have.Parties) &&
		(!need.ChildrenUnder10 || have.ChildrenUnder10) && (!need.Pets || have.Pets) && (!need.Visitors || have.Visitors)
}

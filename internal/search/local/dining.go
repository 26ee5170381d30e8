package local

import (
	"slices"
	"strings"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// RestaurantQuery is a restaurant search.
type RestaurantQuery struct {
	Area
	Cuisines  []string     // any of, case-insensitive; empty = all
	MaxCost   *money.Money // average per person
	MinRating float64
	Party     int // people eating; 0 = 1
	Sort      string
	Limit     int
}

// RestaurantResult is a restaurant with the party's expected bill.
type RestaurantResult struct {
	Restaurant catalog.Restaurant `json:"restaurant"`
	PartyCost  money.Money        `json:"party_cost"`
	DistanceKM float64            `json:"distance_km"`
}

// SearchRestaurants finds restaurants serving any of the cuisines.
func SearchRestaurants(src Source, q RestaurantQuery, near NearFunc) ([]RestaurantResult, error) {
	var ps problems
	cities, point := q.where(near, &ps)
	if q.Party < 0 || q.Party > 50 {
		ps.add("party", "must be between 1 and 50")
	}
	checkCommon(&ps, q.Sort, q.Limit, q.MinRating, point, SortBest, SortPrice, SortRating, SortDistance)
	if err := ps.err(); err != nil {
		return nil, err
	}
	party := max(q.Party, 1)
	var out []RestaurantResult
	for _, city := range cities {
		for _, r := range src.Restaurants(city) {
			if r.Rating < q.MinRating || !atMost(r.AvgCost, q.MaxCost) || !servesAny(r.Cuisines, q.Cuisines) {
				continue
			}
			d, in := q.inside(point, r.Lat, r.Lon)
			if !in {
				continue
			}
			cost, err := r.AvgCost.MulInt(int64(party))
			if err != nil {
				continue
			}
			out = append(out, RestaurantResult{Restaurant: r, PartyCost: cost, DistanceKM: d})
		}
	}
	slices.SortStableFunc(out, func(a, b RestaurantResult) int {
		id := strings.Compare(a.Restaurant.ID, b.Restaurant.ID)
		switch q.Sort {
		case SortPrice:
			return firstNonZero(cmpMoney(a.PartyCost, b.PartyCost), id)
		case SortDistance:
			return firstNonZero(cmpFloat(a.DistanceKM, b.DistanceKM), id)
		default: // best and rating: rating, then cheaper
			return firstNonZero(cmpFloat(b.Restaurant.Rating, a.Restaurant.Rating), cmpMoney(a.PartyCost, b.PartyCost), id)
		}
	})
	if n := limitOf(q.Limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

func servesAny(have, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		for _, h := range have {
			if strings.EqualFold(strings.TrimSpace(w), h) {
				return true
			}
		}
	}
	return false
}

// AttractionQuery is an attraction search.
type AttractionQuery struct {
	Area
	Categories []string     // any of; empty = all
	MaxPrice   *money.Money // per adult
	// Date, when set, keeps only attractions open that day.
	Date             catalog.Date
	Adults, Children int // children pay half; 0/0 = one adult
	MinRating        float64
	Sort             string
	Limit            int
}

// AttractionResult is an attraction with the party's ticket cost and the
// day's opening hours (when a date was given).
type AttractionResult struct {
	Attraction catalog.Attraction `json:"attraction"`
	PartyCost  money.Money        `json:"party_cost"`
	Open       *catalog.Span      `json:"open,omitempty"`
	DistanceKM float64            `json:"distance_km"`
}

// SearchAttractions finds attractions.
func SearchAttractions(src Source, q AttractionQuery, near NearFunc) ([]AttractionResult, error) {
	var ps problems
	cities, point := q.where(near, &ps)
	if q.Adults < 0 || q.Children < 0 || q.Adults+q.Children > 50 {
		ps.add("adults", "adults and children must be between 0 and 50")
	}
	checkCommon(&ps, q.Sort, q.Limit, q.MinRating, point, SortBest, SortPrice, SortRating, SortDistance)
	if err := ps.err(); err != nil {
		return nil, err
	}
	adults := q.Adults
	if adults == 0 && q.Children == 0 {
		adults = 1
	}
	var out []AttractionResult
	for _, city := range cities {
		for _, a := range src.Attractions(city) {
			if a.Rating < q.MinRating || !atMost(a.Price, q.MaxPrice) || !servesAny([]string{a.Category}, q.Categories) {
				continue
			}
			var open *catalog.Span
			if !q.Date.IsZero() {
				span := a.Hours.On(q.Date.Weekday())
				if span.Closed {
					continue
				}
				open = &span
			}
			d, in := q.inside(point, a.Lat, a.Lon)
			if !in {
				continue
			}
			cost, ok := partyTicket(a.Price, adults, q.Children)
			if !ok {
				continue
			}
			out = append(out, AttractionResult{Attraction: a, PartyCost: cost, Open: open, DistanceKM: d})
		}
	}
	slices.SortStableFunc(out, func(a, b AttractionResult) int {
		id := strings.Compare(a.Attraction.ID, b.Attraction.ID)
		switch q.Sort {
		case SortPrice:
			return firstNonZero(cmpMoney(a.PartyCost, b.PartyCost), id)
		case SortDistance:
			return firstNonZero(cmpFloat(a.DistanceKM, b.DistanceKM), id)
		default:
			return firstNonZero(cmpFloat(b.Attraction.Rating, a.Attraction.Rating), cmpMoney(a.PartyCost, b.PartyCost), id)
		}
	})
	if n := limitOf(q.Limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// partyTicket is adults at full price and children at half (rounded up to
// the minor unit).
func partyTicket(price money.Money, adults, children int) (money.Money, bool) {
	full, err := price.MulInt(int64(adults))
	if err != nil {
		return money.Money{}, false
	}
	half := money.Money{Minor: (price.Minor + 1) / 2, Currency: price.Currency}
	kids, err := half.MulInt(int64(children))
	if err != nil {
		return money.Money{}, false
	}
	total, err := full.Add(kids)
	return total, err == nil
}

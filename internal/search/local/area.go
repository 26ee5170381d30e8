package local

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"pathavana/internal/apperr"
	"pathavana/internal/money"
)

// NearFunc lists the IDs of cities within radiusKM of a point.
type NearFunc func(lat, lon, radiusKM float64) []string

// Area is where to search: a city, or a point and a radius.
type Area struct {
	City     string
	Lat, Lon float64
	RadiusKM float64
}

// Limits.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxRadiusKM  = 50
	MaxNights    = 30
	MaxGuests    = 16
	MaxRooms     = 8
)

// Sort orders.
const (
	SortBest     = "best"
	SortPrice    = "price"
	SortRating   = "rating"
	SortDistance = "distance"
)

type problems []apperr.FieldError

func (p *problems) add(field, msg string) {
	*p = append(*p, apperr.FieldError{Field: field, Message: msg})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return apperr.Validation(p...)
}

// where checks the area and returns the cities to look in and whether
// distances are measured from a point.
func (a Area) where(near NearFunc, ps *problems) (cities []string, point bool) {
	switch {
	case a.City != "":
		return []string{a.City}, a.RadiusKM > 0 && validPoint(a.Lat, a.Lon)
	case a.RadiusKM > 0 || a.Lat != 0 || a.Lon != 0:
		if !validPoint(a.Lat, a.Lon) {
			ps.add("lat", "lat and lon must be a point on Earth (−90..90, −180..180)")
		}
		if a.RadiusKM <= 0 || a.RadiusKM > MaxRadiusKM {
			ps.add("radius_km", "must be more than 0 and at most "+strconv.Itoa(MaxRadiusKM))
		}
		if len(*ps) > 0 || near == nil {
			return nil, false
		}
		return near(a.Lat, a.Lon, a.RadiusKM), true
	default:
		ps.add("city", "give a city, or lat, lon and radius_km")
		return nil, false
	}
}

func validPoint(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// inside reports whether an item at (lat, lon) is in the area, and how far
// it is from the area's point (0 without a point).
func (a Area) inside(point bool, lat, lon float64) (float64, bool) {
	if !point {
		return 0, true
	}
	d := distanceKM(a.Lat, a.Lon, lat, lon)
	return d, d <= a.RadiusKM
}

func checkCommon(ps *problems, sort string, limit int, minRating float64, point bool, sorts ...string) {
	if sort != "" && !slices.Contains(sorts, sort) {
		ps.add("sort", "must be one of "+strings.Join(sorts, ", "))
	}
	if sort == SortDistance && !point {
		ps.add("sort", "distance needs lat, lon and radius_km")
	}
	if limit < 0 || limit > MaxLimit {
		ps.add("limit", "must be between 1 and "+strconv.Itoa(MaxLimit))
	}
	if minRating < 0 || minRating > 5 || math.IsNaN(minRating) {
		ps.add("min_rating", "must be between 0 and 5")
	}
}

func limitOf(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	return n
}

// atMost reports whether price ≤ bound; a bound in another currency cannot
// be checked, so the item does not qualify.
func atMost(price money.Money, bound *money.Money) bool {
	if bound == nil {
		return true
	}
	c, err := price.Cmp(*bound)
	return err == nil && c <= 0
}

func atLeast(price money.Money, bound *money.Money) bool {
	if bound == nil {
		return true
	}
	c, err := price.Cmp(*bound)
	return err == nil && c >= 0
}

func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKM = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * earthKM * math.Asin(math.Min(1, math.Sqrt(h)))
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpMoney(a, b money.Money) int {
	if a.Currency != b.Currency {
		return strings.Compare(a.Currency, b.Currency)
	}
	return cmpFloat(float64(a.Minor), float64(b.Minor))
}

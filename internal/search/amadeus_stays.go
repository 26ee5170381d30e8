package search

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
	"pathavana/internal/provider/amadeus"
	"pathavana/internal/search/local"
)

// AmadeusStays searches hotel rooms on Amadeus: the city's IATA city code
// (looked up once per city with the airport & city search), the hotels of
// that city, then their offers for the dates. Amadeus sells hotel rooms
// only and says nothing about house rules, so a search asking for other
// room types, rules or a minimum rating is left to the catalog
// (UnsupportedError: the answer says why it came from the catalog).
type AmadeusStays struct {
	Client *amadeus.Client
	// City returns a catalog city, to name it to Amadeus.
	City func(id string) (catalog.City, bool)

	codes sync.Map // catalog city id → Amadeus city code ("" when none)
}

// maxHotelIDs bounds one offers request (Amadeus takes a few dozen ids).
const maxHotelIDs = 20

// nothingFoundForCity is the Amadeus error code of a hotel list for a city
// without hotels.
const nothingFoundForCity = 895

func (a *AmadeusStays) Name() string { return "amadeus" }

func (a *AmadeusStays) SearchStays(ctx context.Context, q local.StayQuery) ([]local.StayResult, error) {
	switch {
	case q.City == "":
		return nil, &UnsupportedError{What: "stays around coordinates"}
	case len(q.RoomTypes) > 0 && !slices.Equal(q.RoomTypes, []catalog.RoomType{catalog.HotelRoom}):
		return nil, &UnsupportedError{What: "room types other than hotel rooms"}
	case q.Rules != (catalog.HouseRules{}):
		return nil, &UnsupportedError{What: "house rules"}
	case q.MinRating > 0:
		return nil, &UnsupportedError{What: "a minimum rating"}
	case q.RadiusKM > 0:
		return nil, &UnsupportedError{What: "a search radius"}
	}
	nights := int(q.CheckOut.Sub(q.CheckIn.Time).Hours() / 24)
	guests := q.Guests.Adults + q.Guests.Children
	if nights < 1 || guests < 1 {
		return nil, &UnsupportedError{What: "this party or these dates"}
	}
	code, err := a.cityCode(ctx, q.City)
	if err != nil {
		return nil, err
	}
	// Two guests a room unless more rooms are asked for; Amadeus takes at
	// most 9 rooms and 9 adults a room.
	rooms := max(q.Rooms, (guests+1)/2)
	perRoom := (guests + rooms - 1) / rooms
	if rooms > 9 {
		return nil, &UnsupportedError{What: "more than 9 rooms"}
	}
	hotels, err := a.Client.HotelsByCity(ctx, amadeus.HotelListQuery{CityCode: code})
	if apiErr := (*amadeus.APIError)(nil); errors.As(err, &apiErr) && apiErr.Code == nothingFoundForCity {
		return nil, nil // a city without hotels is an answer, not a failure
	}
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, min(len(hotels), maxHotelIDs))
	where := map[string]amadeus.Hotel{}
	for _, h := range hotels[:min(len(hotels), maxHotelIDs)] {
		ids = append(ids, h.HotelID)
		where[h.HotelID] = h
	}
	offers, err := a.Client.HotelOffers(ctx, amadeus.HotelOffersQuery{HotelIDs: ids, Adults: perRoom,
		CheckIn: amadeus.DateOf(q.CheckIn.Time), CheckOut: amadeus.DateOf(q.CheckOut.Time), RoomQuantity: rooms, BestRateOnly: true})
	if err != nil {
		return nil, err
	}
	var out []local.StayResult
	for _, h := range offers {
		if !h.Available || len(h.Offers) == 0 {
			continue
		}
		best := slices.MinFunc(h.Offers, func(a, b amadeus.HotelOffer) int { return cmp.Compare(a.Total.Minor, b.Total.Minor) })
		r := stayResult(h, best, where[h.HotelID], q.City, rooms, perRoom, nights)
		if keep, err := withinPrice(r, q); err != nil || !keep {
			if err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, r)
	}
	sortStays(out, q.Sort)
	return out[:min(len(out), limitOr(q.Limit))], nil
}

func (a *AmadeusStays) cityCode(ctx context.Context, id string) (string, error) {
	if v, ok := a.codes.Load(id); ok {
		return v.(string), nil
	}
	city, ok := a.City(id)
	if !ok {
		return "", &UnsupportedError{What: "a city the catalog does not know"}
	}
	locs, err := a.Client.Locations(ctx, amadeus.LocationQuery{SubTypes: []string{"CITY"}, Keyword: city.Name,
		CountryCode: city.Country, PageLimit: 5}, 5)
	if err != nil {
		return "", err
	}
	code := ""
	for _, l := range locs {
		if l.SubType == "CITY" && strings.EqualFold(l.Name, city.Name) {
			code = l.IATACode
			break
		}
	}
	a.codes.Store(id, code)
	if code == "" {
		return "", &UnsupportedError{What: "no Amadeus city code for " + city.Name}
	}
	return code, nil
}

// stayResult prices an offer like the catalog prices a stay: the total for
// all rooms and nights, and the price of one room a night.
func stayResult(h amadeus.HotelOffers, o amadeus.HotelOffer, listed amadeus.Hotel, city string, rooms, perRoom, nights int) local.StayResult {
	geo := h.GeoCode
	if geo == (amadeus.GeoCode{}) {
		geo = listed.GeoCode
	}
	cur := o.Total.Currency
	perNight := money.Money{Minor: o.Total.Minor / int64(nights*rooms), Currency: cur}
	return local.StayResult{
		Stay: catalog.Stay{ID: "amadeus:" + h.HotelID, Name: h.Name, City: city, Lat: geo.Latitude, Lon: geo.Longitude,
			RoomType: catalog.HotelRoom, PricePerNight: perNight, MaxOccupancy: perRoom, MinNights: 1},
		Rooms: rooms, Nights: nights, Total: o.Total,
		NightlyTotal: money.Money{Minor: o.Total.Minor / int64(nights), Currency: cur},
	}
}

// withinPrice applies the price bounds, which must be in the offer's
// currency (Amadeus answers in the hotel's own unless asked otherwise).
func withinPrice(r local.StayResult, q local.StayQuery) (bool, error) {
	for _, b := range []struct {
		bound *money.Money
		v     money.Money
		want  int // the comparison v.Cmp(bound) must not give
	}{{q.MinPrice, r.Stay.PricePerNight, -1}, {q.MaxPrice, r.Stay.PricePerNight, 1}, {q.MaxTotal, r.Total, 1}} {
		if b.bound == nil {
			continue
		}
		c, err := b.v.Cmp(*b.bound)
		if err != nil {
			return false, &UnsupportedError{What: "a price limit in " + b.bound.Currency + " for offers in " + b.v.Currency}
		}
		if c == b.want {
			return false, nil
		}
	}
	return true, nil
}

func sortStays(rs []local.StayResult, by string) {
	slices.SortStableFunc(rs, func(a, b local.StayResult) int {
		if by == "distance" {
			return 0 // the hotel list already comes nearest first
		}
		return cmp.Or(cmp.Compare(a.Total.Minor, b.Total.Minor), cmp.Compare(a.Stay.ID, b.Stay.ID))
	})
}

func limitOr(n int) int {
	if n <= 0 {
		return local.DefaultLimit
	}
	return min(n, local.MaxLimit)
}

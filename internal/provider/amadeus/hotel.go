package amadeus

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pathavana/internal/apperr"
	"pathavana/internal/money"
)

// HotelListQuery holds the parameters of
// GET /v1/reference-data/locations/hotels/by-city.
type HotelListQuery struct {
	CityCode    string
	Radius      int    // 0 = Amadeus default (5)
	RadiusUnit  string // KM or MILE
	ChainCodes  []string
	Amenities   []string
	Ratings     []int  // up to 4 values of 1–5
	HotelSource string // BEDBANK, DIRECTCHAIN or ALL
}

// Hotel is one property from the hotel list.
type Hotel struct {
	HotelID      string
	ChainCode    string
	IATACode     string
	Name         string
	GeoCode      GeoCode
	CountryCode  string
	Distance     float64 // from the city centre, in DistanceUnit
	DistanceUnit string
}

// HotelsByCity lists hotels in a city, to feed their IDs to HotelOffers.
func (c *Client) HotelsByCity(ctx context.Context, q HotelListQuery) ([]Hotel, error) {
	var fe []apperr.FieldError
	if !upperCode(q.CityCode, 3, false) {
		fe = append(fe, apperr.FieldError{Field: "cityCode", Message: "must be a 3-letter IATA city code"})
	}
	if q.Radius < 0 || (q.RadiusUnit != "" && q.RadiusUnit != "KM" && q.RadiusUnit != "MILE") {
		fe = append(fe, apperr.FieldError{Field: "radius", Message: "radius must be positive and radiusUnit KM or MILE"})
	}
	if len(q.Ratings) > 4 {
		fe = append(fe, apperr.FieldError{Field: "ratings", Message: "at most 4 ratings"})
	}
	ratings := make([]string, 0, len(q.Ratings))
	for _, r := range q.Ratings {
		if r < 1 || r > 5 {
			fe = append(fe, apperr.FieldError{Field: "ratings", Message: "ratings are 1 to 5"})
		}
		ratings = append(ratings, strconv.Itoa(r))
	}
	switch q.HotelSource {
	case "", "BEDBANK", "DIRECTCHAIN", "ALL":
	default:
		fe = append(fe, apperr.FieldError{Field: "hotelSource", Message: "must be BEDBANK, DIRECTCHAIN or ALL"})
	}
	if len(fe) > 0 {
		return nil, apperr.Validation(fe...)
	}
	v := url.Values{"cityCode": {q.CityCode}}
	if q.Radius > 0 {
		v.Set("radius", strconv.Itoa(q.Radius))
	}
	setList(v, "radiusUnit", []string{q.RadiusUnit})
	setList(v, "chainCodes", q.ChainCodes)
	setList(v, "amenities", q.Amenities)
	setList(v, "ratings", ratings)
	setList(v, "hotelSource", []string{q.HotelSource})
	r := request{method: http.MethodGet, path: "/v1/reference-data/locations/hotels/by-city", query: v, idempotent: true}
	var w struct {
		Data []struct {
			HotelID   string  `json:"hotelId"`
			ChainCode string  `json:"chainCode"`
			IATACode  string  `json:"iataCode"`
			Name      string  `json:"name"`
			GeoCode   wireGeo `json:"geoCode"`
			Address   struct {
				CountryCode string `json:"countryCode"`
			} `json:"address"`
			Distance struct {
				Value flexFloat `json:"value"`
				Unit  string    `json:"unit"`
			} `json:"distance"`
		} `json:"data"`
	}
	if err := c.getJSON(ctx, r, &w); err != nil {
		return nil, err
	}
	out := make([]Hotel, 0, len(w.Data))
	for _, h := range w.Data {
		out = append(out, Hotel{HotelID: h.HotelID, ChainCode: h.ChainCode, IATACode: h.IATACode, Name: h.Name,
			GeoCode: h.GeoCode.geo(), CountryCode: h.Address.CountryCode,
			Distance: float64(h.Distance.Value), DistanceUnit: h.Distance.Unit})
	}
	return out, nil
}

// setList sets a comma-separated parameter, skipping empty values.
func setList(v url.Values, key string, vals []string) {
	var keep []string
	for _, s := range vals {
		if s != "" {
			keep = append(keep, s)
		}
	}
	if len(keep) > 0 {
		v.Set(key, strings.Join(keep, ","))
	}
}

// HotelOffersQuery holds the parameters of GET /v3/shopping/hotel-offers.
type HotelOffersQuery struct {
	HotelIDs          []string
	Adults            int // per room, 1–9
	CheckIn, CheckOut Date
	RoomQuantity      int // 0 = 1
	Currency          string
	BestRateOnly      bool
}

// HotelOffers are the offers of one hotel.
type HotelOffers struct {
	Available bool
	HotelID   string
	ChainCode string
	Name      string
	CityCode  string
	GeoCode   GeoCode
	Offers    []HotelOffer
}

// HotelOffer is one room rate. Its ID expires: re-check it before booking.
type HotelOffer struct {
	ID                string
	CheckIn, CheckOut Date
	RoomType          string
	Description       string
	Adults            int
	Total             money.Money
	Base              *money.Money // absent for some rates
	PaymentType       string
	CancellationType  string
}

// HotelOffers runs GET /v3/shopping/hotel-offers for known hotel IDs.
func (c *Client) HotelOffers(ctx context.Context, q HotelOffersQuery) ([]HotelOffers, error) {
	var fe []apperr.FieldError
	if len(q.HotelIDs) == 0 {
		fe = append(fe, apperr.FieldError{Field: "hotelIds", Message: "at least one hotel id is required"})
	}
	if q.Adults < 1 || q.Adults > 9 {
		fe = append(fe, apperr.FieldError{Field: "adults", Message: "must be between 1 and 9"})
	}
	if !q.CheckIn.valid() || !q.CheckOut.valid() || q.CheckOut.Compare(q.CheckIn) <= 0 {
		fe = append(fe, apperr.FieldError{Field: "checkOutDate", Message: "check-in and check-out must be real dates, check-out after check-in"})
	}
	if q.RoomQuantity < 0 || q.RoomQuantity > 9 {
		fe = append(fe, apperr.FieldError{Field: "roomQuantity", Message: "must be between 1 and 9"})
	}
	if len(fe) > 0 {
		return nil, apperr.Validation(fe...)
	}
	v := url.Values{"hotelIds": {strings.Join(q.HotelIDs, ",")}, "adults": {strconv.Itoa(q.Adults)},
		"checkInDate": {q.CheckIn.String()}, "checkOutDate": {q.CheckOut.String()}}
	if q.RoomQuantity > 0 {
		v.Set("roomQuantity", strconv.Itoa(q.RoomQuantity))
	}
	setList(v, "currency", []string{q.Currency})
	if q.BestRateOnly {
		v.Set("bestRateOnly", "true")
	}
	r := request{method: http.MethodGet, path: "/v3/shopping/hotel-offers", query: v, idempotent: true}
	var w struct {
		Data []struct {
			Available bool `json:"available"`
			Hotel     struct {
				HotelID   string    `json:"hotelId"`
				ChainCode string    `json:"chainCode"`
				Name      string    `json:"name"`
				CityCode  string    `json:"cityCode"`
				Latitude  flexFloat `json:"latitude"`
				Longitude flexFloat `json:"longitude"`
			} `json:"hotel"`
			Offers []struct {
				ID           string `json:"id"`
				CheckInDate  Date   `json:"checkInDate"`
				CheckOutDate Date   `json:"checkOutDate"`
				Room         struct {
					Type        string `json:"type"`
					Description struct {
						Text string `json:"text"`
					} `json:"description"`
				} `json:"room"`
				Guests struct {
					Adults int `json:"adults"`
				} `json:"guests"`
				Price    wirePrice `json:"price"`
				Policies struct {
					PaymentType  string `json:"paymentType"`
					Cancellation struct {
						Type string `json:"type"`
					} `json:"cancellation"`
				} `json:"policies"`
			} `json:"offers"`
		} `json:"data"`
	}
	if err := c.getJSON(ctx, r, &w); err != nil {
		return nil, err
	}
	out := make([]HotelOffers, 0, len(w.Data))
	for _, d := range w.Data {
		h := HotelOffers{Available: d.Available, HotelID: d.Hotel.HotelID, ChainCode: d.Hotel.ChainCode, Name: d.Hotel.Name,
			CityCode: d.Hotel.CityCode, GeoCode: GeoCode{Latitude: float64(d.Hotel.Latitude), Longitude: float64(d.Hotel.Longitude)}}
		for _, o := range d.Offers {
			ho := HotelOffer{ID: o.ID, CheckIn: o.CheckInDate, CheckOut: o.CheckOutDate, RoomType: o.Room.Type,
				Description: o.Room.Description.Text, Adults: o.Guests.Adults,
				PaymentType: o.Policies.PaymentType, CancellationType: o.Policies.Cancellation.Type}
			var err error
			if ho.Total, err = price("price.total", o.Price.Total, o.Price.Currency); err == nil {
				ho.Base, err = optPrice("price.base", o.Price.Base, o.Price.Currency)
			}
			if err != nil {
				return nil, unusable(r.op(), fmt.Sprintf("bad price in hotel offer %s", o.ID), err)
			}
			h.Offers = append(h.Offers, ho)
		}
		out = append(out, h)
	}
	return out, nil
}

package amadeusfake

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

type hotel struct {
	id, chain, city, name, country, currency string
	lat, lon, distanceKM                     float64
	rating                                   int
	nightly                                  int64 // minor units of currency
}

func hotelInventory() []hotel {
	return []hotel{
		{"HLPAR266", "HL", "PAR", "HOTEL DU LOUVRE", "FR", "EUR", 48.8635, 2.3359, 0.4, 5, 25000},
		{"ADPAR001", "AD", "PAR", "ADAGIO PARIS TOUR EIFFEL", "FR", "EUR", 48.8500, 2.2890, 3.1, 3, 17950},
		{"RTPARNOV", "RT", "PAR", "NOVOTEL PARIS CENTRE", "FR", "EUR", 48.8530, 2.3490, 1.2, 4, 15900},
		{"ZZNCENVX", "ZZ", "NCE", "HOTEL 3", "FR", "EUR", 43.67, 7.21, 0.92, 3, 12000},
		{"MCLONGHM", "MC", "LON", "JW MARRIOTT GROSVENOR HOUSE LONDON", "GB", "GBP", 51.5, -0.15, 2.5, 5, 71600},
		{"HITYO123", "HI", "TYO", "HILTON TOKYO", "JP", "JPY", 35.6925, 139.6921, 1.8, 5, 32000},
	}
}

// handleHotelsByCity implements GET /v1/reference-data/locations/hotels/by-city.
func (s *Server) handleHotelsByCity(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	city := q.Get("cityCode")
	if city == "" {
		s.missing(w, "cityCode")
		return
	}
	radius := 5.0
	if v := q.Get("radius"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.badFormat(w, "radius", "radius must be a positive integer")
			return
		}
		radius = float64(n)
	}
	if q.Get("radiusUnit") == "MILE" {
		radius *= 1.609344
	}
	ratings := splitList(q.Get("ratings"))
	var data []map[string]any
	for _, h := range hotelInventory() {
		if h.city != city || h.distanceKM > radius || (len(ratings) > 0 && !slices.Contains(ratings, strconv.Itoa(h.rating))) {
			continue
		}
		data = append(data, map[string]any{"chainCode": h.chain, "iataCode": h.city, "dupeId": 700000000 + len(data),
			"name": h.name, "hotelId": h.id, "geoCode": map[string]float64{"latitude": h.lat, "longitude": h.lon},
			"address":  map[string]string{"countryCode": h.country},
			"distance": map[string]any{"value": h.distanceKM, "unit": "KM"}})
	}
	if len(data) == 0 {
		s.badRequest(w, 895, "NOTHING FOUND FOR REQUESTED CITY", "", "cityCode")
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": map[string]any{"count": len(data)}})
}

// handleHotelOffers implements GET /v3/shopping/hotel-offers.
func (s *Server) handleHotelOffers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := splitList(q.Get("hotelIds"))
	if len(ids) == 0 {
		s.missing(w, "hotelIds")
		return
	}
	adults, rooms := 1, 1
	for _, p := range []struct {
		name string
		dst  *int
	}{{"adults", &adults}, {"roomQuantity", &rooms}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 9 {
				s.badFormat(w, p.name, "must be an integer from 1 to 9")
				return
			}
			*p.dst = n
		}
	}
	in, ok := s.opts.Now().UTC().Truncate(24*time.Hour), true
	if v := q.Get("checkInDate"); v != "" {
		if in, ok = s.date(w, v, "checkInDate"); !ok {
			return
		}
	}
	out := in.AddDate(0, 0, 1)
	if v := q.Get("checkOutDate"); v != "" {
		if out, ok = s.date(w, v, "checkOutDate"); !ok {
			return
		}
	}
	nights := int64(out.Sub(in).Hours() / 24)
	if nights < 1 {
		s.badRequest(w, codeInvalidDate, "INVALID DATE", "Check-out date must be after check-in date", "checkOutDate")
		return
	}
	var data []map[string]any
	for _, h := range hotelInventory() {
		if !slices.Contains(ids, h.id) {
			continue
		}
		total := h.nightly * nights * int64(rooms)
		offer := map[string]any{
			"id":           fmt.Sprintf("%s%s%dN", strings.ToUpper(h.id[:4]), in.Format("0102"), nights),
			"checkInDate":  in.Format(time.DateOnly),
			"checkOutDate": out.Format(time.DateOnly),
			"room":         map[string]any{"type": "ELE", "description": map[string]string{"text": "Deluxe room, king bed", "lang": "EN"}},
			"guests":       map[string]int{"adults": adults},
			"price":        map[string]string{"currency": h.currency, "base": amount(total*80/100, h.currency), "total": amount(total, h.currency)},
			"policies":     map[string]any{"paymentType": "deposit", "cancellation": map[string]string{"type": "FULL_STAY"}},
		}
		data = append(data, map[string]any{"type": "hotel-offers", "available": true,
			"hotel":  map[string]any{"hotelId": h.id, "chainCode": h.chain, "name": h.name, "cityCode": h.city, "latitude": h.lat, "longitude": h.lon},
			"offers": []any{offer}})
	}
	if len(data) == 0 {
		s.badRequest(w, 1257, "INVALID PROPERTY CODE", "No hotel found for the given hotelIds", "hotelIds")
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

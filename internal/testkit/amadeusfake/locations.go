package amadeusfake

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

type location struct {
	subType, iata, name, city, cityCode, country, tz string
	lat, lon                                         float64
	score                                            int
}

func locationInventory() []location {
	return []location{
		{"CITY", "MUC", "MUNICH", "MUNICH", "MUC", "DE", "+02:00", 48.13, 11.58, 27},
		{"AIRPORT", "MUC", "MUNICH INTERNATIONAL", "MUNICH", "MUC", "DE", "+02:00", 48.35, 11.78, 27},
		{"CITY", "MAD", "MADRID", "MADRID", "MAD", "ES", "+02:00", 40.42, -3.70, 40},
		{"AIRPORT", "MAD", "ADOLFO SUAREZ BARAJAS", "MADRID", "MAD", "ES", "+02:00", 40.47, -3.56, 40},
		{"CITY", "BCN", "BARCELONA", "BARCELONA", "BCN", "ES", "+02:00", 41.39, 2.17, 35},
		{"AIRPORT", "BCN", "EL PRAT", "BARCELONA", "BCN", "ES", "+02:00", 41.30, 2.08, 35},
		{"CITY", "LON", "LONDON", "LONDON", "LON", "GB", "+01:00", 51.51, -0.13, 60},
		{"AIRPORT", "LHR", "HEATHROW", "LONDON", "LON", "GB", "+01:00", 51.47, -0.45, 55},
		{"AIRPORT", "LGW", "GATWICK", "LONDON", "LON", "GB", "+01:00", 51.15, -0.19, 30},
		{"AIRPORT", "STN", "STANSTED", "LONDON", "LON", "GB", "+01:00", 51.89, 0.24, 20},
		{"AIRPORT", "LTN", "LUTON", "LONDON", "LON", "GB", "+01:00", 51.87, -0.37, 15},
		{"AIRPORT", "LCY", "CITY AIRPORT", "LONDON", "LON", "GB", "+01:00", 51.50, 0.05, 10},
		{"CITY", "NYC", "NEW YORK", "NEW YORK", "NYC", "US", "-04:00", 40.71, -74.01, 70},
		{"AIRPORT", "JFK", "JOHN F KENNEDY INTL", "NEW YORK", "NYC", "US", "-04:00", 40.64, -73.78, 65},
		{"AIRPORT", "LGA", "LA GUARDIA", "NEW YORK", "NYC", "US", "-04:00", 40.78, -73.87, 40},
		{"AIRPORT", "EWR", "NEWARK LIBERTY INTL", "NEWARK", "NYC", "US", "-04:00", 40.69, -74.17, 45},
		{"CITY", "DEL", "DELHI", "DELHI", "DEL", "IN", "+05:30", 28.61, 77.21, 50},
		{"AIRPORT", "DEL", "INDIRA GANDHI INTL", "DELHI", "DEL", "IN", "+05:30", 28.56, 77.10, 50},
	}
}

// handleLocations implements GET /v1/reference-data/locations with
// page[limit]/page[offset] paging and absolute meta.links, like Amadeus.
func (s *Server) handleLocations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, p := range []string{"subType", "keyword"} {
		if q.Get(p) == "" {
			s.missing(w, p)
			return
		}
	}
	subTypes := splitList(q.Get("subType"))
	for _, st := range subTypes {
		if st != "AIRPORT" && st != "CITY" {
			s.badFormat(w, "subType", "subType must be AIRPORT and/or CITY")
			return
		}
	}
	limit, offset := 10, 0
	for _, p := range []struct {
		name string
		dst  *int
		min  int
	}{{"page[limit]", &limit, 1}, {"page[offset]", &offset, 0}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min {
				s.badFormat(w, p.name, "must be an integer")
				return
			}
			*p.dst = n
		}
	}
	kw := strings.ToUpper(q.Get("keyword"))
	country := q.Get("countryCode")
	var hits []location
	for _, l := range locationInventory() {
		if slices.Contains(subTypes, l.subType) && (country == "" || l.country == country) &&
			(strings.HasPrefix(l.iata, kw) || wordPrefix(l.name, kw) || wordPrefix(l.city, kw)) {
			hits = append(hits, l)
		}
	}
	slices.SortStableFunc(hits, func(a, b location) int { return b.score - a.score })
	page := hits[min(offset, len(hits)):min(offset+limit, len(hits))]
	data := make([]map[string]any, 0, len(page))
	for _, l := range page {
		prefix := "A"
		if l.subType == "CITY" {
			prefix = "C"
		}
		data = append(data, map[string]any{"type": "location", "subType": l.subType, "id": prefix + l.iata,
			"iataCode": l.iata, "name": l.name, "detailedName": l.city + "/" + l.country + ":" + l.name,
			"timeZoneOffset": l.tz, "geoCode": map[string]float64{"latitude": l.lat, "longitude": l.lon},
			"address":   map[string]string{"cityName": l.city, "cityCode": l.cityCode, "countryCode": l.country},
			"analytics": map[string]any{"travelers": map[string]int{"score": l.score}}})
	}
	link := func(off int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page[offset]", strconv.Itoa(off))
		v.Set("page[limit]", strconv.Itoa(limit))
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: v.Encode()} // page%5Boffset%5D=N
		return u.String()
	}
	links := map[string]string{"self": link(offset)}
	if offset+limit < len(hits) {
		links["next"] = link(offset + limit)
		links["last"] = link((len(hits) - 1) / limit * limit)
	}
	if offset > 0 {
		links["previous"] = link(max(offset-limit, 0))
		links["first"] = link(0)
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]any{"count": len(hits), "links": links}, "data": data})
}

// wordPrefix reports whether any word of s starts with kw, which is how
// the keyword matches names ("LON" finds LONDON but not BARCELONA).
func wordPrefix(s, kw string) bool {
	for _, w := range strings.Fields(s) {
		if strings.HasPrefix(w, kw) {
			return true
		}
	}
	return false
}

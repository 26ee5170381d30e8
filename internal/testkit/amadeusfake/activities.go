package amadeusfake

import (
	"math"
	"net/http"
	"strconv"
)

// activityInventory mixes the two shapes Amadeus sends: geoCode and rating
// as strings (as in the published example) and as numbers (as the schema
// says), and prices with and without the suffix letter.
func activityInventory() []map[string]any {
	return []map[string]any{
		{"id": "4615", "type": "activity", "name": "Madrid in One Day 'Chocolate con Churros' Tour",
			"shortDescription": "Discover the highlights of Madrid", "rating": "4.500000",
			"geoCode":  map[string]string{"latitude": "40.414000", "longitude": "-3.691000"},
			"pictures": []string{"https://images.example/4615.jpg"}, "bookingLink": "https://book.example/4615",
			"minimumDuration": "3 hours", "price": map[string]string{"amount": "35.00", "currencyCode": "EUR"}},
		{"id": "23642", "type": "activity", "name": "Private Day Trip to Toledo",
			"shortDescription": "A day in the city of three cultures", "rating": 4.7,
			"geoCode":  map[string]float64{"latitude": 40.4168, "longitude": -3.7038},
			"pictures": []string{}, "bookingLink": "https://book.example/23642",
			"minimumDuration": "8 hours", "price": map[string]string{"amount": "514.13A", "currencyCode": "EUR"}},
		{"id": "3411", "type": "activity", "name": "Flamenco Show at Corral de la Moreria",
			"geoCode": map[string]string{"latitude": "40.412900", "longitude": "-3.714000"},
			"price":   map[string]string{}},
		{"id": "7890", "type": "activity", "name": "Sagrada Familia Guided Tour", "rating": "4.800000",
			"geoCode": map[string]string{"latitude": "41.403600", "longitude": "2.174400"},
			"price":   map[string]string{"amount": "47.00", "currencyCode": "EUR"}},
		{"id": "7891", "type": "activity", "name": "Montjuic Cable Car",
			"geoCode": map[string]float64{"latitude": 41.3686, "longitude": 2.1647},
			"price":   map[string]string{"amount": "13.50", "currencyCode": "EUR"}},
	}
}

// handleActivities implements GET /v1/shopping/activities: activities
// within radius km (0–20, default 1) of a point. meta.count is a string,
// as in Amadeus' example.
func (s *Server) handleActivities(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var coords [2]float64
	for i, p := range []string{"latitude", "longitude"} {
		v := q.Get(p)
		if v == "" {
			s.missing(w, p)
			return
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.Abs(f) > 180 {
			s.badFormat(w, p, "must be a decimal number of degrees")
			return
		}
		coords[i] = f
	}
	radius := 1.0
	if v := q.Get("radius"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 20 {
			s.badFormat(w, "radius", "radius must be an integer from 0 to 20")
			return
		}
		radius = float64(n)
	}
	data := []map[string]any{}
	for _, a := range activityInventory() {
		lat, lon := coord(a["geoCode"], "latitude"), coord(a["geoCode"], "longitude")
		if haversineKM(coords[0], coords[1], lat, lon) <= radius {
			data = append(data, a)
		}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"data": data,
		"meta": map[string]any{"count": strconv.Itoa(len(data)), "links": map[string]string{"self": r.URL.String()}}})
}

func coord(geo any, key string) float64 {
	switch g := geo.(type) {
	case map[string]float64:
		return g[key]
	case map[string]string:
		f, _ := strconv.ParseFloat(g[key], 64)
		return f
	}
	return 0
}

// haversineKM is the great-circle distance between two points.
func haversineKM(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

package search

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"pathavana/internal/catalog"
	"pathavana/internal/provider/amadeus"
	"pathavana/internal/search/local"
)

// AmadeusAttractions searches tours and activities on Amadeus around the
// city (or the query's point), then applies the query like the catalog does
// (categories, price, rating, party cost, sort, limit) over what came back.
// Activities are bookable tours without opening hours, so they count as
// open every day.
type AmadeusAttractions struct {
	Client *amadeus.Client
	City   func(id string) (catalog.City, bool)
}

// activityRadiusKM is used when the query gives none (Amadeus allows 0–20).
const activityRadiusKM = 5

func (a *AmadeusAttractions) Name() string { return "amadeus" }

func (a *AmadeusAttractions) SearchAttractions(ctx context.Context, q local.AttractionQuery) ([]local.AttractionResult, error) {
	lat, lon, city := q.Lat, q.Lon, q.City
	if city != "" {
		c, ok := a.City(city)
		if !ok {
			return nil, &UnsupportedError{What: "a city the catalog does not know"}
		}
		lat, lon = c.Lat, c.Lon
	}
	if city == "" && lat == 0 && lon == 0 {
		return nil, &UnsupportedError{What: "attractions without a place"}
	}
	if len(q.Categories) > 0 && !slices.Contains(q.Categories, "tour") {
		return nil, &UnsupportedError{What: "categories other than tours"}
	}
	radius := min(max(int(q.RadiusKM+0.5), activityRadiusKM), 20)
	acts, err := a.Client.Activities(ctx, amadeus.ActivityQuery{Latitude: lat, Longitude: lon, Radius: radius})
	if err != nil {
		return nil, err
	}
	area := city
	if area == "" {
		area = "amadeus-area"
	}
	data := &catalog.Data{}
	for _, act := range acts {
		if act.Price == nil || act.Price.Minor < 0 {
			continue // cannot be priced for the party
		}
		data.Attractions = append(data.Attractions, catalog.Attraction{ID: "amadeus:" + act.ID, Name: act.Name, City: area,
			Lat: act.GeoCode.Latitude, Lon: act.GeoCode.Longitude, Category: "tour", Hours: openDaily,
			Price: *act.Price, Minutes: minutesOf(act.MinimumDuration), Rating: act.Rating})
	}
	if q.MaxPrice != nil {
		for _, at := range data.Attractions {
			if at.Price.Currency != q.MaxPrice.Currency {
				return nil, &UnsupportedError{What: "a price limit in " + q.MaxPrice.Currency + " for activities in " + at.Price.Currency}
			}
		}
	}
	// A point query keeps its point and radius (distances, distance sort):
	// every activity fetched is in the one area.
	near := func(float64, float64, float64) []string { return []string{area} }
	return local.SearchAttractions(local.NewStaticSource(data), q, near)
}

var openDaily = func() (h catalog.Hours) {
	for i := range h {
		h[i] = catalog.Span{Open: 0, Close: 24 * 60}
	}
	return h
}()

// minutesOf reads Amadeus' free-text durations ("3 hours", "90 minutes");
// anything else is 0 (unknown).
func minutesOf(s string) int {
	fields := strings.Fields(strings.ToLower(s))
	if len(fields) != 2 {
		return 0
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n < 0 || n > 24*60 {
		return 0
	}
	switch strings.TrimSuffix(fields[1], "s") {
	case "hour":
		return min(n*60, 24*60)
	case "minute":
		return n
	}
	return 0
}

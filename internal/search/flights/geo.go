package flights

import "math"

const earthRadiusKM = 6371.0

// Geographic pruning: a connecting itinerary is kept only when the sum of
// its flights' great-circle distances stays within detourFactor × the
// direct distance, or within direct + detourSlackKM, whichever is larger.
// The slack keeps short trips whose only hub lies off to the side (two
// spokes 300 km apart served from a hub 500 km away).
const (
	detourFactor  = 1.6
	detourSlackKM = 1000.0
)

func greatCircleKM(a, b *airportRec) float64 {
	dLat := b.lat - a.lat
	dLon := b.lon - a.lon
	s := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.lat)*math.Cos(b.lat)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(s)))
}

func allowedKM(direct float64) float64 {
	return math.Max(direct*detourFactor, direct+detourSlackKM)
}

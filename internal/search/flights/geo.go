package flights

import "math"

const earthRadiusKM = 6371.0

// bounds limit which connections a search builds. Geographic pruning: a
// connecting itinerary is kept only when the sum of its flights'
// great-circle distances stays within detourFactor × the direct distance,
// or within direct + detourSlackKM, whichever is larger (the slack keeps
// short trips whose only hub lies off to the side). maxLayover bounds a
// connection; it also rules out "impossible overnights": a connection that
// would need a longer wait is never built.
type bounds struct {
	detourFactor, detourSlackKM float64
	maxLayover                  int64 // minutes
}

// A slice is searched with strict bounds first. Only when they find
// nothing (thin routes whose timetables do not line up on that day) is it
// searched again with relaxed ones, so a trip is still offered, with a long
// layover or a wider detour, rather than none.
var (
	strictBounds  = bounds{detourFactor: 1.6, detourSlackKM: 1000, maxLayover: 12 * 60}
	relaxedBounds = bounds{detourFactor: 2.0, detourSlackKM: 1500, maxLayover: 24 * 60}
)

func greatCircleKM(a, b *airportRec) float64 {
	dLat := b.lat - a.lat
	dLon := b.lon - a.lon
	s := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.lat)*math.Cos(b.lat)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(s)))
}

func (b bounds) allowedKM(direct float64) float64 {
	return math.Max(direct*b.detourFactor, direct+b.detourSlackKM)
}

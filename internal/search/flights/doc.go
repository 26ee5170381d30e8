// Package flights is an in-memory flight search over catalog flights.
//
// # Index
//
// NewIndex groups flights into routes (one per ordered airport pair, its
// flights sorted by local departure time), lists each airport's departing
// and arriving routes, keeps a map from airport pair to route, and caches
// each time zone's UTC-offset transitions so local schedule times become
// instants with integer arithmetic (time.Date settles the hours around a
// DST change, exactly as the standard library would). It also fixes each
// airport's minimum connection time once.
//
// # Search
//
// A slice (one directional journey) is searched by branch and bound over
// flight instances (a flight on a local date, with its instants and fare):
//
//  1. First flights: every sellable flight out of the origin airports on
//     the dates in the window, kept when it reaches a destination or
//     leads toward one within the detour limit, sorted by score.
//  2. Nonstops are scored, then one-stop paths (first flight + a route from
//     its arrival to a destination, found by pair lookup), then two-stop
//     paths meet in the middle: the airports with a route into the
//     destinations are listed first, and the middle hop is found by pair
//     lookup between the first flight's arrival and that set.
//  3. Every score is monotone in a path's extension (price and arrival only
//     grow), so a partial path whose lower bound is worse than the k-th
//     best complete one is dropped, and once the sorted first flights are,
//     the search stops. Bounds add what the rest of the path must at least
//     cost before any of its flights are looked at: the connection time,
//     each route's shortest possible flight (schedule time corrected by the
//     extreme UTC offsets of its zones) and the cheapest last flight into
//     the destination within the slice's window.
//
// Flight instances per route and date are built once per call (zone
// arithmetic, days of operation, validity dates, seats, filters) and priced
// lazily, when a connection window first reaches them; their memory is
// pooled across calls.
//
// Rules: connections need the airport's minimum connection time
// (international unless all three airports are in one country; defaults
// 45 min domestic, 60 min international, 90 min international at airports
// with 700+ weekly departures) and at most 12 h, so impossible overnights
// are never built; no airport is visited twice and no path passes through
// another airport of the origin or destination city; at most two stops;
// the flights' great-circle distances must sum to at most max(1.6 × direct,
// direct + 1,000 km). Segments with fewer seats in the cabin than seated
// passengers are excluded (a cabin with no seat count counts as available);
// flights whose fare the Pricer declines are not sold. Fares of one
// itinerary must share a currency (there is no exchange rate here).
//
// # Ordering
//
// "price" orders by the adult fare, "duration" by journey time, "departure"
// by departure instant, and "best" (the default) by price × (1 + duration /
// estimated nonstop time), where the nonstop time is 30 min plus the
// great-circle distance at 800 km/h: a journey twice as long as nonstop
// weighs like paying half as much again. Ties fall back to price, duration,
// departure and flight identity, so answers are deterministic.
//
// Round trips and multi-city queries search each slice for its Limit+20 best
// paths and combine them with a beam (exact for additive orders, apart from
// combinations dropped because a slice departs less than 2 h after the
// previous one arrives). Multi-city "departure" order is lexicographic on
// the slices' departures.
//
// # Limits
//
// Journeys with more than two stops, layovers over 12 h, and ground
// transfers between airports of a city are not searched. Prices are per
// itinerary: children pay 75% and lap infants 10% of the adult total.
// Sorting compares amounts nominally when a catalog mixes currencies.
package flights

package sandbox

import (
	"math"

	"pathavana/internal/catalog"
)

// Cruise speeds for block times, km/h.
const (
	jetSpeedKMH       = 800
	turbopropSpeedKMH = 500
	taxiMinutes       = 30 // taxi-out, taxi-in, climb and approach allowance
)

// blockMinutes is gate-to-gate time: taxi allowance plus distance at cruise
// speed, rounded up to 5 minutes.
func blockMinutes(distKM float64, speedKMH float64) int {
	m := taxiMinutes + distKM/speedKMH*60
	return int(math.Ceil(m/5)) * 5
}

// aircraftType describes one aircraft (IATA type code) and its cabins.
type aircraftType struct {
	turboprop bool
	// seats per cabin for network carriers; economy-only layouts of
	// low-cost and unlisted carriers use lowCostEconomy instead on
	// narrow-bodies.
	seats          map[catalog.Cabin]int
	lowCostEconomy int
	wide           bool
}

var aircraftTypes = map[string]aircraftType{
	"AT7": {turboprop: true, seats: map[catalog.Cabin]int{catalog.Economy: 70}, lowCostEconomy: 70},
	"DH4": {turboprop: true, seats: map[catalog.Cabin]int{catalog.Economy: 78}, lowCostEconomy: 78},
	"E75": {seats: map[catalog.Cabin]int{catalog.Economy: 64, catalog.Business: 12}, lowCostEconomy: 76},
	"CR9": {seats: map[catalog.Cabin]int{catalog.Economy: 64, catalog.Business: 12}, lowCostEconomy: 76},
	"320": {seats: map[catalog.Cabin]int{catalog.Economy: 144, catalog.Business: 12}, lowCostEconomy: 180},
	"738": {seats: map[catalog.Cabin]int{catalog.Economy: 150, catalog.Business: 16}, lowCostEconomy: 186},
	"32N": {seats: map[catalog.Cabin]int{catalog.Economy: 166, catalog.Business: 16}, lowCostEconomy: 220},
	"7M8": {seats: map[catalog.Cabin]int{catalog.Economy: 162, catalog.Business: 16}, lowCostEconomy: 189},
	"339": {wide: true, seats: map[catalog.Cabin]int{catalog.Economy: 235, catalog.PremiumEconomy: 21, catalog.Business: 30}},
	"789": {wide: true, seats: map[catalog.Cabin]int{catalog.Economy: 216, catalog.PremiumEconomy: 28, catalog.Business: 30}},
	"359": {wide: true, seats: map[catalog.Cabin]int{catalog.Economy: 230, catalog.PremiumEconomy: 24, catalog.Business: 40}},
	"77W": {wide: true, seats: map[catalog.Cabin]int{catalog.Economy: 280, catalog.PremiumEconomy: 40, catalog.Business: 42, catalog.First: 8}},
	"388": {wide: true, seats: map[catalog.Cabin]int{catalog.Economy: 400, catalog.PremiumEconomy: 56, catalog.Business: 76, catalog.First: 14}},
}

// a380Operators fly the A380 on their busiest global-hub routes.
var a380Operators = map[string]bool{"EK": true, "SQ": true, "QF": true, "BA": true, "LH": true, "QR": true, "KE": true, "EY": true}

// networkCarriers are the full-service carriers: hubs' home carriers and
// listed country carriers that are not low-cost. Only these sell business
// on narrow-bodies.
func networkCarriers() map[string]bool {
	set := map[string]bool{}
	for _, list := range [][]hub{tier1Hubs, tier2Hubs} {
		for _, h := range list {
			set[h.carrier] = true
		}
	}
	for _, list := range countryCarriers {
		for _, c := range list {
			set[c] = true
		}
	}
	for c := range lowCostCarriers {
		delete(set, c)
	}
	delete(set, "")
	return set
}

// boeingFamily splits carriers between Boeing/Bombardier and
// Airbus/ATR/Embraer fleets by a hash of their code.
func boeingFamily(carrier string) bool { return hashKeys("fleet", carrier)&1 == 1 }

// aircraft picks the type flying the pair i–j for carrier c from distance
// and the gravity demand proxy (sizes and hub tiers).
func (n *network) aircraft(i, j int, c string) string {
	a, b := &n.nodes[i], &n.nodes[j]
	d := n.dist(i, j)
	demand := math.Sqrt(a.size*b.size) * tierBoost(a.tier) * tierBoost(b.tier)
	boeing := boeingFamily(c)
	pick := func(boeingType, airbusType string) string {
		if boeing {
			return boeingType
		}
		return airbusType
	}
	lowCost := lowCostCarriers[c]
	hubPair := a.tier <= tierRegionalHub && b.tier <= tierRegionalHub
	switch {
	case d > 6500 || (!lowCost && (d > 4500 || (d > 3000 && hubPair))):
		switch {
		case a380Operators[c] && a.tier == tierGlobalHub && b.tier == tierGlobalHub && demand >= 30 && d >= 5000:
			return "388"
		case demand >= 12:
			return pick("77W", "359")
		default:
			return pick("789", "339")
		}
	case d > 2500:
		return pick("7M8", "32N")
	case demand >= 1 || lowCost || (min(a.tier, b.tier) <= tierRegionalHub && max(a.tier, b.tier) <= tierMid):
		return pick("738", "320")
	case d <= 600:
		return pick("DH4", "AT7")
	default:
		return pick("CR9", "E75")
	}
}

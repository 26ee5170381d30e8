package amadeusfake

// The fake's hard-coded inventory. Functions, not package variables, so no
// test can modify what another test sees.

// seg is one scheduled flight; days are offsets from the itinerary's
// departure date, so an overnight flight arrives with arrDays 1.
type seg struct {
	carrier, number, from, to string
	depDays, arrDays          int
	dep, arr                  string // local "HH:MM"
	dur, aircraft, terminal   string
}

// itin is one way of getting from A to B, with its economy fare per adult
// in euro cents (total and base).
type itin struct {
	dur        string
	segs       []seg
	fare, base int64
}

func (i itin) from() string { return i.segs[0].from }
func (i itin) to() string   { return i.segs[len(i.segs)-1].to }

func flightInventory() []itin {
	return []itin{
		{dur: "PT8H15M", fare: 35534, base: 25500, segs: []seg{
			{"PR", "212", "SYD", "MNL", 0, 0, "11:35", "16:50", "PT8H15M", "333", "1"}}},
		{dur: "PT9H15M", fare: 29810, base: 21000, segs: []seg{ // next-day arrival
			{"PR", "210", "SYD", "MNL", 0, 1, "22:00", "05:15", "PT9H15M", "333", "1"}}},
		{dur: "PT8H55M", fare: 34120, base: 24000, segs: []seg{
			{"PR", "211", "MNL", "SYD", 0, 0, "08:05", "19:00", "PT8H55M", "333", "1"}}},
		{dur: "PT8H30M", fare: 51240, base: 39000, segs: []seg{
			{"IB", "6251", "MAD", "JFK", 0, 0, "12:10", "14:40", "PT8H30M", "359", "4S"}}},
		{dur: "PT13H", fare: 43390, base: 30150, segs: []seg{
			{"IB", "3166", "MAD", "LHR", 0, 0, "07:05", "08:35", "PT2H30M", "320", "4"},
			{"BA", "117", "LHR", "JFK", 0, 0, "11:20", "14:05", "PT7H45M", "777", "5"}}},
		{dur: "PT7H10M", fare: 48800, base: 37000, segs: []seg{
			{"IB", "6252", "JFK", "MAD", 0, 1, "17:30", "06:40", "PT7H10M", "359", "8"}}},
		// Two segments, the second leaving and arriving the next day.
		{dur: "PT16H20M", fare: 68900, base: 52000, segs: []seg{
			{"QR", "150", "MAD", "DOH", 0, 0, "15:00", "22:35", "PT6H35M", "788", "4S"},
			{"QR", "830", "DOH", "BKK", 1, 1, "01:40", "12:20", "PT6H40M", "359", ""}}},
	}
}

// cityOf maps airports to their metropolitan city code.
func cityOf(airport string) string {
	switch airport {
	case "JFK", "LGA", "EWR":
		return "NYC"
	case "LHR", "LGW", "LCY", "STN", "LTN":
		return "LON"
	}
	return airport
}

func countryOf(airport string) string {
	switch airport {
	case "SYD":
		return "AU"
	case "MNL":
		return "PH"
	case "MAD", "BCN":
		return "ES"
	case "JFK", "LGA", "EWR":
		return "US"
	case "LHR", "LGW":
		return "GB"
	case "DOH":
		return "QA"
	case "BKK":
		return "TH"
	}
	return "ZZ"
}

func carrierName(code string) string {
	switch code {
	case "PR":
		return "PHILIPPINE AIRLINES"
	case "IB":
		return "IBERIA"
	case "BA":
		return "BRITISH AIRWAYS"
	case "QR":
		return "QATAR AIRWAYS"
	}
	return code
}

func aircraftName(code string) string {
	switch code {
	case "333":
		return "AIRBUS A330-300"
	case "359":
		return "AIRBUS A350-900"
	case "320":
		return "AIRBUS A320"
	case "777":
		return "BOEING 777-200/300"
	case "788":
		return "BOEING 787-8"
	}
	return code
}

// minorPerEuro converts a price in euro cents to another currency's minor
// units: minor = cents × rate / 100. Only these currencies are offered.
func minorPerEuro(currency string) (int64, bool) {
	switch currency {
	case "EUR":
		return 100, true
	case "USD":
		return 108, true
	case "JPY":
		return 160, true // 1 EUR = 160 JPY, which has no minor unit
	case "KWD":
		return 330, true // 1 EUR = 0.330 KWD = 330 fils
	}
	return 0, false
}

func currencyName(code string) string {
	switch code {
	case "EUR":
		return "EURO"
	case "USD":
		return "US DOLLAR"
	case "JPY":
		return "YEN"
	case "KWD":
		return "KUWAITI DINAR"
	}
	return code
}

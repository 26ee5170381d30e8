package sandbox

// hub is a hand-listed connecting airport and the carrier based there.
// Tier 1 hubs are the world's big intercontinental transfer points: the
// network flies between every two of them that an airliner can reach
// nonstop. Tier 2 hubs are regional transfer points. The lists follow the
// real airline hubs; a hub missing from the world data is skipped.
type hub struct {
	iata    string
	carrier string // home carrier, "" when none is in the data
}

var tier1Hubs = []hub{
	// North America
	{"ATL", "DL"}, {"ORD", "UA"}, {"DFW", "AA"}, {"LAX", "AA"}, {"JFK", "DL"},
	{"EWR", "UA"}, {"SFO", "UA"}, {"MIA", "AA"}, {"IAH", "UA"}, {"YYZ", "AC"}, {"MEX", "AM"},
	{"PTY", "CM"},
	// South America
	{"GRU", "LA"}, {"BOG", "AV"}, {"LIM", "LA"}, {"SCL", "LA"}, {"EZE", "AR"},
	// Europe
	{"LHR", "BA"}, {"CDG", "AF"}, {"FRA", "LH"}, {"AMS", "KL"}, {"MAD", "IB"}, {"IST", "TK"},
	{"MUC", "LH"}, {"ZRH", "LX"}, {"FCO", "AZ"}, {"SVO", "SU"},
	// Middle East and Africa
	{"DXB", "EK"}, {"DOH", "QR"}, {"AUH", "EY"}, {"ADD", "ET"}, {"JNB", "SA"}, {"NBO", "KQ"},
	{"CAI", "MS"},
	// Asia and Oceania
	{"SIN", "SQ"}, {"HKG", "CX"}, {"ICN", "KE"}, {"HND", "NH"}, {"NRT", "JL"}, {"PEK", "CA"},
	{"PVG", "MU"}, {"CAN", "CZ"}, {"BKK", "TG"}, {"KUL", "MH"}, {"DEL", "AI"}, {"BOM", "AI"},
	{"SYD", "QF"}, {"MEL", "QF"}, {"AKL", "NZ"},
}

var tier2Hubs = []hub{
	{"DEN", "UA"}, {"SEA", "AS"}, {"HNL", "HA"}, {"LIS", "TP"}, {"CLT", "AA"}, {"PHX", "AA"}, {"MSP", "DL"}, {"DTW", "DL"}, {"BOS", "B6"}, {"IAD", "UA"},
	{"YVR", "AC"}, {"YUL", "AC"}, {"CUN", "AM"}, {"ANC", "AS"}, {"GIG", "G3"}, {"UIO", "XL"},
	{"BCN", "VY"}, {"CPH", "SK"}, {"HEL", "AY"}, {"VIE", "OS"}, {"DUB", "EI"}, {"WAW", "LO"},
	{"ATH", "A3"}, {"BRU", "SN"}, {"OSL", "SK"}, {"ARN", "SK"}, {"PRG", "OK"}, {"BUD", "W6"},
	{"OTP", "RO"}, {"KEF", "FI"}, {"RUH", "SV"}, {"JED", "SV"}, {"TLV", "LY"}, {"AMM", "RJ"},
	{"BAH", "GF"}, {"KWI", "KU"}, {"MCT", "WY"}, {"CMN", "AT"}, {"LOS", ""}, {"ACC", ""},
	{"ALG", "AH"}, {"DKR", ""}, {"KGL", "WB"}, {"ABJ", ""}, {"LAD", "DT"}, {"SHA", "MU"},
	{"CTU", "3U"}, {"SZX", "ZH"}, {"XIY", "HU"}, {"KMG", "MU"}, {"CGK", "GA"}, {"MNL", "PR"},
	{"BLR", "6E"}, {"MAA", "AI"}, {"TPE", "BR"}, {"SGN", "VN"}, {"HAN", "VN"}, {"KHI", "PK"},
	{"DAC", "BG"}, {"CMB", "UL"}, {"TAS", "HY"}, {"ALA", "KC"}, {"BNE", "VA"}, {"PER", "QF"},
	{"NAN", "FJ"}, {"PPT", "TN"}, {"KTM", "RA"}, {"BEY", "ME"}, {"TUN", "TU"}, {"GUM", "UA"},
	{"LED", "SU"}, {"KBP", "PS"},
}

// countryCarriers lists plausible carriers per country, flag carrier first.
// Domestic and international routes of a country are shared among them.
// Codes missing from the world's airlines are skipped.
var countryCarriers = map[string][]string{
	"US": {"AA", "DL", "UA", "WN", "AS", "B6"}, "CA": {"AC", "WS"}, "MX": {"AM", "Y4"},
	"PA": {"CM"}, "CO": {"AV", "5Z"}, "PE": {"LA"}, "CL": {"LA"}, "AR": {"AR"},
	"BR": {"G3", "AD", "JJ"}, "EC": {"XL", "EQ"}, "VE": {"V0"}, "CU": {"CU"}, "JM": {"JM"},
	"TT": {"BW"}, "BS": {"UP"}, "KY": {"KX"}, "CR": {"LR"}, "SR": {"PY"},
	"GB": {"BA", "VS", "U2"}, "IE": {"EI", "FR"}, "FR": {"AF", "TO"}, "NL": {"KL", "HV"},
	"DE": {"LH", "EW"}, "CH": {"LX"}, "AT": {"OS"}, "BE": {"SN"}, "LU": {"LG"}, "PT": {"TP"},
	"ES": {"IB", "VY", "UX"}, "IT": {"AZ"}, "DK": {"SK"}, "SE": {"SK"}, "NO": {"SK", "DY"},
	"FI": {"AY"}, "IS": {"FI"}, "PL": {"LO"}, "CZ": {"OK"}, "HU": {"W6"}, "RO": {"RO"},
	"BG": {"FB"}, "GR": {"A3"}, "HR": {"OU"}, "RS": {"JU"}, "LV": {"BT"}, "EE": {"OV"},
	"MT": {"KM"}, "CY": {"CY"}, "TR": {"TK", "PC"}, "RU": {"SU", "S7", "FV"}, "UA": {"PS"},
	"BY": {"B2"}, "MD": {"9U"}, "AZ": {"J2"}, "UZ": {"HY"}, "KZ": {"KC"}, "GE": {"A9"},
	"TM": {"T5"}, "MN": {"OM"},
	"AE": {"EK", "EY", "FZ"}, "QA": {"QR"}, "SA": {"SV", "XY"}, "BH": {"GF"}, "KW": {"KU", "J9"},
	"OM": {"WY"}, "JO": {"RJ"}, "LB": {"ME"}, "IL": {"LY"}, "EG": {"MS"}, "MA": {"AT"},
	"TN": {"TU"}, "DZ": {"AH"}, "LY": {"8U"}, "ET": {"ET"}, "KE": {"KQ"}, "ZA": {"SA", "4Z"},
	"RW": {"WB"}, "TZ": {"TC"}, "MZ": {"TM"}, "MW": {"QM"}, "ZW": {"UM"}, "BW": {"BP"},
	"MU": {"MK"}, "SC": {"HM"}, "AO": {"DT"}, "MG": {"MD"}, "RE": {"UU"},
	"IN": {"AI", "6E", "UK", "SG"}, "PK": {"PK"}, "BD": {"BG"}, "LK": {"UL"}, "NP": {"RA"},
	"BT": {"KB"}, "CN": {"CA", "MU", "CZ", "HU", "3U", "MF", "ZH"}, "HK": {"CX"}, "MO": {"NX"},
	"TW": {"BR", "CI"}, "KR": {"KE", "OZ", "7C"}, "JP": {"NH", "JL"}, "TH": {"TG", "PG"},
	"MY": {"MH", "AK"}, "SG": {"SQ"}, "ID": {"GA", "QZ"}, "PH": {"PR", "5J"}, "VN": {"VN"},
	"KH": {"K6"}, "LA": {"QV"}, "MM": {"UB"}, "BN": {"BI"},
	"AU": {"QF", "VA", "JQ"}, "NZ": {"NZ"}, "FJ": {"FJ"}, "PG": {"PX"}, "VU": {"NF"},
	"PF": {"VT", "TN"}, "NC": {"SB"}, "SB": {"IE"}, "GU": {"UA"}, "PR": {"B6"}, "GL": {"GL"},
	"FO": {"RC"},
}

// lowCostCarriers sell economy only on narrow-bodies (no business cabin).
var lowCostCarriers = map[string]bool{
	"WN": true, "B6": true, "U2": true, "FR": true, "TO": true, "HV": true, "EW": true,
	"VY": true, "W6": true, "PC": true, "FZ": true, "J9": true, "XY": true, "6E": true,
	"SG": true, "AK": true, "QZ": true, "5J": true, "JQ": true, "7C": true, "Y4": true,
	"5Z": true, "DY": true, "G3": true, "AD": true,
}

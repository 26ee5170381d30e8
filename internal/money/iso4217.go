package money

// Exponent returns the number of minor-unit digits of currency and whether
// the code is one this package knows.
//
// The table is the "minor unit" column of ISO 4217 list one. Codes marked
// "N.A." there (precious metals XAU/XAG/XPD/XPT, XDR, XSU, XUA, XBA–XBD, XTS,
// XXX) are deliberately unknown: they have no minor unit, and a price in them
// is a bug rather than money. A few recently withdrawn codes (ANG, BGN, CUC,
// HRK, SLL, ZWL) are kept because historical bookings and provider data
// still carry them.
//
// Unknown but well-formed codes get 2, the most common exponent, so a
// provider introducing a new currency does not break parsing; callers that
// must be sure check known.
//
// It is a switch rather than a map so the table is immutable: no
// package-level state that a caller could modify.
func Exponent(currency string) (exp int, known bool) {
	switch currency {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
		"RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0, true
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3, true
	case "CLF", "UYW": // units of account
		return 4, true
	case "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN",
		"BAM", "BBD", "BDT", "BGN", "BMD", "BND", "BOB", "BOV", "BRL", "BSD",
		"BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CNY",
		"COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD",
		"EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP",
		"GMD", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR", "ILS",
		"INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK",
		"LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT",
		"MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD",
		"NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR",
		"PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK",
		"SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
		"SZL", "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH",
		"USD", "USN", "UYU", "UZS", "VED", "VES", "WST", "XCD", "XCG", "YER",
		"ZAR", "ZMW", "ZWG", "ZWL":
		return 2, true
	}
	return 2, false
}

// validCode reports whether s looks like an ISO 4217 alphabetic code: three
// ASCII upper-case letters.
func validCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Package money represents amounts of money exactly, as integer minor units
// of an ISO 4217 currency.
//
// Providers send prices as decimal strings ("355.34"); parsing them into
// float64 loses cents and makes totals disagree with what the provider will
// charge. Money keeps the integer count of minor units (cents, fils, yen)
// with the currency's own exponent (JPY 0, EUR 2, KWD 3), and every
// arithmetic operation checks for overflow and currency mismatch instead of
// silently producing a wrong total.
//
// The package is a leaf: it imports only the standard library, so the
// provider clients, the catalog, the planner and the API can all share it.
package money

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in integer minor units of Currency (an ISO 4217 code).
// The zero value has no currency and is only useful as "absent".
type Money struct {
	Minor    int64
	Currency string
}

var (
	// ErrSyntax reports a decimal string that is not a plain amount.
	ErrSyntax = errors.New("money: invalid amount")
	// ErrCurrency reports a currency that is not a three-letter upper-case code.
	ErrCurrency = errors.New("money: invalid currency code")
	// ErrOverflow reports an amount or result outside int64 minor units.
	ErrOverflow = errors.New("money: amount out of range")
	// ErrMismatch reports arithmetic or comparison across currencies.
	ErrMismatch = errors.New("money: currency mismatch")
	// ErrPrecision reports more decimals than the currency has (ParseExact).
	ErrPrecision = errors.New("money: more decimals than the currency allows")
)

// FromMinor builds an amount from minor units, checking the currency code.
func FromMinor(minor int64, currency string) (Money, error) {
	if !validCode(currency) {
		return Money{}, fmt.Errorf("%w: %q", ErrCurrency, currency)
	}
	return Money{Minor: minor, Currency: currency}, nil
}

// Parse reads a provider's decimal string: an optional "-", digits, and an
// optional "." followed by digits ("355.34", "-0.5", "1200"). It is lenient
// in the two ways provider data needs:
//
//   - one trailing upper-case letter is stripped, because Amadeus activity
//     prices carry a suffix letter ("514.13A");
//   - more decimals than the currency's exponent are rounded half-to-even
//     (banker's rounding: "0.125" EUR → 0.12, "0.135" EUR → 0.14, "100.5"
//     JPY → 100), so systematic rounding never drifts totals upward.
//
// It rejects everything else a human might write: signs other than a
// leading "-", thousands separators ("1,234.00"), spaces, exponents
// ("1e3"), a missing integer or fraction part (".5", "5."), and amounts
// beyond ±2^63 minor units. Use ParseExact for our own API's input, where
// rounding would silently change what the user sent.
func Parse(decimal, currency string) (Money, error) {
	return parse(decimal, currency, true)
}

// ParseExact is Parse without the leniency: no suffix letter, and no more
// decimals than the currency's exponent (ErrPrecision instead of rounding).
func ParseExact(decimal, currency string) (Money, error) {
	return parse(decimal, currency, false)
}

func parse(s, currency string, lenient bool) (Money, error) {
	if !validCode(currency) {
		return Money{}, fmt.Errorf("%w: %q", ErrCurrency, currency)
	}
	exp, _ := Exponent(currency)
	orig := s
	if n := len(s); lenient && n > 1 && s[n-1] >= 'A' && s[n-1] <= 'Z' {
		s = s[:n-1]
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if !allDigits(whole) || (hasDot && !allDigits(frac)) {
		return Money{}, fmt.Errorf("%w: %q", ErrSyntax, orig)
	}
	if len(frac) > exp && !lenient {
		return Money{}, fmt.Errorf("%w: %q has more than %d decimals for %s", ErrPrecision, orig, exp, currency)
	}
	var mag uint64
	var ok bool
	for i := 0; i < len(whole); i++ {
		if mag, ok = pushDigit(mag, whole[i]); !ok {
			return Money{}, fmt.Errorf("%w: %q", ErrOverflow, orig)
		}
	}
	for i := 0; i < exp; i++ {
		d := byte('0')
		if i < len(frac) {
			d = frac[i]
		}
		if mag, ok = pushDigit(mag, d); !ok {
			return Money{}, fmt.Errorf("%w: %q", ErrOverflow, orig)
		}
	}
	if len(frac) > exp && roundsUp(frac[exp:], mag) {
		mag++
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // -2^63 is representable
	}
	if mag > limit {
		return Money{}, fmt.Errorf("%w: %q", ErrOverflow, orig)
	}
	minor := int64(mag) // wraps to MinInt64 exactly when mag == 2^63 and neg
	if neg {
		minor = -minor
	}
	return Money{Minor: minor, Currency: currency}, nil
}

// roundsUp decides half-to-even rounding of mag given the dropped digits.
func roundsUp(dropped string, mag uint64) bool {
	switch {
	case dropped[0] > '5':
		return true
	case dropped[0] < '5':
		return false
	}
	if strings.TrimRight(dropped[1:], "0") != "" {
		return true // more than half
	}
	return mag%2 == 1 // exactly half: round to even
}

// pushDigit appends decimal digit d to mag, reporting overflow of uint64.
func pushDigit(mag uint64, d byte) (uint64, bool) {
	if mag > (math.MaxUint64-9)/10 {
		return 0, false
	}
	return mag*10 + uint64(d-'0'), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String formats the amount with exactly the currency's number of decimals
// ("355.34", "1200" for JPY, "-0.050" for KWD), without the currency, so it
// is the "amount" of the API's JSON and reads back with Parse unchanged.
func (m Money) String() string {
	exp, _ := Exponent(m.Currency)
	mag := uint64(m.Minor)
	sign := ""
	if m.Minor < 0 {
		mag = -mag // two's complement magnitude, correct for MinInt64 too
		sign = "-"
	}
	digits := strconv.FormatUint(mag, 10)
	if exp == 0 {
		return sign + digits
	}
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	cut := len(digits) - exp
	return sign + digits[:cut] + "." + digits[cut:]
}

// IsZero reports whether the amount is zero (in any currency).
func (m Money) IsZero() bool { return m.Minor == 0 }

// Add returns m+o; both must have the same currency.
func (m Money) Add(o Money) (Money, error) {
	if err := m.same(o); err != nil {
		return Money{}, err
	}
	s := m.Minor + o.Minor
	if (s > m.Minor) != (o.Minor > 0) {
		return Money{}, fmt.Errorf("%w: %s + %s %s", ErrOverflow, m, o, m.Currency)
	}
	return Money{Minor: s, Currency: m.Currency}, nil
}

// Sub returns m-o; both must have the same currency.
func (m Money) Sub(o Money) (Money, error) {
	if err := m.same(o); err != nil {
		return Money{}, err
	}
	d := m.Minor - o.Minor
	if (d < m.Minor) != (o.Minor > 0) {
		return Money{}, fmt.Errorf("%w: %s - %s %s", ErrOverflow, m, o, m.Currency)
	}
	return Money{Minor: d, Currency: m.Currency}, nil
}

// MulInt returns m×n, for prices per night, per traveller or per room.
func (m Money) MulInt(n int64) (Money, error) {
	if m.Minor == 0 || n == 0 {
		return Money{Currency: m.Currency}, nil
	}
	p := m.Minor * n
	if p/n != m.Minor || (m.Minor == -1 && n == math.MinInt64) || (n == -1 && m.Minor == math.MinInt64) {
		return Money{}, fmt.Errorf("%w: %s × %d %s", ErrOverflow, m, n, m.Currency)
	}
	return Money{Minor: p, Currency: m.Currency}, nil
}

// Cmp returns -1, 0 or +1 as m is less than, equal to or greater than o;
// amounts in different currencies cannot be compared without a rate.
func (m Money) Cmp(o Money) (int, error) {
	if err := m.same(o); err != nil {
		return 0, err
	}
	switch {
	case m.Minor < o.Minor:
		return -1, nil
	case m.Minor > o.Minor:
		return 1, nil
	}
	return 0, nil
}

func (m Money) same(o Money) error {
	if m.Currency != o.Currency {
		return fmt.Errorf("%w: %q and %q", ErrMismatch, m.Currency, o.Currency)
	}
	return nil
}

package money

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, cur string
		minor   int64
		str     string
	}{
		{"355.34", "EUR", 35534, "355.34"},
		{"514.13A", "EUR", 51413, "514.13"}, // Amadeus activity suffix
		{"0.5", "EUR", 50, "0.50"},
		{"1200", "EUR", 120000, "1200.00"},
		{"-0.05", "USD", -5, "-0.05"},
		{"-0", "EUR", 0, "0.00"},
		{"007.10", "GBP", 710, "7.10"},
		{"15000", "JPY", 15000, "15000"},
		{"1.234", "KWD", 1234, "1.234"},
		{"1.2", "KWD", 1200, "1.200"},
		{"0.0001", "CLF", 1, "0.0001"},
		{"10", "XYZ", 1000, "10.00"}, // unknown code: exponent 2
		// Half-to-even rounding of extra decimals.
		{"0.125", "EUR", 12, "0.12"},
		{"0.135", "EUR", 14, "0.14"},
		{"0.1251", "EUR", 13, "0.13"},
		{"0.1249999", "EUR", 12, "0.12"},
		{"-0.125", "EUR", -12, "-0.12"},
		{"-0.135", "EUR", -14, "-0.14"},
		{"100.5", "JPY", 100, "100"},
		{"101.5", "JPY", 102, "102"},
		{"0.0005", "KWD", 0, "0.000"},
		{"92233720368547758.07", "EUR", math.MaxInt64, "92233720368547758.07"},
		{"-92233720368547758.08", "EUR", math.MinInt64, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		m, err := Parse(tt.in, tt.cur)
		if err != nil {
			t.Errorf("Parse(%q, %s): %v", tt.in, tt.cur, err)
			continue
		}
		if m.Minor != tt.minor || m.Currency != tt.cur {
			t.Errorf("Parse(%q, %s) = %+v, want %d", tt.in, tt.cur, m, tt.minor)
		}
		if got := m.String(); got != tt.str {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.str)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		in, cur string
		want    error
	}{
		{"", "EUR", ErrSyntax},
		{"1,234.00", "EUR", ErrSyntax},
		{" 1.00", "EUR", ErrSyntax},
		{"1.00 ", "EUR", ErrSyntax},
		{"+1.00", "EUR", ErrSyntax},
		{".5", "EUR", ErrSyntax},
		{"5.", "EUR", ErrSyntax},
		{"1e3", "EUR", ErrSyntax},
		{"--1", "EUR", ErrSyntax},
		{"1.2.3", "EUR", ErrSyntax},
		{"12AB", "EUR", ErrSyntax}, // only one suffix letter
		{"A", "EUR", ErrSyntax},
		{"12a", "EUR", ErrSyntax}, // lower-case is not a suffix
		{"NaN", "EUR", ErrSyntax},
		{"١٢", "EUR", ErrSyntax}, // non-ASCII digits
		{"1.00", "eur", ErrCurrency},
		{"1.00", "", ErrCurrency},
		{"1.00", "EURO", ErrCurrency},
		{"92233720368547758.08", "EUR", ErrOverflow},
		{"-92233720368547758.09", "EUR", ErrOverflow},
		{"99999999999999999999999", "JPY", ErrOverflow},
	}
	for _, tt := range tests {
		if _, err := Parse(tt.in, tt.cur); !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q, %q) error = %v, want %v", tt.in, tt.cur, err, tt.want)
		}
	}
}

func TestParseExact(t *testing.T) {
	if m, err := ParseExact("1.5", "EUR"); err != nil || m.Minor != 150 {
		t.Fatalf("ParseExact(1.5) = %+v, %v", m, err)
	}
	if _, err := ParseExact("0.125", "EUR"); !errors.Is(err, ErrPrecision) {
		t.Fatalf("ParseExact(0.125 EUR) error = %v, want ErrPrecision", err)
	}
	if _, err := ParseExact("100.0", "JPY"); !errors.Is(err, ErrPrecision) {
		t.Fatalf("ParseExact(100.0 JPY) error = %v, want ErrPrecision", err)
	}
	if _, err := ParseExact("514.13A", "EUR"); !errors.Is(err, ErrSyntax) {
		t.Fatalf("ParseExact with suffix error = %v, want ErrSyntax", err)
	}
}

func TestExponent(t *testing.T) {
	for cur, want := range map[string]int{"EUR": 2, "USD": 2, "JPY": 0, "KRW": 0, "KWD": 3,
		"BHD": 3, "JOD": 3, "OMR": 3, "TND": 3, "LYD": 3, "IQD": 3, "CLF": 4, "ISK": 0, "GBP": 2} {
		if got, known := Exponent(cur); got != want || !known {
			t.Errorf("Exponent(%s) = %d, %v; want %d, true", cur, got, known, want)
		}
	}
	for _, cur := range []string{"XAU", "XDR", "ABC", "eur", ""} {
		if got, known := Exponent(cur); known || got != 2 {
			t.Errorf("Exponent(%q) = %d, %v; want 2, false", cur, got, known)
		}
	}
}

func TestArithmetic(t *testing.T) {
	eur := func(minor int64) Money { return Money{Minor: minor, Currency: "EUR"} }
	if s, err := eur(35534).Add(eur(66)); err != nil || s != eur(35600) {
		t.Fatalf("Add = %v, %v", s, err)
	}
	if d, err := eur(100).Sub(eur(250)); err != nil || d != eur(-150) {
		t.Fatalf("Sub = %v, %v", d, err)
	}
	if p, err := eur(35534).MulInt(3); err != nil || p != eur(106602) {
		t.Fatalf("MulInt = %v, %v", p, err)
	}
	if p, err := eur(0).MulInt(math.MinInt64); err != nil || p != eur(0) {
		t.Fatalf("0×MinInt64 = %v, %v", p, err)
	}
	if c, err := eur(1).Cmp(eur(2)); err != nil || c != -1 {
		t.Fatalf("Cmp = %d, %v", c, err)
	}
	if c, _ := eur(2).Cmp(eur(2)); c != 0 {
		t.Fatal("Cmp equal")
	}
	if c, _ := eur(3).Cmp(eur(2)); c != 1 {
		t.Fatal("Cmp greater")
	}
	usd := Money{Minor: 1, Currency: "USD"}
	if _, err := eur(1).Add(usd); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Add across currencies: %v", err)
	}
	if _, err := eur(1).Sub(usd); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Sub across currencies: %v", err)
	}
	if _, err := eur(1).Cmp(usd); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Cmp across currencies: %v", err)
	}
	overflows := []func() (Money, error){
		func() (Money, error) { return eur(math.MaxInt64).Add(eur(1)) },
		func() (Money, error) { return eur(math.MinInt64).Add(eur(-1)) },
		func() (Money, error) { return eur(math.MinInt64).Sub(eur(1)) },
		func() (Money, error) { return eur(math.MaxInt64).Sub(eur(-1)) },
		func() (Money, error) { return eur(math.MaxInt64/2 + 1).MulInt(2) },
		func() (Money, error) { return eur(math.MinInt64).MulInt(-1) },
		func() (Money, error) { return eur(-1).MulInt(math.MinInt64) },
	}
	for i, f := range overflows {
		if _, err := f(); !errors.Is(err, ErrOverflow) {
			t.Errorf("overflow case %d: error = %v", i, err)
		}
	}
	if _, err := FromMinor(5, "eur"); !errors.Is(err, ErrCurrency) {
		t.Fatalf("FromMinor lower-case: %v", err)
	}
}

func TestJSON(t *testing.T) {
	b, err := json.Marshal(Money{Minor: 12345, Currency: "EUR"})
	if err != nil || string(b) != `{"amount":"123.45","currency":"EUR"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	if _, err := json.Marshal(Money{}); err == nil {
		t.Fatal("Marshal of a currency-less Money must fail")
	}
	var m Money
	if err := json.Unmarshal([]byte(` {"currency":"JPY", "amount":"1500"} `), &m); err != nil || m.Minor != 1500 || m.Currency != "JPY" {
		t.Fatalf("Unmarshal = %+v, %v", m, err)
	}
	bad := []string{
		`{"amount":123.45,"currency":"EUR"}`,
		`{"amount":"123.45"}`,
		`{"currency":"EUR"}`,
		`{"amount":"123.45","currency":"EUR","x":1}`,
		`{"AMOUNT":"123.45","currency":"EUR"}`,
		`{"amount":"1","amount":"2","currency":"EUR"}`,
		`{"amount":"123.456","currency":"EUR"}`,
		`{"amount":"514.13A","currency":"EUR"}`,
		`{"amount":"1","currency":"eur"}`,
		`{"amount":null,"currency":"EUR"}`,
		`{"amount":{"v":"1"},"currency":"EUR"}`,
		`["123.45","EUR"]`,
		`"123.45 EUR"`,
	}
	for _, in := range bad {
		var m Money
		if err := json.Unmarshal([]byte(in), &m); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want error", in, m)
		}
	}
	m = Money{Minor: 7, Currency: "EUR"}
	if err := json.Unmarshal([]byte(`null`), &m); err != nil || m.Minor != 7 {
		t.Fatalf("null must leave the value alone: %+v, %v", m, err)
	}
}

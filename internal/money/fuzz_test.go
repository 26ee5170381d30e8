package money

import (
	"encoding/json"
	"testing"
)

// FuzzParse checks that Parse never panics and that every amount it accepts
// survives String → Parse, String → ParseExact and a JSON round trip
// unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"355.34", "514.13A", "0.5", "-0.125", "1,234.00", "15000", "",
		"92233720368547758.07", "-92233720368547758.08", "1.0005", "9e9", ".", "-"} {
		for _, cur := range []string{"EUR", "JPY", "KWD", "CLF", "eur"} {
			f.Add(s, cur)
		}
	}
	f.Fuzz(func(t *testing.T, s, cur string) {
		m, err := Parse(s, cur)
		if err != nil {
			return
		}
		str := m.String()
		back, err := Parse(str, cur)
		if err != nil || back != m {
			t.Fatalf("Parse(%q) = %+v; String = %q; reparsed = %+v, %v", s, m, str, back, err)
		}
		if exact, err := ParseExact(str, cur); err != nil || exact != m {
			t.Fatalf("ParseExact(%q) = %+v, %v; want %+v", str, exact, err, m)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", m, err)
		}
		var j Money
		if err := json.Unmarshal(b, &j); err != nil || j != m {
			t.Fatalf("JSON round trip of %+v via %s = %+v, %v", m, b, j, err)
		}
	})
}

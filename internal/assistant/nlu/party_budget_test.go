package nlu

import (
	"testing"

	"pathavana/internal/money"
)

func TestParseParty(t *testing.T) {
	for _, c := range []struct {
		text                      string
		adults, children, infants int
		known                     bool
	}{
		{"4 of us from Boston to Lisbon", 4, 0, 0, true},
		{"7 people, 3 cities in Texas", 7, 0, 0, true},
		{"me and my wife and two kids", 2, 2, 0, true},
		{"me and my husband", 2, 0, 0, true},
		{"I and my friend", 2, 0, 0, true},
		{"me, my wife, my son and my daughter", 2, 2, 0, true},
		{"a single person trip to Rome", 1, 0, 0, true},
		{"travelling solo", 1, 0, 0, true},
		{"2 adults, 1 child and a baby", 2, 1, 1, true},
		{"family of 5", 2, 3, 0, true},
		{"6 of us, 2 kids", 4, 2, 0, true},
		{"honeymoon in Bali", 2, 0, 0, true},
		{"three adults", 3, 0, 0, true},
		{"Boston to Lisbon in May", 0, 0, 0, false},
		{"999 people", 0, 0, 0, false},
	} {
		got := ParseParty(c.text)
		want := Party{Adults: c.adults, Children: c.children, Infants: c.infants, Known: c.known}
		if got != want {
			t.Errorf("%q: got %+v, want %+v", c.text, got, want)
		}
	}
}

func TestParseBudget(t *testing.T) {
	m := func(s, cur string) money.Money { v, _ := money.Parse(s, cur); return v }
	for _, c := range []struct {
		text  string
		want  money.Money
		scope BudgetScope
	}{
		{"8 days in May, under $6,000, no red-eyes", m("6000", "USD"), BudgetTotal},
		{"hotels at most €150 a night", m("150", "EUR"), BudgetPerNight},
		{"budget 2k euros per person", m("2000", "EUR"), BudgetPerPerson},
		{"USD 900 total for 3 days", m("900", "USD"), BudgetTotal},
		{"for 5 days, around 1200 dollars", m("1200", "USD"), BudgetTotal},
		{"£80/night", m("80", "GBP"), BudgetPerNight},
		{"spend 100.50 eur a day", m("100.50", "EUR"), BudgetPerDay},
		{"each of us can spend $500", m("500", "USD"), BudgetPerPerson},
	} {
		got := ParseBudget(c.text)
		if !got.Known || got.Amount != c.want || got.Scope != c.scope {
			t.Errorf("%q: got %+v, want %v %s", c.text, got, c.want, c.scope)
		}
	}
	for _, s := range []string{"4 of us for 5 days", "flight 123 on day 2", "room for 2 and 3 kids"} {
		if b := ParseBudget(s); b.Known {
			t.Errorf("%q: read a budget %+v", s, b)
		}
	}
}

func FuzzParsePartyAndBudget(f *testing.F) {
	for _, s := range []string{"me and my wife and two kids under $6,000", "family of 999 €1,000,000,000,000k a night",
		"2 adults 3 babies 1 child", "$99999999999999999999", "USD 1.999k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := ParseParty(s)
		if p.Adults < 0 || p.Children < 0 || p.Infants < 0 || p.Adults > maxParty || (p.Known && p.Adults == 0) {
			t.Fatalf("%q: party %+v", s, p)
		}
		b := ParseBudget(s)
		if b.Known && (b.Amount.Minor < 0 || b.Amount.Currency == "") {
			t.Fatalf("%q: budget %+v", s, b)
		}
	})
}

package nlu

import (
	"regexp"
	"strings"

	"pathavana/internal/money"
)

// BudgetScope is what a budget covers.
type BudgetScope string

const (
	BudgetTotal     BudgetScope = "total"      // the whole trip for the party
	BudgetPerNight  BudgetScope = "per_night"  // a night's stay
	BudgetPerPerson BudgetScope = "per_person" // each traveler's whole trip
	BudgetPerDay    BudgetScope = "per_day"
)

// Budget is a spending limit; Amount's Currency is empty when the request
// gives none.
type Budget struct {
	Amount money.Money
	Scope  BudgetScope
	Known  bool
}

var (
	symbols    = map[string]string{"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "r$": "BRL", "c$": "CAD", "a$": "AUD", "chf": "CHF"}
	wordsCur   = map[string]string{"dollars": "USD", "dollar": "USD", "bucks": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "pound": "GBP", "yen": "JPY", "rupees": "INR", "francs": "CHF"}
	amountRe   = `(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(k)?`
	symbolAmt  = regexp.MustCompile(`(us\$|r\$|c\$|a\$|\$|€|£|¥|₹|\b[a-z]{3}\s?)` + amountRe + `\b`)
	amtWord    = regexp.MustCompile(`\b` + amountRe + `\s*(dollars?|bucks|euros?|pounds?|yen|rupees|francs|[a-z]{3})\b`)
	perNight   = regexp.MustCompile(`\b(?:per|a|each|/)\s*night\b|/night`)
	perPerson  = regexp.MustCompile(`\b(?:per\s+person|each|a\s+head|per\s+head|pp)\b`)
	perDay     = regexp.MustCompile(`\b(?:per|a)\s+day\b|/day`)
	notAmounts = map[string]bool{"and": true, "for": true, "the": true, "day": true, "per": true, "off": true, "now": true}
)

// ParseBudget reads a spending limit: "under $6,000", "€150 a night",
// "budget 2k euros per person", "USD 900 total".
func ParseBudget(text string) Budget {
	s := normalise(text)
	var whole, cents, k, cur string
	var at int
	for _, m := range symbolAmt.FindAllStringSubmatchIndex(s, 20) {
		if code, ok := currency(strings.TrimSpace(s[m[2]:m[3]]), symbols); ok {
			whole, cents, k, cur, at = s[m[4]:m[5]], sub(s, m, 6), sub(s, m, 8), code, m[0]
			break
		}
	}
	if cur == "" {
		for _, m := range amtWord.FindAllStringSubmatchIndex(s, 20) {
			if code, ok := currency(s[m[8]:m[9]], wordsCur); ok {
				whole, cents, k, cur, at = s[m[2]:m[3]], sub(s, m, 4), sub(s, m, 6), code, m[0]
				break
			}
		}
	}
	if cur == "" {
		return Budget{}
	}
	dec := strings.ReplaceAll(whole, ",", "")
	if cents != "" {
		dec += "." + cents
	}
	amt, err := money.Parse(dec, cur)
	if err != nil {
		return Budget{}
	}
	if k != "" {
		if amt, err = amt.MulInt(1000); err != nil {
			return Budget{}
		}
	}
	// The scope is said right after the amount ("€150 a night") or near the
	// cue ("per person budget of 2000 euros").
	tail := s[at:min(len(s), at+60)]
	b := Budget{Amount: amt, Scope: BudgetTotal, Known: true}
	switch {
	case perNight.MatchString(tail):
		b.Scope = BudgetPerNight
	case perDay.MatchString(tail):
		b.Scope = BudgetPerDay
	case perPerson.MatchString(tail) || perPerson.MatchString(s[max(0, at-30):at]):
		b.Scope = BudgetPerPerson
	}
	return b
}

// currency maps a symbol or word, or an ISO 4217 code said as such.
func currency(w string, names map[string]string) (string, bool) {
	if code, ok := names[w]; ok {
		return code, true
	}
	if len(w) == 3 && !notAmounts[w] {
		if _, known := money.Exponent(strings.ToUpper(w)); known {
			return strings.ToUpper(w), true
		}
	}
	return "", false
}

func sub(s string, m []int, i int) string {
	if m[i] < 0 {
		return ""
	}
	return s[m[i]:m[i+1]]
}

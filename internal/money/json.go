package money

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// wire is the API representation: {"amount":"123.45","currency":"EUR"}.
// The amount is a string so that no JSON client turns it into a float.
type wire struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// MarshalJSON writes {"amount":"123.45","currency":"EUR"}. A Money without
// a valid currency is an error rather than {"currency":""}: an absent price
// belongs in a nil *Money, not in a zero value that looks like "free".
func (m Money) MarshalJSON() ([]byte, error) {
	if !validCode(m.Currency) {
		return nil, fmt.Errorf("%w: %q", ErrCurrency, m.Currency)
	}
	// Written by hand: prices fill search answers, and both values are
	// plain ASCII (digits, '-', '.', three letters) that need no escaping.
	b := make([]byte, 0, 40)
	b = append(b, `{"amount":"`...)
	b = append(b, m.String()...)
	b = append(b, `","currency":"`...)
	b = append(b, m.Currency...)
	return append(b, `"}`...), nil
}

// UnmarshalJSON reads {"amount":"123.45","currency":"EUR"} strictly: both
// keys exactly once and spelt exactly so (encoding/json would otherwise
// accept "AMOUNT" and duplicates), both values strings, no other keys, and
// the amount exact for the currency (ParseExact: no rounding, no suffix).
// JSON null leaves m unchanged, as encoding/json does for other types.
func (m *Money) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New(`money: want an object {"amount":"…","currency":"…"}`)
	}
	var w wire
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("money: %w", err)
		}
		key, _ := tok.(string)
		if key != "amount" && key != "currency" {
			return fmt.Errorf("money: unknown field %q", key)
		}
		if seen[key] {
			return fmt.Errorf("money: duplicate field %q", key)
		}
		seen[key] = true
		tok, err = dec.Token()
		if err != nil {
			return fmt.Errorf("money: %w", err)
		}
		val, ok := tok.(string)
		if !ok {
			return fmt.Errorf("money: %s must be a string", key)
		}
		if key == "amount" {
			w.Amount = val
		} else {
			w.Currency = val
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return fmt.Errorf("money: %w", err)
	}
	if !seen["amount"] || !seen["currency"] {
		return errors.New("money: amount and currency are both required")
	}
	v, err := ParseExact(w.Amount, w.Currency)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

package amadeus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strconv"
	"strings"
	"time"

	"pathavana/internal/money"
)

// flexInt is an integer that Amadeus sometimes sends as a string (error
// status and code, meta.count). It is lenient by design: a value that is
// neither a number nor a numeric string reads as 0, because it only ever
// feeds error reports and counts, which must not fail a whole response.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		*f = 0
		return nil
	}
	*f = flexInt(n)
	return nil
}

// flexFloat is a number that the activities API documents as a number but
// sends as a string in its examples ("40.414000"). Unlike flexInt it is
// strict: a coordinate that is not a number is a broken response.
type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(s))
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("amadeus: not a number: %s", b)
	}
	*f = flexFloat(v)
	return nil
}

// GeoCode is a position in decimal degrees. Coordinates are not money, so
// float64 is the right type here.
type GeoCode struct {
	Latitude, Longitude float64
}

type wireGeo struct {
	Latitude  flexFloat `json:"latitude"`
	Longitude flexFloat `json:"longitude"`
}

func (g wireGeo) geo() GeoCode {
	return GeoCode{Latitude: float64(g.Latitude), Longitude: float64(g.Longitude)}
}

// jsonMediaType reports whether a Content-Type header names JSON as Amadeus
// sends it: application/vnd.amadeus+json or application/json, with or
// without parameters such as charset. Comparing the whole header string,
// as the official Python SDK does, breaks on "; charset=utf-8".
func jsonMediaType(header string) bool {
	mt, _, err := mime.ParseMediaType(header)
	return err == nil && (mt == "application/vnd.amadeus+json" || mt == "application/json")
}

// price parses a decimal-string amount, naming the field in the error so a
// bad price in a 250-offer response can be found.
func price(field, amount, currency string) (money.Money, error) {
	m, err := money.Parse(amount, currency)
	if err != nil {
		return money.Money{}, fmt.Errorf("%s: %w", field, err)
	}
	return m, nil
}

// optPrice is price for fields Amadeus may omit: absent gives nil.
func optPrice(field, amount, currency string) (*money.Money, error) {
	if amount == "" {
		return nil, nil
	}
	m, err := price(field, amount, currency)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// optDuration parses an ISO 8601 duration that may be absent.
func optDuration(field, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	v, err := ParseISODuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	return v, nil
}

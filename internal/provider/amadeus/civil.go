package amadeus

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date with no time and no zone (departureDate,
// checkInDate, lastTicketingDate). A time.Time would invite someone to
// convert it between zones and move it by a day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads YYYY-MM-DD and rejects impossible dates (2026-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("amadeus: invalid date %q (want YYYY-MM-DD)", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	}
	return cmpInt(d.Day, o.Day)
}

// valid reports whether d names a real day (what ParseDate would accept).
func (d Date) valid() bool {
	if d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("amadeus: date must be a string: %w", err)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// LocalDateTime is a wall-clock time with no offset, as Amadeus sends
// departure and arrival "at" values ("2021-11-01T11:35:00"). It is the local
// time at the airport, not UTC: it becomes an instant only with the
// airport's IANA zone, via In. Keeping it as its own type makes treating it
// as UTC a compile error rather than a nine-hour bug.
type LocalDateTime struct {
	Date                 Date
	Hour, Minute, Second int
}

// ParseLocalDateTime reads "YYYY-MM-DDTHH:MM:SS" or "YYYY-MM-DDTHH:MM".
// Values with an offset or "Z" are rejected: Amadeus never sends them, and
// accepting one would drop information silently.
func ParseLocalDateTime(s string) (LocalDateTime, error) {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return LocalDateTime{Date: DateOf(t), Hour: t.Hour(), Minute: t.Minute(), Second: t.Second()}, nil
		}
	}
	return LocalDateTime{}, fmt.Errorf("amadeus: invalid local date-time %q (want YYYY-MM-DDTHH:MM:SS, no offset)", s)
}

// In returns the instant this wall-clock time names in loc. For a time that
// falls in a DST gap or overlap it follows time.Date: the result is correct
// for real schedules, which never name a non-existent local time.
func (l LocalDateTime) In(loc *time.Location) time.Time {
	return time.Date(l.Date.Year, l.Date.Month, l.Date.Day, l.Hour, l.Minute, l.Second, 0, loc)
}

// IsZero reports whether l is unset.
func (l LocalDateTime) IsZero() bool { return l == LocalDateTime{} }

// String formats l as "YYYY-MM-DDTHH:MM:SS".
func (l LocalDateTime) String() string {
	return fmt.Sprintf("%sT%02d:%02d:%02d", l.Date, l.Hour, l.Minute, l.Second)
}

// Compare orders wall-clock times; meaningful only for times in one zone.
func (l LocalDateTime) Compare(o LocalDateTime) int {
	if c := l.Date.Compare(o.Date); c != 0 {
		return c
	}
	if c := cmpInt(l.Hour, o.Hour); c != 0 {
		return c
	}
	if c := cmpInt(l.Minute, o.Minute); c != 0 {
		return c
	}
	return cmpInt(l.Second, o.Second)
}

// MarshalJSON writes "YYYY-MM-DDTHH:MM:SS".
func (l LocalDateTime) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON reads what ParseLocalDateTime accepts.
func (l *LocalDateTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("amadeus: local date-time must be a string: %w", err)
	}
	v, err := ParseLocalDateTime(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

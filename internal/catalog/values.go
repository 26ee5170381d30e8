package catalog

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Clock is a local time of day in minutes after midnight, written "HH:MM".
type Clock int

// ParseClock reads "HH:MM" (00:00–23:59; "24:00" only where an end of day
// is meant, see Span).
func ParseClock(s string) (Clock, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not a time like 09:30", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time like 09:30", s)
	}
	return Clock(h*60 + m), nil
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalJSON writes "HH:MM".
func (c Clock) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads "HH:MM" within a day.
func (c *Clock) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a time like \"09:30\"")
	}
	v, err := ParseClock(s)
	if err != nil {
		return err
	}
	if v >= 24*60 {
		return fmt.Errorf("%q is not a time of day", s)
	}
	*c = v
	return nil
}

// Weekdays is a set of days of operation, written as ISO day digits
// ("1234567" daily, "135" Monday, Wednesday, Friday).
type Weekdays uint8

// Has reports whether the set includes the weekday of t.
func (w Weekdays) Has(d time.Weekday) bool { return w&(1<<isoDay(d)) != 0 }

func isoDay(d time.Weekday) int {
	if d == time.Sunday {
		return 7
	}
	return int(d)
}

// Daily operates every day.
const Daily Weekdays = 0b11111110

func (w Weekdays) String() string {
	var b strings.Builder
	for d := 1; d <= 7; d++ {
		if w&(1<<d) != 0 {
			b.WriteByte(byte('0' + d))
		}
	}
	return b.String()
}

// MarshalJSON writes the day digits.
func (w Weekdays) MarshalJSON() ([]byte, error) { return json.Marshal(w.String()) }

// UnmarshalJSON reads day digits 1 (Monday) to 7 (Sunday), each at most once.
func (w *Weekdays) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil || s == "" {
		return fmt.Errorf(`must be ISO weekday digits like "1234567" (daily) or "135"`)
	}
	var v Weekdays
	for _, r := range s {
		if r < '1' || r > '7' || v&(1<<(r-'0')) != 0 {
			return fmt.Errorf("%q: days are the digits 1 (Monday) to 7 (Sunday), each at most once", s)
		}
		v |= 1 << (r - '0')
	}
	*w = v
	return nil
}

// Date is a calendar date without time or zone, written "YYYY-MM-DD".
type Date struct{ time.Time }

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2027-05-10", s)
	}
	return Date{t}, nil
}

func (d Date) String() string { return d.Format(time.DateOnly) }

// IsZero reports an unset date (for omitzero).
func (d Date) IsZero() bool { return d.Time.IsZero() }

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf(`must be a date like "2027-05-10"`)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Span is opening hours on one day; Close may be 24:00. Closed days have
// Open == Close == 0 and Closed set.
type Span struct {
	Open, Close Clock
	Closed      bool
}

// Hours are opening hours per weekday (index 0 = Monday).
type Hours [7]Span

var dayKeys = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// On returns the opening hours on weekday d.
func (h Hours) On(d time.Weekday) Span { return h[isoDay(d)-1] }

// MarshalJSON writes {"mon":"09:00-18:00",…,"sun":"closed"}.
func (h Hours) MarshalJSON() ([]byte, error) {
	m := make(map[string]string, 7)
	for i, s := range h {
		if s.Closed {
			m[dayKeys[i]] = "closed"
		} else {
			m[dayKeys[i]] = s.Open.String() + "-" + s.Close.String()
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads {"all":"09:00-18:00","sun":"closed"}: "all" sets
// every day, named days override it; days not given are closed.
func (h *Hours) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf(`must be an object like {"all":"09:00-18:00","mon":"closed"}`)
	}
	var out Hours
	for i := range out {
		out[i].Closed = true
	}
	apply := func(i int, v string) error {
		if v == "closed" {
			out[i] = Span{Closed: true}
			return nil
		}
		from, to, ok := strings.Cut(v, "-")
		open, err1 := ParseClock(from)
		closing, err2 := ParseClock(to)
		if !ok || err1 != nil || err2 != nil || open >= 24*60 || closing <= open {
			return fmt.Errorf("%q is not opening hours like 09:00-18:00 or closed", v)
		}
		out[i] = Span{Open: open, Close: closing}
		return nil
	}
	if v, ok := m["all"]; ok {
		for i := range out {
			if err := apply(i, v); err != nil {
				return err
			}
		}
	}
	for k, v := range m {
		if k == "all" {
			continue
		}
		i := indexOf(dayKeys[:], k)
		if i < 0 {
			return fmt.Errorf("%q is not a day; use all, mon, tue, wed, thu, fri, sat or sun", k)
		}
		if err := apply(i, v); err != nil {
			return err
		}
	}
	*h = out
	return nil
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

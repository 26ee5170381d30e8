package amadeus

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseISODuration reads an ISO 8601 duration as Amadeus writes flight and
// segment durations ("PT14H15M", "P1DT2H", "PT45M"). time.ParseDuration
// cannot read them, and a home-made strings.Replace hack silently misreads
// "P1DT2H" or the "M" that means months before "T" and minutes after it.
//
// Accepted: P[nW][nD][T[nH][nM][n[.f]S]] with at least one component, each
// at most once and in that order, non-negative integers, and a fraction of
// up to 9 digits on seconds only. A day is taken as 24 hours and a week as
// 7 days: these are elapsed travel times, not calendar arithmetic. Years and
// months are rejected because they have no fixed length, as are signs,
// lower case and overflow past time.Duration's range.
func ParseISODuration(s string) (time.Duration, error) {
	bad := func(why string) (time.Duration, error) {
		return 0, fmt.Errorf("amadeus: invalid ISO 8601 duration %q: %s", s, why)
	}
	rest, ok := strings.CutPrefix(s, "P")
	if !ok {
		return bad("must start with P")
	}
	datePart, timePart, hasT := strings.Cut(rest, "T")
	if hasT && timePart == "" {
		return bad("T must be followed by hours, minutes or seconds")
	}
	if datePart == "" && !hasT {
		return bad("no components")
	}
	var total time.Duration
	add := func(n int64, unit time.Duration) error {
		if n > int64(math.MaxInt64/unit) {
			return errors.New("out of range")
		}
		d := time.Duration(n) * unit
		if total > math.MaxInt64-d {
			return errors.New("out of range")
		}
		total += d
		return nil
	}
	if err := components(datePart, "WD", []time.Duration{7 * 24 * time.Hour, 24 * time.Hour}, add, false); err != nil {
		return bad(err.Error())
	}
	if err := components(timePart, "HMS", []time.Duration{time.Hour, time.Minute, time.Second}, add, true); err != nil {
		return bad(err.Error())
	}
	return total, nil
}

// components parses a run like "1D" or "2H30M5.5S" whose designators must
// appear in the order of designators; add accumulates each value. Only the
// last designator (seconds) may carry a fraction when allowFraction is set.
func components(s, designators string, units []time.Duration, add func(int64, time.Duration) error, allowFraction bool) error {
	next := 0 // index of the first designator still allowed
	for s != "" {
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == len(s) {
			return errors.New("number without a designator")
		}
		num, des := s[:i], s[i]
		s = s[i+1:]
		k := strings.IndexByte(designators, des)
		if k < 0 {
			return fmt.Errorf("unexpected designator %q", des)
		}
		if k < next {
			return fmt.Errorf("designator %q out of order or repeated", des)
		}
		next = k + 1
		whole, frac, hasDot := strings.Cut(num, ".")
		if hasDot && (!allowFraction || k != len(designators)-1) {
			return fmt.Errorf("fraction allowed only on seconds")
		}
		if !digits(whole) || hasDot && (!digits(frac) || len(frac) > 9) {
			return fmt.Errorf("bad number %q", num)
		}
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil {
			return errors.New("out of range")
		}
		if err := add(n, units[k]); err != nil {
			return err
		}
		if hasDot {
			ns, _ := strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
			if err := add(ns, time.Nanosecond); err != nil {
				return err
			}
		}
	}
	return nil
}

func digits(s string) bool {
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

// FormatISODuration writes d in the form ParseISODuration reads, with days
// split off ("P1DT2H", "PT14H15M", "PT0S"), so durations can be sent back to
// a provider or stored as text. ParseISODuration accepts no sign, so zero
// and negative durations both format as "PT0S".
func FormatISODuration(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteByte('P')
	if days := d / (24 * time.Hour); days > 0 {
		b.WriteString(strconv.FormatInt(int64(days), 10) + "D")
		d -= days * 24 * time.Hour
	}
	if d == 0 {
		return b.String()
	}
	b.WriteByte('T')
	if h := d / time.Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + "H")
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "M")
		d -= m * time.Minute
	}
	if d > 0 {
		sec, ns := d/time.Second, d%time.Second
		b.WriteString(strconv.FormatInt(int64(sec), 10))
		if ns > 0 {
			b.WriteString("." + strings.TrimRight(fmt.Sprintf("%09d", int64(ns)), "0"))
		}
		b.WriteByte('S')
	}
	return b.String()
}

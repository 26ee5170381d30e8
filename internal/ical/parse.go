package ical

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// MaxSize is the largest calendar Parse reads: a trip's reservations fit
// many times over, and the limit keeps a hostile upload from costing memory.
const MaxSize = 4 << 20

// ParseError says what is wrong with a calendar and on which line
// (counted after unfolding, from the first physical line of the property).
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

type contentLine struct {
	no     int
	name   string
	params map[string]string
	value  string
}

// Parse reads an iCalendar stream: lines unfolded (CRLF or bare LF),
// TEXT unescaped, DTSTART/DTEND in UTC ('Z'), with a TZID resolved by
// time.LoadLocation (the zone's VTIMEZONE is not needed), floating (read
// as UTC, Floating set) or DATE values; DURATION stands in for a missing
// DTEND. Components other than VEVENT are skipped. Errors are
// *ParseError.
func Parse(r io.Reader) (Calendar, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Calendar{}, err
	}
	if len(raw) > MaxSize {
		return Calendar{}, &ParseError{Line: 0, Msg: fmt.Sprintf("the calendar is larger than %d bytes", MaxSize)}
	}
	lines, err := unfold(raw)
	if err != nil {
		return Calendar{}, err
	}
	var cal Calendar
	z := zones{}
	var stack []string
	var ev *Event
	var evStart int
	endTimed := false // DTEND was a DATE-TIME, which an all-day event must not have
	sawCalendar := false
	for _, l := range lines {
		switch l.name {
		case "BEGIN":
			comp := strings.ToUpper(l.value)
			if len(stack) == 0 && comp != "VCALENDAR" {
				return cal, &ParseError{l.no, "the calendar must start with BEGIN:VCALENDAR"}
			}
			if len(stack) > 8 {
				return cal, &ParseError{l.no, "components are nested too deeply"}
			}
			stack = append(stack, comp)
			sawCalendar = true
			if comp == "VEVENT" && len(stack) == 2 {
				ev, evStart, endTimed = &Event{}, l.no, false
			}
			continue
		case "END":
			comp := strings.ToUpper(l.value)
			if len(stack) == 0 || stack[len(stack)-1] != comp {
				return cal, &ParseError{l.no, fmt.Sprintf("END:%s does not close an open component", l.value)}
			}
			stack = stack[:len(stack)-1]
			if comp == "VEVENT" && ev != nil && len(stack) == 1 {
				if ev.Start.IsZero() {
					return cal, &ParseError{evStart, "the event has no DTSTART"}
				}
				if ev.AllDay && !ev.End.IsZero() && (endTimed || ev.End.Hour()+ev.End.Minute()+ev.End.Second() != 0) {
					return cal, &ParseError{evStart, "an all-day event must end on a DATE (or last whole days)"}
				}
				if !ev.End.IsZero() && ev.End.Before(ev.Start) {
					return cal, &ParseError{evStart, "the event ends before it starts"}
				}
				cal.Events = append(cal.Events, *ev)
				ev = nil
			}
			continue
		}
		if len(stack) == 0 {
			return cal, &ParseError{l.no, "property outside BEGIN:VCALENDAR"}
		}
		if len(stack) == 1 {
			switch l.name {
			case "PRODID":
				cal.ProdID = l.value
			case "X-WR-CALNAME":
				cal.Name = UnescapeText(l.value)
			}
			continue
		}
		if ev == nil || len(stack) != 2 {
			continue // inside VTIMEZONE, VALARM, VTODO…
		}
		if l.name == "DTEND" {
			endTimed = !(l.params["VALUE"] == "DATE" || (len(l.value) == 8 && l.params["VALUE"] == ""))
		}
		if err := setEventProp(ev, l, z); err != nil {
			return cal, err
		}
	}
	if !sawCalendar {
		return cal, &ParseError{1, "not an iCalendar file: BEGIN:VCALENDAR is missing"}
	}
	if len(stack) != 0 {
		return cal, &ParseError{len(lines), "the calendar ends before END:" + stack[len(stack)-1]}
	}
	return cal, nil
}

// maxDuration bounds DURATION so adding it to a time cannot overflow.
const maxDuration = 10 * 366 * 24 * time.Hour

func setEventProp(ev *Event, l contentLine, z zones) error {
	switch l.name {
	case "UID":
		ev.UID = UnescapeText(l.value)
	case "SUMMARY":
		ev.Summary = UnescapeText(l.value)
	case "DESCRIPTION":
		ev.Description = UnescapeText(l.value)
	case "LOCATION":
		ev.Location = UnescapeText(l.value)
	case "URL":
		ev.URL = l.value
	case "CATEGORIES":
		for _, c := range splitEscaped(l.value) {
			if c != "" {
				ev.Categories = append(ev.Categories, UnescapeText(c))
			}
		}
	case "DTSTART", "DTEND":
		t, allDay, floating, err := parseTime(l, z)
		if err != nil {
			return err
		}
		if l.name == "DTSTART" {
			ev.Start, ev.AllDay, ev.Floating = t, allDay, floating
		} else {
			if !ev.Start.IsZero() && allDay != ev.AllDay {
				return &ParseError{l.no, "DTEND must have the same value type (DATE or DATE-TIME) as DTSTART"}
			}
			ev.End = t
		}
	case "DURATION":
		d, err := ParseDuration(l.value)
		if err != nil {
			return &ParseError{l.no, err.Error()}
		}
		if d < 0 || d > maxDuration {
			return &ParseError{l.no, "DURATION must be positive and at most ten years"}
		}
		if ev.Start.IsZero() {
			return &ParseError{l.no, "DURATION must come after DTSTART"}
		}
		if ev.End.IsZero() {
			ev.End = ev.Start.Add(d)
		}
	}
	return nil
}

func parseTime(l contentLine, z zones) (t time.Time, allDay, floating bool, err error) {
	v := l.value
	if l.params["VALUE"] == "DATE" || (len(v) == 8 && l.params["VALUE"] == "") {
		t, err := time.Parse(dateLayout, v)
		if err != nil {
			return t, false, false, &ParseError{l.no, fmt.Sprintf("%s %q is not a DATE (YYYYMMDD)", l.name, v)}
		}
		return t, true, false, nil
	}
	if tz := l.params["TZID"]; tz != "" {
		tz = strings.TrimPrefix(tz, "/") // a "globally unique" TZID prefix
		if tz == "Local" || strings.Contains(tz, "..") {
			return t, false, false, &ParseError{l.no, fmt.Sprintf("unknown time zone %q", tz)}
		}
		loc, err := z.load(tz)
		if err != nil {
			return t, false, false, &ParseError{l.no, fmt.Sprintf("unknown time zone %q (use an IANA name like Europe/Lisbon)", tz)}
		}
		t, err := time.ParseInLocation(localLayout, v, loc)
		if err != nil {
			return t, false, false, &ParseError{l.no, fmt.Sprintf("%s %q is not a local DATE-TIME (YYYYMMDDTHHMMSS)", l.name, v)}
		}
		return t, false, false, nil
	}
	if strings.HasSuffix(v, "Z") {
		t, err := time.Parse(utcLayout, v)
		if err != nil {
			return t, false, false, &ParseError{l.no, fmt.Sprintf("%s %q is not a UTC DATE-TIME (YYYYMMDDTHHMMSSZ)", l.name, v)}
		}
		return t, false, false, nil
	}
	t, err = time.Parse(localLayout, v)
	if err != nil {
		return t, false, false, &ParseError{l.no, fmt.Sprintf("%s %q is not a DATE-TIME (YYYYMMDDTHHMMSS)", l.name, v)}
	}
	return t, false, true, nil
}

// zones caches loaded locations for one Parse: LoadLocation reads the
// tzdata file on every call, and a calendar names the same zone on every
// line.
type zones map[string]*time.Location

func (z zones) load(name string) (*time.Location, error) {
	if l, ok := z[name]; ok {
		return l, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	z[name] = loc
	return loc, nil
}

// unfold joins folded lines and splits each content line into name,
// parameters and value.
func unfold(raw []byte) ([]contentLine, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	phys := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	var out []contentLine
	var cur strings.Builder
	start := 0
	flush := func() error {
		if cur.Len() == 0 {
			return nil
		}
		l, err := splitLine(cur.String(), start)
		cur.Reset()
		if err != nil {
			return err
		}
		out = append(out, l)
		return nil
	}
	for i, p := range phys {
		if len(p) > 0 && (p[0] == ' ' || p[0] == '\t') {
			if cur.Len() == 0 {
				return nil, &ParseError{i + 1, "a continuation line without a line before it"}
			}
			cur.WriteString(p[1:])
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		start = i + 1
		cur.WriteString(strings.TrimSuffix(p, "\r"))
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func splitLine(s string, no int) (contentLine, error) {
	l := contentLine{no: no, params: map[string]string{}}
	// The name ends at the first ';' or ':'.
	i := strings.IndexAny(s, ";:")
	if i <= 0 {
		return l, &ParseError{no, fmt.Sprintf("%q is not a content line (NAME:value)", truncate(s))}
	}
	l.name = strings.ToUpper(s[:i])
	rest := s[i:]
	for strings.HasPrefix(rest, ";") {
		rest = rest[1:]
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 {
			return l, &ParseError{no, fmt.Sprintf("a parameter of %s has no value", l.name)}
		}
		pname := strings.ToUpper(rest[:eq])
		rest = rest[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return l, &ParseError{no, fmt.Sprintf("the %s parameter has an unclosed quote", pname)}
			}
			val, rest = rest[1:end+1], rest[end+2:]
		} else {
			end := strings.IndexAny(rest, ";:")
			if end < 0 {
				return l, &ParseError{no, fmt.Sprintf("%s has no ':' before its value", l.name)}
			}
			val, rest = rest[:end], rest[end:]
		}
		if pname == "VALUE" {
			val = strings.ToUpper(val)
		}
		l.params[pname] = val
	}
	if !strings.HasPrefix(rest, ":") {
		return l, &ParseError{no, fmt.Sprintf("%s has no ':' before its value", l.name)}
	}
	l.value = rest[1:]
	return l, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// UnescapeText reverses EscapeText; an unknown escape keeps its character.
func UnescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// ParseDuration reads an RFC 5545 DURATION: [+-]P then nW, or nD and/or
// T with nH nM nS ("PT1H30M", "P1D", "-P2W").
func ParseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("DURATION %q is not like PT1H30M, P1D or P2W", s)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, bad
	}
	s = s[1:]
	var d time.Duration
	inTime, num := false, ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			num += string(c)
			if len(num) > 6 {
				return 0, bad
			}
			continue
		case c == 'T' && !inTime && num == "":
			inTime = true
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil {
			return 0, bad
		}
		num = ""
		unit := map[byte]time.Duration{'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour}
		if inTime {
			unit = map[byte]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second}
		}
		u, ok := unit[c]
		if !ok {
			return 0, bad
		}
		if time.Duration(n) > maxDuration/u {
			return 0, bad // would overflow
		}
		if d += time.Duration(n) * u; d > maxDuration {
			return 0, bad
		}
	}
	if num != "" {
		return 0, bad
	}
	if neg {
		d = -d
	}
	return d, nil
}

// splitEscaped splits a TEXT list at commas that are not escaped.
func splitEscaped(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ',':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

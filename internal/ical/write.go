// Package ical writes and reads iCalendar (RFC 5545) files, the format
// every calendar application imports, so a trip can land in a traveller's
// calendar and reservations from elsewhere can come back into a trip. It
// covers what itineraries need — events with zoned, UTC or all-day times —
// and uses only the standard library.
package ical

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT. Timed events carry Start and End in the location
// of their zone (UTC is written in the 'Z' form); all-day events use only
// the dates of Start and End, End exclusive as RFC 5545 wants. A zero End
// means the event has no DTEND.
type Event struct {
	UID         string
	Summary     string
	Description string
	Location    string
	URL         string
	Categories  []string // CATEGORIES; a trip export puts the item kind here
	Start       time.Time
	End         time.Time
	AllDay      bool
	// Floating is set by Parse for local times without a zone (read as UTC).
	Floating bool
}

// Calendar is a VCALENDAR.
type Calendar struct {
	ProdID string
	Name   string // X-WR-CALNAME, shown by most applications
	Events []Event
}

const (
	dateLayout     = "20060102"
	localLayout    = "20060102T150405"
	utcLayout      = "20060102T150405Z"
	maxLineOctets  = 75
	defaultProdID  = "-//Pathavana//Trips//EN"
	transitionSpan = 366 * 24 * time.Hour
	maxZoneScan    = 6 * transitionSpan
)

// Write writes c as an iCalendar stream: CRLF line ends, lines folded at
// 75 octets without splitting UTF-8 characters, TEXT escaped, and one
// VTIMEZONE per zone used, with the zone's real transitions around the
// events so applications without the IANA database still show the right
// times. stamp is the DTSTAMP of every event (when the export was made).
func Write(w io.Writer, c Calendar, stamp time.Time) error {
	bw := bufio.NewWriter(w)
	lw := &lineWriter{w: bw}
	prod := c.ProdID
	if prod == "" {
		prod = defaultProdID
	}
	lw.line("BEGIN:VCALENDAR")
	lw.line("VERSION:2.0")
	lw.line("PRODID:" + prod)
	lw.line("CALSCALE:GREGORIAN")
	lw.line("METHOD:PUBLISH")
	if c.Name != "" {
		lw.line("X-WR-CALNAME:" + EscapeText(c.Name))
	}
	for _, z := range zonesOf(c.Events) {
		writeTimezone(lw, z.loc, z.from, z.to)
	}
	for _, e := range c.Events {
		if e.UID == "" {
			return fmt.Errorf("ical: event %q has no UID", e.Summary)
		}
		lw.line("BEGIN:VEVENT")
		lw.line("UID:" + EscapeText(e.UID))
		lw.line("DTSTAMP:" + stamp.UTC().Format(utcLayout))
		lw.line(timeProp("DTSTART", e.Start, e.AllDay))
		if !e.End.IsZero() {
			lw.line(timeProp("DTEND", e.End, e.AllDay))
		}
		lw.line("SUMMARY:" + EscapeText(e.Summary))
		if e.Location != "" {
			lw.line("LOCATION:" + EscapeText(e.Location))
		}
		if e.Description != "" {
			lw.line("DESCRIPTION:" + EscapeText(e.Description))
		}
		if e.URL != "" {
			lw.line("URL:" + e.URL)
		}
		if len(e.Categories) > 0 {
			cats := make([]string, len(e.Categories))
			for i, c := range e.Categories {
				cats[i] = EscapeText(c)
			}
			lw.line("CATEGORIES:" + strings.Join(cats, ","))
		}
		lw.line("END:VEVENT")
	}
	lw.line("END:VCALENDAR")
	if lw.err != nil {
		return lw.err
	}
	return bw.Flush()
}

func isUTC(t time.Time) bool {
	name := t.Location().String()
	return name == "UTC" || name == "" || name == "Etc/UTC"
}

func timeProp(name string, t time.Time, allDay bool) string {
	switch {
	case allDay:
		return name + ";VALUE=DATE:" + t.Format(dateLayout)
	case isUTC(t):
		return name + ":" + t.UTC().Format(utcLayout)
	default:
		return name + ";TZID=" + paramValue(t.Location().String()) + ":" + t.Format(localLayout)
	}
}

// paramValue quotes a parameter value when it holds characters that
// would end it.
func paramValue(v string) string {
	if strings.ContainsAny(v, ";:,") {
		return `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return v
}

// EscapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash, comma,
// semicolon and newlines.
func EscapeText(s string) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(s, "\r\n", "\n") {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ',':
			b.WriteString(`\,`)
		case ';':
			b.WriteString(`\;`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			if r < 0x20 && r != '\t' || r == 0x7f {
				continue // control characters are not allowed in TEXT
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lineWriter writes content lines folded at 75 octets (continuation lines
// start with a space, which counts towards their 75).
type lineWriter struct {
	w   *bufio.Writer
	err error
}

func (l *lineWriter) line(s string) {
	if l.err != nil {
		return
	}
	l.err = writeFolded(l.w, s)
}

func writeFolded(w *bufio.Writer, s string) error {
	limit := maxLineOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut-- // never split a UTF-8 sequence
		}
		if _, err := w.WriteString(s[:cut] + "\r\n "); err != nil {
			return err
		}
		s, limit = s[cut:], maxLineOctets-1
	}
	_, err := w.WriteString(s + "\r\n")
	return err
}

type zoneUse struct {
	loc      *time.Location
	from, to time.Time
}

// zonesOf returns the zones the timed events use, with the span of their
// times, in name order so output is deterministic.
func zonesOf(events []Event) []zoneUse {
	byName := map[string]*zoneUse{}
	for _, e := range events {
		if e.AllDay {
			continue
		}
		for _, t := range []time.Time{e.Start, e.End} {
			if t.IsZero() || isUTC(t) {
				continue
			}
			name := t.Location().String()
			z, ok := byName[name]
			if !ok {
				byName[name] = &zoneUse{loc: t.Location(), from: t, to: t}
				continue
			}
			if t.Before(z.from) {
				z.from = t
			}
			if t.After(z.to) {
				z.to = t
			}
		}
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]zoneUse, 0, len(names))
	for _, n := range names {
		out = append(out, *byName[n])
	}
	return out
}

// writeTimezone writes a VTIMEZONE with every offset change from a year
// before from to a year after to (explicit dates, no RRULE: Go does not
// expose the zone's rules, and explicit transitions are always right).
func writeTimezone(lw *lineWriter, loc *time.Location, from, to time.Time) {
	lw.line("BEGIN:VTIMEZONE")
	lw.line("TZID:" + loc.String())
	start, end := from.Add(-transitionSpan).UTC(), to.Add(transitionSpan).UTC()
	if end.Sub(start) > maxZoneScan {
		// A trip spans days, not decades: cap the scan so a hostile span
		// cannot cost minutes. Applications resolve later dates by TZID.
		end = start.Add(maxZoneScan)
	}
	// The offset in force at the start of the span.
	name, off := start.In(loc).Zone()
	writeObservance(lw, start.In(loc).IsDST(), start, off, off, name, loc)
	for _, tr := range transitions(loc, start, end) {
		_, prev := tr.Add(-time.Second).In(loc).Zone()
		name, off := tr.In(loc).Zone()
		writeObservance(lw, tr.In(loc).IsDST(), tr, prev, off, name, loc)
	}
	lw.line("END:VTIMEZONE")
}

func writeObservance(lw *lineWriter, dst bool, at time.Time, from, to int, name string, _ *time.Location) {
	kind := "STANDARD"
	if dst {
		kind = "DAYLIGHT"
	}
	lw.line("BEGIN:" + kind)
	// DTSTART of an observance is the local time under the offset before it.
	lw.line("DTSTART:" + at.Add(time.Duration(from)*time.Second).UTC().Format(localLayout))
	lw.line("TZOFFSETFROM:" + formatOffset(from))
	lw.line("TZOFFSETTO:" + formatOffset(to))
	if name != "" && !strings.ContainsAny(name, "+-") {
		lw.line("TZNAME:" + EscapeText(name))
	}
	lw.line("END:" + kind)
}

// transitions finds the instants in [from, to) where loc's offset changes:
// a daily scan, then a bisection to the second.
func transitions(loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	_, cur := from.In(loc).Zone()
	for t := from; t.Before(to); {
		next := t.Add(24 * time.Hour)
		if _, off := next.In(loc).Zone(); off != cur {
			lo, hi := t, next
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.In(loc).Zone(); o == cur {
					lo = mid
				} else {
					hi = mid
				}
			}
			out = append(out, hi.Truncate(time.Second))
			cur = off
		}
		t = next
	}
	return out
}

func formatOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}

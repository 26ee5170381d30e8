// Package nlu understands the plain-words parts of a trip request that
// need no catalog: dates, party and budget. It is rule-based, std-lib only,
// deterministic and safe on any input (fuzzed); place names are resolved
// elsewhere, by the catalog's place resolver.
package nlu

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dates is what a request says about when: a first and last day of the
// trip (both inclusive, midnight UTC) and/or a length in days. Zero fields
// were not said. Flexible marks a period ("in May", "first week of June")
// rather than exact days.
type Dates struct {
	Start, End time.Time
	Days       int
	Flexible   bool
}

// maxTripDays bounds what is read as one trip.
const maxTripDays = 91

// HasStart reports whether a first day is known.
func (d Dates) HasStart() bool { return !d.Start.IsZero() }

var months = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
	"june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdays = map[string]time.Weekday{
	"sunday": 0, "sun": 0, "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
	"thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
}

var numberWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
}

const (
	monthRe = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`
	dayRe   = `(\d{1,2})(?:st|nd|rd|th)?`
	yearRe  = `(?:,?\s*(\d{4}))?`
	toRe    = `\s*(?:-|–|to|until|till|through|thru|and)\s*`
	numRe   = `(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty)`
)

var (
	isoRange      = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b(?:` + toRe + `(\d{4})-(\d{2})-(\d{2})\b)?`)
	monthDayRange = regexp.MustCompile(`\b` + monthRe + `\s+` + dayRe + yearRe + toRe + `(?:` + monthRe + `\s+)?` + dayRe + `\b` + yearRe)
	dayMonthRange = regexp.MustCompile(`\b` + dayRe + `(?:\s+` + monthRe + `)?` + toRe + dayRe + `\s+(?:of\s+)?` + monthRe + `\b` + yearRe)
	monthDay      = regexp.MustCompile(`\b` + monthRe + `\s+` + dayRe + `\b` + yearRe)
	dayMonth      = regexp.MustCompile(`\b` + dayRe + `\s+(?:of\s+)?` + monthRe + `\b` + yearRe)
	weekOfMonth   = regexp.MustCompile(`\b(first|1st|second|2nd|third|3rd|fourth|4th|last)\s+week\s+(?:of|in)\s+` + monthRe + `\b` + yearRe)
	inMonth       = regexp.MustCompile(`\b(?:in|during|for|early|mid|late)\s+(?:early\s+|mid\s+|late\s+)?` + monthRe + `\b` + yearRe)
	relWeekday    = regexp.MustCompile(`\b(next|this|on|coming)\s+(sunday|sun|monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat)\b`)
	relWeekend    = regexp.MustCompile(`\b(this|next)\s+weekend\b`)
	relWeek       = regexp.MustCompile(`\bnext\s+(week|month)\b`)
	inN           = regexp.MustCompile(`\bin\s+` + numRe + `\s+(days?|weeks?|months?)\b`)
	duration      = regexp.MustCompile(`\b(?:for\s+)?` + numRe + `[\s-]+(days?|nights?|weeks?)\b`)
	tomorrow      = regexp.MustCompile(`\btomorrow\b`)
	todayRe       = regexp.MustCompile(`\b(today|tonight)\b`)
	weekend       = regexp.MustCompile(`\b(?:for\s+)?(?:a|the)\s+(long\s+)?weekend\b`)
)

// ParseDates reads the dates of a request relative to today (the
// traveler's local date). Dates without a year are the next occurrence on
// or after today.
func ParseDates(text string, today time.Time) Dates {
	s := normalise(text)
	today = midnight(today)
	var d Dates
	switch {
	case matchISO(s, &d):
	case matchMonthDayRange(s, today, &d):
	case matchDayMonthRange(s, today, &d):
	case matchWeekOfMonth(s, today, &d):
	case matchSingle(s, today, &d):
	case matchRelative(s, today, &d):
	case matchInMonth(s, today, &d):
	}
	// "in 3 days" says when, not how long.
	if n, nights, ok := matchDuration(inN.ReplaceAllString(s, " ")); ok {
		d.Days = n
		if nights {
			d.Days = n + 1
		}
		// A period ("in May") stays the window the days must fit in.
		if d.HasStart() && d.End.IsZero() {
			d.End = d.Start.AddDate(0, 0, d.Days-1)
		}
	} else if d.HasStart() && !d.End.IsZero() && !d.Flexible {
		d.Days = int(d.End.Sub(d.Start).Hours()/24) + 1
		if d.Days > maxTripDays {
			d.End, d.Days = time.Time{}, 0
		}
	}
	if !d.End.IsZero() && d.End.Before(d.Start) {
		d.End = time.Time{}
	}
	return d
}

func normalise(s string) string {
	s = strings.ToLower(s)
	if len(s) > 2000 {
		s = s[:2000]
	}
	return strings.NewReplacer("’", "'", "\u00a0", " ", "  ", " ").Replace(s)
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// date builds a real calendar date, false for "February 30".
func date(y int, m time.Month, day int) (time.Time, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return t, t.Month() == m
}

// upcoming is month/day in the given year, or, without one, the next
// occurrence on or after today.
func upcoming(today time.Time, year string, m time.Month, day int) (time.Time, bool) {
	if year != "" {
		y, _ := strconv.Atoi(year)
		return date(y, m, day)
	}
	t, ok := date(today.Year(), m, day)
	if ok && t.Before(today) {
		t, ok = date(today.Year()+1, m, day)
	}
	return t, ok
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func number(s string) int {
	if n, ok := numberWords[s]; ok {
		return n
	}
	return atoi(s)
}

func matchISO(s string, d *Dates) bool {
	m := isoRange.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	start, ok := date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]))
	if !ok {
		return false
	}
	d.Start = start
	if m[4] != "" {
		if end, ok := date(atoi(m[4]), time.Month(atoi(m[5])), atoi(m[6])); ok {
			d.End = end
		}
	}
	return true
}

// "March 16th to 18th, 2027", "May 30 - June 2", "Dec 28, 2026 to Jan 3, 2027".
func matchMonthDayRange(s string, today time.Time, d *Dates) bool {
	m := monthDayRange.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	m1, day1, y1, m2s, day2, y2 := months[m[1]], atoi(m[2]), m[3], m[4], atoi(m[5]), m[6]
	m2 := m1
	if m2s != "" {
		m2 = months[m2s]
	}
	return setRange(d, today, m1, day1, y1, m2, day2, y2)
}

// "16-18 March", "30 May to 2 June 2027".
func matchDayMonthRange(s string, today time.Time, d *Dates) bool {
	m := dayMonthRange.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	day1, m1s, day2, m2, y := atoi(m[1]), m[2], atoi(m[3]), months[m[4]], m[5]
	m1 := m2
	if m1s != "" {
		m1 = months[m1s]
	}
	return setRange(d, today, m1, day1, "", m2, day2, y)
}

// setRange fills a range whose year may be given at either end; a range
// that runs into the next year ("Dec 28 to Jan 3") ends in it.
func setRange(d *Dates, today time.Time, m1 time.Month, day1 int, y1 string, m2 time.Month, day2 int, y2 string) bool {
	if y1 == "" {
		y1 = y2
	}
	start, ok := upcoming(today, y1, m1, day1)
	if !ok {
		return false
	}
	end, ok := date(start.Year(), m2, day2)
	if ok && end.Before(start) && m2 < m1 {
		end, ok = date(start.Year()+1, m2, day2)
	}
	d.Start = start
	if ok && !end.Before(start) && end.Sub(start) < maxTripDays*24*time.Hour {
		d.End = end
	}
	return true
}

func matchWeekOfMonth(s string, today time.Time, d *Dates) bool {
	m := weekOfMonth.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	first := map[string]int{"first": 1, "1st": 1, "second": 8, "2nd": 8, "third": 15, "3rd": 15, "fourth": 22, "4th": 22}[m[1]]
	mon := months[m[2]]
	start, ok := upcoming(today, m[3], mon, 1)
	if !ok {
		return false
	}
	if m[1] == "last" {
		first = time.Date(start.Year(), mon+1, 0, 0, 0, 0, 0, time.UTC).Day() - 6
	}
	d.Start = start.AddDate(0, 0, first-1)
	d.End = d.Start.AddDate(0, 0, 6)
	d.Flexible = true
	return true
}

func matchSingle(s string, today time.Time, d *Dates) bool {
	var mon time.Month
	var day int
	var year string
	if m := monthDay.FindStringSubmatch(s); m != nil {
		mon, day, year = months[m[1]], atoi(m[2]), m[3]
	} else if m := dayMonth.FindStringSubmatch(s); m != nil {
		mon, day, year = months[m[2]], atoi(m[1]), m[3]
	} else {
		return false
	}
	t, ok := upcoming(today, year, mon, day)
	if ok {
		d.Start = t
	}
	return ok
}

func matchRelative(s string, today time.Time, d *Dates) bool {
	switch {
	case strings.Contains(s, "day after tomorrow"):
		d.Start = today.AddDate(0, 0, 2)
	case tomorrow.MatchString(s):
		d.Start = today.AddDate(0, 0, 1)
	case todayRe.MatchString(s):
		d.Start = today
	default:
		if m := relWeekday.FindStringSubmatch(s); m != nil {
			ahead := (int(weekdays[m[2]]) - int(today.Weekday()) + 7) % 7
			if m[1] == "next" && ahead == 0 {
				ahead = 7
			}
			d.Start = today.AddDate(0, 0, ahead)
		} else if m := relWeekend.FindStringSubmatch(s); m != nil {
			ahead := (int(time.Saturday) - int(today.Weekday()) + 7) % 7
			if m[1] == "next" && ahead < 2 {
				ahead += 7
			}
			d.Start, d.End = today.AddDate(0, 0, ahead), today.AddDate(0, 0, ahead+1)
		} else if m := relWeek.FindStringSubmatch(s); m != nil {
			if m[1] == "week" {
				ahead := (int(time.Monday) - int(today.Weekday()) + 7) % 7
				if ahead == 0 {
					ahead = 7
				}
				d.Start, d.End, d.Flexible = today.AddDate(0, 0, ahead), today.AddDate(0, 0, ahead+6), true
			} else {
				first := time.Date(today.Year(), today.Month()+1, 1, 0, 0, 0, 0, time.UTC)
				d.Start, d.End, d.Flexible = first, first.AddDate(0, 1, -1), true
			}
		} else if m := inN.FindStringSubmatch(s); m != nil {
			n := number(m[1])
			switch m[2][0] {
			case 'd':
				d.Start = today.AddDate(0, 0, n)
			case 'w':
				d.Start = today.AddDate(0, 0, 7*n)
			default:
				d.Start = today.AddDate(0, n, 0)
			}
		} else {
			return false
		}
	}
	return true
}

func matchInMonth(s string, today time.Time, d *Dates) bool {
	m := inMonth.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	mon := months[m[1]]
	start, ok := upcoming(today, m[2], mon, 1)
	switch {
	case m[2] == "" && mon == today.Month():
		start, ok = today, true // "in December" said in December: the rest of it
	case !ok:
		return false
	case start.Before(today):
		start = today
	}
	d.Start, d.End, d.Flexible = start, time.Date(start.Year(), start.Month()+1, 0, 0, 0, 0, 0, time.UTC), true
	return true
}

// matchDuration finds a length: "for 5 days", "8 days", "3 nights",
// "a week", "a long weekend".
func matchDuration(s string) (n int, nights, ok bool) {
	if m := duration.FindStringSubmatch(s); m != nil {
		n = number(m[1])
		switch m[2][0] {
		case 'w':
			n *= 7
		case 'n':
			nights = true
		}
		if n >= 1 && n <= maxTripDays-1 {
			return n, nights, true
		}
	}
	if m := weekend.FindStringSubmatch(s); m != nil {
		if m[1] != "" {
			return 3, false, true
		}
		return 2, false, true
	}
	return 0, false, false
}

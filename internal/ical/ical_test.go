package ical

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

var stamp = time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no tzdata for %s: %v", name, err)
	}
	return loc
}

func TestFoldingAndEscaping(t *testing.T) {
	long := strings.Repeat("Pastéis de nata, ", 12) + "fim; \\ done\nsecond line"
	var buf bytes.Buffer
	err := Write(&buf, Calendar{Name: "Trip", Events: []Event{{UID: "a@x", Summary: long,
		Start: time.Date(2027, 3, 27, 0, 0, 0, 0, time.UTC), AllDay: true}}}, stamp)
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasSuffix(out, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Fatalf("lines must end in CRLF: %q", out)
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Fatalf("line of %d octets: %q", len(l), l)
		}
	}
	if !strings.Contains(out, `fim\; \\ done\nsecond line`) || !strings.Contains(out, `nata\, `) {
		t.Fatalf("not escaped: %s", out)
	}
	if !strings.Contains(out, "DTSTART;VALUE=DATE:20270327") || !strings.Contains(out, "PRODID:-//Pathavana//Trips//EN") {
		t.Fatalf("missing DTSTART/PRODID: %s", out)
	}
	cal, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Events) != 1 || cal.Events[0].Summary != long || !cal.Events[0].AllDay || cal.Name != "Trip" {
		t.Fatalf("round trip: %+v", cal)
	}
}

func TestFoldingNeverSplitsUTF8(t *testing.T) {
	var buf bytes.Buffer
	lw := &lineWriter{w: bufioWriter(&buf)}
	lw.line("SUMMARY:" + strings.Repeat("é", 100))
	lw.w.Flush()
	for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8Valid(strings.TrimPrefix(l, " ")) {
			t.Fatalf("bad fold %q", l)
		}
	}
}

// TestLisbonDST: times either side of Lisbon's March change (last Sunday,
// 01:00 UTC) come back as the same instants, and the VTIMEZONE states the
// change.
func TestLisbonDST(t *testing.T) {
	lis := mustLoad(t, "Europe/Lisbon")
	before := time.Date(2027, 3, 28, 0, 30, 0, 0, lis) // WET, UTC+0
	after := time.Date(2027, 3, 28, 9, 0, 0, 0, lis)   // WEST, UTC+1
	ny := mustLoad(t, "America/New_York")
	events := []Event{
		{UID: "1", Summary: "late", Start: before, End: before.Add(time.Hour)},
		{UID: "2", Summary: "breakfast", Categories: []string{"RESTAURANT", "a,b"}, Start: after, End: after.Add(90 * time.Minute), Location: "Rua Augusta, 1"},
		{UID: "3", Summary: "flight", Start: time.Date(2027, 3, 29, 14, 0, 0, 0, time.UTC), End: time.Date(2027, 3, 29, 22, 0, 0, 0, ny)},
	}
	var buf bytes.Buffer
	if err := Write(&buf, Calendar{Events: events}, stamp); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"TZID:Europe/Lisbon", "BEGIN:DAYLIGHT", "DTSTART:20270328T010000", "TZOFFSETFROM:+0000",
		"TZOFFSETTO:+0100", "DTSTART;TZID=Europe/Lisbon:20270328T090000", "DTSTART:20270329T140000Z", "TZID:America/New_York"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	cal, err := Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Events) != 3 {
		t.Fatalf("%d events", len(cal.Events))
	}
	for i, e := range cal.Events {
		if !e.Start.Equal(events[i].Start) || !e.End.Equal(events[i].End) {
			t.Errorf("event %d: %v–%v, want %v–%v", i, e.Start.UTC(), e.End.UTC(), events[i].Start.UTC(), events[i].End.UTC())
		}
	}
	if got := cal.Events[1].Start.UTC(); got != time.Date(2027, 3, 28, 8, 0, 0, 0, time.UTC) {
		t.Fatalf("breakfast at %v UTC", got)
	}
	if c := cal.Events[1].Categories; len(c) != 2 || c[0] != "RESTAURANT" || c[1] != "a,b" {
		t.Fatalf("categories %q", c)
	}
	if cal.Events[1].Location != "Rua Augusta, 1" {
		t.Fatalf("location %q", cal.Events[1].Location)
	}
}

func TestParseForms(t *testing.T) {
	src := "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:STANDARD\nDTSTART:19700101T000000\nEND:STANDARD\nEND:VTIMEZONE\n" +
		"BEGIN:VEVENT\nUID:r1\nSUMMARY:Hotel\n  Lutetia\nDTSTART;VALUE=DATE:20270401\nDTEND;VALUE=DATE:20270403\nEND:VEVENT\n" +
		"BEGIN:VEVENT\nUID:r2\nsummary:Train\\, TGV\nDTSTART;TZID=\"Europe/Paris\":20270401T101500\nDURATION:PT2H5M\nBEGIN:VALARM\nTRIGGER:-PT15M\nEND:VALARM\nEND:VEVENT\n" +
		"BEGIN:VEVENT\nUID:r3\nSUMMARY:Call\nDTSTART:20270402T080000Z\nEND:VEVENT\nEND:VCALENDAR\n"
	cal, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Events) != 3 {
		t.Fatalf("%+v", cal.Events)
	}
	e := cal.Events
	if e[0].Summary != "Hotel Lutetia" || !e[0].AllDay || e[0].End.Format("2006-01-02") != "2027-04-03" {
		t.Errorf("hotel %+v", e[0])
	}
	if e[1].Summary != "Train, TGV" || e[1].Start.UTC() != time.Date(2027, 4, 1, 8, 15, 0, 0, time.UTC) ||
		e[1].End.Sub(e[1].Start) != 125*time.Minute {
		t.Errorf("train %+v", e[1])
	}
	if e[2].Start != time.Date(2027, 4, 2, 8, 0, 0, 0, time.UTC) || !e[2].End.IsZero() {
		t.Errorf("call %+v", e[2])
	}
}

func TestParseErrors(t *testing.T) {
	wrap := func(body string) string { return "BEGIN:VCALENDAR\r\n" + body + "END:VCALENDAR\r\n" }
	cases := map[string]struct{ src, want string }{
		"empty":        {"", "BEGIN:VCALENDAR is missing"},
		"not ical":     {"hello world", "not a content line"},
		"unclosed":     {"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "ends before END:VEVENT"},
		"bad zone":     {wrap("BEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus:20270101T100000\r\nEND:VEVENT\r\n"), "unknown time zone"},
		"bad date":     {wrap("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2027-01-01\r\nEND:VEVENT\r\n"), "is not a DATE"},
		"bad datetime": {wrap("BEGIN:VEVENT\r\nDTSTART:20271301T100000Z\r\nEND:VEVENT\r\n"), "not a UTC DATE-TIME"},
		"no start":     {wrap("BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n"), "no DTSTART"},
		"backwards":    {wrap("BEGIN:VEVENT\r\nDTSTART:20270102T100000Z\r\nDTEND:20270101T100000Z\r\nEND:VEVENT\r\n"), "ends before it starts"},
		"bad duration": {wrap("BEGIN:VEVENT\r\nDTSTART:20270102T100000Z\r\nDURATION:1H\r\nEND:VEVENT\r\n"), "DURATION"},
		"mismatch end": {wrap("BEGIN:VEVENT\r\nEND:VTODO\r\n"), "does not close"},
		"orphan fold":  {" continued", "continuation line"},
		"quote":        {wrap("BEGIN:VEVENT\r\nDTSTART;TZID=\"Europe/Paris:20270101T100000\r\nEND:VEVENT\r\n"), "unclosed quote"},
	}
	for name, c := range cases {
		_, err := Parse(strings.NewReader(c.src))
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", name, err, c.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"PT1H30M": 90 * time.Minute, "P1D": 24 * time.Hour, "-P2W": -14 * 24 * time.Hour,
		"P1DT2H": 26 * time.Hour, "PT45S": 45 * time.Second} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("%s = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "P", "PT", "1H", "P1H", "PT1D", "P999999W", "P1.5D"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

// FuzzParse: no input panics, and whatever parses writes and parses back
// to the same instants.
func FuzzParse(f *testing.F) {
	f.Add("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;TZID=Europe/Lisbon:20270328T090000\r\nDURATION:PT1H\r\nSUMMARY:a\\, b\r\n c\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	f.Add("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:2\nDTSTART;VALUE=DATE:20270101\nDTEND;VALUE=DATE:20270103\nEND:VEVENT\nEND:VCALENDAR\n")
	f.Add("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20270101T000000Z\nX-A;B=\"c:d\";E=f:g\nEND:VEVENT\nEND:VCALENDAR")
	f.Fuzz(func(t *testing.T, src string) {
		cal, err := Parse(strings.NewReader(src))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for i := range cal.Events {
			cal.Events[i].UID = "u" // Write requires one
			if cal.Events[i].Start.Year() < 1 || cal.Events[i].End.Year() > 9999 {
				return
			}
		}
		var buf bytes.Buffer
		if err := Write(&buf, cal, stamp); err != nil {
			t.Fatalf("write: %v", err)
		}
		back, err := Parse(&buf)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, buf.String())
		}
		if len(back.Events) != len(cal.Events) {
			t.Fatalf("%d events became %d", len(cal.Events), len(back.Events))
		}
		for i, e := range back.Events {
			if !e.Start.Equal(cal.Events[i].Start) || !e.End.Equal(cal.Events[i].End) || e.AllDay != cal.Events[i].AllDay {
				t.Fatalf("event %d changed: %+v → %+v", i, cal.Events[i], e)
			}
		}
	})
}

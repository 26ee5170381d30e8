package amadeus

import (
	"testing"
	"time"
)

func TestParseISODuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"PT14H15M":       14*time.Hour + 15*time.Minute,
		"P1DT2H":         26 * time.Hour,
		"PT45M":          45 * time.Minute,
		"P1D":            24 * time.Hour,
		"P2W":            14 * 24 * time.Hour,
		"PT0S":           0,
		"P0D":            0,
		"PT1.5S":         1500 * time.Millisecond,
		"PT0.000000001S": 1,
		"PT36H":          36 * time.Hour,
		"P1DT1H1M1S":     25*time.Hour + time.Minute + time.Second,
		"PT90M":          90 * time.Minute,
	} {
		got, err := ParseISODuration(in)
		if err != nil || got != want {
			t.Errorf("ParseISODuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "P", "PT", "T1H", "14H", "pt1h", "PT1h", "P1M", "P1Y", "PT1H2H", "PT1M1H",
		"P1DT", "PT1.5H", "PT1.S", "PT.5S", "PT1.0000000001S", "-PT1H", "PT-1H", "P1D2W", "PT1H ", " PT1H",
		"PT9999999999999999999H", "P106752D", "PT1HT1M", "PTH"} {
		if d, err := ParseISODuration(in); err == nil {
			t.Errorf("ParseISODuration(%q) = %v, want an error", in, d)
		}
	}
}

func TestFormatISODuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		14*time.Hour + 15*time.Minute: "PT14H15M",
		26 * time.Hour:                "P1DT2H",
		24 * time.Hour:                "P1D",
		0:                             "PT0S",
		-time.Hour:                    "PT0S",
		1500 * time.Millisecond:       "PT1.5S",
		time.Hour + time.Nanosecond:   "PT1H0.000000001S",
	} {
		if got := FormatISODuration(d); got != want {
			t.Errorf("FormatISODuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// FuzzParseISODuration: no panics, never negative, and every accepted
// duration survives Format → Parse.
func FuzzParseISODuration(f *testing.F) {
	for _, s := range []string{"PT14H15M", "P1DT2H", "PT1.5S", "P2W", "PT", "P1M", "PT0S", "P106751DT23H47M16.854775807S"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseISODuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseISODuration(%q) = %v < 0", s, d)
		}
		back, err := ParseISODuration(FormatISODuration(d))
		if err != nil || back != d {
			t.Fatalf("round trip of %q: %v → %q → %v, %v", s, d, FormatISODuration(d), back, err)
		}
	})
}

// FuzzParseAPIError: any error body, however broken, yields an APIError
// with the HTTP status and maps to an apperr code, without panicking.
func FuzzParseAPIError(f *testing.F) {
	f.Add(400, []byte(`{"errors":[{"status":"400","code":477,"source":{"parameter":"x"}}]}`))
	f.Add(401, []byte(`{"error":"invalid_client","code":"38187"}`))
	f.Add(502, []byte(`<html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseAPIError("GET /x", status, body)
		if e.Status != status {
			t.Fatalf("status %d became %d", status, e.Status)
		}
		if ae := e.appErr(); ae.Code == "" {
			t.Fatal("no apperr code")
		}
	})
}

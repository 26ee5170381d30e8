package amadeus

import (
	"encoding/json"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/testkit"
)

func TestLocalDateTime(t *testing.T) {
	l, err := ParseLocalDateTime("2021-11-01T11:35:00")
	if err != nil || l.String() != "2021-11-01T11:35:00" {
		t.Fatalf("ParseLocalDateTime = %v, %v", l, err)
	}
	if m, err := ParseLocalDateTime("2021-11-01T11:35"); err != nil || m != l {
		t.Fatalf("without seconds = %v, %v", m, err)
	}
	for _, bad := range []string{"2021-11-01T11:35:00Z", "2021-11-01T11:35:00+01:00", "2021-11-01", "2021-02-30T10:00:00", ""} {
		if _, err := ParseLocalDateTime(bad); err == nil {
			t.Errorf("ParseLocalDateTime(%q) accepted", bad)
		}
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata")
	}
	// The same wall time is a different instant on either side of DST.
	winter := LocalDateTime{Date{2026, 1, 15}, 14, 40, 0}.In(ny)
	summer := LocalDateTime{Date{2026, 7, 15}, 14, 40, 0}.In(ny)
	if winter.UTC().Hour() != 19 || summer.UTC().Hour() != 18 {
		t.Fatalf("NY 14:40 → %s / %s UTC", winter.UTC(), summer.UTC())
	}
	b, _ := json.Marshal(l)
	var back LocalDateTime
	if err := json.Unmarshal(b, &back); err != nil || back != l {
		t.Fatalf("JSON round trip = %v, %v", back, err)
	}
	if l.Compare(LocalDateTime{Date{2021, 11, 1}, 11, 36, 0}) != -1 || l.Compare(l) != 0 {
		t.Fatal("Compare")
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2026-02-28")
	if err != nil || d.String() != "2026-02-28" || !d.valid() {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	for _, bad := range []string{"2026-02-29", "26-02-28", "2026/02/28", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if (Date{2026, 2, 29}).valid() || (Date{}).valid() {
		t.Fatal("invalid dates reported valid")
	}
}

func TestParseAPIError(t *testing.T) {
	cases := []struct {
		status     int
		body       string
		code       int
		title      string
		param      string
		oauth      string
		appCode    apperr.Code
		nOthers    int
		fieldCount int
	}{
		{400, `{"errors":[{"status":400,"code":477,"title":"INVALID FORMAT","detail":"bad","source":{"parameter":"originLocationCode","example":"CDG"}},{"status":400,"code":32171,"title":"MANDATORY DATA MISSING","source":{"parameter":"adults"}}]}`,
			477, "INVALID FORMAT", "originLocationCode", "", apperr.Invalid, 1, 2},
		{401, `{"errors":[{"status":"401","code":"38191","title":"Invalid HTTP header"}]}`, 38191, "Invalid HTTP header", "", "", apperr.Unavailable, 0, 0},
		{401, `{"error":"invalid_client","error_description":"Client credentials are invalid","code":38187,"title":"Invalid parameters"}`,
			38187, "Invalid parameters", "", "invalid_client", apperr.Unavailable, 0, 0},
		{429, `{"errors":[{"status":429,"code":38194,"title":"Too many requests"}]}`, 38194, "Too many requests", "", "", apperr.RateLimited, 0, 0},
		{429, `{"errors":[{"status":429,"code":"38195"}]}`, 38195, "", "", "", apperr.Unavailable, 0, 0},
		{500, `{"errors":[{"status":500,"code":141,"title":"SYSTEM ERROR HAS OCCURRED"}]}`, 141, "SYSTEM ERROR HAS OCCURRED", "", "", apperr.Unavailable, 0, 0},
		{400, `{"errors":[{"status":400,"code":34651,"title":"SEGMENT SELL FAILURE"}]}`, 34651, "SEGMENT SELL FAILURE", "", "", apperr.Conflict, 0, 0},
		{404, `{"errors":[{"status":404,"code":{"x":1},"title":"Resource not found"}]}`, 0, "Resource not found", "", "", apperr.NotFound, 0, 0},
		{503, `<html>`, 0, "Service Unavailable", "", "", apperr.Unavailable, 0, 0},
		{418, `{}`, 0, "I'm a teapot", "", "", apperr.Invalid, 0, 0},
	}
	for _, tc := range cases {
		e := parseAPIError("GET /x", tc.status, []byte(tc.body))
		if e.Status != tc.status || e.Code != tc.code || e.Title != tc.title || e.Parameter != tc.param ||
			e.OAuthError != tc.oauth || len(e.Others) != tc.nOthers {
			t.Errorf("parseAPIError(%d, %s) = %+v", tc.status, tc.body, e)
			continue
		}
		ae := e.appErr()
		if ae.Code != tc.appCode || len(ae.Fields) != tc.fieldCount {
			t.Errorf("appErr(%d %d) = %s with %d fields, want %s with %d", tc.status, tc.code, ae.Code, len(ae.Fields), tc.appCode, tc.fieldCount)
		}
	}
}

func TestBreakerStates(t *testing.T) {
	clock := testkit.NewClock(epoch)
	b := newBreaker(BreakerConfig{Failures: 2, CoolDown: 10 * time.Second}, clock.Now)
	fail := func() {
		if !b.allow() {
			t.Fatal("closed breaker refused")
		}
		b.record(failure)
	}
	fail()
	b.allow()
	b.record(success) // resets the count
	fail()
	if b.State() != "closed" {
		t.Fatal("opened after non-consecutive failures")
	}
	fail()
	if b.State() != "open" || b.allow() {
		t.Fatal("not open after 2 consecutive failures")
	}
	clock.Advance(10 * time.Second)
	if !b.allow() {
		t.Fatal("no probe after the cool-down")
	}
	if b.allow() {
		t.Fatal("second caller admitted while the probe is out")
	}
	b.record(neutral) // the probe was cancelled: someone else may probe
	if !b.allow() {
		t.Fatal("probe slot not released after a neutral outcome")
	}
	b.record(failure) // probe failed: open again for a full cool-down
	if b.State() != "open" || b.allow() {
		t.Fatal("failed probe did not reopen")
	}
	clock.Advance(9 * time.Second)
	if b.allow() {
		t.Fatal("reopened breaker admitted before the new cool-down")
	}
	b.record(failure) // a straggler's failure must not extend the cool-down
	clock.Advance(time.Second)
	if !b.allow() {
		t.Fatal("no probe after the second cool-down")
	}
	b.record(success)
	if b.State() != "closed" || !b.allow() {
		t.Fatal("successful probe did not close")
	}
}

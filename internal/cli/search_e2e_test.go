package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestSearchCommands runs every `search` form against the sandbox, as a
// user would from the shell.
func TestSearchCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sandbox once per command")
	}
	env := baseEnv(t)
	pathavana := func(args ...string) (string, string, int) { return runBinary(t, env, args...) }
	in := func(days int) string { return time.Now().AddDate(0, 0, days).Format(time.DateOnly) }

	out, errOut, code := pathavana("search", "places", "New York", "--limit", "1")
	if code != 0 || !strings.Contains(out, "JFK") || !strings.Contains(out, "LGA") || !strings.Contains(out, "EWR") {
		t.Fatalf("places: %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = pathavana("search", "flights", "LIS", "JFK", in(30), "--return", in(37), "--adults", "2")
	if code != 0 || !strings.Contains(out, "source: sandbox") || !strings.Contains(out, "LIS") {
		t.Fatalf("flights: %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = pathavana("search", "stays", "Lisbon", in(30), in(33), "--adults", "3", "--allow", "pets", "--json")
	var stays struct {
		Source string `json:"source"`
		Stays  []struct {
			Nights int `json:"nights"`
			Stay   struct {
				Rules struct {
					Pets bool `json:"pets"`
				} `json:"rules"`
			} `json:"stay"`
		} `json:"stays"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &stays) != nil || len(stays.Stays) == 0 {
		t.Fatalf("stays: %d\n%s%s", code, out, errOut)
	}
	for _, s := range stays.Stays {
		if s.Nights != 3 || !s.Stay.Rules.Pets {
			t.Fatalf("stay %+v: want 3 nights, pets allowed", s)
		}
	}
	out, errOut, code = pathavana("search", "restaurants", "Porto", "--cuisine", "vegetarian", "--party", "4")
	if code != 0 || !strings.Contains(out, "vegetarian") || !strings.Contains(out, "for 4") {
		t.Fatalf("restaurants: %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = pathavana("search", "attractions", "Lisboa", "--date", in(31))
	if code != 0 || strings.Count(out, "★") < 3 {
		t.Fatalf("attractions: %d\n%s%s", code, out, errOut)
	}

	// Mistakes are explained, with the usual exit codes.
	if _, errOut, code = pathavana("search", "stays", "Lisbon", in(33), in(30)); code != 1 || !strings.Contains(errOut, "check_out: must be after check_in") {
		t.Fatalf("reversed dates: %d %s", code, errOut)
	}
	if _, errOut, code = pathavana("search", "stays", "Xqzvbn", in(30), in(33)); code != 1 || !strings.Contains(errOut, `no city found for "Xqzvbn"`) {
		t.Fatalf("unknown city: %d %s", code, errOut)
	}
	if _, errOut, code = pathavana("search", "boats"); code != 2 || !strings.Contains(errOut, "search stays CITY") {
		t.Fatalf("usage: %d %s", code, errOut)
	}
}

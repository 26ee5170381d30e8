package amadeusfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pathavana/internal/testkit"
)

// call performs one raw request and decodes the JSON answer.
func call(t *testing.T, method, u, token string, body io.Reader, hdr map[string]string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, u, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, &m)
	return resp.StatusCode, resp.Header, m
}

func token(t *testing.T, s *Server, form url.Values) (int, map[string]any) {
	t.Helper()
	st, _, m := call(t, "POST", s.URL()+tokenPath, "", strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	return st, m
}

func creds(s *Server) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID()}, "client_secret": {s.ClientSecret()}}
}

// firstError returns status and code of errors[0] as sent (number or string).
func firstError(m map[string]any) (any, any) {
	errs, _ := m["errors"].([]any)
	if len(errs) == 0 {
		return nil, nil
	}
	e := errs[0].(map[string]any)
	return e["status"], e["code"]
}

func TestTokenLifecycle(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	s := New(t, Options{TokenTTL: 120 * time.Second, Now: clock.Now, TPS: -1})
	st, m := token(t, s, creds(s))
	if st != 200 || m["token_type"] != "Bearer" || m["expires_in"] != float64(120) || m["type"] != "amadeusOAuth2Token" {
		t.Fatalf("token = %d %v", st, m)
	}
	tok := m["access_token"].(string)
	search := s.URL() + "/v2/shopping/flight-offers?originLocationCode=SYD&destinationLocationCode=MNL&departureDate=2026-11-01&adults=1"
	st, hdr, _ := call(t, "GET", search, tok, nil, nil)
	if st != 200 || hdr.Get("Content-Type") != "application/vnd.amadeus+json" {
		t.Fatalf("search = %d, content type %q", st, hdr.Get("Content-Type"))
	}
	clock.Advance(120 * time.Second)
	if st, _, m := call(t, "GET", search, tok, nil, nil); st != 401 {
		t.Fatalf("expired token: %d", st)
	} else if _, code := firstError(m); code != float64(38192) {
		t.Fatalf("expired token code = %v", code)
	}
	st, _, m = call(t, "GET", search, "", nil, nil)
	if status, code := firstError(m); st != 401 || status != "401" || code != "38191" {
		t.Fatalf("missing header: %d %v %v (gateway sends strings)", st, status, code)
	}
	if st, _, m := call(t, "GET", search, "forged", nil, nil); st != 401 {
		t.Fatalf("unknown token: %d", st)
	} else if _, code := firstError(m); code != float64(38190) {
		t.Fatalf("unknown token code = %v", code)
	}
	bad := creds(s)
	bad.Set("client_secret", "nope")
	if st, m := token(t, s, bad); st != 401 || m["error"] != "invalid_client" || m["code"] != float64(38187) {
		t.Fatalf("bad credentials = %d %v", st, m)
	}
	grant := creds(s)
	grant.Set("grant_type", "password")
	if st, m := token(t, s, grant); st != 400 || m["error"] != "unsupported_grant_type" {
		t.Fatalf("bad grant = %d %v", st, m)
	}
	for _, r := range s.RequestsTo(tokenPath) {
		if r.Form.Get("client_secret") != "" || len(r.Body) != 0 {
			t.Fatal("the client secret was recorded")
		}
	}
}

func TestSearchErrorsAndOverride(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	s := New(t, Options{Now: clock.Now, TPS: -1})
	_, m := token(t, s, creds(s))
	tok := m["access_token"].(string)
	base := s.URL() + "/v2/shopping/flight-offers?originLocationCode=SYD&destinationLocationCode=MNL&departureDate="
	for q, want := range map[string]float64{
		"2026-11-01":                    32171, // no adults
		"2026-02-28&adults=1":           425,   // past
		"01-11-2026&adults=1":           477,
		"2026-11-01&adults=1&infants=2": 4926,
	} {
		st, _, m := call(t, "GET", base+q, tok, nil, nil)
		if _, code := firstError(m); st != 400 || code != want {
			t.Errorf("%s: %d %v, want 400/%v", q, st, code, want)
		}
	}
	body := `{"originDestinations":[{"id":"1","originLocationCode":"MAD","destinationLocationCode":"BKK","departureDateTimeRange":{"date":"2026-06-10"}}],"travelers":[{"id":"1","travelerType":"ADULT"}],"sources":["GDS"]}`
	ct := map[string]string{"Content-Type": "application/vnd.amadeus+json"}
	if st, _, _ := call(t, "POST", s.URL()+"/v2/shopping/flight-offers", tok, strings.NewReader(body), ct); st != 400 {
		t.Fatalf("POST search without override: %d", st)
	}
	ct["X-HTTP-Method-Override"] = "GET"
	st, _, m := call(t, "POST", s.URL()+"/v2/shopping/flight-offers", tok, strings.NewReader(body), ct)
	data, _ := m["data"].([]any)
	if st != 200 || len(data) != 1 {
		t.Fatalf("POST search = %d %v", st, m)
	}
	segs := data[0].(map[string]any)["itineraries"].([]any)[0].(map[string]any)["segments"].([]any)
	last := segs[len(segs)-1].(map[string]any)["arrival"].(map[string]any)
	if len(segs) != 2 || last["at"] != "2026-06-11T12:20:00" {
		t.Fatalf("multi-segment next-day itinerary: %d segments, arrival %v", len(segs), last)
	}
	if dict, _ := m["dictionaries"].(map[string]any); dict["carriers"].(map[string]any)["QR"] != "QATAR AIRWAYS" {
		t.Fatalf("dictionaries = %v", dict)
	}
	if st, _, _ := call(t, "POST", s.URL()+"/v1/shopping/flight-offers/pricing", tok, strings.NewReader(`{}`),
		map[string]string{"Content-Type": "application/json"}); st != 400 {
		t.Fatalf("pricing without override: %d", st)
	}
}

func TestTPSAndFaults(t *testing.T) {
	s := New(t, Options{TPS: 2})
	_, m := token(t, s, creds(s))
	tok := m["access_token"].(string)
	u := s.URL() + "/v1/reference-data/locations?subType=CITY&keyword=MUC"
	var codes []int
	for range 3 {
		st, _, _ := call(t, "GET", u, tok, nil, nil)
		codes = append(codes, st)
	}
	if codes[0] != 200 || codes[1] != 200 || codes[2] != 429 {
		t.Fatalf("statuses under a 2-TPS limit = %v", codes)
	}
	time.Sleep(time.Second)
	s.SetFaults(Faults{QuotaExceeded: true})
	if st, _, m := call(t, "GET", u, tok, nil, nil); st != 429 {
		t.Fatalf("quota: %d", st)
	} else if _, code := firstError(m); code != float64(38195) {
		t.Fatalf("quota code = %v", code)
	}
	if n := len(s.Requests()); n != 5 {
		t.Fatalf("recorded %d requests, want 5", n)
	}
}

func TestLocationsPaging(t *testing.T) {
	s := New(t, Options{TPS: -1})
	_, m := token(t, s, creds(s))
	tok := m["access_token"].(string)
	st, _, m := call(t, "GET", s.URL()+"/v1/reference-data/locations?subType=AIRPORT,CITY&keyword=LON&page[limit]=4", tok, nil, nil)
	links := m["meta"].(map[string]any)["links"].(map[string]any)
	next, _ := links["next"].(string)
	if st != 200 || len(m["data"].([]any)) != 4 || !strings.Contains(next, "page%5Boffset%5D=4") || !strings.HasPrefix(next, s.URL()) {
		t.Fatalf("first page = %d, next %q", st, next)
	}
	_, _, m = call(t, "GET", next, tok, nil, nil)
	if len(m["data"].([]any)) != 2 || m["meta"].(map[string]any)["links"].(map[string]any)["next"] != nil {
		t.Fatalf("last page = %v", m)
	}
}

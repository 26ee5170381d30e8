package catalog

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func parseFile(t *testing.T, base *Data, path string) (*Data, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Parse(base, Source{Name: path, Reader: f})
}

func TestParseValidCatalog(t *testing.T) {
	d, err := parseFile(t, nil, "testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Countries) != 2 || len(d.Cities) != 2 || len(d.Airports) != 2 || len(d.Flights) != 2 ||
		len(d.Stays) != 1 || len(d.Restaurants) != 1 || len(d.Attractions) != 1 || len(d.Ground) != 1 {
		t.Fatalf("counts wrong: %+v", d)
	}
	f := d.Flights[1]
	if f.Departs.String() != "21:30" || f.ArrivalDay != 1 || !f.Days.Has(time.Monday) || f.Days.Has(time.Tuesday) ||
		f.ValidFrom.String() != "2027-03-28" || f.Fares[Economy].Minor != 45500 || f.Fares[Economy].Currency != "USD" {
		t.Fatalf("flight decoded wrong: %+v", f)
	}
	a := d.Attractions[0]
	if !a.Hours.On(time.Monday).Closed || a.Hours.On(time.Tuesday).Open.String() != "10:00" {
		t.Fatalf("hours decoded wrong: %+v", a.Hours)
	}
	if d.Restaurants[0].Cuisines[0] != "vegetarian" {
		t.Fatalf("cuisines are normalised to lower case: %v", d.Restaurants[0].Cuisines)
	}
}

// TestParseReportsEveryBadLine: every problem comes back with its file and
// line, and nothing is returned.
func TestParseReportsEveryBadLine(t *testing.T) {
	good, _ := os.ReadFile("testdata/small.jsonl")
	bad := strings.Join([]string{
		`{"type":"city","id":"x1","name":"Nowhere","country":"PT","lat":95,"lon":0,"population":1,"zone":"Mars/Olympus"}`,
		`{"type":"airport","iata":"lis1","name":"Bad","city":"missing-city","country":"PT","lat":0,"lon":0,"zone":"Europe/Lisbon"}`,
		`{"type":"flight","carrier":"ZZ","number":"ZZ1","from":"LIS","to":"XXX","departs":"25:00","arrives":"10:00","days":"8","fares":{}}`,
		`{"type":"stay","id":"s1","name":"S","city":"2267057","lat":0,"lon":0,"room_type":"castle","price_per_night":{"amount":"-1.00","currency":"EUR"},"max_occupancy":0,"min_nights":1,"rules":{},"rating":7}`,
		`{"type":"spaceship","id":"u"}`,
		`not json`,
		`{"type":"airline","iata":"TP","name":"TAP again"}`,
		`{"type":"restaurant","id":"r1","name":"R","city":"2267057","lat":0,"lon":0,"cuisines":["x"],"avg_cost":{"amount":"1.00","currency":"EUR"},"rating":1,"michelin":3}`,
	}, "\n")
	_, err := Parse(nil, Source{Name: "good.jsonl", Reader: strings.NewReader(string(good))},
		Source{Name: "bad.jsonl", Reader: strings.NewReader(bad)})
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want an ImportError, got %v", err)
	}
	lines := map[int][]string{}
	for _, p := range ie.Problems {
		if p.File != "bad.jsonl" {
			t.Errorf("problem reported in the good file: %v", p)
		}
		lines[p.Line] = append(lines[p.Line], p.Message)
	}
	for line, want := range map[int][]string{
		1: {"lat", "zone"},
		2: {"iata", "missing-city"},
		3: {"25:00"}, // the first value that does not decode ends the line's report
		4: {"room_type", "price_per_night", "max_occupancy", "rating"},
		5: {"unknown type"},
		6: {"not a JSON object"},
		7: {"duplicate", "good.jsonl:9"},
		8: {"michelin"},
	} {
		all := strings.Join(lines[line], " | ")
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("line %d: problems %q lack %q", line, all, w)
			}
		}
	}
	if !strings.Contains(err.Error(), "nothing was loaded") {
		t.Fatalf("message must say nothing was loaded: %v", err)
	}
}

func TestLayerReplacesAndAdds(t *testing.T) {
	base, err := parseFile(t, nil, "testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	over, err := Parse(base, Source{Name: "over.jsonl", Reader: strings.NewReader(
		`{"type":"stay","id":"lis-alfama-loft","name":"Alfama Loft (negotiated rate)","city":"2267057","lat":38.7115,"lon":-9.13,"room_type":"entire_home","price_per_night":{"amount":"99.00","currency":"EUR"},"max_occupancy":4,"min_nights":2,"rules":{},"rating":4.7}
{"type":"stay","id":"bos-1","name":"Back Bay Rooms","city":"4930956","lat":42.35,"lon":-71.08,"room_type":"hotel_room","price_per_night":{"amount":"210.00","currency":"USD"},"max_occupancy":2,"min_nights":1,"rules":{},"rating":4.1}`)})
	if err != nil {
		t.Fatalf("overlay referencing base cities must be valid: %v", err)
	}
	merged := Layer(base, over)
	if len(merged.Stays) != 2 || merged.Stays[0].PricePerNight.Minor != 9900 || merged.Stays[1].ID != "bos-1" {
		t.Fatalf("layered stays: %+v", merged.Stays)
	}
	if len(base.Stays) != 1 || base.Stays[0].PricePerNight.Minor != 14000 {
		t.Fatal("layering changed the base")
	}
	if _, err := Parse(nil, Source{Name: "over.jsonl", Reader: strings.NewReader(`{"type":"stay","id":"bos-1","name":"B","city":"4930956","lat":0,"lon":0,"room_type":"hotel_room","price_per_night":{"amount":"1.00","currency":"USD"},"max_occupancy":2,"min_nights":1,"rules":{},"rating":4}`)}); err == nil {
		t.Fatal("without the base, the overlay's city reference must fail")
	}
}

func TestOverlongLineIsReportedAndSkipped(t *testing.T) {
	in := strings.Repeat("x", MaxLineBytes+10) + "\n" + `{"type":"airline","iata":"TP","name":"TAP"}` + "\n"
	_, err := Parse(nil, Source{Name: "f", Reader: strings.NewReader(in)})
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line != 1 {
		t.Fatalf("want one problem on line 1, got %v", err)
	}
}

// FuzzParse: no input panics the importer, and any accepted input survives
// a second parse of itself unchanged in size.
func FuzzParse(f *testing.F) {
	good, _ := os.ReadFile("testdata/small.jsonl")
	f.Add(string(good))
	for _, line := range strings.Split(string(good), "\n") {
		f.Add(line)
	}
	f.Add(`{"type":"flight","days":"1234567","departs":"24:00"}`)
	f.Add(`{"type":"attraction","hours":{"all":"09:00-08:00"}}`)
	f.Fuzz(func(t *testing.T, in string) {
		d, err := Parse(nil, Source{Name: "fuzz", Reader: strings.NewReader(in)})
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 {
				t.Fatalf("rejection without problems: %v", err)
			}
			return
		}
		if d == nil {
			t.Fatal("nil data without error")
		}
	})
}

// TestTypeAnywhereOnTheLine: hand-written lines may put "type" anywhere;
// lines that start with it take the fast path, with the same rules.
func TestTypeAnywhereOnTheLine(t *testing.T) {
	lines := `{"code":"PT","name":"Portugal","currency":"EUR","price_level":0.6,"type":"country"}
 {"type" : "country","code":"ES","name":"Spain","currency":"EUR","price_level":0.7}
{"type":"country","code":"FR","name":"France","currency":"EUR","price_level":0.9}`
	d, err := Parse(nil, Source{Name: "a.jsonl", Reader: strings.NewReader(lines)})
	if err != nil || len(d.Countries) != 3 {
		t.Fatalf("parse: %v, %+v", err, d)
	}
	for _, bad := range []string{
		`{"type":"country","code":"IT","name":"Italy","currency":"EUR","price_level":0.8} {"x":1}`,
		`{"type":"country","code":"IT","name":"Italy","currency":"EUR","price_level":0.8,"type":"city"}`,
		`{"type":"country"`,
		`{"type":1,"code":"IT"}`,
		`{"type":"country",}`,
		`{"type":"country", }`,
	} {
		if _, err := Parse(nil, Source{Name: "b.jsonl", Reader: strings.NewReader(bad)}); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

// TestSameDayEarlierArrival: AKL 19:30 → LAX 10:45 the same date is a real
// timetable, not an error.
func TestSameDayEarlierArrival(t *testing.T) {
	good, _ := os.ReadFile("testdata/small.jsonl")
	extra := `{"type":"flight","carrier":"TP","number":"TP5","from":"BOS","to":"LIS","departs":"19:30","arrives":"10:45","days":"1","fares":{"economy":{"amount":"9.00","currency":"USD"}}}`
	d, err := Parse(nil, Source{Name: "s.jsonl", Reader: strings.NewReader(string(good) + extra + "\n")})
	if err != nil {
		t.Fatal(err)
	}
	if f := d.Flights[len(d.Flights)-1]; f.ArrivalDay != 0 || f.Arrives >= f.Departs {
		t.Fatalf("decoded %+v", f)
	}
}

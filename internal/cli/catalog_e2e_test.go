package cli_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCatalogImportReachesRunningServer imports a catalog with the CLI
// while `serve` runs on the same database: the server picks it up at its
// next poll, a bad file changes nothing, and removal takes it away again.
func TestCatalogImportReachesRunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sandbox several times")
	}
	env := baseEnv(t, "PATHAVANA_CATALOG_RELOAD=1s", "PATHAVANA_RATE_LIMIT=100000")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cli := func(args ...string) (string, string, error) {
		out, errOut, code := runBinary(t, env, args...)
		if code != 0 {
			return out, errOut, fmt.Errorf("exit status %d", code)
		}
		return out, errOut, nil
	}
	good := write("Lisbon Lofts.jsonl", `# a stay layered over the sandbox's Lisbon
{"type":"stay","id":"e2e-lisbon-loft","name":"E2E Test Loft","city":"2267057","lat":38.7115,"lon":-9.13,"room_type":"entire_home","price_per_night":{"amount":"99.00","currency":"EUR"},"max_occupancy":6,"min_nights":1,"rules":{"pets":true},"rating":5}
`)
	bad := write("bad.jsonl", `{"type":"stay","id":"b1","name":"B","city":"no-such-city","lat":1,"lon":1,"room_type":"entire_home","price_per_night":{"amount":"9.00","currency":"EUR"},"max_occupancy":2,"min_nights":1,"rating":3}
{"type":"stay","id":"b2","name":"","city":"2267057","lat":1,"lon":1,"room_type":"igloo","price_per_night":{"amount":"9.00","currency":"EUR"},"max_occupancy":2,"min_nights":1,"rating":3}
`)

	p := startServe(t, env)
	day := time.Now().AddDate(0, 0, 40).Format(time.DateOnly)
	stays := func() string {
		var body struct {
			Stays []struct {
				ID string `json:"id"`
			} `json:"stays"`
		}
		url := fmt.Sprintf("%s/api/v1/search/stays?city=Lisbon&check_in=%s&check_out=%s&adults=2&sort=rating&limit=100",
			p.URL, day, time.Now().AddDate(0, 0, 42).Format(time.DateOnly))
		if code := call(t, "GET", url, "", nil, &body); code != http.StatusOK {
			t.Fatalf("stays: %d", code)
		}
		var ids []string
		for _, s := range body.Stays {
			ids = append(ids, s.ID)
		}
		return strings.Join(ids, ",")
	}
	if strings.Contains(stays(), "e2e-lisbon-loft") {
		t.Fatal("the stay is there before the import")
	}

	_, errOut, code := runBinary(t, env, "catalog", "import", bad)
	if code != 1 {
		t.Fatalf("bad import exit %d\n%s", code, errOut)
	}
	for _, want := range []string{bad + ":1: ", bad + ":2: ", "room_type", "no-such-city", "nothing was loaded"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("bad import output lacks %q:\n%s", want, errOut)
		}
	}

	out, errOut, err := cli("catalog", "import", good)
	if err != nil || !strings.Contains(out, "imported catalog lisbon-lofts: 1 entries, layer 1") {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	out, _, err = cli("catalog", "list")
	if err != nil || !strings.Contains(out, "lisbon-lofts") || strings.Contains(out, "bad") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	waitUntil(t, "the server to search the import", func() bool { return strings.Contains(stays(), "e2e-lisbon-loft") })

	if _, errOut, err := cli("catalog", "remove", "nope"); err == nil || !strings.Contains(errOut, "nope") {
		t.Fatalf("removing an unknown catalog: %v %s", err, errOut)
	}
	if out, errOut, err := cli("catalog", "remove", "lisbon-lofts"); err != nil || !strings.Contains(out, "removed catalog lisbon-lofts") {
		t.Fatalf("remove: %v\n%s%s", err, out, errOut)
	}
	waitUntil(t, "the server to drop the import", func() bool { return !strings.Contains(stays(), "e2e-lisbon-loft") })
	if !strings.Contains(p.stderr.String(), `"travel catalog loaded","catalog":"sandbox+lisbon-lofts"`) {
		t.Fatal("the server did not log the reload")
	}
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestImportOpenFlights converts the small OpenFlights fixture into a
// replacing catalog: its routes are searchable, the sandbox's are gone,
// and --out writes a file that `catalog import` accepts as is.
func TestImportOpenFlights(t *testing.T) {
	if testing.Short() {
		t.Skip("builds catalogs")
	}
	env := baseEnv(t)
	cli := func(args ...string) (string, string, error) {
		out, errOut, code := runBinary(t, env, args...)
		if code != 0 {
			return out, errOut, fmt.Errorf("exit status %d", code)
		}
		return out, errOut, nil
	}
	fixture := "../catalog/openflights/testdata/small"
	out, errOut, err := cli("catalog", "import-openflights", fixture)
	if err != nil || !strings.Contains(out, "skipped 1: codeshare") || !strings.Contains(out, "imported catalog openflights:") {
		t.Fatalf("import-openflights: %v\n%s%s", err, out, errOut)
	}
	day := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	out, errOut, err = cli("search", "flights", "Lisbon", "Porto", day, "--flex", "3")
	if err != nil || !strings.Contains(out, "source: openflights+sandbox-local") || !strings.Contains(out, "TP") {
		t.Fatalf("LIS→OPO: %v\n%s%s", err, out, errOut)
	}
	// Tokyo is in the sandbox, not in the fixture's network.
	if _, errOut, err = cli("search", "flights", "LIS", "NRT", day); err == nil || !strings.Contains(errOut, "NRT") {
		t.Fatalf("LIS→NRT must be unknown in the fixture network: %v %s", err, errOut)
	}

	file := filepath.Join(t.TempDir(), "of.jsonl")
	if out, errOut, err = cli("catalog", "import-openflights", "--out", file, fixture); err != nil || !strings.Contains(out, "wrote "+file) {
		t.Fatalf("--out: %v\n%s%s", err, out, errOut)
	}
	if out, errOut, err = cli("catalog", "import", "--replace", "--name", "openflights", file); err != nil || !strings.Contains(out, "layer 1") {
		t.Fatalf("re-import of the written file: %v\n%s%s", err, out, errOut)
	}
	if _, errOut, err = cli("catalog", "import-openflights", t.TempDir()); err == nil || !strings.Contains(errOut, "airports.dat is required") {
		t.Fatalf("empty directory: %v %s", err, errOut)
	}
}

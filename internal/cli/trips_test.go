package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/store"
)

// TestTripsCommands: an operator lists, shows, exports and re-imports a
// user's trip; an unknown user is an error, a missing flag a usage error.
func TestTripsCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PATHAVANA_DATA_DIR": dir}
	if code, _, errOut := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "pathavana.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	u := model.User{ID: "0190c0de-0000-7000-8000-000000000002", Email: "ana@example.com", Role: model.RoleUser,
		TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}
	trip := model.Trip{ID: "0190c0de-0000-7000-8000-0000000000a1", OwnerID: u.ID, Title: "Porto", Status: model.TripPlanning,
		StartsOn: "2030-05-01", EndsOn: "2030-05-03", Party: model.Party{Adults: 1}, Currency: "EUR", CreatedAt: now, UpdatedAt: now}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateTrip(ctx, trip); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddTripItem(ctx, u.ID, model.TripItem{ID: "0190c0de-0000-7000-8000-0000000000b1", TripID: trip.ID, Day: 2,
		Kind: model.ItemAttraction, Title: "Livraria Lello", StartsAt: "2030-05-02T10:00", EndsAt: "2030-05-02T11:00",
		TimeZone: "Europe/Lisbon", CreatedAt: now, UpdatedAt: now}, 0); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	if code, out, errOut := run(t, env, "trips", "list", "--user", "Ana@Example.com"); code != 0 || !strings.Contains(out, "Porto") {
		t.Fatalf("list: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := run(t, env, "trips", "show", "--user", "ana@example.com", trip.ID); code != 0 || !strings.Contains(out, "Livraria Lello") {
		t.Fatalf("show: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t, env, "trips", "export-ics", "--user", "ana@example.com", trip.ID)
	if code != 0 || !strings.Contains(out, "DTSTART;TZID=Europe/Lisbon:20300502T100000") {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	ics := filepath.Join(dir, "trip.ics")
	if err := os.WriteFile(ics, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, env, "trips", "import-ics", "--user", "ana@example.com", "--in", ics, trip.ID); code != 0 || !strings.Contains(out, "imported 0 items") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if code, _, _ := run(t, env, "trips", "show", "--user", "nobody@example.com", trip.ID); code != 1 {
		t.Fatalf("unknown user: exit %d", code)
	}
	if code, _, _ := run(t, env, "trips", "show", trip.ID); code != 2 {
		t.Fatalf("missing --user: exit %d", code)
	}
}

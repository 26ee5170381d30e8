package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/store"
)

// TestBookingsListForSupport: an operator lists an account's bookings and
// the read lands in the audit log.
func TestBookingsListForSupport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PATHAVANA_DATA_DIR": dir}
	if code, _, errOut := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dir, "pathavana.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	u := model.User{ID: "0190c0de-0000-7000-8000-000000000002", Email: "ana@example.com", Role: model.RoleUser,
		TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	b := model.Booking{ID: "0190c0de-0000-7000-8000-0000000000b1", OwnerID: u.ID, IdempotencyKey: "k", RequestHash: "h",
		Kind: "stay", Provider: "catalog", OfferRef: "stay:x", State: model.BookingConfirmed, Title: "Hotel Aurora",
		StartsOn: "2027-05-10", EndsOn: "2027-05-13", Quantity: 1, TotalMinor: 31200, Currency: "EUR",
		ConfirmationCode: "PV7K2M", CreatedAt: now, UpdatedAt: now}
	if _, _, err := db.CreateBooking(context.Background(), b, nil); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	code, out, errOut := run(t, env, "bookings", "list", "--user", "Ana@Example.com")
	if code != 0 || !strings.Contains(out, "PV7K2M") || !strings.Contains(out, "EUR 312.00") || !strings.Contains(out, "Hotel Aurora") {
		t.Fatalf("list: %d %s %s", code, out, errOut)
	}
	if code, out, _ := run(t, env, "audit", "list", "--action", "admin.user_read"); code != 0 || !strings.Contains(out, "bookings "+u.ID) {
		t.Fatalf("the read is not audited: %s", out)
	}
	if code, _, errOut := run(t, env, "bookings", "list"); code != 2 || !strings.Contains(errOut, "--user EMAIL") {
		t.Fatalf("usage: %d %s", code, errOut)
	}
}

package service

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog/world"
	"pathavana/internal/model"
	"pathavana/internal/secure"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func TestCountryCodesMatchTheWorldData(t *testing.T) {
	w, err := world.Load()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range w.Countries {
		codes = append(codes, c.Code)
	}
	slices.Sort(codes)
	if got := strings.Fields(countryCodes); !slices.Equal(got, codes) {
		t.Fatalf("countryCodes differ from the world data: %d vs %d codes", len(got), len(codes))
	}
	if !isCountry("PT") || isCountry("ZZ") || isCountry("P") || isCountry("PT US") {
		t.Fatal("isCountry")
	}
}

func TestPassportWarnings(t *testing.T) {
	end := time.Date(2027, 8, 20, 18, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		expiry, want string
	}{
		{"", ""},
		{"2027-08-19", "before the trip ends on 2027-08-20"},
		{"2020-01-01", "before the trip ends"},
		{"2028-02-19", "less than 6 months after"},
		{"2028-02-20", ""},
		{"2031-01-01", ""},
	} {
		got := strings.Join(PassportWarnings(model.Traveler{PassportExpiry: c.expiry}, end), "; ")
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("expiry %q: %q, want %q", c.expiry, got, c.want)
		}
	}
}

func TestMaskTraveler(t *testing.T) {
	tr := model.Traveler{PassportNumber: "CB8341927", KnownTravelerNumber: "KTN98765", DateOfBirth: "1961-07-19",
		LoyaltyNumbers:   []model.LoyaltyNumber{{Program: "TAP", Number: "TP555111"}},
		EmergencyContact: &model.EmergencyContact{Name: "Rui", Phone: "+351 912 345 678", Relation: "son"}}
	m := MaskTraveler(tr)
	if m.PassportNumber != "•••••1927" || m.KnownTravelerNumber != "•••••65" || m.DateOfBirth != "1961-••-••" ||
		m.LoyaltyNumbers[0].Number != "•••••111" || m.EmergencyContact.Phone != "•••••78" || !m.Masked {
		t.Fatalf("masked = %+v", m)
	}
	if tr.LoyaltyNumbers[0].Number != "TP555111" || tr.EmergencyContact.Phone != "+351 912 345 678" {
		t.Fatal("masking changed the original")
	}
	if maskTail("AB1", 4) != "•••••" || maskTail("", 4) != "" || maskTail("ABCDE", 4) != "•••••DE" {
		t.Fatal("short values show too much")
	}
}

func testService(t *testing.T) (*Service, *store.DB) {
	t.Helper()
	db := testkit.NewTestStore(t)
	kr, err := secure.NewKeyring([]secure.MasterKey{{ID: "k", Key: bytes.Repeat([]byte{1}, 32)}})
	if err != nil {
		t.Fatal(err)
	}
	pii, err := secure.NewPII(kr, bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return New(Deps{Store: db, PII: pii}), db
}

func TestTravelersForBooking(t *testing.T) {
	s, db := testService(t)
	ctx := context.Background()
	now := time.Now()
	var owners []Principal
	for _, id := range []string{"0190c0de-0000-7000-8000-00000000000a", "0190c0de-0000-7000-8000-00000000000b"} {
		if err := db.CreateUser(ctx, model.User{ID: id, Email: id + "@example.com", Role: model.RoleUser,
			TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		owners = append(owners, Principal{UserID: id, Role: model.RoleUser})
	}
	str := func(s string) *string { return &s }
	mk := func(p Principal, given string) string {
		tr, err := s.CreateTraveler(ctx, p, TravelerPatch{GivenNames: str(given), FamilyName: str("Silva"),
			DateOfBirth: str("1990-01-02"), PassportNumber: str("P" + given + "12345"), PassportCountry: str("pt"),
			PassportExpiry: str("2031-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		return tr.ID
	}
	a1, a2, b1 := mk(owners[0], "Ana"), mk(owners[0], "Rui"), mk(owners[1], "Bea")
	got, err := s.TravelersForBooking(ctx, owners[0], []string{a2, a1})
	if err != nil || len(got) != 2 || got[0].GivenNames != "Rui" || got[1].PassportNumber != "PANA12345" || got[1].Masked {
		t.Fatalf("travelers for booking = %+v, %v", got, err)
	}
	entries, _ := db.ListAudit(ctx, model.AuditFilter{Action: model.AuditTravelerUse})
	if len(entries) != 2 || entries[0].TargetID != a2 || strings.Contains(entries[0].Details, "Rui") {
		t.Fatalf("use entries: %+v", entries)
	}
	for _, ids := range [][]string{{a1, b1}, {"nope"}} {
		if _, err := s.TravelersForBooking(ctx, owners[0], ids); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("%v: %v", ids, err)
		}
	}
	if _, err := s.TravelersForBooking(ctx, owners[0], []string{a1, a1}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("duplicate ids: %v", err)
	}
	// A failed lookup leaves no use entries behind.
	if entries, _ := db.ListAudit(ctx, model.AuditFilter{Action: model.AuditTravelerUse}); len(entries) != 2 {
		t.Fatalf("use entries after failures: %d", len(entries))
	}
	if f, err := s.FindTravelerByPassport(ctx, owners[0], "prui 12345"); err != nil || f.ID != a2 || !f.Masked {
		t.Fatalf("find by passport: %+v %v", f, err)
	}
	if _, err := s.FindTravelerByPassport(ctx, owners[1], "PRUI12345"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("another owner's passport found: %v", err)
	}
	if _, err := New(Deps{Store: db}).GetTraveler(ctx, owners[0], a1); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("without keys: %v", err)
	}
}

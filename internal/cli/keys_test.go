package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/secure"
	"pathavana/internal/service"
	"pathavana/internal/store"
)

func piiService(t *testing.T, db *store.DB, keys, index string) *service.Service {
	t.Helper()
	mk, err := secure.ParseMasterKeys(keys)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := secure.NewKeyring(mk)
	if err != nil {
		t.Fatal(err)
	}
	ik, err := secure.DecodeKey(index)
	if err != nil {
		t.Fatal(err)
	}
	p, err := secure.NewPII(kr, ik)
	if err != nil {
		t.Fatal(err)
	}
	return service.New(service.Deps{Store: db, PII: p})
}

// TestKeysRotate: records written under an old master key are re-wrapped
// to the new one by `keys rotate` and stay readable once the old key is
// removed from the configuration; a second run has nothing to do.
func TestKeysRotate(t *testing.T) {
	dir := t.TempDir()
	oldKey, newKey, index := "old:"+secure.NewKeyMaterial(), "new:"+secure.NewKeyMaterial(), secure.NewKeyMaterial()
	env := map[string]string{"PATHAVANA_DATA_DIR": dir, "PATHAVANA_PII_KEYS": oldKey, "PATHAVANA_PII_INDEX_KEY": index}
	if code, _, errOut := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "pathavana.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	u := model.User{ID: "0190c0de-0000-7000-8000-000000000002", Email: "k@example.com", Role: model.RoleUser,
		TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	p := service.Principal{UserID: u.ID, Role: model.RoleUser}
	old := piiService(t, db, oldKey, index)
	var ids []string
	for i, n := range []string{"AB1234567", "CD7654321", "EF1111111"} {
		tr, err := old.CreateTraveler(ctx, p, service.TravelerPatch{GivenNames: ptr("Ana"), FamilyName: ptr("Silva " + string(rune('A'+i))),
			PassportNumber: ptr(n), PassportCountry: ptr("PT"), PassportExpiry: ptr("2031-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tr.ID)
	}

	env["PATHAVANA_PII_KEYS"] = newKey + "," + oldKey
	code, out, errOut := run(t, env, "keys", "rotate", "--batch", "2")
	if code != 0 || !strings.Contains(out, "rotated to new: 3 rewrapped") || !strings.Contains(out, "older keys can be removed") {
		t.Fatalf("rotate: %d %q %s", code, out, errOut)
	}
	if code, out, _ := run(t, env, "keys", "rotate"); code != 0 || !strings.Contains(out, "0 rewrapped, 3 already current") {
		t.Fatalf("second rotate: %d %q", code, out)
	}

	newOnly := piiService(t, db, newKey, index)
	for _, id := range ids {
		tr, err := newOnly.RevealTraveler(ctx, p, id)
		if err != nil || tr.GivenNames != "Ana" || tr.PassportNumber == "" {
			t.Fatalf("after rotation, %s = %+v, %v", id, tr, err)
		}
	}
	if _, err := newOnly.FindTravelerByPassport(ctx, p, "ab-123 4567"); err != nil {
		t.Fatalf("blind index lookup after rotation: %v", err)
	}
	if _, err := piiService(t, db, oldKey, index).RevealTraveler(ctx, p, ids[0]); err == nil {
		t.Fatal("the old key alone still opens rotated records")
	}
	entries, err := db.ListAudit(ctx, model.AuditFilter{Action: model.AuditPIIKeyRotate})
	if err != nil || len(entries) != 2 || entries[0].Details != `{"raced":0,"rewrapped":3}` {
		t.Fatalf("rotation audit: %+v %v", entries, err)
	}

	// The configuration never shows key material.
	_, cfgOut, _ := run(t, env, "config")
	for _, k := range []string{oldKey, newKey, index} {
		if strings.Contains(cfgOut, k[strings.Index(k, ":")+1:]) {
			t.Fatal("config output shows a PII key")
		}
	}
}

// TestKeysGenerateAndEmbeddedKeys: generate prints a usable key; without
// configured keys, files are generated once (0600) and reused.
func TestKeysGenerateAndEmbeddedKeys(t *testing.T) {
	code, out, _ := run(t, map[string]string{}, "keys", "generate", "--id", "pii-2027")
	if code != 0 {
		t.Fatalf("generate: %d", code)
	}
	if keys, err := secure.ParseMasterKeys(strings.TrimSpace(out)); err != nil || keys[0].ID != "pii-2027" {
		t.Fatalf("generated %q: %v", out, err)
	}
	if code, _, _ := run(t, map[string]string{}, "keys", "generate", "--id", "bad id"); code != 2 {
		t.Fatalf("bad id: %d", code)
	}

	dir := t.TempDir()
	env := map[string]string{"PATHAVANA_DATA_DIR": dir}
	if code, _, errOut := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, _, errOut := run(t, env, "keys", "rotate"); code != 0 || !strings.Contains(errOut, "generated PII encryption keys") {
		t.Fatalf("first start: %d %s", code, errOut)
	}
	first := map[string][]byte{}
	for _, name := range []string{"pii-keys", "pii-index-key"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", name, fi, err)
		}
		first[name], _ = os.ReadFile(filepath.Join(dir, name))
	}
	if code, _, errOut := run(t, env, "keys", "rotate"); code != 0 || strings.Contains(errOut, "generated PII") {
		t.Fatalf("second start: %d %s", code, errOut)
	}
	for name, b := range first {
		if again, _ := os.ReadFile(filepath.Join(dir, name)); string(again) != string(b) {
			t.Fatalf("%s was regenerated", name)
		}
	}
	if _, out, errOut := run(t, env, "config"); strings.Contains(out+errOut, strings.TrimSpace(string(first["pii-index-key"]))) {
		t.Fatal("config shows the generated index key")
	}
}

func ptr(s string) *string { return &s }

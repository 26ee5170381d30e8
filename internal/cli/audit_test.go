package cli_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/store"
)

// TestRoleChangesAreAuditedAndTamperingIsFound: an operator's role change
// is recorded, `audit list` shows it, and `audit verify` fails (exit 1)
// once someone with file access rewrites the entry.
func TestRoleChangesAreAuditedAndTamperingIsFound(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PATHAVANA_DATA_DIR": dir}
	if code, _, errOut := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, out, _ := run(t, env, "audit", "verify"); code != 0 || !strings.Contains(out, "empty") {
		t.Fatalf("empty log: %d %s", code, out)
	}
	path := filepath.Join(dir, "pathavana.db")
	db, err := store.Open(context.Background(), "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	u := model.User{ID: "0190c0de-0000-7000-8000-000000000001", Email: "ops@example.com", Role: model.RoleUser,
		TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	if code, out, errOut := run(t, env, "user", "set-role", "Ops@Example.com", "admin"); code != 0 || !strings.Contains(out, "is now admin") {
		t.Fatalf("set-role: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t, env, "audit", "list", "--action", "admin.", "--json")
	if code != 0 {
		t.Fatalf("list: %s", errOut)
	}
	var e model.AuditEntry
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &e); err != nil {
		t.Fatalf("list output %q: %v", out, err)
	}
	if e.Action != model.AuditRoleChange || e.SubjectID != u.ID || e.ActorID != "" || e.ActorRole != "admin" ||
		!strings.HasPrefix(e.UserAgent, "pathavana-cli/") || e.Details != `{"from":"user","to":"admin"}` {
		t.Fatalf("role change entry %+v", e)
	}
	if code, out, _ := run(t, env, "audit", "verify"); code != 0 || !strings.Contains(out, "audit log OK: 2 entries") {
		t.Fatalf("verify: %d %s", code, out) // the role change and the listing
	}
	if code, _, _ := run(t, env, "audit", "list", "--from", "last tuesday"); code != 2 {
		t.Fatalf("a bad time must be a usage error, got %d", code)
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER audit_log_append_only`, `UPDATE audit_log SET details = '{"from":"user","to":"user"}' WHERE seq = 1`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errOut := run(t, env, "audit", "verify"); code != 1 || !strings.Contains(errOut, "BROKEN at entry 1") {
		t.Fatalf("tampered log: %d %s", code, errOut)
	}
}

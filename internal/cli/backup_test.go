package cli_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// seedDB opens url and adds a little of everything: users (with profiles),
// an identity, tokens and jobs.
func seedDB(t *testing.T, dbURL string, users int) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC)
	for i := range users {
		id := fmt.Sprintf("u-%03d", i)
		check(t, db.CreateUser(ctx, model.User{ID: id, Email: id + "@example.com", PasswordHash: "h", Role: model.RoleUser,
			TokensValidAfter: now, CreatedAt: now, UpdatedAt: now}))
		check(t, db.CreateRefreshToken(ctx, model.RefreshToken{ID: "rt-" + id, FamilyID: "f-" + id, UserID: id, Hash: "h-" + id,
			ExpiresAt: now.Add(time.Hour), CreatedAt: now, UserAgent: "test"}))
		check(t, db.CreateOneTimeToken(ctx, model.OneTimeToken{Hash: "ott-" + id, UserID: id, Purpose: model.PurposeVerifyEmail,
			ExpiresAt: now.Add(time.Hour), CreatedAt: now}))
	}
	check(t, db.CreateIdentity(ctx, model.Identity{UserID: "u-000", Issuer: "https://accounts.google.com", Subject: "42", CreatedAt: now}))
	check(t, db.UpdateProfile(ctx, model.Profile{UserID: "u-000", DisplayName: "Ana", Currency: "EUR", Language: "pt",
		Preferences: model.Preferences{Cabin: "economy", Interests: []string{"food"}}, UpdatedAt: now}))
	_, _, err = db.EnqueueJob(ctx, model.Job{Kind: "email", Payload: []byte(`{"to":"u-000@example.com"}`), RunAt: now, CreatedAt: now})
	check(t, err)
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// digestOf returns the tables' row counts and digests of the database at url.
func digestOf(t *testing.T, dbURL string) store.BackupInfo {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL, store.Options{})
	check(t, err)
	defer db.Close()
	d, err := db.Digest(context.Background())
	check(t, err)
	return d
}

func rowsOf(t *testing.T, dbURL string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, tb := range digestOf(t, dbURL).Tables {
		out[tb.Name] = tb.Rows
	}
	return out
}

func only(t *testing.T, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	check(t, err)
	if len(m) != 1 {
		t.Fatalf("%s matches %v, want exactly one file", pattern, m)
	}
	return m[0]
}

func sqliteEnv(t *testing.T) (map[string]string, string) {
	dir := t.TempDir()
	return map[string]string{"PATHAVANA_DATA_DIR": dir}, "sqlite:" + filepath.Join(dir, "pathavana.db")
}

func TestBackupRestoreCommands(t *testing.T) {
	src, srcURL := sqliteEnv(t)
	if code, _, errOut := run(t, src, "migrate", "up"); code != 0 {
		t.Fatal(errOut)
	}
	seedDB(t, srcURL, 30)
	outDir := t.TempDir()

	code, out, errOut := run(t, src, "backup", "--out", outDir)
	if code != 0 {
		t.Fatalf("backup: %d %s", code, errOut)
	}
	file := only(t, filepath.Join(outDir, "pathavana-sqlite-*.jsonl.gz"))
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file mode: %v %v", fi.Mode(), err)
	}
	for _, want := range []string{"backup: " + file, "sha256", "users", "30", "format: pathavana-backup"} {
		if !strings.Contains(out, want) {
			t.Errorf("backup output lacks %q:\n%s", want, out)
		}
	}
	if entries, _ := os.ReadDir(outDir); len(entries) != 1 {
		t.Fatalf("backup left temporary files: %v", entries)
	}
	if code, _, errOut := run(t, src, "backup", "--out", file); code != 1 || !strings.Contains(errOut, "never overwritten") {
		t.Fatalf("backup over an existing file: %d %s", code, errOut)
	}
	if code, out, errOut := run(t, nil, "restore", "--check", "--in", file); code != 0 || !strings.Contains(out, "backup OK") {
		t.Fatalf("restore --check: %d %s %s", code, out, errOut)
	}

	// Into a new database: the schema is created, rows restored and verified.
	dst, dstURL := sqliteEnv(t)
	code, out, errOut = run(t, dst, "restore", "--in", file)
	if code != 0 || !strings.Contains(out, "verified") || !strings.Contains(out, "created the backup's schema") {
		t.Fatalf("restore: %d\n%s\n%s", code, out, errOut)
	}
	if got, want := digestOf(t, dstURL).Tables, digestOf(t, srcURL).Tables; !reflect.DeepEqual(got, want) {
		t.Fatalf("restored %+v, want %+v", got, want)
	}
	// The restored database is ready to serve.
	if code, out, _ := run(t, dst, "migrate", "status"); code != 0 || strings.Contains(out, "pending") {
		t.Fatalf("schema after restore: %s", out)
	}

	// Not again over the data, unless forced.
	code, _, errOut = run(t, dst, "restore", "--in", file)
	if code != 1 || !strings.Contains(errOut, "not empty") || !strings.Contains(errOut, "--force") {
		t.Fatalf("restore into a non-empty database: %d %s", code, errOut)
	}
	if code, out, errOut := run(t, dst, "restore", "--force", "--in", file); code != 0 || !strings.Contains(out, "replaced 30 rows of users") {
		t.Fatalf("restore --force: %d %s %s", code, out, errOut)
	}

	// A damaged archive: a clear error, and nothing at all written.
	raw, err := os.ReadFile(file)
	check(t, err)
	raw[len(raw)/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "bad.jsonl.gz")
	check(t, os.WriteFile(bad, raw, 0o600))
	empty, emptyURL := sqliteEnv(t)
	code, _, errOut = run(t, empty, "restore", "--in", bad)
	if code != 1 || !strings.Contains(errOut, "corrupt backup") || !strings.Contains(errOut, "nothing was restored") {
		t.Fatalf("damaged archive: %d %s", code, errOut)
	}
	if _, err := os.Stat(strings.TrimPrefix(emptyURL, "sqlite:")); err == nil {
		if rows := rowsOf(t, emptyURL); len(rows) != 0 {
			t.Fatalf("damaged archive created tables: %v", rows)
		}
	}
	if code, _, errOut := run(t, nil, "restore", "--check", "--in", bad); code != 1 || !strings.Contains(errOut, "corrupt backup") {
		t.Fatalf("restore --check of a damaged archive: %d %s", code, errOut)
	}
	notBackup := filepath.Join(t.TempDir(), "notes.txt")
	check(t, os.WriteFile(notBackup, []byte("hello"), 0o600))
	if code, _, errOut := run(t, dst, "restore", "--in", notBackup); code != 1 || !strings.Contains(errOut, "not a pathavana backup") {
		t.Fatalf("not a backup: %d %s", code, errOut)
	}

	// Usage errors.
	if code, _, _ := run(t, src, "backup"); code != 2 {
		t.Fatalf("backup without --out: %d", code)
	}
	if code, _, _ := run(t, src, "restore"); code != 2 {
		t.Fatalf("restore without --in: %d", code)
	}
	if code, _, errOut := run(t, src, "backup", "--out", outDir, "--format", "pg_dump"); code != 1 || !strings.Contains(errOut, "needs a PostgreSQL") {
		t.Fatalf("pg_dump of SQLite: %d %s", code, errOut)
	}
}

func TestBackupToStdout(t *testing.T) {
	src, srcURL := sqliteEnv(t)
	if code, _, errOut := run(t, src, "migrate", "up"); code != 0 {
		t.Fatal(errOut)
	}
	seedDB(t, srcURL, 3)
	code, out, errOut := run(t, src, "backup", "--out", "-")
	if code != 0 || !strings.Contains(errOut, "users") {
		t.Fatalf("backup to stdout: %d %s", code, errOut)
	}
	info, err := store.VerifyBackup(strings.NewReader(out))
	check(t, err)
	if info.Rows() == 0 {
		t.Fatal("empty backup on stdout")
	}
}

func TestSQLiteFileBackupCommand(t *testing.T) {
	src, srcURL := sqliteEnv(t)
	if code, _, errOut := run(t, src, "migrate", "up"); code != 0 {
		t.Fatal(errOut)
	}
	seedDB(t, srcURL, 12)
	outDir := t.TempDir()
	if code, _, errOut := run(t, src, "backup", "--format", "sqlite", "--out", outDir); code != 0 {
		t.Fatalf("backup --format sqlite: %s", errOut)
	}
	file := only(t, filepath.Join(outDir, "pathavana-sqlite-*.db"))
	only(t, file+".manifest.json")
	if code, out, errOut := run(t, nil, "restore", "--check", "--in", file); code != 0 || !strings.Contains(out, "backup OK") {
		t.Fatalf("check: %d %s %s", code, out, errOut)
	}
	dst, dstURL := sqliteEnv(t)
	if code, out, errOut := run(t, dst, "restore", "--in", file); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("restore of a SQLite file: %d %s %s", code, out, errOut)
	}
	if got, want := digestOf(t, dstURL).Tables, digestOf(t, srcURL).Tables; !reflect.DeepEqual(got, want) {
		t.Fatalf("restored %+v, want %+v", got, want)
	}
	// A manifest that does not match the file is a damaged backup.
	m, err := os.ReadFile(file + ".manifest.json")
	check(t, err)
	check(t, os.WriteFile(file+".manifest.json", bytes.Replace(m, []byte(`"rows": 12`), []byte(`"rows": 13`), 1), 0o600))
	other, _ := sqliteEnv(t)
	if code, _, errOut := run(t, other, "restore", "--in", file); code != 1 || !strings.Contains(errOut, "does not match its manifest") {
		t.Fatalf("restore against a wrong manifest: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, src, "backup", "--format", "sqlite", "--out", file); code != 1 || !strings.Contains(errOut, "never overwritten") {
		t.Fatalf("overwrite: %d %s", code, errOut)
	}
}

// TestBackupRestoreAcrossEngines: a SQLite backup restores into
// PostgreSQL and a PostgreSQL backup into SQLite, through the commands.
func TestBackupRestoreAcrossEngines(t *testing.T) {
	_, pgURL := testkit.NewTestStorePGUnmigrated(t)
	src, srcURL := sqliteEnv(t)
	if code, _, errOut := run(t, src, "migrate", "up"); code != 0 {
		t.Fatal(errOut)
	}
	seedDB(t, srcURL, 25)
	want := rowsOf(t, srcURL)

	outDir := t.TempDir()
	if code, _, errOut := run(t, src, "backup", "--out", outDir); code != 0 {
		t.Fatal(errOut)
	}
	fromSQLite := only(t, filepath.Join(outDir, "*.jsonl.gz"))
	pg := map[string]string{"PATHAVANA_DATABASE_URL": pgURL, "PATHAVANA_DATA_DIR": t.TempDir()}
	if code, out, errOut := run(t, pg, "restore", "--in", fromSQLite); code != 0 {
		t.Fatalf("SQLite → PostgreSQL: %s %s", out, errOut)
	}
	if got := rowsOf(t, pgURL); !reflect.DeepEqual(got, want) {
		t.Fatalf("PostgreSQL after restore: %v, want %v", got, want)
	}

	pgOut := t.TempDir()
	if code, _, errOut := run(t, pg, "backup", "--out", pgOut); code != 0 {
		t.Fatal(errOut)
	}
	fromPG := only(t, filepath.Join(pgOut, "pathavana-postgres-*.jsonl.gz"))
	back, backURL := sqliteEnv(t)
	if code, out, errOut := run(t, back, "restore", "--in", fromPG); code != 0 {
		t.Fatalf("PostgreSQL → SQLite: %s %s", out, errOut)
	}
	// Round trip through the other engine gives the same bytes of data.
	if got, want := digestOf(t, backURL).Tables, digestOf(t, srcURL).Tables; !reflect.DeepEqual(got, want) {
		t.Fatalf("SQLite → PostgreSQL → SQLite changed data: %+v, want %+v", got, want)
	}
	if code, _, errOut := run(t, pg, "backup", "--format", "pg_dump", "--out", t.TempDir()); code != 1 || !strings.Contains(errOut, "search_path") {
		t.Fatalf("pg_dump of a schema-scoped URL must be refused clearly: %d %s", code, errOut)
	}
}

// newPGDatabase creates a whole database (pg_dump works on databases, not
// schemas) and drops it when the test ends.
func newPGDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv(testkit.PostgresURLEnv)
	if base == "" {
		t.Skipf("%s not set: skipping PostgreSQL", testkit.PostgresURLEnv)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "pathavana_bk_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	check(t, err)
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Skipf("cannot create a database for pg_dump tests: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	check(t, err)
	u.Path = "/" + name
	return u.String()
}

func TestPGDumpBackupCommand(t *testing.T) {
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not on PATH", tool)
		}
	}
	srcURL := newPGDatabase(t)
	src := map[string]string{"PATHAVANA_DATABASE_URL": srcURL, "PATHAVANA_DATA_DIR": t.TempDir()}
	if code, _, errOut := run(t, src, "migrate", "up"); code != 0 {
		t.Fatal(errOut)
	}
	seedDB(t, srcURL, 8)
	outDir := t.TempDir()
	if code, out, errOut := run(t, src, "backup", "--format", "pg_dump", "--out", outDir); code != 0 {
		t.Fatalf("pg_dump backup: %s %s", out, errOut)
	}
	file := only(t, filepath.Join(outDir, "pathavana-postgres-*.dump"))
	only(t, file+".manifest.json")
	if code, out, errOut := run(t, nil, "restore", "--check", "--in", file); code != 0 {
		t.Fatalf("check: %s %s", out, errOut)
	}

	dstURL := newPGDatabase(t)
	dst := map[string]string{"PATHAVANA_DATABASE_URL": dstURL, "PATHAVANA_DATA_DIR": t.TempDir()}
	if code, out, errOut := run(t, dst, "restore", "--in", file); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("pg_restore: %d %s %s", code, out, errOut)
	}
	if got, want := digestOf(t, dstURL).Tables, digestOf(t, srcURL).Tables; !reflect.DeepEqual(got, want) {
		t.Fatalf("restored %+v, want %+v", got, want)
	}
	if code, _, errOut := run(t, dst, "restore", "--in", file); code != 1 || !strings.Contains(errOut, "--force") {
		t.Fatalf("pg_restore over a schema: %d %s", code, errOut)
	}
	if code, out, errOut := run(t, dst, "restore", "--force", "--in", file); code != 0 {
		t.Fatalf("pg_restore --force: %d %s %s", code, out, errOut)
	}
	// Into SQLite: refused, pointing at the logical format.
	sq, _ := sqliteEnv(t)
	if code, _, errOut := run(t, sq, "restore", "--in", file); code != 1 || !strings.Contains(errOut, "PostgreSQL only") {
		t.Fatalf("pg_dump into SQLite: %d %s", code, errOut)
	}
}

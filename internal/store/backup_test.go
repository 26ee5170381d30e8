package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// engine opens a fresh database of one kind, migrated or not, together with
// a raw connection to it so tests can inspect rows without going through
// the code under test.
type engine struct {
	name string
	open func(t *testing.T, migrated bool) (*store.DB, *sql.DB)
}

func engines() []engine {
	return []engine{
		{"sqlite", func(t *testing.T, migrated bool) (*store.DB, *sql.DB) {
			path := filepath.Join(t.TempDir(), "p.db")
			db, err := store.Open(context.Background(), path, store.Options{})
			must(t, err)
			t.Cleanup(func() { _ = db.Close() })
			raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
			must(t, err)
			t.Cleanup(func() { _ = raw.Close() })
			if migrated {
				_, err = db.Migrate(context.Background())
				must(t, err)
			}
			return db, raw
		}},
		{"postgres", func(t *testing.T, migrated bool) (*store.DB, *sql.DB) {
			db, url := testkit.NewTestStorePGUnmigrated(t)
			raw, err := sql.Open("pgx", url)
			must(t, err)
			t.Cleanup(func() { _ = raw.Close() })
			if migrated {
				_, err = db.Migrate(context.Background())
				must(t, err)
			}
			return db, raw
		}},
	}
}

// fillAll puts rows in every table, in every state the product produces:
// NULL and set timestamps, JSON with unicode and HTML characters, jobs
// pending, running, succeeded and failed, more users than one insert batch.
func fillAll(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	later := t0.Add(90 * time.Minute)
	u1, u2 := mkUser(t, db), mkUser(t, db)
	odd := newUserValue(newID("o'brien"))
	odd.Email = "o'brien+são.paulo@example.com"
	odd.PasswordHash = `$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$"quoted"\back`
	must(t, db.CreateUser(ctx, odd))
	must(t, db.SetEmailVerified(ctx, u1.ID, later))
	_, _, err := db.RecordLoginFailure(ctx, u1.ID, t0, func(int) time.Duration { return time.Hour })
	must(t, err)
	must(t, db.SetRole(ctx, u2.ID, model.RoleAdmin))
	must(t, db.UpdateProfile(ctx, model.Profile{UserID: u1.ID, DisplayName: "Ana 🌍 <b>&\"x\"", HomeAirport: "LIS",
		HomeCity: "Lisboa", Currency: "EUR", Language: "pt-PT", UpdatedAt: later,
		Preferences: model.Preferences{Cabin: "business", Seat: "aisle", PreferAirlines: []string{"TP", "LH"},
			Dietary: []string{"vegetarian"}, Interests: []string{"fado", "azulejos <&>"}, Pace: "relaxed"}}))
	must(t, db.CreateIdentity(ctx, model.Identity{UserID: u1.ID, Issuer: "https://accounts.google.com", Subject: "1234567890",
		Email: u1.Email, CreatedAt: t0}))
	must(t, db.CreateIdentity(ctx, model.Identity{UserID: odd.ID, Issuer: "https://idp.example", Subject: "sub|ü", CreatedAt: later}))
	must(t, db.CreateOneTimeToken(ctx, model.OneTimeToken{Hash: newID("ott"), UserID: u1.ID, Purpose: model.PurposeVerifyEmail,
		ExpiresAt: later, CreatedAt: t0}))
	used := newID("ott")
	must(t, db.CreateOneTimeToken(ctx, model.OneTimeToken{Hash: used, UserID: u2.ID, Purpose: model.PurposeResetPassword,
		ExpiresAt: later, CreatedAt: t0}))
	_, err = db.ConsumeOneTimeToken(ctx, used, model.PurposeResetPassword, t0.Add(time.Minute))
	must(t, err)
	fam := newID("fam")
	for i, ua := range []string{"Mozilla/5.0 (X11; Linux)", "curl/8 \"quoted\""} {
		must(t, db.CreateRefreshToken(ctx, model.RefreshToken{ID: newID("rt"), FamilyID: fam, UserID: u1.ID,
			Hash: newID("h"), ExpiresAt: later.Add(time.Duration(i) * time.Hour), CreatedAt: t0, UserAgent: ua}))
	}
	rotated := newID("rt")
	must(t, db.CreateRefreshToken(ctx, model.RefreshToken{ID: rotated, FamilyID: newID("fam"), UserID: u2.ID,
		Hash: newID("h"), ExpiresAt: later, CreatedAt: t0}))
	_, err = db.MarkRefreshTokenRotated(ctx, rotated, t0.Add(time.Second))
	must(t, err)
	must(t, db.RevokeRefreshFamily(ctx, fam, t0.Add(2*time.Second)))
	for _, e := range []model.AuditEntry{
		{At: t0, ActorID: u1.ID, ActorRole: "user", Action: model.AuditSignIn, TargetType: "user", TargetID: u1.ID,
			SubjectID: u1.ID, IP: "2001:db8::1", UserAgent: "Mozilla/5.0 \"quoted\"", RequestID: "req-1", Details: `{"method":"password"}`},
		{At: later, Action: model.AuditSignInFailed, Outcome: model.AuditFailure, Details: `{"reason":"unknown_email","n":1.5}`},
	} {
		_, err := db.AppendAudit(ctx, e)
		must(t, err)
	}
	confirmedAt, refund := later, int64(4500)
	bk, _, err := db.CreateBooking(ctx, model.Booking{ID: newID("bk"), OwnerID: u1.ID, IdempotencyKey: "idem-1", RequestHash: "rh",
		TripID: "trip-1", ItemID: "item-1", Kind: "stay", Provider: "sandbox", OfferRef: "stay:é", State: model.BookingConfirmed,
		Title: "Casa \"Azul\"", StartsOn: "2027-05-10", EndsOn: "2027-05-12", Quantity: 2, TravelerIDs: []string{"t1", "t2"},
		TotalMinor: 123456789012, Currency: "EUR", FreeCancelUntil: &later, CancelFeeMinor: 4500, ConfirmationCode: "PV7K2Q",
		Details: `{"nights":2,"rooms":[1.5,"x"]}`, CreatedAt: t0, UpdatedAt: t0, ConfirmedAt: &confirmedAt},
		[]model.Hold{{Resource: "stay:é", Day: "2027-05-10", Quantity: 2, Capacity: 5}, {Resource: "stay:é", Day: "2027-05-11", Quantity: 2, Capacity: 5}})
	must(t, err)
	_, err = db.CancelBooking(ctx, u1.ID, bk.ID, refund, later)
	must(t, err)
	_, _, err = db.CreateBooking(ctx, model.Booking{ID: newID("bk"), OwnerID: u2.ID, IdempotencyKey: "idem-2", RequestHash: "rh2",
		Kind: "flight", Provider: "amadeus", OfferRef: "1", State: model.BookingConfirmed, StartsOn: "2027-06-01", EndsOn: "2027-06-01",
		Quantity: 1, TotalMinor: 50000, Currency: "USD", CreatedAt: t0, UpdatedAt: t0},
		[]model.Hold{{Resource: "flight:TP202:economy", Day: "2027-06-01", Quantity: 1, Capacity: 180}})
	must(t, err)
	// Travelers: set and NULL ciphertexts, with and without a passport index.
	must(t, db.CreateTraveler(ctx, model.SealedTraveler{ID: newID("trav"), OwnerID: u1.ID, Label: "Mãe \"quoted\"",
		Fields: map[string][]byte{model.TravelerGivenNames: {1, 0, 0xff}, model.TravelerFamilyName: {1, 2},
			model.TravelerPassportNumber: {0, 0, 0}}, KeyID: "k1", DataKey: []byte{0xde, 0xad, 0},
		PassportBidx: "bidx-1", NameBidx: "name-1", Version: 3, CreatedAt: t0, UpdatedAt: later}))
	must(t, db.CreateTraveler(ctx, model.SealedTraveler{ID: newID("trav"), OwnerID: u2.ID,
		Fields: map[string][]byte{model.TravelerGivenNames: {}, model.TravelerFamilyName: {9}}, KeyID: "k0",
		DataKey: []byte{1}, NameBidx: "name-2", Version: 1, CreatedAt: t0, UpdatedAt: t0}))
	// Trips: a budget and none, an item with every optional column set
	// and one with none (NULL times and cost).
	trip := model.Trip{ID: newID("trip"), OwnerID: u1.ID, Title: "Lisboa \"azul\" <&>", Status: model.TripPlanning,
		StartsOn: "2027-03-26", EndsOn: "2027-03-30", Destinations: []string{"LIS", "Sintra é"}, Party: model.Party{Adults: 2, Infants: 1},
		BudgetMinor: &refund, Currency: "EUR", SourceSessionID: "sess-1", CreatedAt: t0, UpdatedAt: t0}
	must(t, db.CreateTrip(ctx, trip))
	must(t, db.CreateTrip(ctx, model.Trip{ID: newID("trip"), OwnerID: u2.ID, Title: "Solo", Status: model.TripCancelled,
		StartsOn: "2027-06-01", EndsOn: "2027-06-01", Party: model.Party{Adults: 1}, Currency: "USD", CreatedAt: t0, UpdatedAt: later}))
	_, _, err = db.AddTripItem(ctx, u1.ID, model.TripItem{ID: newID("item"), TripID: trip.ID, Day: 1, Kind: model.ItemFlight,
		Title: "TP 202", StartsAt: "2027-03-26T07:05", EndsAt: "2027-03-26T09:40", TimeZone: "Europe/Lisbon", Place: "LIS",
		CostMinor: &refund, Currency: "EUR", Provider: "sandbox", OfferRef: "TP202", Details: `{"segments":[{"n":"TP202"}]}`,
		URL: "https://example.com/?a=1&b=2", Notes: "window\nseat", BookingID: "bk-1", CreatedAt: t0, UpdatedAt: later}, 0)
	must(t, err)
	_, _, err = db.AddTripItem(ctx, u1.ID, model.TripItem{ID: newID("item"), TripID: trip.ID, Kind: model.ItemNote, Title: "Pack",
		CreatedAt: t0, UpdatedAt: t0}, 0)
	must(t, err)
	for i, name := range []string{"negotiated", "solo"} {
		_, err := db.PutCatalogImport(ctx, model.CatalogImport{Name: name, Replaces: i == 1, Version: newID("v"), Entries: 2 + i,
			Content: []byte{0x1f, 0x8b, 0, byte(i), 0xff}, CreatedAt: later})
		must(t, err)
	}

	enqueue := func(j model.Job) string {
		id, _, err := db.EnqueueJob(ctx, j)
		must(t, err)
		return id
	}
	enqueue(model.Job{Kind: "email", Payload: []byte(`{"to":"a@example.com","n":1.5,"big":12345678901234567,"html":"<b>é</b>"}`),
		RunAt: later, CreatedAt: t0})
	enqueue(model.Job{Kind: "retention", RunAt: t0, UniqueKey: "retention:2026031415", CreatedAt: t0})
	enqueue(model.Job{Kind: "zero-run-at", Payload: []byte(`[]`), CreatedAt: t0})
	enqueue(model.Job{Kind: "running", Payload: []byte(`{}`), RunAt: t0, CreatedAt: t0})
	done := enqueue(model.Job{Kind: "done", RunAt: t0, CreatedAt: t0})
	failed := enqueue(model.Job{Kind: "failed", RunAt: t0, MaxAttempts: 1, CreatedAt: t0})
	claimed, err := db.ClaimJobs(ctx, "worker-1", []string{"running", "done", "failed"}, 10, time.Minute, t0.Add(time.Second))
	must(t, err)
	if len(claimed) != 3 {
		t.Fatalf("claimed %d jobs, want 3", len(claimed))
	}
	must(t, db.CompleteJob(ctx, done, "worker-1", t0.Add(3*time.Second)))
	must(t, db.FailJob(ctx, failed, "worker-1", "smtp: 550 mailbox \"unavailable\"\nsecond line", t0.Add(4*time.Second)))

	// More users than one INSERT batch holds.
	must(t, db.InTx(ctx, func(q *store.Queries) error {
		for i := range 640 {
			u := newUserValue(fmt.Sprintf("bulk-%04d-%s", i, newID("u")))
			if err := q.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		return nil
	}))
}

// dump reads every row of every table through a raw connection and
// normalises values only as far as the engines differ in representation
// (time zones, []byte vs string, JSONB spacing and key order). Rows are
// sorted, so the comparison does not depend on order.
func dump(t *testing.T, db *store.DB, raw *sql.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	tables, err := db.ListTables(ctx)
	must(t, err)
	out := map[string][]string{}
	for _, name := range tables {
		rows, err := raw.QueryContext(ctx, `SELECT * FROM "`+name+`"`)
		must(t, err)
		cols, err := rows.Columns()
		must(t, err)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			m := map[string]any{}
			for i, c := range cols {
				m[c] = normalize(vals[i])
			}
			b, err := json.Marshal(m)
			must(t, err)
			out[name] = append(out[name], string(b))
		}
		must(t, rows.Err())
		rows.Close()
		sort.Strings(out[name])
	}
	return out
}

func normalize(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return normalize(string(x))
	case bool: // SQLite reads BOOLEAN back as 0/1
		if x {
			return int64(1)
		}
		return int64(0)
	case string:
		if strings.HasPrefix(x, "{") || strings.HasPrefix(x, "[") {
			var j any
			if json.Unmarshal([]byte(x), &j) == nil {
				b, _ := json.Marshal(j)
				return "json:" + string(b)
			}
		}
		return x
	}
	return v
}

func TestBackupRestoreEveryRowAcrossEngines(t *testing.T) {
	ctx := context.Background()
	for _, src := range engines() {
		t.Run("from_"+src.name, func(t *testing.T) {
			sdb, sraw := src.open(t, true)
			fillAll(t, sdb)
			want := dump(t, sdb, sraw)
			tables, err := sdb.ListTables(ctx)
			must(t, err)
			for _, name := range tables {
				if len(want[name]) == 0 {
					t.Fatalf("table %s has no rows in the fixture: add rows for it to fillAll so backups are tested on it", name)
				}
			}

			var buf bytes.Buffer
			info, err := sdb.Backup(ctx, &buf, store.BackupOptions{AppVersion: "test-1", Now: func() time.Time { return t0 }})
			must(t, err)
			if info.Dialect != sdb.Dialect() || info.AppVersion != "test-1" || !info.CreatedAt.Equal(t0) || len(info.Schema) == 0 {
				t.Fatalf("backup info: %+v", info)
			}
			for _, ts := range info.Tables {
				if int64(len(want[ts.Name])) != ts.Rows || len(ts.SHA256) != 64 {
					t.Errorf("backup summary %+v, dump has %d rows", ts, len(want[ts.Name]))
				}
			}
			if d, err := sdb.Digest(ctx); err != nil || !reflect.DeepEqual(d.Tables, info.Tables) {
				t.Fatalf("Digest of the source = %+v, %v; backup recorded %+v", d.Tables, err, info.Tables)
			}
			verified, err := store.VerifyBackup(bytes.NewReader(buf.Bytes()))
			if err != nil || !reflect.DeepEqual(verified.Tables, info.Tables) {
				t.Fatalf("VerifyBackup = %+v, %v", verified.Tables, err)
			}

			for _, dst := range engines() {
				for _, migrated := range []bool{false, true} {
					state := map[bool]string{false: "new", true: "migrated"}[migrated]
					t.Run("to_"+dst.name+"_"+state, func(t *testing.T) {
						ddb, draw := dst.open(t, migrated)
						res, err := ddb.Restore(ctx, bytes.NewReader(buf.Bytes()), store.RestoreOptions{})
						must(t, err)
						if migrated != (len(res.CreatedSchema) == 0) {
							t.Errorf("CreatedSchema = %v on a %s database", res.CreatedSchema, state)
						}
						must(t, ddb.CheckSchema(ctx))
						got := dump(t, ddb, draw)
						for _, name := range tables {
							if !slices.Equal(got[name], want[name]) {
								t.Errorf("table %s differs after restore:\n got %d rows, first %q\nwant %d rows, first %q",
									name, len(got[name]), first(got[name]), len(want[name]), first(want[name]))
							}
						}
						if dst.name == src.name {
							d, err := ddb.Digest(ctx)
							must(t, err)
							if !reflect.DeepEqual(d.Tables, info.Tables) {
								t.Errorf("digest after restore %+v, want %+v", d.Tables, info.Tables)
							}
						}
						checkModels(t, want, sdb, ddb)
					})
				}
			}
		})
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// checkModels reads restored rows back through the store's own getters,
// as the application will: every user, profile and job listed in the dump.
func checkModels(t *testing.T, want map[string][]string, src, dst *store.DB) {
	t.Helper()
	ctx := context.Background()
	ids := func(table string) []string {
		var out []string
		for _, line := range want[table] {
			var m map[string]any
			must(t, json.Unmarshal([]byte(line), &m))
			out = append(out, fmt.Sprint(m["id"]))
		}
		return out
	}
	for _, id := range ids("users") {
		a, err := src.GetUser(ctx, id)
		must(t, err)
		b, err := dst.GetUser(ctx, id)
		must(t, err)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("user %s: %+v != %+v", id, b, a)
		}
		pa, err := src.GetProfile(ctx, id)
		must(t, err)
		pb, err := dst.GetProfile(ctx, id)
		must(t, err)
		if !reflect.DeepEqual(pa, pb) {
			t.Fatalf("profile %s: %+v != %+v", id, pb, pa)
		}
	}
	for _, id := range ids("jobs") {
		a, err := src.GetJob(ctx, id)
		must(t, err)
		b, err := dst.GetJob(ctx, id)
		must(t, err)
		var pa, pb any
		if a.Payload != nil {
			must(t, json.Unmarshal(a.Payload, &pa))
			must(t, json.Unmarshal(b.Payload, &pb))
		}
		if !reflect.DeepEqual(pa, pb) || (a.Payload == nil) != (b.Payload == nil) {
			t.Fatalf("job %s payload %s != %s", id, b.Payload, a.Payload)
		}
		a.Payload, b.Payload = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("job %s: %+v != %+v", id, b, a)
		}
	}
}

// archiveLines decompresses an archive into its lines.
func archiveLines(t *testing.T, archive []byte) [][]byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(archive))
	must(t, err)
	b, err := io.ReadAll(zr)
	must(t, err)
	return bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
}

// buildArchive compresses lines; with reseal it also recomputes the
// trailer's content checksum, as a forger (or a buggy tool) would.
func buildArchive(t *testing.T, lines [][]byte, reseal bool) []byte {
	t.Helper()
	if reseal {
		h := sha256.New()
		for _, l := range lines[:len(lines)-1] {
			h.Write(l)
			h.Write([]byte("\n"))
		}
		var tr map[string]map[string]any
		must(t, json.Unmarshal(lines[len(lines)-1], &tr))
		tr["trailer"]["content_sha256"] = hex.EncodeToString(h.Sum(nil))
		b, err := json.Marshal(tr)
		must(t, err)
		lines[len(lines)-1] = b
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(append(bytes.Join(lines, []byte("\n")), '\n'))
	must(t, err)
	must(t, zw.Close())
	return buf.Bytes()
}

// rowCount is the total of rows over every table of db.
func rowCount(t *testing.T, db *store.DB) int64 {
	t.Helper()
	d, err := db.Digest(context.Background())
	must(t, err)
	return d.Rows()
}

func TestRestoreRejectsDamagedArchivesAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	testkit.ForEachStore(t, func(t *testing.T, src *store.DB) {
		fillAll(t, src)
		var buf bytes.Buffer
		_, err := src.Backup(ctx, &buf, store.BackupOptions{})
		must(t, err)
		good := buf.Bytes()
		lines := func() [][]byte { return archiveLines(t, good) }
		// The index of the first row of the users table.
		userRow := func(ls [][]byte) int {
			for i, l := range ls {
				if bytes.HasPrefix(l, []byte(`{"table":{"name":"users"`)) {
					return i + 1
				}
			}
			t.Fatal("no users table in the archive")
			return 0
		}
		edit := func(f func(ls [][]byte) [][]byte, reseal bool) []byte {
			return buildArchive(t, f(lines()), reseal)
		}
		cases := []struct {
			name, archive, wantErr string
		}{
			{"empty file", "", "not a gzip"},
			{"not gzip", "SQLite format 3\x00 and more", "not a gzip"},
			{"truncated", string(good[:len(good)*2/3]), "corrupt backup"},
			{"no trailer", string(edit(func(ls [][]byte) [][]byte { return ls[:len(ls)-1] }, false)), "without its trailer"},
			{"flipped byte", string(flip(good, len(good)/2)), "corrupt backup"},
			{"changed value", string(edit(func(ls [][]byte) [][]byte {
				i := userRow(ls)
				ls[i] = bytes.Replace(ls[i], []byte(`@example.com`), []byte(`@evil.example`), 1)
				return ls
			}, false)), "content checksum mismatch"},
			{"changed value, resealed", string(edit(func(ls [][]byte) [][]byte {
				i := userRow(ls)
				ls[i] = bytes.Replace(ls[i], []byte(`@example.com`), []byte(`@evil.example`), 1)
				return ls
			}, true)), "table users: archive has"},
			{"dropped row, resealed", string(edit(func(ls [][]byte) [][]byte {
				i := userRow(ls)
				return append(ls[:i:i], ls[i+1:]...)
			}, true)), "table users: archive has"},
			{"wrong value type", string(edit(func(ls [][]byte) [][]byte {
				i := userRow(ls)
				var l struct{ Row []any }
				must(t, json.Unmarshal(ls[i], &l))
				l.Row[5] = "five" // failed_logins is an integer
				ls[i], _ = json.Marshal(map[string]any{"row": l.Row})
				return ls
			}, true)), "column failed_logins"},
			{"row of wrong width", string(edit(func(ls [][]byte) [][]byte {
				i := userRow(ls)
				ls[i] = []byte(`{"row":["only one"]}`)
				return ls
			}, true)), "has 1 values"},
			{"data after trailer", string(edit(func(ls [][]byte) [][]byte { return append(ls, []byte(`{"row":[1]}`)) }, false)),
				"after the trailer"},
			{"unknown format version", string(edit(func(ls [][]byte) [][]byte {
				ls[0] = bytes.Replace(ls[0], []byte(`"format_version":1`), []byte(`"format_version":99`), 1)
				return ls
			}, true)), "format version 99 is not supported"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if _, err := store.VerifyBackup(strings.NewReader(c.archive)); err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Errorf("VerifyBackup: %v, want %q", err, c.wantErr)
				}
				dst := newEmptyLike(t, src)
				_, err := dst.Restore(ctx, strings.NewReader(c.archive), store.RestoreOptions{})
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("Restore: %v, want an error containing %q", err, c.wantErr)
				}
				if n := rowCount(t, dst); n != 0 {
					t.Fatalf("a failed restore left %d rows behind", n)
				}
			})
		}
		// The intact archive still restores: the cases above failed for
		// their damage, not for something else.
		dst := newEmptyLike(t, src)
		_, err = dst.Restore(ctx, bytes.NewReader(good), store.RestoreOptions{})
		must(t, err)
	})
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x55
	return c
}

// newEmptyLike returns a new, migrated, empty database of the same engine.
func newEmptyLike(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	if db.Dialect() == store.DialectPostgres {
		return testkit.NewTestStorePG(t)
	}
	return testkit.NewTestStore(t)
}

func TestRestoreRefusesNonEmptyDatabaseUnlessForced(t *testing.T) {
	ctx := context.Background()
	testkit.ForEachStore(t, func(t *testing.T, src *store.DB) {
		fillAll(t, src)
		var buf bytes.Buffer
		info, err := src.Backup(ctx, &buf, store.BackupOptions{})
		must(t, err)

		dst := newEmptyLike(t, src)
		stray := mkUser(t, dst) // a row the backup does not have
		_, err = dst.Restore(ctx, bytes.NewReader(buf.Bytes()), store.RestoreOptions{})
		if err == nil || !strings.Contains(err.Error(), "not empty (") || !strings.Contains(err.Error(), "users: 1 rows") {
			t.Fatalf("restore into a database with rows: %v", err)
		}
		if _, err := dst.GetUser(ctx, stray.ID); err != nil {
			t.Fatalf("refused restore touched the database: %v", err)
		}

		res, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), store.RestoreOptions{Force: true})
		must(t, err)
		if len(res.Replaced) != 2 {
			t.Errorf("Replaced = %+v", res.Replaced)
		}
		if _, err := dst.GetUser(ctx, stray.ID); err == nil {
			t.Error("forced restore kept a row the backup does not have")
		}
		d, err := dst.Digest(ctx)
		must(t, err)
		if !reflect.DeepEqual(d.Tables, info.Tables) {
			t.Fatalf("after a forced restore: %+v, want %+v", d.Tables, info.Tables)
		}
	})
}

func TestRestoreChecksSchemaVersion(t *testing.T) {
	ctx := context.Background()
	testkit.ForEachStore(t, func(t *testing.T, src *store.DB) {
		var buf bytes.Buffer
		_, err := src.Backup(ctx, &buf, store.BackupOptions{})
		must(t, err)
		future := buildArchive(t, func() [][]byte {
			ls := archiveLines(t, buf.Bytes())
			ls[0] = bytes.Replace(ls[0], []byte(`"schema":[`), []byte(`"schema":[{"version":9999,"name":"9999_future"},`), 1)
			return ls
		}(), true)
		// A migrated database at another version is refused …
		_, err = newEmptyLike(t, src).Restore(ctx, bytes.NewReader(future), store.RestoreOptions{})
		if err == nil || !strings.Contains(err.Error(), "differs from the backup's") {
			t.Fatalf("schema mismatch: %v", err)
		}
		// … and so is a new one when this build cannot create that schema.
		var fresh *store.DB
		if src.Dialect() == store.DialectPostgres {
			fresh, _ = testkit.NewTestStorePGUnmigrated(t)
		} else {
			fresh, err = store.Open(ctx, filepath.Join(t.TempDir(), "new.db"), store.Options{})
			must(t, err)
			t.Cleanup(func() { _ = fresh.Close() })
		}
		_, err = fresh.Restore(ctx, bytes.NewReader(future), store.RestoreOptions{})
		if err == nil || !strings.Contains(err.Error(), "not one this build can create") {
			t.Fatalf("unknown schema: %v", err)
		}
		if tables, _ := fresh.ListTables(ctx); len(tables) != 0 {
			t.Fatalf("refused restore created tables %v", tables)
		}
		// An empty backup restores and creates the schema.
		res, err := fresh.Restore(ctx, bytes.NewReader(buf.Bytes()), store.RestoreOptions{})
		must(t, err)
		if len(res.CreatedSchema) == 0 || res.Rows() != 0 {
			t.Fatalf("restore of an empty backup: %+v", res)
		}
		must(t, fresh.CheckSchema(ctx))
	})
}

// extraTable is a table no migration knows, with a column of every type a
// backup distinguishes: a backup must pick it up from the catalog alone.
var extraTable = map[store.Dialect]string{
	store.DialectSQLite: `CREATE TABLE extra_kinds (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT, amount NUMERIC,
		ratio REAL, flag BOOLEAN, day DATE, data BLOB, doc JSON, at TIMESTAMP, owner TEXT REFERENCES users (id))`,
	store.DialectPostgres: `CREATE TABLE extra_kinds (id BIGSERIAL PRIMARY KEY, label TEXT, amount NUMERIC(12, 2),
		ratio DOUBLE PRECISION, flag BOOLEAN, day DATE, data BYTEA, doc JSONB, at TIMESTAMPTZ,
		owner TEXT REFERENCES users (id), tags TEXT[], span INTERVAL)`,
}

func TestBackupCoversTablesItWasNotToldAbout(t *testing.T) {
	ctx := context.Background()
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			src, sraw := e.open(t, true)
			_, err := sraw.ExecContext(ctx, extraTable[src.Dialect()])
			must(t, err)
			u := mkUser(t, src)
			insert := `INSERT INTO extra_kinds (label, amount, ratio, flag, day, data, doc, at, owner) VALUES
				('plain', 12.50, 0.1, true, '2026-03-14', X'0001ff', '{"b": 1, "a": [1, 2.50, "<é>"]}', '2026-03-14 15:09:26.535897+00:00', '` + u.ID + `'),
				(NULL, 7, -3.25e10, false, NULL, NULL, NULL, NULL, NULL),
				('x', NULL, NULL, NULL, '1999-12-31', X'', 'null', '0001-01-01 00:00:00+00:00', NULL)`
			if src.Dialect() == store.DialectPostgres {
				insert = strings.ReplaceAll(insert, `X'0001ff'`, `'\x0001ff'::bytea`)
				insert = strings.ReplaceAll(insert, `X''`, `''::bytea`)
				_, err = sraw.ExecContext(ctx, insert)
				must(t, err)
				_, err = sraw.ExecContext(ctx, `UPDATE extra_kinds SET tags = '{"a b",c}', span = '1 day 02:03:04' WHERE label = 'plain'`)
			} else {
				_, err = sraw.ExecContext(ctx, insert)
			}
			must(t, err)
			want := dump(t, src, sraw)
			if len(want["extra_kinds"]) != 3 {
				t.Fatalf("fixture: %v", want["extra_kinds"])
			}
			var buf bytes.Buffer
			info, err := src.Backup(ctx, &buf, store.BackupOptions{})
			must(t, err)
			if !slices.ContainsFunc(info.Tables, func(s store.TableSummary) bool { return s.Name == "extra_kinds" && s.Rows == 3 }) {
				t.Fatalf("backup skipped the new table: %+v", info.Tables)
			}

			// Into a database that lacks the table: refused, clearly.
			plain, _ := e.open(t, true)
			if _, err := plain.Restore(ctx, bytes.NewReader(buf.Bytes()), store.RestoreOptions{}); err == nil ||
				!strings.Contains(err.Error(), "no table extra_kinds") {
				t.Fatalf("restore into a database without the table: %v", err)
			}

			dst, draw := e.open(t, true)
			_, err = draw.ExecContext(ctx, extraTable[dst.Dialect()])
			must(t, err)
			_, err = dst.Restore(ctx, bytes.NewReader(buf.Bytes()), store.RestoreOptions{})
			must(t, err)
			got := dump(t, dst, draw)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("after restore:\n got %v\nwant %v", got["extra_kinds"], want["extra_kinds"])
			}
			// Sequences continue after the restored ids.
			var id int64
			must(t, draw.QueryRowContext(ctx, `INSERT INTO extra_kinds (label) VALUES ('next') RETURNING id`).Scan(&id))
			if id != 4 {
				t.Fatalf("next id after restore = %d, want 4", id)
			}
		})
	}
}

func TestSQLiteFileBackup(t *testing.T) {
	ctx := context.Background()
	src := testkit.NewTestStore(t)
	fillAll(t, src)
	path := filepath.Join(t.TempDir(), "copy.db")
	must(t, src.BackupSQLiteFile(ctx, path))
	if err := src.BackupSQLiteFile(ctx, path); err == nil {
		t.Fatal("VACUUM INTO overwrote an existing file")
	}
	before, err := os.ReadFile(path)
	must(t, err)

	cp, err := store.OpenSQLiteFile(ctx, path)
	must(t, err)
	defer cp.Close()
	want, err := src.Digest(ctx)
	must(t, err)
	got, err := cp.Digest(ctx)
	must(t, err)
	if !reflect.DeepEqual(got.Tables, want.Tables) || !reflect.DeepEqual(got.Schema, want.Schema) {
		t.Fatalf("file copy digest %+v, source %+v", got, want)
	}
	// The copy restores anywhere, like an archive, through a logical stream.
	var buf bytes.Buffer
	_, err = cp.Backup(ctx, &buf, store.BackupOptions{})
	must(t, err)
	dst := testkit.NewTestStore(t)
	_, err = dst.Restore(ctx, &buf, store.RestoreOptions{})
	must(t, err)
	must(t, cp.Close())
	after, err := os.ReadFile(path)
	must(t, err)
	if !bytes.Equal(before, after) {
		t.Fatal("reading the backup file changed it")
	}

	bad := filepath.Join(t.TempDir(), "bad.db")
	must(t, os.WriteFile(bad, append([]byte("SQLite format 3\x00"), make([]byte, 200)...), 0o600))
	if _, err := store.OpenSQLiteFile(ctx, bad); err == nil || !strings.Contains(err.Error(), "not an intact SQLite database") {
		t.Fatalf("damaged file: %v", err)
	}
}

func TestExportSnapshotDigestsTheSnapshot(t *testing.T) {
	ctx := context.Background()
	db := testkit.NewTestStorePG(t)
	fillAll(t, db)
	want, err := db.Digest(ctx)
	must(t, err)
	got, err := db.ExportSnapshot(ctx, func(id string) error {
		if id == "" {
			t.Error("empty snapshot id")
		}
		// Writes after the snapshot are not in its digest.
		mkUser(t, db)
		return nil
	})
	must(t, err)
	if !reflect.DeepEqual(got.Tables, want.Tables) {
		t.Fatalf("snapshot digest %+v, want %+v", got.Tables, want.Tables)
	}
	if _, err := testkit.NewTestStore(t).ExportSnapshot(ctx, func(string) error { return nil }); err == nil {
		t.Fatal("SQLite exported a snapshot")
	}
}

func TestListTables(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		tables, err := db.ListTables(context.Background())
		must(t, err)
		want := []string{"audit_log", "booking_holds", "bookings", "catalog_imports", "identities", "inventory", "jobs", "one_time_tokens", "profiles", "refresh_tokens", "travelers", "trip_items", "trips", "users"}
		if !slices.Equal(tables, want) {
			t.Fatalf("ListTables = %v, want %v (schema_migrations and engine tables excluded)", tables, want)
		}
		described, err := db.DescribeTables(context.Background())
		must(t, err)
		pos := map[string]int{}
		for i, d := range described {
			pos[d.Name] = i
		}
		for _, d := range described {
			for _, ref := range d.References {
				if pos[ref] > pos[d.Name] {
					t.Errorf("%s comes before %s, which it references", d.Name, ref)
				}
			}
		}
	})
}

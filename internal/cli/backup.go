package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"text/tabwriter"
	"time"

	"pathavana/internal/store"
)

// Backup formats. The logical one is the default: engine-neutral, verified
// on restore by row counts and checksums, restorable into either engine.
// The native ones are byte-level copies for operators who want them; both
// write a manifest beside the file so restore can verify them too.
const (
	formatLogical = "logical" // gzip'd JSON Lines (store.Backup)
	formatSQLite  = "sqlite"  // SQLite online backup with VACUUM INTO
	formatPGDump  = "pg_dump" // PostgreSQL custom-format pg_dump of one snapshot
)

// manifestSuffix names the file written beside a native backup.
const manifestSuffix = ".manifest.json"

// runBackup writes a backup of the configured database.
func runBackup(ctx context.Context, e env, args []string) error {
	fs := newFlags("backup", e)
	out := fs.String("out", "", "directory (a timestamped file is created in it), file path, or - for stdout (logical format only)")
	format := fs.String("format", formatLogical, "logical (portable, default), sqlite (VACUUM INTO copy) or pg_dump (needs pg_dump on PATH)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: pathavana backup --out DIR|FILE|- [--format logical|sqlite|pg_dump]", errUsage)
	}
	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	db, err := openStoreRaw(ctx, cfg.StoreURL(), cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()

	switch *format {
	case formatLogical:
		if *out == "-" {
			info, err := db.Backup(ctx, e.stdout, store.BackupOptions{AppVersion: Version()})
			if err != nil {
				return err
			}
			return printBackup(e.stderr, "-", "", 0, info)
		}
		path, err := backupPath(*out, db.Dialect(), ".jsonl.gz", start)
		if err != nil {
			return err
		}
		var info store.BackupInfo
		sum, size, err := writeAtomically(path, func(w io.Writer) error {
			info, err = db.Backup(ctx, w, store.BackupOptions{AppVersion: Version()})
			return err
		})
		if err != nil {
			return err
		}
		log.Info("backup written", "path", path, "bytes", size, "rows", info.Rows(), "took", time.Since(start).Round(time.Millisecond))
		return printBackup(e.stdout, path, sum, size, info)

	case formatSQLite:
		if db.Dialect() != store.DialectSQLite {
			return fmt.Errorf("--format sqlite needs a SQLite database; this one is %s (use logical or pg_dump)", db.Dialect())
		}
		path, err := backupPath(*out, db.Dialect(), ".db", start)
		if err != nil {
			return err
		}
		info, sum, size, err := backupSQLiteFile(ctx, db, path)
		if err != nil {
			return err
		}
		log.Info("backup written", "path", path, "bytes", size, "rows", info.Rows())
		return printBackup(e.stdout, path, sum, size, info)

	case formatPGDump:
		if db.Dialect() != store.DialectPostgres {
			return fmt.Errorf("--format pg_dump needs a PostgreSQL database; this one is %s (use logical or sqlite)", db.Dialect())
		}
		path, err := backupPath(*out, db.Dialect(), ".dump", start)
		if err != nil {
			return err
		}
		info, sum, size, err := backupPGDump(ctx, db, cfg.StoreURL(), path)
		if err != nil {
			return err
		}
		log.Info("backup written", "path", path, "bytes", size, "rows", info.Rows())
		return printBackup(e.stdout, path, sum, size, info)
	}
	return fmt.Errorf("%w: unknown --format %q (want logical, sqlite or pg_dump)", errUsage, *format)
}

// backupPath resolves --out: an existing directory (or one named with a
// trailing slash) gets a timestamped file; anything else is the file. An
// existing file is never overwritten.
func backupPath(out string, d store.Dialect, ext string, now time.Time) (string, error) {
	path := out
	if fi, err := os.Stat(out); (err == nil && fi.IsDir()) || strings.HasSuffix(out, string(os.PathSeparator)) {
		if err := os.MkdirAll(out, 0o700); err != nil {
			return "", fmt.Errorf("create backup directory: %w", err)
		}
		path = filepath.Join(out, fmt.Sprintf("pathavana-%s-%s%s", d, now.UTC().Format("20060102T150405Z"), ext))
	}
	if _, err := os.Stat(path); err == nil {
		return "", fmt.Errorf("%s already exists; backups are never overwritten", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("create backup directory: %w", err)
	}
	return path, nil
}

// writeAtomically writes through a temporary file in the same directory
// and renames it into place once complete and synced, so a file at path is
// always a whole backup. The file is private (0600): it holds password
// hashes and personal data. It returns the file's SHA-256 and size.
func writeAtomically(path string, fill func(w io.Writer) error) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return "", 0, fmt.Errorf("create backup file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(tmp, h)}
	bw := bufio.NewWriterSize(cw, 256<<10)
	if err := fill(bw); err != nil {
		tmp.Close()
		return "", 0, err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("write backup: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("write backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("write backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", 0, fmt.Errorf("write backup: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), cw.n, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// backupSQLiteFile copies the database with VACUUM INTO, checks the copy,
// and writes its manifest (schema, row counts, digests) beside it.
func backupSQLiteFile(ctx context.Context, db *store.DB, path string) (store.BackupInfo, string, int64, error) {
	tmpDir, err := os.MkdirTemp(filepath.Dir(path), ".pathavana-backup-*")
	if err != nil {
		return store.BackupInfo{}, "", 0, fmt.Errorf("create backup file: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, filepath.Base(path))
	if err := db.BackupSQLiteFile(ctx, tmp); err != nil {
		return store.BackupInfo{}, "", 0, err
	}
	cp, err := store.OpenSQLiteFile(ctx, tmp)
	if err != nil {
		return store.BackupInfo{}, "", 0, err
	}
	info, err := cp.Digest(ctx)
	cp.Close()
	if err != nil {
		return store.BackupInfo{}, "", 0, err
	}
	info.Format, info.AppVersion = formatSQLite, Version()
	return finishNative(tmp, path, info)
}

// backupPGDump runs pg_dump on a snapshot exported from the store and
// writes the digest of that same snapshot as the manifest.
func backupPGDump(ctx context.Context, db *store.DB, dbURL, path string) (store.BackupInfo, string, int64, error) {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return store.BackupInfo{}, "", 0, errors.New("pg_dump is not on PATH: install the PostgreSQL client (same major version as the server) or use --format logical")
	}
	conn, env, err := libpqConn(dbURL)
	if err != nil {
		return store.BackupInfo{}, "", 0, err
	}
	tmpDir, err := os.MkdirTemp(filepath.Dir(path), ".pathavana-backup-*")
	if err != nil {
		return store.BackupInfo{}, "", 0, fmt.Errorf("create backup file: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, filepath.Base(path))
	info, err := db.ExportSnapshot(ctx, func(snapshot string) error {
		return runTool(ctx, bin, env, "--format=custom", "--snapshot="+snapshot, "--file="+tmp, "--dbname="+conn)
	})
	if err != nil {
		return store.BackupInfo{}, "", 0, err
	}
	info.Format, info.AppVersion = formatPGDump, Version()
	return finishNative(tmp, path, info)
}

// finishNative moves a finished native backup and its manifest into place.
func finishNative(tmp, path string, info store.BackupInfo) (store.BackupInfo, string, int64, error) {
	if err := os.Chmod(tmp, 0o600); err != nil {
		return info, "", 0, err
	}
	sum, size, err := fileSum(tmp)
	if err != nil {
		return info, "", 0, err
	}
	m, _ := json.MarshalIndent(manifest{BackupInfo: info, File: filepath.Base(path), FileSHA256: sum}, "", "  ")
	if _, _, err := writeAtomically(path+manifestSuffix, func(w io.Writer) error {
		_, err := w.Write(append(m, '\n'))
		return err
	}); err != nil {
		return info, "", 0, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return info, "", 0, fmt.Errorf("write backup: %w", err)
	}
	return info, sum, size, nil
}

// manifest is the JSON written beside a native backup.
type manifest struct {
	store.BackupInfo
	File       string `json:"file"`
	FileSHA256 string `json:"file_sha256"`
}

func fileSum(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// libpqConn turns the configured PostgreSQL URL into one libpq tools
// accept: the password moves to PGPASSWORD (not visible in the process
// list), parameters only pgx knows are dropped, and search_path, which
// libpq cannot take, is refused (pg_dump copies whole databases).
func libpqConn(raw string) (string, []string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, fmt.Errorf("database URL: %w", err)
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("search_path") {
		return "", nil, errors.New("pg_dump backs up whole databases, and the database URL selects a schema (search_path): use --format logical")
	}
	for k := range q {
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), env, nil
}

var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "passfile": true,
	"channel_binding": true, "connect_timeout": true, "client_encoding": true, "options": true,
	"application_name": true, "fallback_application_name": true, "keepalives": true, "keepalives_idle": true,
	"keepalives_interval": true, "keepalives_count": true, "tcp_user_timeout": true, "sslmode": true,
	"sslnegotiation": true, "sslcompression": true, "sslcert": true, "sslkey": true, "sslpassword": true,
	"sslcertmode": true, "sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true,
	"requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"krbsrvname": true, "gsslib": true, "gssencmode": true, "gssdelegation": true, "service": true,
	"target_session_attrs": true, "load_balance_hosts": true,
}

// runTool runs a PostgreSQL client tool and returns its stderr on failure.
func runTool(ctx context.Context, bin string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(bin), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func printBackup(w io.Writer, path, sum string, size int64, info store.BackupInfo) error {
	if path != "-" {
		fmt.Fprintf(w, "backup: %s (%s, sha256 %s)\n", path, humanBytes(size), sum)
	}
	var schema []string
	for _, s := range info.Schema {
		schema = append(schema, s.Name)
	}
	fmt.Fprintf(w, "format: %s, %s database, schema %s, %d tables, %d rows\n",
		info.Format, info.Dialect, strings.Join(schema, " "), len(info.Tables), info.Rows())
	return printTables(w, info.Tables)
}

func printTables(w io.Writer, tables []store.TableSummary) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tROWS\tSHA256")
	for _, t := range tables {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", t.Name, t.Rows, t.SHA256)
	}
	return tw.Flush()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// runRestore loads a backup into the configured database. The format is
// recognised from the file's first bytes.
func runRestore(ctx context.Context, e env, args []string) error {
	fs := newFlags("restore", e)
	in := fs.String("in", "", "backup file (logical archive, SQLite file or pg_dump custom file), or - for stdin (logical format)")
	force := fs.Bool("force", false, "replace the contents of a database that is not empty")
	check := fs.Bool("check", false, "only verify the backup's checksums; touch no database")
	migrate := fs.Bool("migrate", true, "after restoring, apply the migrations this build has and the backup lacks")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: pathavana restore --in FILE|- [--force] [--check]", errUsage)
	}
	var r io.Reader = os.Stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("open backup: %w", err)
		}
		defer f.Close()
		r = f
	}
	br := bufio.NewReaderSize(r, 256<<10)
	magic, _ := br.Peek(16)
	kind := ""
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		kind = formatLogical
	case bytes.HasPrefix(magic, []byte("SQLite format 3\x00")):
		kind = formatSQLite
	case bytes.HasPrefix(magic, []byte("PGDMP")):
		kind = formatPGDump
	default:
		return fmt.Errorf("%s is not a pathavana backup (neither a logical archive, a SQLite file nor a pg_dump custom file)", *in)
	}
	if kind != formatLogical && *in == "-" {
		return fmt.Errorf("a %s backup must be given as a file, not on stdin", kind)
	}

	if *check {
		info, err := checkBackup(ctx, kind, *in, br)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "backup OK: %s\n", *in)
		return printBackup(e.stdout, "-", "", 0, info)
	}

	// A file is verified whole before anything is touched, so a damaged
	// one cannot even create a schema. (From stdin it is checked while
	// loading; the transaction still keeps every row out.)
	if kind == formatLogical && *in != "-" {
		if _, err := checkBackup(ctx, kind, *in, br); err != nil {
			return fmt.Errorf("nothing was restored: %w", err)
		}
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("open backup: %w", err)
		}
		defer f.Close()
		br = bufio.NewReaderSize(f, 256<<10)
	}

	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	db, err := openStoreRaw(ctx, cfg.StoreURL(), cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	var res store.RestoreResult
	switch kind {
	case formatLogical:
		res, err = db.Restore(ctx, br, store.RestoreOptions{Force: *force})
	case formatSQLite:
		res, err = restoreSQLiteFile(ctx, db, *in, *force)
	case formatPGDump:
		res, err = restorePGDump(ctx, db, cfg.StoreURL(), *in, *force)
	}
	if err != nil {
		if kind == formatPGDump {
			return err
		}
		return fmt.Errorf("nothing was restored: %w", err)
	}
	log.Info("backup restored", "from", *in, "rows", res.Rows(), "took", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "restored %s into the %s database: %d tables, %d rows, verified\n", *in, db.Dialect(), len(res.Tables), res.Rows())
	if len(res.CreatedSchema) > 0 {
		fmt.Fprintf(e.stdout, "created the backup's schema: %s\n", strings.Join(res.CreatedSchema, " "))
	}
	for _, t := range res.Replaced {
		fmt.Fprintf(e.stdout, "replaced %d rows of %s (--force)\n", t.Rows, t.Name)
	}
	if err := printTables(e.stdout, res.Tables); err != nil {
		return err
	}
	if *migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("restored, but migrating to this build's schema failed: %w", err)
		}
		if len(applied) > 0 {
			fmt.Fprintf(e.stdout, "migrated to this build's schema: %s\n", strings.Join(applied, " "))
		}
	}
	return nil
}

// checkBackup verifies a backup without a database.
func checkBackup(ctx context.Context, kind, path string, r io.Reader) (store.BackupInfo, error) {
	switch kind {
	case formatLogical:
		return store.VerifyBackup(r)
	case formatSQLite:
		cp, err := store.OpenSQLiteFile(ctx, path)
		if err != nil {
			return store.BackupInfo{}, err
		}
		defer cp.Close()
		return checkManifest(ctx, cp, path)
	default:
		bin, err := exec.LookPath("pg_restore")
		if err != nil {
			return store.BackupInfo{}, errors.New("pg_restore is not on PATH: install the PostgreSQL client to check pg_dump backups")
		}
		if err := runTool(ctx, bin, os.Environ(), "--list", path); err != nil {
			return store.BackupInfo{}, fmt.Errorf("%s is damaged: %w", path, err)
		}
		m, err := readManifest(path)
		if err != nil {
			return store.BackupInfo{}, err
		}
		sum, _, err := fileSum(path)
		if err != nil {
			return store.BackupInfo{}, err
		}
		if sum != m.FileSHA256 {
			return store.BackupInfo{}, fmt.Errorf("%s does not match its manifest (sha256 %s, manifest says %s)", path, sum, m.FileSHA256)
		}
		return m.BackupInfo, nil
	}
}

// readManifest reads the manifest written beside a native backup.
func readManifest(path string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(path + manifestSuffix)
	if err != nil {
		return m, fmt.Errorf("read the manifest of %s (written beside it by pathavana backup): %w", path, err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("manifest %s: %w", path+manifestSuffix, err)
	}
	return m, nil
}

// checkManifest compares a database's digest with the manifest of the
// backup it came from.
func checkManifest(ctx context.Context, db *store.DB, path string) (store.BackupInfo, error) {
	m, err := readManifest(path)
	if err != nil {
		return store.BackupInfo{}, err
	}
	got, err := db.Digest(ctx)
	if err != nil {
		return store.BackupInfo{}, err
	}
	if !reflect.DeepEqual(got.Tables, m.Tables) || !reflect.DeepEqual(got.Schema, m.Schema) {
		return got, fmt.Errorf("%w: %s does not match its manifest:\n%s", store.ErrCorruptBackup, path, diffTables(got.Tables, m.Tables))
	}
	return m.BackupInfo, nil
}

func diffTables(got, want []store.TableSummary) string {
	w := map[string]store.TableSummary{}
	for _, t := range want {
		w[t.Name] = t
	}
	var b strings.Builder
	for _, g := range got {
		if m, ok := w[g.Name]; !ok {
			fmt.Fprintf(&b, "  %s: not in the manifest\n", g.Name)
		} else if m != g {
			fmt.Fprintf(&b, "  %s: %d rows (%.12s…), manifest %d rows (%.12s…)\n", g.Name, g.Rows, g.SHA256, m.Rows, m.SHA256)
		}
		delete(w, g.Name)
	}
	for n := range w {
		fmt.Fprintf(&b, "  %s: missing\n", n)
	}
	return b.String()
}

// restoreSQLiteFile restores a SQLite file backup into any database: it
// checks the file against its manifest, then streams it as a logical
// backup, so the same verified, all-or-nothing restore applies.
func restoreSQLiteFile(ctx context.Context, db *store.DB, path string, force bool) (store.RestoreResult, error) {
	cp, err := store.OpenSQLiteFile(ctx, path)
	if err != nil {
		return store.RestoreResult{}, err
	}
	defer cp.Close()
	if _, err := checkManifest(ctx, cp, path); err != nil {
		return store.RestoreResult{}, err
	}
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		_, err := cp.Backup(ctx, pw, store.BackupOptions{AppVersion: Version()})
		pw.CloseWithError(err)
		errc <- err
	}()
	res, err := db.Restore(ctx, pr, store.RestoreOptions{Force: force})
	pr.CloseWithError(errRestoreDone) // unblocks the reader if restore stopped early
	if berr := <-errc; berr != nil && !errors.Is(berr, errRestoreDone) {
		return res, fmt.Errorf("read %s: %w", path, berr)
	}
	return res, err
}

var errRestoreDone = errors.New("restore finished")

// restorePGDump runs pg_restore in one transaction into a database without
// tables (or, with force, over one: --clean), then compares the result with
// the manifest written at backup time.
func restorePGDump(ctx context.Context, db *store.DB, dbURL, path string, force bool) (store.RestoreResult, error) {
	if db.Dialect() != store.DialectPostgres {
		return store.RestoreResult{}, fmt.Errorf("a pg_dump backup restores into PostgreSQL only; this database is %s (restore a logical backup instead)", db.Dialect())
	}
	bin, err := exec.LookPath("pg_restore")
	if err != nil {
		return store.RestoreResult{}, errors.New("pg_restore is not on PATH: install the PostgreSQL client (same major version as the server)")
	}
	info, err := checkBackup(ctx, formatPGDump, path, nil)
	if err != nil {
		return store.RestoreResult{}, err
	}
	tables, err := db.ListTables(ctx)
	if err != nil {
		return store.RestoreResult{}, err
	}
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		return store.RestoreResult{}, err
	}
	hasSchema := len(tables) > 0
	for _, s := range st {
		hasSchema = hasSchema || s.AppliedAt != nil
	}
	var res store.RestoreResult
	args := []string{"--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"}
	if hasSchema {
		if !force {
			return res, errors.New("nothing was restored: a pg_dump backup restores into a database without tables, and this one has a schema: use a new database, or --force to drop and replace its objects")
		}
		before, err := db.Digest(ctx)
		if err == nil {
			for _, t := range before.Tables {
				if t.Rows > 0 {
					res.Replaced = append(res.Replaced, t)
				}
			}
		}
		args = append(args, "--clean", "--if-exists")
	}
	conn, env, err := libpqConn(dbURL)
	if err != nil {
		return res, err
	}
	if err := runTool(ctx, bin, env, append(args, "--dbname="+conn, path)...); err != nil {
		return res, fmt.Errorf("nothing was restored (pg_restore ran in one transaction): %w", err)
	}
	got, err := db.Digest(ctx)
	if err != nil {
		return res, err
	}
	if !reflect.DeepEqual(got.Tables, info.Tables) || !reflect.DeepEqual(got.Schema, info.Schema) {
		return res, fmt.Errorf("pg_restore finished but the database does not match the backup's manifest (inspect it before use):\n%s",
			diffTables(got.Tables, info.Tables))
	}
	res.BackupInfo = info
	return res, nil
}

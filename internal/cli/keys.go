package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pathavana/internal/config"
	"pathavana/internal/secure"
)

const keysUsage = `pathavana keys generate [--id ID]
  pathavana keys rotate [--batch N]`

// runKeys manages the PII master keys. generate prints a new key for
// PATHAVANA_PII_KEYS; rotate re-wraps every traveler's data key with the
// current (first) key so the old ones can be removed.
func runKeys(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "generate" && args[0] != "rotate") {
		return fmt.Errorf("%w: %s", errUsage, keysUsage)
	}
	fs := newFlags("keys "+args[0], e)
	id := fs.String("id", "", "key id (generate; default pii-YYYYMMDD)")
	batch := fs.Int("batch", 500, "rows per transaction (rotate)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *batch < 1 {
		return fmt.Errorf("%w: %s", errUsage, keysUsage)
	}
	if args[0] == "generate" {
		if *id == "" {
			*id = "pii-" + time.Now().UTC().Format("20060102")
		}
		if _, err := secure.ParseMasterKeys(*id + ":" + secure.NewKeyMaterial()); err != nil {
			return fmt.Errorf("%w: --id may hold letters, digits, . _ - (at most 40)", errUsage)
		}
		// The key goes to stdout only: the operator puts it in the secret store.
		_, err := fmt.Fprintf(e.stdout, "%s:%s\n", *id, secure.NewKeyMaterial())
		return err
	}
	a, err := buildOperatorApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	r, err := a.svc.RotateTravelerKeys(operatorContext(ctx), *batch)
	if err != nil {
		return err
	}
	left := make([]string, 0, len(r.Remaining))
	for id, n := range r.Remaining {
		if id != r.KeyID {
			left = append(left, fmt.Sprintf("%s=%d", id, n))
		}
	}
	_, err = fmt.Fprintf(e.stdout, "rotated to %s: %d rewrapped, %d already current, %d changed concurrently (re-run to finish)%s\n",
		r.KeyID, r.Rewrapped, r.Current, r.Raced, remainingNote(left))
	return err
}

func remainingNote(left []string) string {
	if len(left) == 0 {
		return "; no record uses another key: older keys can be removed"
	}
	return "; still under older keys: " + strings.Join(left, ", ")
}

// piiKeys builds the PII keyring from the configuration. Without configured
// keys (the embedded single-process mode) it generates a master key and an
// index key into the data directory once and reuses them; losing those
// files loses every traveler's personal data, and replicas cannot share
// them, hence the warning.
func piiKeys(cfg config.Config, log *slog.Logger) (*secure.PII, error) {
	spec, indexB64 := strings.Join(cfg.PIIKeys, ","), cfg.PIIIndexKey
	if cfg.PIIKeysFile != "" {
		b, err := os.ReadFile(cfg.PIIKeysFile)
		if err != nil {
			return nil, fmt.Errorf("read PATHAVANA_PII_KEYS_FILE: %w", err)
		}
		spec = string(b)
	}
	if !cfg.PIIKeysConfigured() {
		var err error
		if spec, indexB64, err = localPIIKeys(cfg.DataDir, log); err != nil {
			return nil, err
		}
	}
	keys, err := secure.ParseMasterKeys(spec)
	if err != nil {
		return nil, fmt.Errorf("PII keys: %w", err)
	}
	kr, err := secure.NewKeyring(keys)
	if err != nil {
		return nil, fmt.Errorf("PII keys: %w", err)
	}
	index, err := secure.DecodeKey(indexB64)
	if err != nil {
		return nil, fmt.Errorf("PATHAVANA_PII_INDEX_KEY: %w", err)
	}
	return secure.NewPII(kr, index)
}

// localPIIKeys reads, or creates with mode 0600, DataDir/pii-keys (the
// PATHAVANA_PII_KEYS_FILE format) and DataDir/pii-index-key.
func localPIIKeys(dir string, log *slog.Logger) (string, string, error) {
	keysPath, indexPath := filepath.Join(dir, "pii-keys"), filepath.Join(dir, "pii-index-key")
	keys, kerr := os.ReadFile(keysPath)
	index, ierr := os.ReadFile(indexPath)
	switch {
	case kerr == nil && ierr == nil:
	case errors.Is(kerr, os.ErrNotExist) && errors.Is(ierr, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", "", fmt.Errorf("create data directory: %w", err)
		}
		keys = []byte("# PII master keys generated for this machine (PATHAVANA_PII_KEYS_FILE format)\nlocal-1:" +
			secure.NewKeyMaterial() + "\n")
		index = []byte(secure.NewKeyMaterial() + "\n")
		// O_EXCL: two processes starting together must not each write a key.
		for _, f := range []struct {
			path string
			b    []byte
		}{{keysPath, keys}, {indexPath, index}} {
			fh, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return "", "", fmt.Errorf("store generated PII key: %w", err)
			}
			_, err = fh.Write(f.b)
			if cerr := fh.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return "", "", fmt.Errorf("store generated PII key: %w", err)
			}
		}
		log.Warn("generated PII encryption keys in the data directory: back them up with the database, and set "+
			"PATHAVANA_PII_KEYS and PATHAVANA_PII_INDEX_KEY in production", "path", keysPath)
	case kerr != nil && !errors.Is(kerr, os.ErrNotExist):
		return "", "", fmt.Errorf("read PII keys: %w", kerr)
	case ierr != nil && !errors.Is(ierr, os.ErrNotExist):
		return "", "", fmt.Errorf("read PII index key: %w", ierr)
	default:
		return "", "", fmt.Errorf("only one of %s and %s exists: restore the missing one from backup", keysPath, indexPath)
	}
	return string(keys), strings.TrimSpace(string(index)), nil
}

package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"pathavana/internal/cli"
)

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageAndUnknownCommands(t *testing.T) {
	if code, out, _ := run(t, nil); code != 0 || !strings.Contains(out, "serve") {
		t.Fatalf("usage: %d %s", code, out)
	}
	if code, _, errOut := run(t, nil, "fly"); code != 2 || !strings.Contains(errOut, `unknown command "fly"`) {
		t.Fatalf("unknown command: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, nil, "migrate", "sideways"); code != 2 || !strings.Contains(errOut, "migrate up|status") {
		t.Fatalf("bad migrate usage: %d %s", code, errOut)
	}
	if code, out, _ := run(t, nil, "version"); code != 0 || strings.TrimSpace(out) == "" {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestConfigPrintsRedacted(t *testing.T) {
	env := map[string]string{
		"PATHAVANA_DATABASE_URL":  "postgres://app:pg-secret-pw@db:5432/pathavana",
		"PATHAVANA_JWT_SECRETS":   "k1:jwt-secret-value-jwt-secret-value-123",
		"PATHAVANA_SMTP_PASSWORD": "smtp-secret",
	}
	code, out, errOut := run(t, env, "config")
	if code != 0 {
		t.Fatalf("config: %d %s", code, errOut)
	}
	for _, s := range []string{"pg-secret-pw", "jwt-secret-value", "smtp-secret"} {
		if strings.Contains(out, s) {
			t.Fatalf("config printed secret %q:\n%s", s, out)
		}
	}
	if !strings.Contains(out, `"RateLimit": 100`) {
		t.Fatalf("config output lacks effective values:\n%s", out)
	}
	if code, _, errOut := run(t, map[string]string{"PATHAVANA_RATE_LIMIT": "many"}, "config"); code != 1 || !strings.Contains(errOut, "PATHAVANA_RATE_LIMIT") {
		t.Fatalf("bad config must fail clearly: %d %s", code, errOut)
	}
}

func TestUserSetRole(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PATHAVANA_DATA_DIR": dir}
	if code, _, errOut := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, _, errOut := run(t, env, "user", "set-role", "nobody@example.com", "admin"); code != 1 || !strings.Contains(errOut, "no account") {
		t.Fatalf("unknown user: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, env, "user", "set-role", "x@example.com", "emperor"); code != 2 {
		t.Fatalf("bad role must be a usage error: %d %s", code, errOut)
	}
}

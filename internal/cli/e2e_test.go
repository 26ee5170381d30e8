package cli_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"pathavana/internal/testkit"
)

// TestBinaryJourney boots the real binary on the embedded default and walks
// the README's curl journey: register → verify (link from the log mailer) →
// log in → refresh → read profile; then SIGTERM stops it cleanly.
func TestBinaryJourney(t *testing.T) {
	p := startServe(t, baseEnv(t))
	s := signUp(t, p, "e2e@example.com", "an end to end passphrase")

	var next session
	if code := call(t, "POST", p.URL+"/api/v1/auth/refresh", "", map[string]string{"refresh_token": s.RefreshToken}, &next); code != http.StatusOK {
		t.Fatalf("refresh: %d", code)
	}
	var me struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}
	if code := call(t, "GET", p.URL+"/api/v1/me", next.AccessToken, nil, &me); code != http.StatusOK || me.Email != "e2e@example.com" || !me.EmailVerified {
		t.Fatalf("me: %d %+v", code, me)
	}
	if code := call(t, "GET", p.URL+"/readyz", "", nil, nil); code != http.StatusOK {
		t.Fatalf("readyz: %d", code)
	}
	if err := p.stop(t); err != nil {
		t.Fatalf("serve exited with %v after SIGTERM", err)
	}
	log := p.stderr.String()
	if !strings.Contains(log, `"msg":"stopped"`) {
		t.Fatalf("no clean stop in the log:\n%s", log)
	}
	for _, secret := range []string{"an end to end passphrase", s.RefreshToken, s.AccessToken} {
		if strings.Contains(log, secret) {
			t.Fatalf("the log contains a secret: %.12s…", secret)
		}
	}
}

// TestShutdownDrainsInFlightRequests: a request that is still arriving when
// SIGTERM comes is served before the process exits.
func TestShutdownDrainsInFlightRequests(t *testing.T) {
	p := startServe(t, baseEnv(t))
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"email":"slow@example.com","password":"a slow client passphrase"}`
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10])
	time.Sleep(200 * time.Millisecond) // the server is now reading the body
	done := make(chan error, 1)
	go func() { done <- p.stop(t) }()
	time.Sleep(300 * time.Millisecond) // shutdown has begun and is waiting for us
	if _, err := conn.Write([]byte(body[10:])); err != nil {
		t.Fatal(err)
	}
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, "401") {
		t.Fatalf("in-flight request was not answered: %q %v", status, err)
	}
	if err := <-done; err != nil {
		t.Fatalf("exit after drain: %v", err)
	}
}

// TestReplicasShareRedis runs two serve processes on one Redis (and one
// PostgreSQL when available): the per-IP limit is one budget across both,
// and a logout on one replica ends the session on the other.
func TestReplicasShareRedis(t *testing.T) {
	redisURL := os.Getenv("PATHAVANA_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("PATHAVANA_TEST_REDIS_URL not set: skipping the two-replica Redis test")
	}
	prefix := fmt.Sprintf("e2e%d:", time.Now().UnixNano())
	env := []string{"PATHAVANA_REDIS_URL=" + redisURL, "PATHAVANA_REDIS_PREFIX=" + prefix,
		"PATHAVANA_RATE_LIMIT=12", "PATHAVANA_JWT_SECRETS=k1:0123456789abcdef0123456789abcdef-shared"}
	sharedDB := os.Getenv(testkit.PostgresURLEnv) != ""
	if sharedDB {
		_, url := testkit.NewTestStorePGUnmigrated(t)
		env = append(env, "PATHAVANA_DATABASE_URL="+url, "PATHAVANA_MIGRATE=true")
	}
	a := startServe(t, baseEnv(t, env...))
	b := startServe(t, baseEnv(t, env...))

	allowed := 0
	for i := 0; i < 16; i++ {
		target := a
		if i%2 == 1 {
			target = b
		}
		if call(t, "GET", target.URL+"/api/v1/auth/providers", "", nil, nil) == http.StatusOK {
			allowed++
		}
	}
	if allowed != 12 {
		t.Fatalf("two replicas allowed %d of 16 requests, want one shared budget of 12", allowed)
	}
	if !sharedDB {
		return
	}
	// A fresh budget for the session part.
	env[2] = "PATHAVANA_RATE_LIMIT=1000"
	env[1] = "PATHAVANA_REDIS_PREFIX=" + prefix + "2:"
	a2 := startServe(t, baseEnv(t, env...))
	b2 := startServe(t, baseEnv(t, env...))
	s := signUp(t, a2, "replica@example.com", "shared cache single session", a, b, a2, b2)
	if code := call(t, "GET", b2.URL+"/api/v1/me", s.AccessToken, nil, nil); code != http.StatusOK {
		t.Fatalf("token from replica A rejected by replica B: %d", code)
	}
	if code := call(t, "POST", a2.URL+"/api/v1/auth/logout", s.AccessToken, nil, nil); code != http.StatusNoContent {
		t.Fatalf("logout on A: %d", code)
	}
	if code := call(t, "GET", b2.URL+"/api/v1/me", s.AccessToken, nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("replica B still accepts a token revoked on A: %d", code)
	}
}

// TestPostgresSchemaGate: serve refuses an unmigrated PostgreSQL database
// with a message that says what to do; migrate up fixes it.
func TestPostgresSchemaGate(t *testing.T) {
	if os.Getenv(testkit.PostgresURLEnv) == "" {
		t.Skip(testkit.PostgresURLEnv + " not set")
	}
	_, url := testkit.NewTestStorePGUnmigrated(t)
	env := baseEnv(t, "PATHAVANA_DATABASE_URL="+url, "PATHAVANA_JWT_SECRETS=0123456789abcdef0123456789abcdef")
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "pathavana migrate up") {
		t.Fatalf("serve on an unmigrated database: err=%v\n%s", err, out)
	}
	run := func(args ...string) string {
		c := exec.Command(binary, args...)
		c.Env = env
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if out := run("migrate", "status"); !strings.Contains(out, "pending") {
		t.Fatalf("status before migrating should list pending migrations:\n%s", out)
	}
	run("migrate", "up")
	if out := run("migrate", "status"); strings.Contains(out, "pending") {
		t.Fatalf("status after migrating still pending:\n%s", out)
	}
	p := startServe(t, env)
	if code := call(t, "GET", p.URL+"/readyz", "", nil, nil); code != http.StatusOK {
		t.Fatalf("readyz after migrate: %d", code)
	}
}

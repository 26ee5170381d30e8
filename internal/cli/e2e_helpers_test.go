package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the pathavana executable built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pathavana-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "pathavana")
	build := exec.Command("go", "build", "-o", binary, "pathavana/cmd/pathavana")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build pathavana:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running pathavana process.
type proc struct {
	cmd    *exec.Cmd
	URL    string
	stderr *lockedBuffer
	done   chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// baseEnv is a minimal environment: PATH for nothing in particular, and
// only what the test sets, so the developer's PATHAVANA_* never leak in.
func baseEnv(t *testing.T, extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"PATHAVANA_DATA_DIR=" + t.TempDir(), "PATHAVANA_LOG_LEVEL=info"}, extra...)
}

// startServe runs `pathavana serve` on a free loopback port and waits for
// its "listening" log line.
func startServe(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = env
	p := &proc{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	pr, pw := io.Pipe()
	cmd.Stderr = io.MultiWriter(p.stderr, pw)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait(); pw.Close() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("server log:\n%s", p.stderr.String())
		}
	})
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var line struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addrc <- line.Addr
				break
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case addr := <-addrc:
		p.URL = "http://" + addr
	case err := <-p.done:
		t.Fatalf("serve exited before listening: %v\n%s", err, p.stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not listen within 30s:\n%s", p.stderr.String())
	}
	return p
}

// stop sends SIGTERM and returns the exit error.
func (p *proc) stop(t *testing.T) error {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err // let Cleanup's receive finish
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of SIGTERM")
		return nil
	}
}

// runBinary runs a one-shot pathavana command and returns its output and
// exit code (a failure to start at all fails the test).
func runBinary(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	c := exec.Command(binary, args...)
	c.Env = env
	var out, errOut strings.Builder
	c.Stdout, c.Stderr = &out, &errOut
	err := c.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errOut.String(), 0
}

var tokenLink = regexp.MustCompile(`/verify-email\?token=([A-Za-z0-9_-]+)`)

// waitForToken polls the logs for the verification link the log mailer
// writes once a job worker has sent the email. With replicas sharing a
// queue, any of them may have sent it.
func waitForToken(t *testing.T, procs ...*proc) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, p := range procs {
			if m := tokenLink.FindStringSubmatch(p.stderr.String()); m != nil {
				return m[1]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no verification link in the logs")
	return ""
}

// call sends a JSON request and decodes a JSON response into out (if not nil).
func call(t *testing.T, method, url, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && len(raw) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decode %s %s: %v: %s", method, url, err, raw)
		}
	}
	return res.StatusCode
}

type session struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// signUp registers on p, verifies through the link logged by any of
// workers (p itself when none is given) and signs in.
func signUp(t *testing.T, p *proc, email, password string, workers ...*proc) session {
	t.Helper()
	creds := map[string]string{"email": email, "password": password}
	if code := call(t, "POST", p.URL+"/api/v1/auth/register", "", creds, nil); code != http.StatusAccepted {
		t.Fatalf("register: %d", code)
	}
	if len(workers) == 0 {
		workers = []*proc{p}
	}
	tok := waitForToken(t, workers...)
	if code := call(t, "POST", p.URL+"/api/v1/auth/verify-email", "", map[string]string{"token": tok}, nil); code != http.StatusNoContent {
		t.Fatalf("verify: %d", code)
	}
	var s session
	if code := call(t, "POST", p.URL+"/api/v1/auth/login", "", creds, &s); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	return s
}

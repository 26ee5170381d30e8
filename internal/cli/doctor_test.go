package cli_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA is a private certificate authority, as an operator with an
// internal CA would pass to doctor --ca.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string // PEM of the CA certificate
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Pathavana Test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	check(t, err)
	cert, err := x509.ParseCertificate(der)
	check(t, err)
	file := filepath.Join(t.TempDir(), "ca.pem")
	check(t, os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	return &testCA{cert: cert, key: key, file: file}
}

// issue signs a server certificate for localhost and 127.0.0.1 valid from
// notBefore to notAfter.
func (ca *testCA) issue(t *testing.T, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: notBefore, NotAfter: notAfter, DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	check(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// fakeDeployment serves /healthz and the given /readyz over TLS.
func fakeDeployment(t *testing.T, cert tls.Certificate, readyStatus int, readyz string) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok","version":"v1.2.3"}`))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(readyStatus)
		_, _ = w.Write([]byte(readyz))
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes doctor refuses are expected here
	srv.StartTLS()
	t.Cleanup(srv.Close)
	// Through the name, so DNS resolution is exercised too.
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}

const readyOK = `{"ready":true,"checks":[
 {"name":"database","status":"ok","required":true,"latency_ms":1.2,"detail":{"engine":"postgres"}},
 {"name":"schema","status":"ok","required":true,"latency_ms":0.8},
 {"name":"cache","status":"ok","required":true,"latency_ms":0.4,"detail":{"backend":"redis"}},
 {"name":"jobs","status":"ok","required":true,"latency_ms":2.1,"detail":{"pending":3,"running":1,"failed":0}}]}`

type doctorJSON struct {
	URL    string `json:"url"`
	OK     bool   `json:"ok"`
	Checks []struct {
		Name, Status, Detail string
	} `json:"checks"`
}

func doctorRun(t *testing.T, args ...string) (int, doctorJSON, string) {
	t.Helper()
	code, out, errOut := run(t, nil, append([]string{"doctor", "--json", "--timeout", "5s"}, args...)...)
	var rep doctorJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("doctor --json printed %q (%v); stderr %s", out, err, errOut)
	}
	return code, rep, errOut
}

func (r doctorJSON) status(name string) (string, string) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Status, c.Detail
		}
	}
	return "missing", ""
}

func TestDoctorHealthyDeployment(t *testing.T) {
	ca := newTestCA(t)
	url := fakeDeployment(t, ca.issue(t, time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour)), 200, readyOK)

	code, rep, errOut := doctorRun(t, "--ca", ca.file, url)
	if code != 0 || !rep.OK {
		t.Fatalf("healthy deployment: exit %d, %+v, %s", code, rep, errOut)
	}
	want := map[string]string{
		"DNS resolution": "localhost → ", "TLS certificate": "issued by Pathavana Test CA", "API response": "version v1.2.3",
		"Database connectivity": "engine=postgres", "Database schema": "", "Cache response time": "backend=redis",
		"Job queue status": "pending=3",
	}
	for name, detail := range want {
		st, d := rep.status(name)
		if st != "ok" || !strings.Contains(d, detail) {
			t.Errorf("%s: %s %q, want ok containing %q", name, st, d, detail)
		}
	}
	if _, d := rep.status("TLS certificate"); !strings.Contains(d, "(89 days)") && !strings.Contains(d, "(90 days)") {
		t.Errorf("days to expiry missing: %q", d)
	}

	// The table for people.
	code, out, _ := run(t, nil, "doctor", url, "--ca", ca.file)
	if code != 0 || !strings.Contains(out, "✓ TLS certificate") || !strings.Contains(out, "7 checks: 7 ok, 0 warnings, 0 failed") {
		t.Fatalf("table output (%d):\n%s", code, out)
	}
}

func TestDoctorCertificateProblems(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()

	soon := fakeDeployment(t, ca.issue(t, now.Add(-time.Hour), now.Add(10*24*time.Hour)), 200, readyOK)
	code, rep, _ := doctorRun(t, "--ca", ca.file, soon)
	if st, d := rep.status("TLS certificate"); code != 0 || st != "warn" || !strings.Contains(d, "renew") {
		t.Fatalf("certificate expiring in 10 days: exit %d, %s %q", code, st, d)
	}

	expired := fakeDeployment(t, ca.issue(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour)), 200, readyOK)
	code, rep, errOut := doctorRun(t, "--ca", ca.file, expired)
	if st, d := rep.status("TLS certificate"); code != 1 || st != "fail" || !strings.Contains(d, "EXPIRED") {
		t.Fatalf("expired certificate: exit %d, %s %q", code, st, d)
	}
	if !strings.Contains(errOut, "checks failed") {
		t.Errorf("stderr: %s", errOut)
	}

	// Without --ca the private CA is unknown: invalid, and said why.
	healthy := fakeDeployment(t, ca.issue(t, now.Add(-time.Hour), now.Add(90*24*time.Hour)), 200, readyOK)
	code, rep, _ = doctorRun(t, healthy)
	if st, d := rep.status("TLS certificate"); code != 1 || st != "fail" || !strings.Contains(d, "unknown authority") {
		t.Fatalf("untrusted CA: exit %d, %s %q", code, st, d)
	}
}

func TestDoctorFailingReadiness(t *testing.T) {
	ca := newTestCA(t)
	cert := ca.issue(t, time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour))
	failing := fakeDeployment(t, cert, http.StatusServiceUnavailable, `{"ready":false,"checks":[
 {"name":"database","status":"fail","required":true,"latency_ms":2000,"detail":{"engine":"postgres"},"error":"check failed; see the server log"},
 {"name":"schema","status":"fail","required":true,"latency_ms":0.1,"error":"database schema is out of date (1 pending migrations)"},
 {"name":"cache","status":"ok","required":true,"latency_ms":250,"detail":{"backend":"redis"}},
 {"name":"jobs","status":"ok","required":true,"latency_ms":1,"detail":{"pending":0}},
 {"name":"oidc_google","status":"fail","required":false,"latency_ms":3,"error":"issuer unreachable"}]}`)
	code, rep, errOut := doctorRun(t, "--ca", ca.file, failing)
	if code != 1 || rep.OK || !strings.Contains(errOut, "2 of 8 checks failed") {
		t.Fatalf("failing readiness: exit %d ok=%v %s", code, rep.OK, errOut)
	}
	for name, want := range map[string]string{"Database connectivity": "fail", "Database schema": "fail",
		"Cache response time": "warn", "Job queue status": "ok", "oidc_google": "warn", "API response": "ok"} {
		if st, d := rep.status(name); st != want {
			t.Errorf("%s: %s (%s), want %s", name, st, d, want)
		}
	}
	if _, d := rep.status("Database schema"); !strings.Contains(d, "pending migrations") {
		t.Errorf("schema detail: %q", d)
	}

	// A server that does not speak the readiness JSON at all.
	broken := fakeDeployment(t, cert, http.StatusNotFound, `not found`)
	code, rep, _ = doctorRun(t, "--ca", ca.file, broken)
	for _, name := range []string{"Database connectivity", "Cache response time", "Job queue status"} {
		if st, d := rep.status(name); code != 1 || st != "fail" || !strings.Contains(d, "404") {
			t.Fatalf("no readyz: exit %d, %s: %s %q", code, name, st, d)
		}
	}
}

func TestDoctorUnreachableAndUsage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	code, rep, _ := doctorRun(t, "http://"+addr)
	if code != 1 || rep.OK {
		t.Fatalf("unreachable: %d %+v", code, rep)
	}
	if st, _ := rep.status("TLS certificate"); st != "warn" {
		t.Errorf("plain http must warn about TLS: %s", st)
	}
	if st, d := rep.status("API response"); st != "fail" || !strings.Contains(d, "refused") {
		t.Errorf("API: %s %q", st, d)
	}
	for _, args := range [][]string{{"doctor"}, {"doctor", "ftp://x"}, {"doctor", "https://a", "https://b"}} {
		if code, _, _ := run(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestDoctorAgainstServe runs doctor against the real server over TLS.
func TestDoctorAgainstServe(t *testing.T) {
	certFile, keyFile, _ := selfSignedCert(t)
	p := startServe(t, baseEnv(t, "PATHAVANA_TLS_CERT_FILE="+certFile, "PATHAVANA_TLS_KEY_FILE="+keyFile))
	url := strings.Replace(p.URL, "http://", "https://", 1)
	code, rep, errOut := doctorRun(t, "--ca", certFile, url)
	if code != 0 {
		t.Fatalf("doctor against serve: %d %+v %s", code, rep, errOut)
	}
	for _, name := range []string{"DNS resolution", "API response", "Database connectivity", "Database schema", "Cache response time", "Job queue status"} {
		if st, d := rep.status(name); st != "ok" {
			t.Errorf("%s: %s %q", name, st, d)
		}
	}
	// The test certificate lives an hour: doctor says renew.
	if st, _ := rep.status("TLS certificate"); st != "warn" {
		t.Errorf("TLS certificate of one hour: %s", st)
	}
}

package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Doctor results, in increasing gravity. Only "fail" makes the command
// exit non-zero; "warn" is for what will fail soon or is merely optional.
const (
	statusOK   = "ok"
	statusWarn = "warn"
	statusFail = "fail"
)

// doctorCheck is one row of the health-check matrix.
type doctorCheck struct {
	Name      string  `json:"name"`
	Status    string  `json:"status"`
	Detail    string  `json:"detail"`
	LatencyMS float64 `json:"latency_ms,omitempty"`
}

// doctorReport is what `pathavana doctor --json` prints.
type doctorReport struct {
	URL       string        `json:"url"`
	OK        bool          `json:"ok"`
	CheckedAt time.Time     `json:"checked_at"`
	Checks    []doctorCheck `json:"checks"`
}

// readiness mirrors the JSON of /readyz.
type readiness struct {
	Ready  bool `json:"ready"`
	Checks []struct {
		Name      string         `json:"name"`
		Status    string         `json:"status"`
		Required  bool           `json:"required"`
		LatencyMS float64        `json:"latency_ms"`
		Detail    map[string]any `json:"detail"`
		Error     string         `json:"error"`
	} `json:"checks"`
}

// doctor holds the thresholds and the HTTP client of one run.
type doctor struct {
	base      *url.URL
	roots     *x509.CertPool
	timeout   time.Duration
	warnDays  int
	slowAPI   time.Duration
	slowCache time.Duration
	now       func() time.Time
	client    *http.Client
}

// readyzLabels names the rows of the documents' validation matrix that the
// server's readiness checks answer.
var readyzLabels = map[string]string{
	"database": "Database connectivity",
	"schema":   "Database schema",
	"cache":    "Cache response time",
	"jobs":     "Job queue status",
}

// runDoctor runs the health-check matrix of the operations documents
// against a deployment: DNS resolution, TLS certificate validity and
// expiry, API response, database connectivity, cache response time and
// job queue status (the last three as the server reports them on /readyz).
func runDoctor(ctx context.Context, e env, args []string) error {
	fs := newFlags("doctor", e)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	caFile := fs.String("ca", "", "PEM file of extra CA certificates to trust (private or test CAs)")
	timeout := fs.Duration("timeout", 10*time.Second, "timeout of each check")
	warnDays := fs.Int("warn-days", 21, "warn when the certificate expires within this many days")
	slowAPI := fs.Duration("slow", time.Second, "warn when /healthz takes longer than this")
	slowCache := fs.Duration("cache-slow", 100*time.Millisecond, "warn when the cache check takes longer than this")
	// Flags may come before or after the URL.
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return fmt.Errorf("%w: pathavana doctor [--json] [--ca FILE] URL", errUsage)
	}
	target := rest[0]
	if err := fs.Parse(rest[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: pathavana doctor [--json] [--ca FILE] URL (one URL)", errUsage)
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: %q is not an http(s) URL such as https://pathavana.example.com", errUsage, target)
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return fmt.Errorf("--ca: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return fmt.Errorf("--ca: no PEM certificate in %s", *caFile)
		}
	}
	d := &doctor{base: u, roots: roots, timeout: *timeout, warnDays: *warnDays, slowAPI: *slowAPI,
		slowCache: *slowCache, now: time.Now}
	d.client = &http.Client{Timeout: *timeout, Transport: &http.Transport{
		Proxy:           http.ProxyFromEnvironment,
		TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
	}}
	rep := d.run(ctx)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := printDoctor(e.stdout, rep); err != nil {
		return err
	}
	if !rep.OK {
		failed := 0
		for _, c := range rep.Checks {
			if c.Status == statusFail {
				failed++
			}
		}
		return fmt.Errorf("%d of %d checks failed", failed, len(rep.Checks))
	}
	return nil
}

func (d *doctor) run(ctx context.Context) doctorReport {
	rep := doctorReport{URL: d.base.String(), CheckedAt: d.now().UTC()}
	rep.Checks = append(rep.Checks, d.checkDNS(ctx), d.checkTLS(ctx), d.checkAPI(ctx))
	rep.Checks = append(rep.Checks, d.checkReadiness(ctx)...)
	rep.OK = true
	for _, c := range rep.Checks {
		if c.Status == statusFail {
			rep.OK = false
		}
	}
	return rep
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (d *doctor) checkDNS(ctx context.Context) doctorCheck {
	c := doctorCheck{Name: "DNS resolution"}
	host := d.base.Hostname()
	if net.ParseIP(host) != nil {
		c.Status, c.Detail = statusOK, host+" is an IP address (nothing to resolve)"
		return c
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	start := time.Now()
	addrs, err := net.DefaultResolver.LookupHost(ctx, host)
	c.LatencyMS = ms(time.Since(start))
	if err != nil {
		c.Status, c.Detail = statusFail, err.Error()
		return c
	}
	c.Status, c.Detail = statusOK, host+" → "+strings.Join(addrs, ", ")
	return c
}

func (d *doctor) checkTLS(ctx context.Context) doctorCheck {
	c := doctorCheck{Name: "TLS certificate"}
	if d.base.Scheme != "https" {
		c.Status, c.Detail = statusWarn, "plain HTTP: no TLS to check (production must be served over https)"
		return c
	}
	host, port := d.base.Hostname(), d.base.Port()
	if port == "" {
		port = "443"
	}
	addr := net.JoinHostPort(host, port)
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: d.timeout},
		Config: &tls.Config{RootCAs: d.roots, ServerName: host, MinVersion: tls.VersionTLS12}}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	start := time.Now()
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	c.LatencyMS = ms(time.Since(start))
	if err != nil {
		c.Status, c.Detail = statusFail, "invalid: "+err.Error()
		if leaf := d.peekCertificate(ctx, addr, host); leaf != nil {
			c.Detail += "; " + describeCert(leaf, d.now())
		}
		return c
	}
	defer conn.Close()
	state := conn.(*tls.Conn).ConnectionState()
	leaf := state.PeerCertificates[0]
	c.Detail = describeCert(leaf, d.now()) + ", " + tls.VersionName(state.Version)
	days := daysLeft(leaf, d.now())
	switch {
	case days < 0:
		c.Status = statusFail // verification already refuses this; belt and braces
	case days < d.warnDays:
		c.Status = statusWarn
		c.Detail = fmt.Sprintf("renew now, expires within %d days: %s", d.warnDays, c.Detail)
	default:
		c.Status = statusOK
	}
	return c
}

// peekCertificate fetches the server's certificate without verifying it,
// to say what is wrong with it after verification failed.
func (d *doctor) peekCertificate(ctx context.Context, addr, host string) *x509.Certificate {
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: d.timeout},
		Config: &tls.Config{ServerName: host, InsecureSkipVerify: true}} //nolint:gosec // diagnostics only; nothing is sent
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil
	}
	defer conn.Close()
	if certs := conn.(*tls.Conn).ConnectionState().PeerCertificates; len(certs) > 0 {
		return certs[0]
	}
	return nil
}

func daysLeft(c *x509.Certificate, now time.Time) int {
	left := c.NotAfter.Sub(now)
	if left < 0 {
		return -1 - int(-left.Hours()/24)
	}
	return int(left.Hours() / 24)
}

func describeCert(c *x509.Certificate, now time.Time) string {
	subject := c.Subject.CommonName
	if subject == "" && len(c.DNSNames) > 0 {
		subject = c.DNSNames[0]
	}
	expiry := fmt.Sprintf("expires %s (%d days)", c.NotAfter.UTC().Format(time.DateOnly), daysLeft(c, now))
	if now.After(c.NotAfter) {
		expiry = fmt.Sprintf("EXPIRED on %s", c.NotAfter.UTC().Format(time.DateOnly))
	}
	return fmt.Sprintf("%s, issued by %s, %s", subject, c.Issuer.CommonName, expiry)
}

func (d *doctor) endpoint(path string) string {
	return strings.TrimSuffix(d.base.Scheme+"://"+d.base.Host+d.base.Path, "/") + path
}

func (d *doctor) get(ctx context.Context, path string) (*http.Response, []byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.endpoint(path), nil)
	if err != nil {
		return nil, nil, 0, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "pathavana-doctor/"+Version())
	start := time.Now()
	res, err := d.client.Do(req)
	if err != nil {
		return nil, nil, time.Since(start), err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res, body, time.Since(start), err
}

func (d *doctor) checkAPI(ctx context.Context) doctorCheck {
	c := doctorCheck{Name: "API response"}
	res, body, took, err := d.get(ctx, "/healthz")
	c.LatencyMS = ms(took)
	if err != nil {
		c.Status, c.Detail = statusFail, "GET /healthz: "+err.Error()
		return c
	}
	if res.StatusCode != http.StatusOK {
		c.Status, c.Detail = statusFail, fmt.Sprintf("GET /healthz answered %s", res.Status)
		return c
	}
	var h struct {
		Version string `json:"version"`
	}
	_ = json.Unmarshal(body, &h)
	c.Status, c.Detail = statusOK, fmt.Sprintf("GET /healthz 200 in %s", took.Round(time.Millisecond))
	if h.Version != "" {
		c.Detail += ", version " + h.Version
	}
	if took > d.slowAPI {
		c.Status, c.Detail = statusWarn, c.Detail+fmt.Sprintf(" (slower than %s)", d.slowAPI)
	}
	return c
}

// checkReadiness turns /readyz into rows: one per dependency the server
// checks, and a failed row for each matrix row it does not report.
func (d *doctor) checkReadiness(ctx context.Context) []doctorCheck {
	res, body, took, err := d.get(ctx, "/readyz")
	var r readiness
	if err == nil && res.StatusCode != http.StatusOK && res.StatusCode != http.StatusServiceUnavailable {
		err = fmt.Errorf("answered %s", res.Status)
	}
	if err == nil {
		if jerr := json.Unmarshal(body, &r); jerr != nil || r.Checks == nil {
			err = errors.New("answered something other than the readiness JSON")
		}
	}
	var out []doctorCheck
	if err != nil {
		for _, name := range []string{"database", "cache", "jobs"} {
			out = append(out, doctorCheck{Name: readyzLabels[name], Status: statusFail,
				Detail: "unknown: GET /readyz: " + err.Error(), LatencyMS: ms(took)})
		}
		return out
	}
	seen := map[string]bool{}
	for _, rc := range r.Checks {
		seen[rc.Name] = true
		label := readyzLabels[rc.Name]
		if label == "" {
			label = rc.Name
		}
		c := doctorCheck{Name: label, LatencyMS: rc.LatencyMS, Detail: describeDetail(rc.Detail)}
		switch {
		case rc.Status == statusOK && rc.Name == "cache" && rc.LatencyMS > ms(d.slowCache):
			c.Status = statusWarn
			c.Detail = strings.TrimSpace(fmt.Sprintf("%s slower than %s", c.Detail, d.slowCache))
		case rc.Status == statusOK:
			c.Status = statusOK
		case rc.Required:
			c.Status = statusFail
		default:
			c.Status = statusWarn // optional dependency: degraded, not down
		}
		if rc.Error != "" {
			c.Detail = strings.TrimSpace(rc.Error + "; " + c.Detail)
			c.Detail = strings.TrimSuffix(c.Detail, ";")
		}
		c.Detail = strings.TrimSpace(fmt.Sprintf("%s (%.1f ms)", c.Detail, rc.LatencyMS))
		out = append(out, c)
	}
	for _, name := range []string{"database", "cache", "jobs"} {
		if !seen[name] {
			out = append(out, doctorCheck{Name: readyzLabels[name], Status: statusFail, Detail: "not reported by /readyz"})
		}
	}
	return out
}

func describeDetail(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, m[k])
	}
	return strings.Join(parts, " ")
}

var statusMarks = map[string]string{statusOK: "✓", statusWarn: "!", statusFail: "✗"}

func printDoctor(w io.Writer, rep doctorReport) error {
	fmt.Fprintf(w, "pathavana doctor %s at %s\n\n", rep.URL, rep.CheckedAt.Format(time.RFC3339))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	counts := map[string]int{}
	for _, c := range rep.Checks {
		counts[c.Status]++
		fmt.Fprintf(tw, "%s %s\t%s\t%s\n", statusMarks[c.Status], c.Name, c.Status, c.Detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d checks: %d ok, %d warnings, %d failed\n",
		len(rep.Checks), counts[statusOK], counts[statusWarn], counts[statusFail])
	return err
}

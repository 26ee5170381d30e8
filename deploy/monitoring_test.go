package deploy_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func loadRuleFile(t *testing.T) ruleFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoDeploy(), "monitoring/rules/pathavana.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var rf ruleFile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil {
		t.Fatalf("rules file: %v", err)
	}
	return rf
}

// repoDeploy is the deploy/ directory (tests run in it).
func repoDeploy() string { return "." }

// ruleSummary is a comparable digest of a rule file.
func ruleSummary(rf ruleFile) []string {
	var out []string
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			ann, _ := json.Marshal(r.Annotations)
			lab, _ := json.Marshal(r.Labels)
			out = append(out, strings.Join([]string{g.Name, g.Interval, r.Record, r.Alert, normalizeExpr(r.Expr), r.For, string(lab), string(ann)}, "|"))
		}
	}
	return out
}

// appMetrics lists the metric names the application registers, read from
// internal/telemetry's source so that dashboards and alerts cannot drift
// from the code.
func appMetrics(t *testing.T) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob("../internal/telemetry/*.go")
	names := map[string]bool{}
	quoted := regexp.MustCompile(`"(pathavana_[a-z_]+)"`)
	dbDesc := regexp.MustCompile(`desc\("([a-z_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range quoted.FindAllStringSubmatch(string(b), -1) {
			names[m[1]] = true
		}
		for _, m := range dbDesc.FindAllStringSubmatch(string(b), -1) {
			names["pathavana_db_"+m[1]] = true
		}
	}
	for _, want := range []string{"pathavana_http_requests_total", "pathavana_http_request_duration_seconds", "pathavana_jobs", "pathavana_db_open_connections", "pathavana_build_info"} {
		if !names[want] {
			t.Fatalf("metric %s not found in internal/telemetry (found %v)", want, names)
		}
	}
	return names
}

var metricRef = regexp.MustCompile(`\bpathavana_[a-z_]+\b`)

func checkMetricRefs(t *testing.T, where, text string, known map[string]bool) {
	t.Helper()
	for _, m := range metricRef.FindAllString(text, -1) {
		base := m
		for _, suffix := range []string{"_bucket", "_count", "_sum"} {
			if strings.HasSuffix(m, suffix) && known[strings.TrimSuffix(m, suffix)] {
				base = strings.TrimSuffix(m, suffix)
			}
		}
		if !known[base] {
			t.Errorf("%s: metric %s is not exported by the application", where, m)
		}
	}
}

func TestAlertRules(t *testing.T) {
	rf := loadRuleFile(t)
	known := appMetrics(t)
	severities := map[string]bool{}
	alerts := map[string]bool{}
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			checkMetricRefs(t, "rule "+r.Alert+r.Record, r.Expr, known)
			if r.Record != "" {
				continue
			}
			alerts[r.Alert] = true
			sev := r.Labels["severity"]
			if !slices.Contains([]string{"P1", "P2", "P3", "P4"}, sev) {
				t.Errorf("alert %s: severity %q, want P1–P4", r.Alert, sev)
			}
			severities[sev] = true
			for _, a := range []string{"summary", "description", "runbook_url"} {
				if r.Annotations[a] == "" {
					t.Errorf("alert %s has no %s annotation", r.Alert, a)
				}
			}
			checkRunbook(t, r.Alert, r.Annotations["runbook_url"])
		}
	}
	for _, s := range []string{"P1", "P2", "P3", "P4"} {
		if !severities[s] {
			t.Errorf("no alert of severity %s", s)
		}
	}
	// The list: service down, error rate, latency SLO burn, DB and
	// cache unavailable, queue backlog, certificate expiry, backup missing.
	for _, a := range []string{"PathavanaDown", "PathavanaHighErrorRate", "PathavanaLatencySLOFastBurn",
		"PathavanaDatabaseUnavailable", "PathavanaCacheUnavailable", "PathavanaJobQueueBacklog",
		"PathavanaCertificateExpiresSoon", "PathavanaBackupMissing"} {
		if !alerts[a] {
			t.Errorf("missing alert %s", a)
		}
	}
	// At least three alerts have promtool unit tests.
	tb, err := os.ReadFile("monitoring/rules/pathavana.rules.test.yml")
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{}
	for _, m := range regexp.MustCompile(`alertname: (\w+)`).FindAllStringSubmatch(string(tb), -1) {
		tested[m[1]] = true
	}
	if len(tested) < 3 {
		t.Errorf("only %d alerts have unit tests", len(tested))
	}
}

// checkRunbook: a runbook link points at a file in docs/ and, with an
// anchor, at one of its headings.
func checkRunbook(t *testing.T, alert, url string) {
	t.Helper()
	_, rest, ok := strings.Cut(url, "/blob/main/")
	if !ok {
		t.Errorf("alert %s: runbook_url %q is not a link into this repository", alert, url)
		return
	}
	file, anchor, _ := strings.Cut(rest, "#")
	b, err := os.ReadFile(filepath.Join("..", file))
	if err != nil {
		t.Errorf("alert %s: runbook %s: %v", alert, file, err)
		return
	}
	if anchor == "" {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if h, ok := strings.CutPrefix(line, "#"); ok {
			slug := strings.ToLower(strings.TrimSpace(strings.TrimLeft(h, "#")))
			slug = regexp.MustCompile(`[^a-z0-9 -]`).ReplaceAllString(slug, "")
			if strings.ReplaceAll(slug, " ", "-") == anchor {
				return
			}
		}
	}
	t.Errorf("alert %s: %s has no heading for #%s", alert, file, anchor)
}

func TestPromtool(t *testing.T) {
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Skip("promtool not installed (scripts/install-tools.sh installs Debian's prometheus package)")
	}
	for _, args := range [][]string{
		{"check", "rules", "rules/pathavana.rules.yml"},
		{"test", "rules", "rules/pathavana.rules.test.yml"},
		// prometheus-kubernetes.yml uses kubernetes_sd_configs, which
		// Debian's build leaves out, so only the standalone config is checked.
		{"check", "config", "prometheus.yml"},
	} {
		cmd := exec.Command("promtool", args...)
		cmd.Dir = "monitoring"
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestAlertmanagerConfig(t *testing.T) {
	b, err := os.ReadFile("monitoring/alertmanager.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Route struct {
			Receiver string `yaml:"receiver"`
			Routes   []struct {
				Matchers []string `yaml:"matchers"`
				Receiver string   `yaml:"receiver"`
			} `yaml:"routes"`
		} `yaml:"route"`
		Receivers []struct {
			Name string `yaml:"name"`
		} `yaml:"receivers"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	receivers := map[string]bool{}
	for _, r := range cfg.Receivers {
		receivers[r.Name] = true
	}
	routed := map[string]bool{}
	for _, r := range cfg.Route.Routes {
		if !receivers[r.Receiver] {
			t.Errorf("route to undefined receiver %s", r.Receiver)
		}
		for _, m := range r.Matchers {
			for _, s := range []string{"P1", "P2", "P3", "P4"} {
				if m == `severity="`+s+`"` {
					routed[s] = true
				}
			}
		}
	}
	for _, s := range []string{"P1", "P2", "P3", "P4"} {
		if !routed[s] {
			t.Errorf("no Alertmanager route for severity %s", s)
		}
	}
	if strings.Contains(string(b), "hooks.slack.com") || strings.Contains(string(b), "routing_key:") {
		t.Error("alertmanager.yml must reference secrets by file, not inline")
	}
	if _, err := exec.LookPath("amtool"); err != nil {
		t.Log("amtool not installed: structural checks only")
		return
	}
	for _, f := range []string{"monitoring/alertmanager.yml", "monitoring/alertmanager-local.yml"} {
		if out, err := exec.Command("amtool", "check-config", f).CombinedOutput(); err != nil {
			t.Errorf("amtool check-config %s: %v\n%s", f, err, out)
		}
	}
}

func TestPrometheusScrapeJobs(t *testing.T) {
	for _, f := range []string{"monitoring/prometheus.yml", "monitoring/prometheus-kubernetes.yml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cfg struct {
			RuleFiles     []string `yaml:"rule_files"`
			ScrapeConfigs []struct {
				JobName string `yaml:"job_name"`
			} `yaml:"scrape_configs"`
		}
		if err := yaml.Unmarshal(b, &cfg); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !slices.Contains(cfg.RuleFiles, "rules/pathavana.rules.yml") {
			t.Errorf("%s does not load the Pathavana rules", f)
		}
		jobs := map[string]bool{}
		for _, s := range cfg.ScrapeConfigs {
			jobs[s.JobName] = true
		}
		want := []string{"pathavana", "pathavana-worker", "pathavana-readyz", "pathavana-readyz-database", "pathavana-readyz-cache", "pathavana-https"}
		if strings.HasSuffix(f, "kubernetes.yml") {
			want = []string{"pathavana-kubernetes", "pathavana-https"}
		}
		for _, j := range want {
			if !jobs[j] {
				t.Errorf("%s: no scrape job %s", f, j)
			}
		}
	}
}

func TestGrafanaDashboard(t *testing.T) {
	b, err := os.ReadFile("monitoring/grafana/dashboards/pathavana.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Title  string `json:"title"`
		Panels []struct {
			ID      int    `json:"id"`
			Type    string `json:"type"`
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	if dash.UID == "" || dash.Title == "" {
		t.Error("dashboard needs a uid and a title")
	}
	known := appMetrics(t)
	used := map[string]bool{}
	ids := map[int]bool{}
	for _, p := range dash.Panels {
		if ids[p.ID] {
			t.Errorf("duplicate panel id %d", p.ID)
		}
		ids[p.ID] = true
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			checkMetricRefs(t, "panel "+p.Title, tg.Expr, known)
			for _, m := range metricRef.FindAllString(tg.Expr, -1) {
				used[strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_count")] = true
			}
		}
	}
	for _, m := range []string{"pathavana_http_requests_total", "pathavana_http_request_duration_seconds",
		"pathavana_http_requests_in_flight", "pathavana_db_open_connections", "pathavana_cache_lookups_total",
		"pathavana_rate_limit_rejections_total", "pathavana_jobs_total", "pathavana_jobs",
		"pathavana_events_total", "pathavana_build_info"} {
		if !used[m] {
			t.Errorf("dashboard does not chart %s", m)
		}
	}
}

package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// composeFile is the subset of the Compose specification docker-compose.yml
// uses; unknown keys fail the test (yaml KnownFields), like typos would
// fail `docker compose config`.
type composeFile struct {
	XEnv      map[string]string         `yaml:"x-pathavana-env"`
	XApp      composeService            `yaml:"x-pathavana"`
	Services  map[string]composeService `yaml:"services"`
	Volumes   map[string]any            `yaml:"volumes"`
	Networks  map[string]any            `yaml:"networks"`
	Configs   map[string]any            `yaml:"configs"`
	Secrets   map[string]any            `yaml:"secrets"`
	Name      string                    `yaml:"name"`
	Version   string                    `yaml:"version"`
	Extension map[string]any            `yaml:",inline"`
}

type composeService struct {
	Build *struct {
		Context    string `yaml:"context"`
		Target     string `yaml:"target"`
		Dockerfile string `yaml:"dockerfile"`
	} `yaml:"build"`
	Image       string            `yaml:"image"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	User        string            `yaml:"user"`
	ReadOnly    bool              `yaml:"read_only"`
	Tmpfs       []string          `yaml:"tmpfs"`
	SecurityOpt []string          `yaml:"security_opt"`
	CapDrop     []string          `yaml:"cap_drop"`
	Restart     string            `yaml:"restart"`
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	DependsOn   yaml.Node         `yaml:"depends_on"`
	Healthcheck *struct {
		Test     []string `yaml:"test"`
		Interval string   `yaml:"interval"`
		Timeout  string   `yaml:"timeout"`
		Retries  int      `yaml:"retries"`
	} `yaml:"healthcheck"`
}

func (s composeService) dependencies(t *testing.T) map[string]string {
	t.Helper()
	deps := map[string]string{}
	switch s.DependsOn.Kind {
	case 0:
	case yaml.SequenceNode:
		var l []string
		if err := s.DependsOn.Decode(&l); err != nil {
			t.Fatal(err)
		}
		for _, d := range l {
			deps[d] = "service_started"
		}
	case yaml.MappingNode:
		var m map[string]struct {
			Condition string `yaml:"condition"`
		}
		if err := s.DependsOn.Decode(&m); err != nil {
			t.Fatal(err)
		}
		for d, c := range m {
			deps[d] = c.Condition
		}
	}
	return deps
}

func TestDockerCompose(t *testing.T) {
	b, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&cf); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for k := range cf.Extension {
		t.Errorf("unknown top-level key %q", k)
	}
	for _, want := range []string{"app", "worker", "migrate", "postgres", "redis", "prometheus", "grafana", "jaeger", "mailpit"} {
		if _, ok := cf.Services[want]; !ok {
			t.Errorf("service %s missing", want)
		}
	}
	documented := readmeVariables(t)
	conditions := []string{"service_started", "service_healthy", "service_completed_successfully"}
	for name, s := range cf.Services {
		where := "service " + name
		if s.Image == "" && s.Build == nil {
			t.Errorf("%s: neither image nor build", where)
		}
		if s.Build == nil {
			tag := s.Image[strings.LastIndex(s.Image, "/")+1:]
			if !strings.Contains(tag, ":") || strings.HasSuffix(tag, ":latest") {
				t.Errorf("%s: image %s must be pinned", where, s.Image)
			}
		}
		for dep, cond := range s.dependencies(t) {
			d, ok := cf.Services[dep]
			if !ok {
				t.Errorf("%s depends on unknown service %s", where, dep)
			}
			if !slices.Contains(conditions, cond) {
				t.Errorf("%s: depends_on %s condition %q", where, dep, cond)
			}
			if cond == "service_healthy" && d.Healthcheck == nil {
				t.Errorf("%s waits for %s to be healthy, but it has no healthcheck", where, dep)
			}
		}
		for _, v := range s.Volumes {
			src := strings.Split(v, ":")[0]
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(filepath.Join("..", src)); err != nil {
					t.Errorf("%s mounts missing path %s", where, src)
				}
			} else if _, ok := cf.Volumes[src]; !ok {
				t.Errorf("%s uses undeclared volume %s", where, src)
			}
		}
		for _, p := range s.Ports {
			if !regexp.MustCompile(`^(127\.0\.0\.1:)?\d+:\d+$`).MatchString(p) {
				t.Errorf("%s: port %q", where, p)
			}
		}
		for k := range s.Environment {
			if strings.HasPrefix(k, "PATHAVANA_") || strings.HasPrefix(k, "OTEL_") {
				checkVariable(t, documented, where, k)
			}
		}
	}
	// The app containers run as in production.
	for _, name := range []string{"app", "worker", "migrate"} {
		s := cf.Services[name]
		if s.User != "65532:65532" || !s.ReadOnly || !slices.Contains(s.CapDrop, "ALL") || !slices.Contains(s.Tmpfs, "/tmp") {
			t.Errorf("service %s: want user 65532:65532, read_only, cap_drop ALL and a /tmp tmpfs", name)
		}
		if s.Build == nil || s.Build.Target != "runtime" {
			t.Errorf("service %s must build the Dockerfile's runtime target", name)
		}
		if s.Environment["PATHAVANA_DATABASE_URL"] == "" || !strings.HasPrefix(s.Environment["PATHAVANA_DATABASE_URL"], "postgres://") {
			t.Errorf("service %s is not on PostgreSQL", name)
		}
	}
	if got := cf.Services["app"].dependencies(t)["migrate"]; got != "service_completed_successfully" {
		t.Errorf("app must wait for migrations, depends_on migrate: %q", got)
	}
	if !slices.Equal(cf.Services["worker"].Command, []string{"worker"}) || !slices.Equal(cf.Services["migrate"].Command, []string{"migrate", "up"}) {
		t.Error("worker and migrate commands")
	}
	if !strings.HasPrefix(cf.Services["postgres"].Image, "postgres:15") || !strings.HasPrefix(cf.Services["redis"].Image, "redis:7") {
		t.Error("want PostgreSQL 15 and Redis 7")
	}
	if cf.Services["jaeger"].Environment["COLLECTOR_OTLP_ENABLED"] != "true" || !strings.Contains(cf.XEnv["OTEL_EXPORTER_OTLP_ENDPOINT"], "jaeger:4318") {
		t.Error("traces must go to Jaeger over OTLP/HTTP")
	}
	if cf.XEnv["PATHAVANA_SMTP_HOST"] != "mailpit" {
		t.Error("mail must go to Mailpit")
	}
	if cf.XEnv["PATHAVANA_METRICS_ADDR"] != ":9090" {
		t.Error("metrics must be on :9090, as prometheus.yml scrapes")
	}
}

// TestWorkflows checks the pipeline's shape and, when installed, runs
// actionlint (with ShellCheck on every run: block when that is installed).
func TestWorkflows(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join("..", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	deploy := read(".github/workflows/deploy.yml")
	action := read(".github/actions/deploy/action.yml")
	ci := read(".github/workflows/ci.yml")
	var wf struct {
		Jobs map[string]struct {
			Needs       any `yaml:"needs"`
			Environment struct {
				Name string `yaml:"name"`
			} `yaml:"environment"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(deploy), &wf); err != nil {
		t.Fatal(err)
	}
	for _, j := range []string{"ci", "build", "staging", "production"} {
		if _, ok := wf.Jobs[j]; !ok {
			t.Errorf("deploy.yml: no job %s", j)
		}
	}
	if wf.Jobs["production"].Environment.Name != "production" || wf.Jobs["staging"].Environment.Name != "staging" {
		t.Error("deploy.yml: staging and production jobs must use their GitHub environments (production's reviewers are the manual approval)")
	}
	for _, want := range []string{"trivy-action", "amazon-ecr-login", "docker push"} {
		if !strings.Contains(deploy, want) {
			t.Errorf("deploy.yml does not use %s", want)
		}
	}
	for _, want := range []string{"kustomize edit set image", "job/pathavana-migrate", "rollout status", "/readyz", "/api/v1/auth/register", "rollout undo", "if: failure()"} {
		if !strings.Contains(action, want) {
			t.Errorf("deploy action lacks %q", want)
		}
	}
	for _, want := range []string{"make test", "scripts/install-tools.sh", "scripts/test-image.sh", "trivy-action"} {
		if !strings.Contains(ci, want) {
			t.Errorf("ci.yml lacks %q", want)
		}
	}
	if _, err := exec.LookPath("actionlint"); err != nil {
		t.Skip("actionlint not installed (scripts/install-tools.sh: go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)")
	}
	cmd := exec.Command("actionlint")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
}

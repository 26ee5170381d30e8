package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// parseDockerfile parses ../Dockerfile with BuildKit's own parser and
// linter (the checks of `docker build --check` that run at parse time).
func parseDockerfile(t *testing.T) ([]instructions.Stage, map[string]string) {
	t.Helper()
	f, err := os.Open("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("Dockerfile does not parse: %v", err)
	}
	for _, w := range res.Warnings {
		t.Errorf("Dockerfile parser warning: %s", w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, url, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		t.Errorf("Dockerfile:%d: %s: %s (%s)", line, rule, msg, url)
	}})
	stages, metaArgs, err := instructions.Parse(res.AST, lint)
	if err != nil {
		t.Fatalf("Dockerfile instructions: %v", err)
	}
	args := map[string]string{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Value == nil {
				t.Errorf("ARG %s before FROM has no default", kv.Key)
				continue
			}
			args[kv.Key] = *kv.Value
		}
	}
	return stages, args
}

func expandArgs(s string, args map[string]string) string {
	return regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`).ReplaceAllStringFunc(s, func(m string) string {
		name := strings.Trim(m, "${}")
		if v, ok := args[name]; ok {
			return v
		}
		return m
	})
}

// TestDockerfile lints the Dockerfile: BuildKit's parse-time rules, then
// the hadolint rules that matter here (hadolint itself is not installable
// from the registries this project may use) and the image's properties.
func TestDockerfile(t *testing.T) {
	stages, args := parseDockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage build, got %d stage(s)", len(stages))
	}
	names := map[string]bool{}
	for i, st := range stages {
		where := "stage " + st.Name
		base := expandArgs(st.BaseName, args)
		switch {
		case names[base]:
			// FROM an earlier stage.
		case base == "scratch":
		case strings.Contains(base, "$"):
			t.Errorf("%s: FROM %s uses an ARG without a default (UndefinedArgInFrom)", where, st.BaseName)
		default:
			ref := base[strings.LastIndex(base, "/")+1:]
			if !strings.Contains(ref, ":") && !strings.Contains(base, "@sha256:") {
				t.Errorf("%s: FROM %s has no tag (DL3006)", where, base)
			}
			if strings.HasSuffix(base, ":latest") {
				t.Errorf("%s: FROM %s uses latest (DL3007)", where, base)
			}
			if tag := ref[strings.Index(ref, ":")+1:]; !regexp.MustCompile(`\d+\.\d+`).MatchString(tag) {
				t.Errorf("%s: FROM %s: pin a version with at least major.minor", where, base)
			}
		}
		if st.Name == "" {
			t.Errorf("stage %d has no name (AS …)", i)
		}
		names[st.Name] = true

		var user string
		for _, cmd := range st.Commands {
			switch c := cmd.(type) {
			case *instructions.AddCommand:
				t.Errorf("%s: use COPY instead of ADD (DL3020)", where)
				for _, src := range c.SourcePaths {
					if strings.Contains(src, "://") {
						t.Errorf("%s: ADD of a URL", where)
					}
				}
			case *instructions.CopyCommand:
				if c.From != "" && !names[c.From] {
					t.Errorf("%s: COPY --from=%s is not an earlier stage (DL3022)", where, c.From)
				}
			case *instructions.RunCommand:
				run := strings.Join(c.CmdLine, " ")
				if strings.Contains(run, " | ") {
					t.Errorf("%s: RUN with a pipe needs SHELL -o pipefail (DL4006)", where)
				}
				for _, bad := range []string{"sudo ", "apt-get upgrade", "curl ", "wget "} {
					if strings.Contains(run, bad) {
						t.Errorf("%s: RUN uses %q", where, strings.TrimSpace(bad))
					}
				}
			case *instructions.WorkdirCommand:
				if !strings.HasPrefix(c.Path, "/") {
					t.Errorf("%s: WORKDIR %s is relative (DL3000)", where, c.Path)
				}
			case *instructions.UserCommand:
				user = c.User
			case *instructions.CmdCommand:
				if c.PrependShell {
					t.Errorf("%s: CMD in shell form (DL3025)", where)
				}
			case *instructions.EntrypointCommand:
				if c.PrependShell {
					t.Errorf("%s: ENTRYPOINT in shell form (DL3025)", where)
				}
			case *instructions.HealthCheckCommand:
				if c.Health != nil && len(c.Health.Test) > 0 && c.Health.Test[0] == "CMD-SHELL" {
					t.Errorf("%s: HEALTHCHECK needs a shell the image does not have", where)
				}
			}
		}
		// Every stage but the builder is a possible target (--target) and
		// must not run as root (DL3002).
		if st.Name != "build" && (user == "" || user == "root" || strings.HasPrefix(user, "0")) {
			t.Errorf("%s: last USER is %q, want a non-root uid", where, user)
		}
	}

	build, final := stages[0], stages[len(stages)-1]
	var buildRun string
	for _, cmd := range build.Commands {
		if r, ok := cmd.(*instructions.RunCommand); ok {
			buildRun += strings.Join(r.CmdLine, " ") + "\n"
		}
		if e, ok := cmd.(*instructions.EnvCommand); ok {
			for _, kv := range e.Env {
				buildRun += kv.Key + "=" + kv.Value + "\n"
			}
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "go build", "scripts/image-rootfs.sh"} {
		if !strings.Contains(buildRun, want) {
			t.Errorf("build stage does not use %q", want)
		}
	}

	// The runtime image: scratch, non-root, read-only friendly.
	if final.BaseName != "scratch" && !strings.Contains(final.BaseName, "distroless") {
		t.Errorf("final stage FROM %s, want scratch or distroless", final.BaseName)
	}
	cfg := runtimeConfig(t, final)
	if cfg.user != "65532:65532" {
		t.Errorf("runtime USER %q, want 65532:65532", cfg.user)
	}
	if !slices.Equal(cfg.entrypoint, []string{"/usr/local/bin/pathavana"}) || !slices.Equal(cfg.cmd, []string{"serve"}) {
		t.Errorf("runtime ENTRYPOINT %q CMD %q", cfg.entrypoint, cfg.cmd)
	}
	if !slices.Contains(cfg.expose, "8080") || !slices.Contains(cfg.volumes, "/data") {
		t.Errorf("runtime EXPOSE %v VOLUME %v, want 8080 and /data", cfg.expose, cfg.volumes)
	}
	if cfg.env["PATHAVANA_DATA_DIR"] != "/data" {
		t.Errorf("runtime PATHAVANA_DATA_DIR = %q, want /data", cfg.env["PATHAVANA_DATA_DIR"])
	}
	if cfg.runs > 0 {
		t.Error("runtime stage has RUN instructions, but scratch has no shell")
	}

	// scripts/build-image.sh assembles the same runtime config with buildah.
	script, err := os.ReadFile("../scripts/build-image.sh")
	if err != nil {
		t.Fatal(err)
	}
	s := string(script)
	want := []string{"--user " + cfg.user, "--workingdir " + cfg.workdir, `--entrypoint '["/usr/local/bin/pathavana"]'`, `--cmd '["serve"]'`, "--port 8080/tcp", "--volume /data", "-trimpath", "CGO_ENABLED=0", "image-rootfs.sh"}
	for k, v := range cfg.env {
		want = append(want, "--env "+k+"="+v)
	}
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("build-image.sh does not match the Dockerfile: missing %q", w)
		}
	}
	for k := range cfg.labels {
		if !strings.Contains(s, "--label "+k+"=") && !strings.Contains(s, "--label \""+k+"=") {
			t.Errorf("build-image.sh does not set label %s", k)
		}
	}
}

type imageConfig struct {
	user, workdir   string
	entrypoint, cmd []string
	expose, volumes []string
	env, labels     map[string]string
	runs            int
}

func runtimeConfig(t *testing.T, st instructions.Stage) imageConfig {
	t.Helper()
	cfg := imageConfig{env: map[string]string{}, labels: map[string]string{}}
	for _, cmd := range st.Commands {
		switch c := cmd.(type) {
		case *instructions.UserCommand:
			cfg.user = c.User
		case *instructions.WorkdirCommand:
			cfg.workdir = c.Path
		case *instructions.EntrypointCommand:
			cfg.entrypoint = c.CmdLine
		case *instructions.CmdCommand:
			cfg.cmd = c.CmdLine
		case *instructions.ExposeCommand:
			cfg.expose = append(cfg.expose, c.Ports...)
		case *instructions.VolumeCommand:
			cfg.volumes = append(cfg.volumes, c.Volumes...)
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				cfg.env[kv.Key] = kv.Value
			}
		case *instructions.LabelCommand:
			for _, kv := range c.Labels {
				cfg.labels[kv.Key] = kv.Value
			}
		case *instructions.RunCommand:
			cfg.runs++
		}
	}
	return cfg
}

// TestDockerignore: what the build needs is in the context, what must not
// leak is out.
func TestDockerignore(t *testing.T) {
	b, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, strings.TrimPrefix(strings.TrimSuffix(l, "/"), "/"))
		}
	}
	ignored := func(path string) bool {
		for _, p := range patterns {
			for prefix := path; prefix != "."; prefix = filepath.Dir(prefix) {
				if ok, _ := filepath.Match(strings.TrimPrefix(p, "**/"), prefix); ok {
					return true
				}
				if ok, _ := filepath.Match(strings.TrimPrefix(p, "**/"), filepath.Base(prefix)); ok && strings.HasPrefix(p, "**/") {
					return true
				}
			}
		}
		return false
	}
	for _, need := range []string{"go.mod", "go.sum", "cmd/pathavana/main.go", "internal/cli/cli.go", "api/openapi.yaml", "scripts/image-rootfs.sh"} {
		if ignored(need) {
			t.Errorf(".dockerignore excludes %s, which the build needs", need)
		}
	}
	for _, leak := range []string{".git", "data", "bin", ".env", "deploy/terraform", "secrets/tls.key"} {
		if !ignored(leak) {
			t.Errorf(".dockerignore lets %s into the build context", leak)
		}
	}
}

// TestImage builds the image without a Docker daemon and runs it (see
// scripts/test-image.sh): non-root, read-only root, /readyz answers 200.
func TestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the image build")
	}
	if _, err := exec.LookPath("buildah"); err != nil {
		t.Skip("buildah not installed (scripts/install-tools.sh installs it from Debian)")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root for buildah storage, mount namespaces and chroot")
	}
	for _, tool := range []string{"jq", "curl", "ss", "unshare"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	cmd := exec.Command("bash", "scripts/test-image.sh")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "IMAGE=localhost/pathavana:gotest")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("scripts/test-image.sh: %v", err)
	}
}

// TestShellScripts runs ShellCheck on the deployment scripts when present.
func TestShellScripts(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Skip("shellcheck not installed")
	}
	cmd := exec.Command("shellcheck", "scripts/build-image.sh", "scripts/test-image.sh", "scripts/image-rootfs.sh", "scripts/install-tools.sh")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

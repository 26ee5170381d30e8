// Package deploy_test validates everything under deploy/ (and the container
// and CI files at the repository root) offline: every kustomize overlay is
// built with the kustomize API and strictly decoded into the Kubernetes Go
// types, then the security, availability and wiring properties are
// asserted on every workload. Helm, promtool, amtool, actionlint and buildah
// checks run when those binaries are installed (scripts/install-tools.sh)
// and are skipped otherwise.
package deploy_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

var update = flag.Bool("update", false, "rewrite generated files (deploy/k8s/base/prometheusrule.yaml, the Helm chart's rules copy)")

func buildOverlay(t *testing.T, dir string) []object {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out, err := resMap.AsYaml()
	if err != nil {
		t.Fatalf("kustomize %s as YAML: %v", dir, err)
	}
	return decodeStream(t, out)
}

func hpa(min, max, cpu int32) *[3]int32 { return &[3]int32{min, max, cpu} }

func TestKustomizeOverlays(t *testing.T) {
	overlays := map[string]expectation{
		"dev": {env: "development", apiReplicas: 1, namespace: true,
			secretKey: "pathavana/dev/app", awsEnv: "dev", region: "us-east-1", hosts: []string{"dev.pathavana.com"}},
		"staging": {env: "staging", hpa: hpa(2, 4, 70), namespace: true,
			secretKey: "pathavana/staging/app", awsEnv: "staging", region: "us-east-1", hosts: []string{"staging.pathavana.com"}},
		"production": {env: "production", hpa: hpa(3, 10, 70), namespace: true,
			secretKey: "pathavana/production/app", awsEnv: "production", region: "us-east-1", hosts: []string{"pathavana.com", "www.pathavana.com"}},
		"gpu-llm": {env: "production", hpa: hpa(3, 10, 70), namespace: true, llm: true,
			secretKey: "pathavana/production/app", awsEnv: "production", region: "us-east-1", hosts: []string{"pathavana.com", "www.pathavana.com"}},
	}
	entries, err := os.ReadDir("k8s/overlays")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := overlays[e.Name()]; !ok {
			t.Errorf("overlay %s has no expectations in this test", e.Name())
		}
	}
	wantNamespace := "pathavana" // every environment has its own cluster (deploy/terraform)
	for name, want := range overlays {
		t.Run(name, func(t *testing.T) {
			// Not parallel: kustomize initialises a package-level OpenAPI
			// schema lazily without locking (data race under -race).
			objs := buildOverlay(t, filepath.Join("k8s/overlays", name))
			for _, o := range objs {
				if o.Kind == "StorageClass" {
					continue // cluster-scoped
				}
				if o.Kind == "Namespace" {
					if o.Name != wantNamespace {
						t.Errorf("Namespace %s, want %s", o.Name, wantNamespace)
					}
					continue
				}
				if o.Namespace != wantNamespace {
					t.Errorf("%s in namespace %q, want %q", o.id(), o.Namespace, wantNamespace)
				}
				if o.Labels["pathavana.io/environment"] == "" {
					t.Errorf("%s has no pathavana.io/environment label", o.id())
				}
			}
			checkManifests(t, objs, want)
		})
	}
}

// TestPrometheusRuleInSync keeps the two copies of the alert rules (the
// PrometheusRule of the kustomize base and the Helm chart's file) equal to
// deploy/monitoring/rules/pathavana.rules.yml. -update rewrites them.
func TestPrometheusRuleInSync(t *testing.T) {
	src, err := os.ReadFile("monitoring/rules/pathavana.rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src[bytes.Index(src, []byte("groups:")):])
	var ind strings.Builder
	for _, line := range strings.SplitAfter(body, "\n") {
		if strings.TrimSpace(line) != "" {
			ind.WriteString("  ")
		}
		ind.WriteString(line)
	}
	want := map[string]string{
		"k8s/base/prometheusrule.yaml": `# GENERATED from deploy/monitoring/rules/pathavana.rules.yml: edit that file,
# then run ` + "`go test ./deploy -run TestPrometheusRuleInSync -update`" + `.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: pathavana
  labels:
    app.kubernetes.io/name: pathavana
    release: kube-prometheus-stack
spec:
` + ind.String(),
		"helm/pathavana/files/pathavana.rules.yml": string(src),
	}
	for path, content := range want {
		got, err := os.ReadFile(path)
		if *update {
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err != nil || string(got) != content {
			t.Errorf("%s is out of date: run go test ./deploy -run TestPrometheusRuleInSync -update", path)
		}
	}
}

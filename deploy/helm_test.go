package deploy_test

import (
	"os/exec"
	"testing"
)

const chartDir = "helm/pathavana"

// helmKubeVersion is passed to helm template: a helm built with `go install`
// otherwise assumes Kubernetes v1.20, below the chart's kubeVersion.
const helmKubeVersion = "1.31.0"

func needHelm(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("helm"); err != nil {
		t.Skip("helm not installed (scripts/install-tools.sh: go install helm.sh/helm/v3/cmd/helm@v3.22.0)")
	}
}

func helm(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("helm", args...)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("helm %v: %v\n%s%s", args, err, out, stderr)
	}
	return out
}

func TestHelmLint(t *testing.T) {
	needHelm(t)
	helm(t, "lint", "--strict", chartDir)
	helm(t, "lint", "--strict", chartDir, "-f", chartDir+"/values-production.yaml")
	helm(t, "lint", "--strict", chartDir, "-f", chartDir+"/values-production.yaml", "--set", "llm.enabled=true")
}

func TestHelmTemplate(t *testing.T) {
	needHelm(t)
	cases := map[string]struct {
		args []string
		want expectation
	}{
		"default": {nil, expectation{env: "production", hpa: hpa(3, 10, 70),
			secretKey: "pathavana/production/app", awsEnv: "production", region: "us-east-1", hosts: []string{"pathavana.example.com"}}},
		"production": {[]string{"-f", chartDir + "/values-production.yaml", "--set", "image.tag=0123abc"},
			expectation{env: "production", hpa: hpa(3, 10, 70), namespace: true,
				secretKey: "pathavana/production/app", awsEnv: "production", region: "us-east-1", hosts: []string{"pathavana.com", "www.pathavana.com"}}},
		"production+llm": {[]string{"-f", chartDir + "/values-production.yaml", "--set", "image.tag=0123abc", "--set", "llm.enabled=true"},
			expectation{env: "production", hpa: hpa(3, 10, 70), namespace: true, llm: true,
				secretKey: "pathavana/production/app", awsEnv: "production", region: "us-east-1", hosts: []string{"pathavana.com", "www.pathavana.com"}}},
		"no-autoscaling+digest": {[]string{"--set", "api.autoscaling.enabled=false", "--set", "api.replicas=2", "--set", "image.digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
			expectation{env: "production", apiReplicas: 2,
				secretKey: "pathavana/production/app", awsEnv: "production", region: "us-east-1", hosts: []string{"pathavana.example.com"}}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"template", "pathavana", chartDir, "--namespace", "pathavana", "--kube-version", helmKubeVersion}, c.args...)
			objs := decodeStream(t, helm(t, args...))
			checkManifests(t, objs, c.want)
		})
	}
}

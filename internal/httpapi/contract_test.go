package httpapi

import (
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"pathavana/api"
)

// TestOpenAPIMatchesRoutes fails when a route exists without a spec entry
// or the spec describes an endpoint that does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var spec struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &spec); err != nil {
		t.Fatalf("api/openapi.yaml does not parse: %v", err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.1") {
		t.Fatalf("openapi version = %q, want 3.1.x", spec.OpenAPI)
	}
	inSpec := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				inSpec[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	s := &Server{}
	inCode := map[string]bool{}
	for _, r := range s.routes() {
		inCode[r.method+" "+r.path] = true
	}
	var missing, extra []string
	for k := range inCode {
		if !inSpec[k] {
			missing = append(missing, k)
		}
	}
	for k := range inSpec {
		if !inCode[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes without a spec entry: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("spec entries without a route: %v", extra)
	}
}

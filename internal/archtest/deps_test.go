// Package archtest enforces the one-way dependency order of the packages
// (DESIGN.md §2):
//
//	cmd → cli → httpapi → service → {store, cache, jobs, secure, oidc, mail, telemetry} → model → apperr
//
// It reads the import blocks of every Go file in the module with go/parser,
// so it needs no build, no network and no `go list`, and it also sees test
// files and files behind build tags.
package archtest

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Packages of this module are written relative to it ("internal/store",
// "cmd/...") and expanded with the module path read from go.mod; any other
// pattern is a standard-library or third-party path ("net/http"). Patterns:
//
//	"internal/store"       that package only
//	"internal/testkit/..." that package and every package below it
//	"net/http/..."         net/http and its sub-packages (httptest, …)
//	"std"                  any standard-library package
//	"*"                    any package at all
type rule struct {
	pkgs   []string // the importing packages the rule governs
	except []string // importing packages the rule leaves alone
	deny   []string // imports they must not have …
	only   []string // … or, when set, the only imports they may have
	tests  bool     // the rule also governs _test.go files (else production files only)
	why    string   // printed with every violation
}

var (
	// The packages between service and model: infrastructure libraries
	// that service composes. They never call back up.
	infra = []string{"internal/cache", "internal/config", "internal/mail", "internal/oidc",
		"internal/secure", "internal/store", "internal/telemetry"}
	// Travel-data libraries (DESIGN.md §2: "assistant, search and provider
	// are libraries: they never import store").
	libraries = []string{"internal/assistant/...", "internal/provider/...", "internal/catalog/...", "internal/search/...", "internal/money", "internal/ical"}
	anyPkg    = []string{"*"}
)

// rules is the architecture. testkit packages are exempt from layering:
// they appear in no "pkgs" list, only as something production code must not
// import.
var rules = []rule{
	{pkgs: anyPkg, deny: []string{"internal/httpapi"},
		except: []string{"cmd/...", "internal/cli", "internal/httpapi", "internal/testkit/testapp"}, tests: true,
		why: "httpapi is the top of the stack: only the binary's wiring (cmd, cli), httpapi's own tests and testkit/testapp, which assembles the app for tests, may use it"},
	{pkgs: anyPkg, deny: []string{"internal/cli"},
		except: []string{"cmd/...", "internal/cli"}, tests: true,
		why: "cli is the binary's entry point: only cmd/ and cli's own tests may use it"},
	{pkgs: anyPkg, deny: []string{"internal/testkit/..."},
		except: []string{"internal/testkit/..."},
		why:    "test helpers must never be compiled into the product; import testkit from _test.go files only"},
	{pkgs: []string{"internal/service"}, deny: []string{"net/http/...", "internal/httpapi", "internal/cli"},
		why: "service holds the business rules and is transport-agnostic: HTTP belongs in httpapi, which calls service"},
	{pkgs: []string{"internal/store"}, deny: []string{"internal/service", "internal/httpapi", "internal/cli", "internal/jobs", "internal/cache"},
		why: "store is the only package that speaks SQL: it serves service and must not reach up into service, httpapi, cli or jobs, nor sideways into cache (what to cache is service's decision)"},
	{pkgs: infra, deny: []string{"internal/service", "internal/httpapi", "internal/cli", "internal/jobs"},
		why: "infrastructure packages are libraries that service composes; they must not call back up into service, httpapi, cli or jobs"},
	{pkgs: libraries, deny: []string{"internal/store", "internal/service", "internal/httpapi", "internal/cli", "internal/jobs"},
		why: "travel-data libraries (providers, catalog, money) never touch the database or call back up: service feeds them and stores their results"},
	{pkgs: []string{"internal/jobs"}, deny: []string{"internal/service", "internal/httpapi", "internal/cli"},
		why: "jobs is queue plumbing (it may use model); job handlers are service methods registered at wiring time"},
	{pkgs: []string{"internal/model"}, only: []string{"std", "internal/apperr"},
		why: "model is the stored domain structs: it depends only on apperr and the standard library"},
	{pkgs: []string{"internal/apperr"}, only: []string{"std"},
		why: "apperr is the one error type every layer uses: it depends only on the standard library"},
}

// goFile is what the checker needs to know about one source file.
type goFile struct {
	path    string // relative to the module root, for messages
	pkg     string // import path of its directory
	test    bool   // a _test.go file
	imports []goImport
}

type goImport struct {
	path string
	line int
}

type violation struct {
	file, imp string
	line      int
	why       string
}

func (v violation) String() string {
	return fmt.Sprintf("%s:%d imports %q: %s", v.file, v.line, v.imp, v.why)
}

// checker applies rules to files of the module with the given path.
type checker struct {
	module string
	rules  []rule
}

// abs expands a module-relative pattern ("internal/store", "cmd/...") to an
// import path pattern; std, third-party and special patterns stay as they are.
func (c checker) abs(p string) string {
	if strings.HasPrefix(p, "internal/") || strings.HasPrefix(p, "cmd/") {
		return c.module + "/" + p
	}
	return p
}

// isStd reports whether an import path is the standard library's: its first
// element has no dot (github.com/…, go.opentelemetry.io/… have one) and it
// is not this module.
func (c checker) isStd(imp string) bool {
	if imp == c.module || strings.HasPrefix(imp, c.module+"/") {
		return false
	}
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

func (c checker) match(pattern, imp string) bool {
	switch pattern {
	case "*":
		return true
	case "std":
		return c.isStd(imp)
	}
	p := c.abs(pattern)
	if base, ok := strings.CutSuffix(p, "/..."); ok {
		return imp == base || strings.HasPrefix(imp, base+"/")
	}
	return imp == p
}

func (c checker) matchAny(patterns []string, imp string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return c.match(p, imp) })
}

// check returns every import that breaks a rule, in file order. An import
// that breaks several rules is reported once, with the first rule's reason.
func (c checker) check(files []goFile) []violation {
	var out []violation
	for _, f := range files {
		seen := map[goImport]bool{}
		for _, r := range c.rules {
			if f.test && !r.tests || !c.matchAny(r.pkgs, f.pkg) || c.matchAny(r.except, f.pkg) {
				continue
			}
			for _, imp := range f.imports {
				if imp.path == f.pkg { // an external test package importing the package it tests
					continue
				}
				bad := c.matchAny(r.deny, imp.path)
				if r.only != nil && !c.matchAny(r.only, imp.path) {
					bad = true
				}
				if bad && !seen[imp] {
					seen[imp] = true
					out = append(out, violation{file: f.path, line: imp.line, imp: imp.path, why: r.why})
				}
			}
		}
	}
	return out
}

// TestDependencyOrder reads every Go file of the module and fails with one
// line per forbidden import, naming the file and the import.
func TestDependencyOrder(t *testing.T) {
	root, module := moduleRoot(t)
	files := parseModule(t, root, module)
	if len(files) < 20 {
		t.Fatalf("found only %d Go files under %s: is the module layout what this test expects?", len(files), root)
	}
	// Guard against the table silently matching nothing after a rename.
	for _, r := range rules {
		for _, p := range slices.Concat(r.pkgs, r.except, r.deny, r.only) {
			if !strings.HasPrefix(p, "internal/") {
				continue
			}
			dir := filepath.Join(root, filepath.FromSlash(strings.TrimSuffix(p, "/...")))
			if _, err := os.Stat(dir); err != nil {
				t.Errorf("rule names %s, which does not exist (%v): update the rule table", p, err)
			}
		}
	}
	c := checker{module: module, rules: rules}
	for _, v := range c.check(files) {
		t.Error(v)
	}
}

// TestCheckerCatchesViolations runs the rule table on a synthetic module,
// so a checker that quietly accepts everything cannot pass.
func TestCheckerCatchesViolations(t *testing.T) {
	const m = "example.com/app"
	file := func(name string, test bool, imports ...string) goFile {
		f := goFile{path: name, pkg: m + "/" + path.Dir(name), test: test}
		for i, imp := range imports {
			f.imports = append(f.imports, goImport{path: imp, line: i + 3})
		}
		return f
	}
	files := []goFile{
		// Violations.
		file("internal/store/users.go", false, "context", m+"/internal/service"),
		file("internal/store/cache.go", false, m+"/internal/cache"),
		file("internal/service/web.go", false, "net/http"),
		file("internal/service/fake.go", false, "net/http/httptest"),
		file("internal/model/user.go", false, "time", "github.com/google/uuid"),
		file("internal/model/trip.go", false, m+"/internal/secure"),
		file("internal/apperr/apperr.go", false, m+"/internal/model"),
		file("internal/mail/send.go", false, m+"/internal/jobs"),
		file("internal/jobs/run.go", false, m+"/internal/service"),
		file("internal/service/svc.go", false, m+"/internal/testkit"),
		file("internal/secure/x_test.go", true, m+"/internal/httpapi"),
		file("internal/service/y_test.go", true, m+"/internal/cli"),
		file("internal/testkit/oidcfake/fake.go", false, m+"/internal/cli"),
		file("internal/provider/amadeus/client.go", false, m+"/internal/store"),
		// Allowed.
		file("cmd/app/main.go", false, m+"/internal/cli"),
		file("internal/cli/serve.go", false, m+"/internal/httpapi", m+"/internal/service"),
		file("internal/cli/e2e_test.go", true, m+"/internal/cli", m+"/internal/testkit"),
		file("internal/httpapi/api_test.go", true, m+"/internal/httpapi", m+"/internal/testkit/testapp"),
		file("internal/testkit/testapp/app.go", false, m+"/internal/httpapi", m+"/internal/store"),
		file("internal/testkit/store.go", false, m+"/internal/store"),
		file("internal/httpapi/server.go", false, "net/http", m+"/internal/service"),
		file("internal/service/svc2.go", false, m+"/internal/store", m+"/internal/jobs", m+"/internal/cache"),
		file("internal/store/users_test.go", true, m+"/internal/testkit", m+"/internal/service"),
		file("internal/model/user2.go", false, "time", m+"/internal/apperr"),
		file("internal/apperr/apperr2.go", false, "errors", "net/http"),
		file("internal/jobs/jobs.go", false, m+"/internal/model", m+"/internal/store"),
		file("internal/oidc/client.go", false, "net/http", m+"/internal/apperr"),
		file("internal/provider/amadeus/client.go", false, "net/http", m+"/internal/money"),
		file("internal/provider/amadeus/client_test.go", true, m+"/internal/testkit/amadeusfake"),
	}
	got := map[string]bool{}
	for _, v := range (checker{module: m, rules: rules}).check(files) {
		got[v.file+" "+v.imp] = true
		if !strings.Contains(v.String(), v.file+":") || !strings.Contains(v.String(), strconv.Quote(v.imp)) {
			t.Errorf("message %q does not name the file and the import", v)
		}
	}
	want := []string{
		"internal/store/users.go " + m + "/internal/service",
		"internal/store/cache.go " + m + "/internal/cache",
		"internal/service/web.go net/http",
		"internal/service/fake.go net/http/httptest",
		"internal/model/user.go github.com/google/uuid",
		"internal/model/trip.go " + m + "/internal/secure",
		"internal/apperr/apperr.go " + m + "/internal/model",
		"internal/mail/send.go " + m + "/internal/jobs",
		"internal/jobs/run.go " + m + "/internal/service",
		"internal/service/svc.go " + m + "/internal/testkit",
		"internal/secure/x_test.go " + m + "/internal/httpapi",
		"internal/service/y_test.go " + m + "/internal/cli",
		"internal/testkit/oidcfake/fake.go " + m + "/internal/cli",
		"internal/provider/amadeus/client.go " + m + "/internal/store",
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("not caught: %s", w)
		}
		delete(got, w)
	}
	for g := range got {
		t.Errorf("flagged but allowed: %s", g)
	}
}

// moduleRoot walks up from the test's directory (go test runs in it) to
// go.mod and returns that directory and the module path.
func moduleRoot(t *testing.T) (string, string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := os.Open(filepath.Join(dir, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(rest), `"`)
				}
			}
			t.Fatalf("%s/go.mod has no module line", dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// parseModule reads the imports of every .go file of the module, skipping
// testdata, vendor, node_modules, hidden directories and nested modules.
func parseModule(t *testing.T, root, module string) []goFile {
	t.Helper()
	fset := token.NewFileSet()
	var files []goFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			if name == "testdata" || name == "vendor" || name == "node_modules" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		af, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("parse %s: %w", rel, err)
		}
		rel = filepath.ToSlash(rel)
		f := goFile{path: rel, pkg: path.Join(module, path.Dir(rel)), test: strings.HasSuffix(name, "_test.go")}
		for _, spec := range af.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return fmt.Errorf("%s: bad import %s", rel, spec.Path.Value)
			}
			f.imports = append(f.imports, goImport{path: imp, line: fset.Position(spec.Pos()).Line})
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

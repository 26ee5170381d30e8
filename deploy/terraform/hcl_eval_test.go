package terraform_test

// A small, offline evaluator for the Terraform in this directory: it parses
// every file with hcl/v2, resolves variables (defaults, terraform.tfvars,
// module inputs) and locals, and evaluates the expressions the policy tests
// look at. Anything it cannot know without AWS (resource attributes, module
// outputs) evaluates to an unknown value, so a policy that depends on one
// fails loudly instead of passing by accident.

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// tfFile is one parsed file.
type tfFile struct {
	path string
	src  []byte
	body *hclsyntax.Body
}

// tfModule is one directory of .tf files.
type tfModule struct {
	dir       string
	files     []*tfFile
	variables map[string]*hclsyntax.Block
	locals    map[string]*hclsyntax.Attribute
	resources []*hclsyntax.Block // resource and data blocks
	modules   map[string]*hclsyntax.Block
	providers []*hclsyntax.Block
}

var parser = hclparse.NewParser()

// missing stands for an attribute that is not there.
var missing = cty.NullVal(cty.DynamicPseudoType)

func parseFile(t *testing.T, path string) *tfFile {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := parser.ParseHCL(src, path)
	if diags.HasErrors() {
		t.Fatalf("%s does not parse: %s", path, diags.Error())
	}
	return &tfFile{path: path, src: src, body: f.Body.(*hclsyntax.Body)}
}

func loadModule(t *testing.T, dir string) *tfModule {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	if len(paths) == 0 {
		t.Fatalf("%s holds no .tf files", dir)
	}
	m := &tfModule{dir: dir, variables: map[string]*hclsyntax.Block{}, locals: map[string]*hclsyntax.Attribute{},
		modules: map[string]*hclsyntax.Block{}}
	for _, p := range paths {
		f := parseFile(t, p)
		m.files = append(m.files, f)
		for _, b := range f.body.Blocks {
			switch b.Type {
			case "variable":
				m.variables[b.Labels[0]] = b
			case "locals":
				for n, a := range b.Body.Attributes {
					m.locals[n] = a
				}
			case "resource", "data":
				m.resources = append(m.resources, b)
			case "module":
				m.modules[b.Labels[0]] = b
			case "provider":
				m.providers = append(m.providers, b)
			}
		}
	}
	return m
}

// resourcesOf returns the resource blocks of one type.
func (m *tfModule) resourcesOf(typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range m.resources {
		if b.Type == "resource" && b.Labels[0] == typ {
			out = append(out, b)
		}
	}
	return out
}

// scope evaluates expressions of one module instance.
type scope struct {
	mod    *tfModule
	vars   map[string]cty.Value
	locals map[string]cty.Value
}

var functions = map[string]function.Function{
	"merge": stdlib.MergeFunc, "concat": stdlib.ConcatFunc, "length": stdlib.LengthFunc,
	"lookup": stdlib.LookupFunc, "format": stdlib.FormatFunc, "upper": stdlib.UpperFunc,
	"lower": stdlib.LowerFunc, "jsonencode": stdlib.JSONEncodeFunc, "contains": stdlib.ContainsFunc,
	"keys": stdlib.KeysFunc, "values": stdlib.ValuesFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc,
	"coalesce": stdlib.CoalesceFunc, "flatten": stdlib.FlattenFunc, "split": stdlib.SplitFunc,
	"slice": stdlib.SliceFunc, "setproduct": stdlib.SetProductFunc, "compact": stdlib.CompactFunc,
	"join": stdlib.JoinFunc, "element": stdlib.ElementFunc, "distinct": stdlib.DistinctFunc,
	"toset":    stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tolist":   stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
	"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
	"one": function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType, AllowUnknown: true}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := args[0]
			if !v.IsKnown() || v.LengthInt() == 0 {
				return cty.DynamicVal, nil
			}
			return v.Index(cty.NumberIntVal(0)), nil
		},
	}),
}

// newScope resolves a module's variables from inputs (unknown when an
// input is computed) or defaults, then its locals.
func newScope(t *testing.T, m *tfModule, inputs map[string]cty.Value) *scope {
	t.Helper()
	s := &scope{mod: m, vars: map[string]cty.Value{}, locals: map[string]cty.Value{}}
	for name, b := range m.variables {
		if v, ok := inputs[name]; ok {
			s.vars[name] = v
			continue
		}
		if def, ok := b.Body.Attributes["default"]; ok {
			v, diags := def.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("%s: default of variable %s: %s", m.dir, name, diags.Error())
			}
			s.vars[name] = v
		} else {
			s.vars[name] = cty.DynamicVal
		}
	}
	for name := range inputs {
		if _, ok := m.variables[name]; !ok {
			t.Errorf("%s has no variable %q, but it is given one", m.dir, name)
		}
	}
	// Locals may refer to each other: a few passes settle them.
	for range 4 {
		for name, a := range m.locals {
			s.locals[name] = s.eval(a.Expr, nil)
		}
	}
	return s
}

// eval returns the value of expr, or an unknown value when it depends on
// something only AWS knows.
func (s *scope) eval(expr hcl.Expression, extra map[string]cty.Value) cty.Value {
	vars := map[string]cty.Value{
		"var":       cty.ObjectVal(s.vars),
		"local":     cty.ObjectVal(s.locals),
		"path":      cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(s.mod.dir)}),
		"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
	}
	if len(s.vars) == 0 {
		vars["var"] = cty.EmptyObjectVal
	}
	if len(s.locals) == 0 {
		vars["local"] = cty.EmptyObjectVal
	}
	for k, v := range extra {
		vars[k] = v
	}
	for _, tr := range expr.Variables() {
		if _, ok := vars[tr.RootName()]; !ok {
			vars[tr.RootName()] = cty.DynamicVal // resources, data sources, modules
		}
	}
	v, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: functions})
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

// attr evaluates an attribute of a block body; ok is false when absent.
func (s *scope) attr(body *hclsyntax.Body, name string, extra map[string]cty.Value) (cty.Value, bool) {
	a, ok := body.Attributes[name]
	if !ok {
		return missing, false
	}
	return s.eval(a.Expr, extra), true
}

// moduleInputs evaluates the arguments of a module call.
func (s *scope) moduleInputs(call *hclsyntax.Block) map[string]cty.Value {
	in := map[string]cty.Value{}
	for name, a := range call.Body.Attributes {
		switch name {
		case "source", "version", "providers", "count", "for_each", "depends_on":
			continue
		}
		in[name] = s.eval(a.Expr, map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(0)})})
	}
	return in
}

// child returns the scope of a module call whose source is a local path.
func (s *scope) child(t *testing.T, name string) *scope {
	t.Helper()
	call, ok := s.mod.modules[name]
	if !ok {
		t.Fatalf("%s calls no module %q", s.mod.dir, name)
	}
	src := literalString(t, call, "source")
	if !strings.HasPrefix(src, ".") {
		t.Fatalf("module %s is not local (%s)", name, src)
	}
	return newScope(t, loadModule(t, filepath.Join(s.mod.dir, src)), s.moduleInputs(call))
}

// loadTfvars reads a .tfvars or .hcl file of plain attributes.
func loadTfvars(t *testing.T, path string) map[string]cty.Value {
	t.Helper()
	f := parseFile(t, path)
	out := map[string]cty.Value{}
	for name, a := range f.body.Attributes {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("%s: %s is not a constant: %s", path, name, diags.Error())
		}
		out[name] = v
	}
	if len(f.body.Blocks) > 0 {
		t.Fatalf("%s: only attributes expected", path)
	}
	return out
}

func literalString(t *testing.T, b *hclsyntax.Block, name string) string {
	t.Helper()
	a, ok := b.Body.Attributes[name]
	if !ok {
		t.Fatalf("%s %v has no %s", b.Type, b.Labels, name)
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String {
		t.Fatalf("%s %v: %s is not a literal string", b.Type, b.Labels, name)
	}
	return v.AsString()
}

// Typed accessors. Each reports false for unknown or mistyped values.

func asBool(v cty.Value) (bool, bool) {
	if !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.Bool {
		return false, false
	}
	return v.True(), true
}

func asNumber(v cty.Value) (float64, bool) {
	if !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	return f, true
}

func asString(v cty.Value) (string, bool) {
	if !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

func asStrings(v cty.Value) ([]string, bool) {
	if !v.IsWhollyKnown() || v.IsNull() || !(v.CanIterateElements()) {
		return nil, false
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, ok := asString(e)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

func getAttr(v cty.Value, path ...string) cty.Value {
	for _, p := range path {
		if !v.IsKnown() || v.IsNull() {
			return cty.DynamicVal
		}
		switch {
		case v.Type().IsObjectType():
			if !v.Type().HasAttribute(p) {
				return missing
			}
			v = v.GetAttr(p)
		case v.Type().IsMapType():
			if !v.HasIndex(cty.StringVal(p)).True() {
				return missing
			}
			v = v.Index(cty.StringVal(p))
		default:
			return missing
		}
	}
	return v
}

func objectKeys(v cty.Value) []string {
	if !v.IsKnown() || v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		k, _ := it.Element()
		out = append(out, k.AsString())
	}
	sort.Strings(out)
	return out
}

// blocksOf returns the nested blocks of a type.
func blocksOf(b *hclsyntax.Body, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, c := range b.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// references reports whether expr refers to root.name (e.g. aws_s3_bucket.this).
func references(expr hcl.Expression, root, name string) bool {
	for _, tr := range expr.Variables() {
		if tr.RootName() != root || len(tr) < 2 {
			continue
		}
		if a, ok := tr[1].(hcl.TraverseAttr); ok && a.Name == name {
			return true
		}
	}
	return false
}

// indexKeys returns the string keys root.name is indexed with in expr
// (aws_s3_bucket.this["logs"] → logs).
func indexKeys(expr hcl.Expression, root, name string) []string {
	var out []string
	for _, tr := range expr.Variables() {
		if tr.RootName() != root || len(tr) < 3 {
			continue
		}
		if a, ok := tr[1].(hcl.TraverseAttr); !ok || a.Name != name {
			continue
		}
		if ix, ok := tr[2].(hcl.TraverseIndex); ok && ix.Key.Type() == cty.String {
			out = append(out, ix.Key.AsString())
		}
	}
	return out
}

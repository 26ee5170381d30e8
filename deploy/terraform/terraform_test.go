// Package terraform_test checks the Terraform of deploy/terraform offline:
// every file parses, is `terraform fmt` clean (when terraform is on PATH),
// and the policies of the infrastructure documents hold in every
// environment: encryption everywhere, Multi-AZ in production, backups of
// at least 7 days, no public database, no 0.0.0.0/0 ingress except the load
// balancer, the documented node groups, remote state per environment.
package terraform_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

var environments = []string{"dev", "staging", "production"}

// moduleDirs are the reusable modules of modules/.
func moduleDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("modules/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no modules: %v", err)
	}
	return dirs
}

// allModules are every directory of .tf files: modules, environments and
// the state bootstrap.
func allModules(t *testing.T) []*tfModule {
	t.Helper()
	var out []*tfModule
	for _, d := range moduleDirs(t) {
		out = append(out, loadModule(t, d))
	}
	for _, e := range environments {
		out = append(out, loadModule(t, filepath.Join("environments", e)))
	}
	return append(out, loadModule(t, "bootstrap"))
}

func TestEveryFileParses(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		switch filepath.Ext(path) {
		case ".tf", ".tfvars", ".hcl":
			parseFile(t, path)
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Fatalf("only %d Terraform files found", n)
	}
}

func TestTerraformFmt(t *testing.T) {
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH; the HCL parse test still ran")
	}
	cfg := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "fmt", "-check", "-recursive", "-diff", ".")
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("terraform fmt -check -recursive: %v (run `terraform fmt -recursive deploy/terraform`)\n%s", err, out)
	}
}

func TestModulesAreDocumentedAndPinned(t *testing.T) {
	for _, m := range allModules(t) {
		for name, v := range m.variables {
			if _, ok := v.Body.Attributes["description"]; !ok {
				t.Errorf("%s: variable %s has no description", m.dir, name)
			}
		}
		for name, call := range m.modules {
			src := literalString(t, call, "source")
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(filepath.Join(m.dir, src)); err != nil {
					t.Errorf("%s: module %s: %v", m.dir, name, err)
				}
				continue
			}
			if _, ok := call.Body.Attributes["version"]; !ok {
				t.Errorf("%s: registry module %s (%s) has no pinned version", m.dir, name, src)
			}
		}
		found := false
		for _, f := range m.files {
			for _, b := range blocksOf(f.body, "terraform") {
				found = found || len(blocksOf(b.Body, "required_providers")) > 0
			}
		}
		if !found {
			t.Errorf("%s declares no required_providers", m.dir)
		}
	}
}

// The documents use the community modules for the VPC, EKS and RDS.
func TestCommunityModules(t *testing.T) {
	want := map[string]string{
		"modules/network": "terraform-aws-modules/vpc/aws",
		"modules/eks":     "terraform-aws-modules/eks/aws",
		"modules/rds":     "terraform-aws-modules/rds/aws",
	}
	for dir, src := range want {
		m := loadModule(t, dir)
		ok := false
		for _, call := range m.modules {
			ok = ok || literalString(t, call, "source") == src
		}
		if !ok {
			t.Errorf("%s does not use %s", dir, src)
		}
	}
}

func TestEnvironmentsHaveStateAndVariables(t *testing.T) {
	keys := map[string]string{}
	var mainTF [][]byte
	for _, env := range environments {
		dir := filepath.Join("environments", env)
		for _, f := range []string{"main.tf", "variables.tf", "outputs.tf", "backend.hcl", "terraform.tfvars"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: %v", env, err)
			}
		}
		be := loadTfvars(t, filepath.Join(dir, "backend.hcl"))
		for _, k := range []string{"bucket", "key", "region", "dynamodb_table"} {
			if s, ok := asString(be[k]); !ok || s == "" {
				t.Errorf("%s/backend.hcl: %s missing", env, k)
			}
		}
		if enc, ok := asBool(be["encrypt"]); !ok || !enc {
			t.Errorf("%s/backend.hcl: state must be encrypted (encrypt = true)", env)
		}
		key, _ := asString(be["key"])
		if !strings.Contains(key, env) {
			t.Errorf("%s/backend.hcl: key %q does not name the environment", env, key)
		}
		if other, dup := keys[key]; dup {
			t.Errorf("%s and %s share the state key %q", env, other, key)
		}
		keys[key] = env
		tfvars := loadTfvars(t, filepath.Join(dir, "terraform.tfvars"))
		if s, _ := asString(tfvars["environment"]); s != env {
			t.Errorf("%s/terraform.tfvars: environment = %q", env, s)
		}
		m := loadModule(t, dir)
		for name := range tfvars {
			if _, ok := m.variables[name]; !ok {
				t.Errorf("%s/terraform.tfvars sets undeclared variable %s", env, name)
			}
		}
		for name, v := range m.variables {
			if _, hasDefault := v.Body.Attributes["default"]; !hasDefault {
				if _, set := tfvars[name]; !set {
					t.Errorf("%s: required variable %s is not set in terraform.tfvars", env, name)
				}
			}
		}
		var backend bool
		for _, f := range m.files {
			for _, tb := range blocksOf(f.body, "terraform") {
				for _, b := range blocksOf(tb.Body, "backend") {
					backend = backend || b.Labels[0] == "s3"
				}
			}
		}
		if !backend {
			t.Errorf("%s: no S3 backend", env)
		}
		src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		mainTF = append(mainTF, src)
	}
	for i := 1; i < len(mainTF); i++ {
		if !bytes.Equal(mainTF[0], mainTF[i]) {
			t.Errorf("environments/%s/main.tf differs from dev's: environments differ only in terraform.tfvars and backend.hcl", environments[i])
		}
	}
}

// envScope is an environment's root module with its terraform.tfvars.
func envScope(t *testing.T, env string) *scope {
	t.Helper()
	dir := filepath.Join("environments", env)
	return newScope(t, loadModule(t, dir), loadTfvars(t, filepath.Join(dir, "terraform.tfvars")))
}

func TestCostTags(t *testing.T) {
	for _, env := range environments {
		s := envScope(t, env)
		tags := s.locals["tags"]
		for _, k := range []string{"Project", "Environment", "CostCenter", "Owner"} {
			if v, ok := asString(getAttr(tags, k)); !ok || v == "" {
				t.Errorf("%s: cost allocation tag %s missing from local.tags", env, k)
			}
		}
		if v, _ := asString(getAttr(tags, "Environment")); v != env {
			t.Errorf("%s: Environment tag = %q", env, v)
		}
		for _, p := range s.mod.providers {
			dt := blocksOf(p.Body, "default_tags")
			if len(dt) != 1 || !references(dt[0].Body.Attributes["tags"].Expr, "local", "tags") {
				t.Errorf("%s: provider %v does not apply local.tags as default_tags", env, p.Labels)
			}
		}
	}
}

func TestDatabasePolicy(t *testing.T) {
	for _, env := range environments {
		rds := envScope(t, env).child(t, "rds")
		db := rds.mod.modules["db"]
		body := db.Body
		if v, _ := rds.attr(body, "engine", nil); v.AsString() != "postgres" {
			t.Errorf("%s: engine %v", env, v)
		}
		if v, _ := asString(getAttr(cty.ObjectVal(rds.vars), "engine_version")); !strings.HasPrefix(v, "15") {
			t.Errorf("%s: PostgreSQL %q, documents say 15", env, v)
		}
		if v, ok := asBool(must(rds.attr(body, "storage_encrypted", nil))); !ok || !v {
			t.Errorf("%s: RDS storage_encrypted must be true", env)
		}
		if k, ok := rds.attr(body, "kms_key_id", nil); !ok || k.IsNull() {
			t.Errorf("%s: RDS must use the environment's KMS key", env)
		}
		if v, ok := asNumber(must(rds.attr(body, "backup_retention_period", nil))); !ok || v < 7 {
			t.Errorf("%s: backup_retention_period = %v, want >= 7", env, v)
		}
		if v, ok := asBool(must(rds.attr(body, "publicly_accessible", nil))); !ok || v {
			t.Errorf("%s: RDS must set publicly_accessible = false", env)
		}
		if v, ok := asBool(must(rds.attr(body, "skip_final_snapshot", nil))); !ok || v {
			t.Errorf("%s: a final snapshot must be taken on deletion", env)
		}
		multiAZ, ok := asBool(must(rds.attr(body, "multi_az", nil)))
		if !ok {
			t.Errorf("%s: multi_az cannot be determined", env)
		}
		if env == "production" {
			if !multiAZ {
				t.Errorf("production: RDS must be Multi-AZ")
			}
			if v, _ := asString(must(rds.attr(body, "instance_class", nil))); v != "db.r6g.large" {
				t.Errorf("production: instance class %q, documents say db.r6g.large", v)
			}
			if v, ok := asBool(must(rds.attr(body, "deletion_protection", nil))); !ok || !v {
				t.Errorf("production: RDS deletion protection must be on")
			}
			repl := rds.mod.resourcesOf("aws_db_instance_automated_backups_replication")
			if n, ok := asNumber(must(rds.attr(repl[0].Body, "count", nil))); len(repl) != 1 || !ok || n != 1 {
				t.Errorf("production: automated backups must be replicated to the DR region")
			}
		}
		params := must(rds.attr(body, "parameters", nil))
		forced := false
		for it := params.ElementIterator(); it.Next(); {
			_, p := it.Element()
			if n, _ := asString(getAttr(p, "name")); n == "rds.force_ssl" {
				v, _ := asString(getAttr(p, "value"))
				forced = v == "1"
			}
		}
		if !forced {
			t.Errorf("%s: PostgreSQL must require TLS (rds.force_ssl = 1)", env)
		}
	}
	// Nowhere may a raw DB instance be public or unencrypted either.
	for _, m := range allModules(t) {
		s := newScope(t, m, nil)
		for _, b := range m.resourcesOf("aws_db_instance") {
			if v, ok := asBool(must(s.attr(b.Body, "storage_encrypted", nil))); !ok || !v {
				t.Errorf("%s: aws_db_instance.%s is not encrypted", m.dir, b.Labels[1])
			}
			if v, ok := s.attr(b.Body, "publicly_accessible", nil); ok {
				if pub, _ := asBool(v); pub {
					t.Errorf("%s: aws_db_instance.%s is public", m.dir, b.Labels[1])
				}
			}
		}
	}
}

func must(v cty.Value, _ bool) cty.Value { return v }

func TestCachePolicy(t *testing.T) {
	for _, env := range environments {
		redis := envScope(t, env).child(t, "redis")
		groups := redis.mod.resourcesOf("aws_elasticache_replication_group")
		if len(groups) != 1 {
			t.Fatalf("%s: %d replication groups", env, len(groups))
		}
		body := groups[0].Body
		for _, a := range []string{"at_rest_encryption_enabled", "transit_encryption_enabled"} {
			if v, ok := asBool(must(redis.attr(body, a, nil))); !ok || !v {
				t.Errorf("%s: ElastiCache %s must be true", env, a)
			}
		}
		if k, ok := redis.attr(body, "kms_key_id", nil); !ok || k.IsNull() {
			t.Errorf("%s: ElastiCache must use the environment's KMS key", env)
		}
		if v, _ := asString(must(redis.attr(body, "engine_version", nil))); !strings.HasPrefix(v, "7") {
			t.Errorf("%s: Redis %q, documents say 7", env, v)
		}
		if v, ok := asNumber(must(redis.attr(body, "snapshot_retention_limit", nil))); !ok || v < 1 {
			t.Errorf("%s: Redis snapshots must be kept", env)
		}
		if env == "production" {
			for _, a := range []string{"multi_az_enabled", "automatic_failover_enabled"} {
				if v, ok := asBool(must(redis.attr(body, a, nil))); !ok || !v {
					t.Errorf("production: Redis %s must be true", a)
				}
			}
		}
	}
}

// Every bucket, wherever declared, is versioned, encrypted, closed to the
// public and has a lifecycle.
func TestBucketPolicy(t *testing.T) {
	companions := []string{"aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration",
		"aws_s3_bucket_public_access_block", "aws_s3_bucket_lifecycle_configuration"}
	buckets := 0
	for _, m := range allModules(t) {
		s := newScope(t, m, nil)
		for _, bucket := range m.resourcesOf("aws_s3_bucket") {
			buckets++
			name := bucket.Labels[1]
			// Keys of a for_each bucket, when they are known here.
			var keys []string
			if fe, ok := bucket.Body.Attributes["for_each"]; ok {
				keys = objectKeys(s.eval(fe.Expr, nil))
			}
			for _, typ := range companions {
				covered := map[string]bool{}
				all := false
				for _, c := range m.resourcesOf(typ) {
					bucketAttr := c.Body.Attributes["bucket"]
					fe := c.Body.Attributes["for_each"]
					switch {
					case fe != nil && references(fe.Expr, "aws_s3_bucket", name):
						all = true
					case bucketAttr != nil && references(bucketAttr.Expr, "aws_s3_bucket", name):
						ix := indexKeys(bucketAttr.Expr, "aws_s3_bucket", name)
						if len(ix) == 0 {
							all = true
						}
						for _, k := range ix {
							covered[k] = true
						}
					default:
						continue
					}
					checkCompanion(t, m, s, typ, c)
				}
				if all {
					continue
				}
				if len(keys) == 0 && len(covered) == 0 {
					t.Errorf("%s: aws_s3_bucket.%s has no %s", m.dir, name, typ)
				}
				for _, k := range keys {
					if !covered[k] {
						t.Errorf("%s: aws_s3_bucket.%s[%q] has no %s", m.dir, name, k, typ)
					}
				}
			}
		}
	}
	if buckets < 3 {
		t.Fatalf("found %d bucket resources; the documents need assets, backups and logs", buckets)
	}
	// The three buckets of the documents.
	st := loadModule(t, "modules/storage")
	keys := objectKeys(newScope(t, st, map[string]cty.Value{"name": cty.StringVal("x"), "kms_key_arn": cty.StringVal("k")}).locals["buckets"])
	if !slices.Equal(keys, []string{"assets", "backups", "logs"}) {
		t.Errorf("storage buckets %v, want assets, backups, logs", keys)
	}
}

func checkCompanion(t *testing.T, m *tfModule, s *scope, typ string, c *hclsyntax.Block) {
	t.Helper()
	where := m.dir + ": " + typ + "." + c.Labels[1]
	switch typ {
	case "aws_s3_bucket_versioning":
		vc := blocksOf(c.Body, "versioning_configuration")
		if len(vc) != 1 {
			t.Errorf("%s: no versioning_configuration", where)
			return
		}
		if v, _ := asString(must(s.attr(vc[0].Body, "status", nil))); v != "Enabled" {
			t.Errorf("%s: versioning status %q", where, v)
		}
	case "aws_s3_bucket_server_side_encryption_configuration":
		ok := false
		for _, r := range blocksOf(c.Body, "rule") {
			for _, d := range blocksOf(r.Body, "apply_server_side_encryption_by_default") {
				_, ok = d.Body.Attributes["sse_algorithm"]
			}
		}
		if !ok {
			t.Errorf("%s: no default encryption", where)
		}
	case "aws_s3_bucket_public_access_block":
		for _, a := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
			if v, ok := asBool(must(s.attr(c.Body, a, nil))); !ok || !v {
				t.Errorf("%s: %s must be true", where, a)
			}
		}
	case "aws_s3_bucket_lifecycle_configuration":
		if len(blocksOf(c.Body, "rule")) == 0 {
			t.Errorf("%s: no lifecycle rule", where)
		}
	}
}

// openCIDRs are the addresses of the whole internet.
var openCIDRs = []string{"0.0.0.0/0", "::/0"}

// isLoadBalancer says whether a resource is the ingress load balancer's:
// by name, or by its Role = "load-balancer" tag.
func isLoadBalancer(b *hclsyntax.Block) bool {
	if b == nil || len(b.Labels) < 2 {
		return false
	}
	name := strings.ToLower(b.Labels[1])
	if strings.Contains(name, "load_balancer") || strings.HasPrefix(name, "lb_") || strings.HasSuffix(name, "_lb") {
		return true
	}
	if tags, ok := b.Body.Attributes["tags"]; ok {
		src := tags.Expr.Range().SliceBytes(mustRead(tags.SrcRange.Filename))
		return bytes.Contains(src, []byte(`Role = "load-balancer"`))
	}
	return false
}

func mustRead(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

// TestNoOpenIngress: 0.0.0.0/0 (or ::/0) appears only in egress rules, in
// validations that forbid it, or on the load balancer — in the source of
// every module and in every environment's evaluated inputs.
func TestNoOpenIngress(t *testing.T) {
	for _, m := range allModules(t) {
		for _, f := range m.files {
			walkBody(f.body, nil, func(path []*hclsyntax.Block, name string, a *hclsyntax.Attribute) {
				src := a.Expr.Range().SliceBytes(f.src)
				open := false
				for _, c := range openCIDRs {
					open = open || bytes.Contains(src, []byte(`"`+c+`"`))
				}
				if !open || allowedOpen(path, name, src) {
					return
				}
				t.Errorf("%s: %s opens ingress to the internet: %s", a.SrcRange, name, src)
			})
		}
	}
	// Inputs that feed ingress rules, as each environment sets them.
	for _, env := range environments {
		s := envScope(t, env)
		for _, v := range []string{"eks_api_allowed_cidrs"} {
			cidrs, ok := asStrings(s.vars[v])
			if !ok {
				t.Errorf("%s: %s cannot be evaluated", env, v)
			}
			for _, c := range cidrs {
				if slices.Contains(openCIDRs, c) {
					t.Errorf("%s: %s contains %s", env, v, c)
				}
			}
		}
		eks := s.child(t, "eks")
		for _, v := range []string{"api_allowed_cidrs", "ingress_allowed_cidrs"} {
			cidrs, _ := asStrings(eks.vars[v])
			for _, c := range cidrs {
				if slices.Contains(openCIDRs, c) {
					t.Errorf("%s: eks %s contains %s", env, v, c)
				}
			}
		}
		if v, ok := asBool(must(eks.attr(eks.mod.modules["eks"].Body, "cluster_endpoint_private_access", nil))); !ok || !v {
			t.Errorf("%s: the Kubernetes API must have its private endpoint", env)
		}
	}
}

// walkBody calls fn for every attribute, with the blocks enclosing it.
func walkBody(b *hclsyntax.Body, path []*hclsyntax.Block, fn func(path []*hclsyntax.Block, name string, a *hclsyntax.Attribute)) {
	for name, a := range b.Attributes {
		fn(path, name, a)
	}
	for _, c := range b.Blocks {
		walkBody(c.Body, append(slices.Clone(path), c), fn)
	}
}

func allowedOpen(path []*hclsyntax.Block, name string, src []byte) bool {
	if strings.Contains(name, "egress") {
		return true
	}
	for _, b := range path {
		switch b.Type {
		case "egress", "validation", "precondition", "postcondition":
			return true
		case "resource":
			if b.Labels[0] == "aws_vpc_security_group_egress_rule" || isLoadBalancer(b) {
				return true
			}
			if b.Labels[0] == "aws_security_group_rule" {
				if ty, ok := b.Body.Attributes["type"]; ok {
					if v, _ := ty.Expr.Value(nil); v.Type() == cty.String && v.AsString() == "egress" {
						return true
					}
				}
			}
		}
	}
	// Rules written as objects (module inputs): their type says.
	return bytes.Contains(src, []byte(`type = "egress"`)) && !bytes.Contains(src, []byte(`type = "ingress"`))
}

// TestNodeGroups: the documents' node groups, in production exactly.
func TestNodeGroups(t *testing.T) {
	for _, env := range environments {
		eks := envScope(t, env).child(t, "eks")
		groups := must(eks.attr(eks.mod.modules["eks"].Body, "eks_managed_node_groups", nil))
		keys := objectKeys(groups)
		if !slices.Contains(keys, "application") {
			t.Fatalf("%s: node groups %v lack application", env, keys)
		}
		for _, k := range keys {
			g := getAttr(groups, k)
			lo, ok1 := asNumber(getAttr(g, "min_size"))
			hi, ok2 := asNumber(getAttr(g, "max_size"))
			want, ok3 := asNumber(getAttr(g, "desired_size"))
			if !ok1 || !ok2 || !ok3 || lo > want || want > hi {
				t.Errorf("%s: node group %s sizes min %v desired %v max %v", env, k, lo, want, hi)
			}
			enc, ok := asBool(getAttr(g, "block_device_mappings", "xvda", "ebs", "encrypted"))
			if !ok || !enc {
				t.Errorf("%s: node group %s root volume must be encrypted", env, k)
			}
		}
		if env != "production" {
			continue
		}
		check := func(name, instance string, lo, hi, desired float64) {
			g := getAttr(groups, name)
			types, _ := asStrings(getAttr(g, "instance_types"))
			mn, _ := asNumber(getAttr(g, "min_size"))
			mx, _ := asNumber(getAttr(g, "max_size"))
			ds, _ := asNumber(getAttr(g, "desired_size"))
			if !slices.Equal(types, []string{instance}) || mn != lo || mx != hi || ds != desired {
				t.Errorf("production: node group %s = %v %v–%v (%v desired), documents say %s %v–%v (%v desired)",
					name, types, mn, mx, ds, instance, lo, hi, desired)
			}
		}
		check("application", "m5.large", 2, 10, 3)
		check("gpu", "g4dn.xlarge", 1, 5, 2)
		taints := getAttr(groups, "gpu", "taints")
		found := false
		for _, k := range objectKeys(taints) {
			key, _ := asString(getAttr(taints, k, "key"))
			effect, _ := asString(getAttr(taints, k, "effect"))
			found = found || (key == "nvidia.com/gpu" && effect == "NO_SCHEDULE")
		}
		if !found {
			t.Error("production: the GPU node group must be tainted nvidia.com/gpu:NoSchedule")
		}
	}
}

func TestNetworkMatchesDocuments(t *testing.T) {
	net := envScope(t, "production").child(t, "network")
	vpc := net.mod.modules["vpc"].Body
	if v, _ := asString(must(net.attr(vpc, "cidr", nil))); v != "10.0.0.0/16" {
		t.Errorf("VPC CIDR %q", v)
	}
	for attr, want := range map[string][]string{
		"public_subnets":  {"10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"},
		"private_subnets": {"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"},
		"azs":             {"us-east-1a", "us-east-1b", "us-east-1c"},
	} {
		if got, _ := asStrings(must(net.attr(vpc, attr, nil))); !slices.Equal(got, want) {
			t.Errorf("VPC %s = %v, want %v", attr, got, want)
		}
	}
	if v, _ := asBool(must(net.attr(vpc, "one_nat_gateway_per_az", nil))); !v {
		t.Error("production: one NAT gateway per AZ")
	}
	if v, _ := asBool(must(net.attr(vpc, "enable_flow_log", nil))); !v {
		t.Error("VPC flow logs must be on")
	}
}

// TestEncryptionEverywhere: keys rotate; secrets, images, logs and topics
// use the environment's key.
func TestEncryptionEverywhere(t *testing.T) {
	for _, m := range allModules(t) {
		s := newScope(t, m, nil)
		for _, b := range m.resourcesOf("aws_kms_key") {
			if v, ok := asBool(must(s.attr(b.Body, "enable_key_rotation", nil))); !ok || !v {
				t.Errorf("%s: aws_kms_key.%s must rotate", m.dir, b.Labels[1])
			}
		}
		for _, typ := range []string{"aws_secretsmanager_secret"} {
			for _, b := range m.resourcesOf(typ) {
				if _, ok := b.Body.Attributes["kms_key_id"]; !ok {
					t.Errorf("%s: %s.%s has no kms_key_id", m.dir, typ, b.Labels[1])
				}
			}
		}
		for _, b := range m.resourcesOf("aws_sns_topic") {
			if _, ok := b.Body.Attributes["kms_master_key_id"]; !ok {
				t.Errorf("%s: aws_sns_topic.%s is not encrypted", m.dir, b.Labels[1])
			}
		}
		for _, b := range m.resourcesOf("aws_dynamodb_table") {
			sse := blocksOf(b.Body, "server_side_encryption")
			if len(sse) != 1 {
				t.Errorf("%s: aws_dynamodb_table.%s is not encrypted with a customer key", m.dir, b.Labels[1])
			}
		}
		for _, b := range m.resourcesOf("aws_ecr_repository") {
			scan := blocksOf(b.Body, "image_scanning_configuration")
			if len(scan) != 1 {
				t.Errorf("%s: ECR %s has no image scanning", m.dir, b.Labels[1])
			} else if v, _ := asBool(must(s.attr(scan[0].Body, "scan_on_push", nil))); !v {
				t.Errorf("%s: ECR %s must scan on push", m.dir, b.Labels[1])
			}
			if v, _ := asString(must(s.attr(b.Body, "image_tag_mutability", nil))); v != "IMMUTABLE" {
				t.Errorf("%s: ECR %s tags must be immutable", m.dir, b.Labels[1])
			}
			enc := blocksOf(b.Body, "encryption_configuration")
			if len(enc) != 1 {
				t.Errorf("%s: ECR %s is not KMS-encrypted", m.dir, b.Labels[1])
			} else if v, _ := asString(must(s.attr(enc[0].Body, "encryption_type", nil))); v != "KMS" {
				t.Errorf("%s: ECR %s encryption %q", m.dir, b.Labels[1], v)
			}
		}
	}
	eks := loadModule(t, "modules/eks")
	enc := eks.modules["eks"].Body.Attributes["cluster_encryption_config"]
	if enc == nil || !references(enc.Expr, "var", "kms_key_arn") {
		t.Error("EKS secrets must be encrypted with the environment key")
	}
}

func TestEdgePolicy(t *testing.T) {
	m := loadModule(t, "modules/edge")
	s := newScope(t, m, map[string]cty.Value{
		"name": cty.StringVal("pathavana-test"), "zone_name": cty.StringVal("pathavana.com"),
		"hostnames":               cty.ListVal([]cty.Value{cty.StringVal("pathavana.com")}),
		"origin_hostname":         cty.StringVal("origin.pathavana.com"),
		"logs_bucket_domain_name": cty.StringVal("logs.s3.amazonaws.com"),
		"primary_load_balancer": cty.ObjectVal(map[string]cty.Value{
			"dns_name": cty.StringVal("lb.elb.amazonaws.com"), "zone_id": cty.StringVal("Z1")}),
	})
	cdn := m.resourcesOf("aws_cloudfront_distribution")
	if len(cdn) != 1 {
		t.Fatalf("%d distributions", len(cdn))
	}
	body := cdn[0].Body
	if _, ok := body.Attributes["web_acl_id"]; !ok {
		t.Error("CloudFront must be protected by the WAF")
	}
	vc := blocksOf(body, "viewer_certificate")
	if v, _ := asString(must(s.attr(vc[0].Body, "minimum_protocol_version", nil))); !strings.HasPrefix(v, "TLSv1.2") {
		t.Errorf("viewer TLS minimum %q, want TLS 1.2+", v)
	}
	for _, typ := range []string{"default_cache_behavior", "ordered_cache_behavior"} {
		for _, b := range blocksOf(body, typ) {
			if v, _ := asString(must(s.attr(b.Body, "viewer_protocol_policy", nil))); v != "redirect-to-https" && v != "https-only" {
				t.Errorf("%s viewer_protocol_policy %q", typ, v)
			}
		}
	}
	for _, o := range blocksOf(body, "origin") {
		for _, c := range blocksOf(o.Body, "custom_origin_config") {
			if v, _ := asString(must(s.attr(c.Body, "origin_protocol_policy", nil))); v != "https-only" {
				t.Errorf("origin protocol %q", v)
			}
			if v, _ := asStrings(must(s.attr(c.Body, "origin_ssl_protocols", nil))); !slices.Equal(v, []string{"TLSv1.2"}) {
				t.Errorf("origin TLS %v", v)
			}
		}
	}
	// Route 53: the origin record fails over on a health check.
	var primary bool
	for _, r := range m.resourcesOf("aws_route53_record") {
		fo := blocksOf(r.Body, "failover_routing_policy")
		if len(fo) == 0 {
			continue
		}
		if _, ok := r.Body.Attributes["health_check_id"]; !ok {
			t.Errorf("failover record %s has no health check", r.Labels[1])
		}
		ty := s.eval(fo[0].Body.Attributes["type"].Expr, map[string]cty.Value{
			"each": cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal("primary"), "value": cty.DynamicVal})})
		primary = primary || ty.AsString() == "PRIMARY"
	}
	if !primary {
		t.Error("no PRIMARY failover record")
	}
	if hc := m.resourcesOf("aws_route53_health_check"); len(hc) == 0 {
		t.Error("no Route 53 health check")
	} else if v, _ := asString(must(s.attr(hc[0].Body, "resource_path", nil))); v != "/readyz" {
		t.Errorf("health check path %q, want /readyz", v)
	}
	for _, c := range m.resourcesOf("aws_acm_certificate") {
		if v, _ := asString(must(s.attr(c.Body, "validation_method", nil))); v != "DNS" {
			t.Errorf("certificate %s validation %q, documents say DNS", c.Labels[1], v)
		}
	}
	if len(m.resourcesOf("aws_wafv2_web_acl")) != 1 {
		t.Error("no WAF web ACL")
	}
	if v, _ := asBool(s.locals["serve"]); !v {
		t.Error("with a load balancer the edge must serve")
	}
	// First deployment: no load balancer yet, certificates only.
	first := newScope(t, m, map[string]cty.Value{
		"name": cty.StringVal("pathavana-test"), "zone_name": cty.StringVal("pathavana.com"),
		"hostnames":               cty.ListVal([]cty.Value{cty.StringVal("pathavana.com")}),
		"origin_hostname":         cty.StringVal("origin.pathavana.com"),
		"logs_bucket_domain_name": cty.StringVal("logs.s3.amazonaws.com"),
	})
	if v, ok := asBool(first.locals["serve"]); !ok || v || len(objectKeys(first.locals["regions"])) != 0 {
		t.Errorf("without a load balancer the edge must create certificates only (serve=%v regions=%v)", v, objectKeys(first.locals["regions"]))
	}
}

// TestAccessMatrix: the roles of the documents and the application's IRSA
// role bound to ServiceAccount pathavana/pathavana.
func TestAccessMatrix(t *testing.T) {
	m := loadModule(t, "modules/security")
	names := map[string]bool{}
	for _, b := range m.resourcesOf("aws_iam_role") {
		names[b.Labels[1]] = true
	}
	for _, want := range []string{"platform_admin", "developer", "ci_cd", "monitoring", "app", "external_secrets"} {
		if !names[want] {
			t.Errorf("security module lacks IAM role %s", want)
		}
	}
	s := newScope(t, m, map[string]cty.Value{"name": cty.StringVal("pathavana-test"), "environment": cty.StringVal("production")})
	if v, _ := asString(s.locals["app_subject"]); v != "system:serviceaccount:pathavana:pathavana" {
		t.Errorf("IRSA subject %q", v)
	}
	if v, _ := asString(s.locals["eso_subject"]); v != "system:serviceaccount:pathavana:pathavana-external-secrets" {
		t.Errorf("External Secrets IRSA subject %q", v)
	}
	var trusted bool
	for _, b := range m.resources {
		if b.Type != "data" || b.Labels[1] != "app_assume" {
			continue
		}
		for _, st := range blocksOf(b.Body, "statement") {
			for _, c := range blocksOf(st.Body, "condition") {
				trusted = trusted || references(c.Body.Attributes["values"].Expr, "local", "app_subject")
			}
		}
	}
	if !trusted {
		t.Error("the app role must trust only the pathavana ServiceAccount")
	}
	src := string(mustRead("modules/security/iam.tf"))
	if !strings.Contains(src, `"aws:MultiFactorAuthPresent"`) {
		t.Error("human roles must require MFA")
	}
	for _, env := range environments {
		entries := envScope(t, env).mod.modules["eks"].Body.Attributes["access_entries"]
		text := string(entries.Expr.Range().SliceBytes(mustRead(entries.SrcRange.Filename)))
		for _, role := range []string{"platform-admin", "developer", "ci-cd", "monitoring"} {
			if !strings.Contains(text, role+" = {") {
				t.Errorf("%s: no EKS access entry for %s", env, role)
			}
		}
	}
}

func TestBudgets(t *testing.T) {
	m := loadModule(t, "modules/budgets")
	s := newScope(t, m, nil)
	var got []float64
	for _, v := range s.vars["alert_thresholds"].AsValueSlice() {
		n, _ := asNumber(v)
		got = append(got, n)
	}
	if !slices.Equal(got, []float64{50, 80, 100}) {
		t.Errorf("budget alert thresholds %v, documents say 50/80/100", got)
	}
	b := m.resourcesOf("aws_budgets_budget")
	if len(b) != 1 {
		t.Fatal("no budget")
	}
	dyn := blocksOf(b[0].Body, "dynamic")
	if len(dyn) != 1 || dyn[0].Labels[0] != "notification" || !references(dyn[0].Body.Attributes["for_each"].Expr, "var", "alert_thresholds") {
		t.Error("one notification per alert threshold")
	}
	for env, want := range map[string]float64{"production": 1000} {
		s := envScope(t, env)
		if v, _ := asNumber(s.vars["monthly_budget_usd"]); v != want {
			t.Errorf("%s budget %v, documents say %v", env, v, want)
		}
	}
	for _, env := range environments {
		if emails, ok := asStrings(envScope(t, env).vars["alert_emails"]); !ok || len(emails) == 0 {
			t.Errorf("%s: nobody receives budget alerts", env)
		}
	}
}

// TestPlanGuards: the environments refuse, at plan time, a production
// without Multi-AZ or DR, and backups under 7 days.
func TestPlanGuards(t *testing.T) {
	s := envScope(t, "production")
	var guard *hclsyntax.Block
	for _, b := range s.mod.resourcesOf("terraform_data") {
		if b.Labels[1] == "policy" {
			guard = b
		}
	}
	if guard == nil {
		t.Fatal("no terraform_data.policy guard")
	}
	eval := func(sc *scope) []bool {
		var out []bool
		for _, lc := range blocksOf(guard.Body, "lifecycle") {
			for _, p := range blocksOf(lc.Body, "precondition") {
				v, _ := asBool(sc.eval(p.Body.Attributes["condition"].Expr, nil))
				out = append(out, v)
			}
		}
		return out
	}
	for _, env := range environments {
		for i, ok := range eval(envScope(t, env)) {
			if !ok {
				t.Errorf("%s: precondition %d fails with its own terraform.tfvars", env, i)
			}
		}
	}
	tfvars := loadTfvars(t, "environments/production/terraform.tfvars")
	tfvars["db_multi_az"] = cty.False
	bad := newScope(t, s.mod, tfvars)
	if res := eval(bad); !slices.Contains(res, false) {
		t.Error("a single-AZ production database passes the guard")
	}
}

// appSecretKeys are the keys of the JSON document Terraform writes into
// Secrets Manager secret pathavana/<env>/app.
func appSecretKeys(t *testing.T) []string {
	t.Helper()
	m := loadModule(t, "modules/security")
	for _, b := range m.resourcesOf("aws_secretsmanager_secret_version") {
		if b.Labels[1] != "app" {
			continue
		}
		call, ok := b.Body.Attributes["secret_string"].Expr.(*hclsyntax.FunctionCallExpr)
		if !ok || call.Name != "jsonencode" {
			t.Fatal("the app secret is not a jsonencode({...}) document")
		}
		obj := call.Args[0].(*hclsyntax.ObjectConsExpr)
		var keys []string
		for _, item := range obj.Items {
			k, diags := item.KeyExpr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("app secret key: %s", diags.Error())
			}
			keys = append(keys, k.AsString())
		}
		return keys
	}
	t.Fatal("no app secret version")
	return nil
}

// TestSecretsMatchTheExternalSecret: every key the Kubernetes
// ExternalSecret reads from pathavana/<env>/app exists in the secret
// Terraform creates, so a first deployment finds all it needs.
func TestSecretsMatchTheExternalSecret(t *testing.T) {
	keys := appSecretKeys(t)
	for _, want := range []string{"PATHAVANA_DATABASE_URL", "PATHAVANA_REDIS_URL", "PATHAVANA_JWT_SECRETS", "PATHAVANA_PII_KEYS", "PATHAVANA_PII_INDEX_KEY"} {
		if !slices.Contains(keys, want) {
			t.Errorf("the app secret lacks %s", want)
		}
	}
	raw, err := os.ReadFile("../k8s/base/externalsecret.yaml")
	if err != nil {
		t.Skipf("no ExternalSecret to compare with: %v", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	seen := 0
	for {
		var doc struct {
			Kind string `yaml:"kind"`
			Spec struct {
				Data []struct {
					RemoteRef struct {
						Key      string `yaml:"key"`
						Property string `yaml:"property"`
					} `yaml:"remoteRef"`
				} `yaml:"data"`
			} `yaml:"spec"`
		}
		if err := dec.Decode(&doc); err != nil {
			break
		}
		if doc.Kind != "ExternalSecret" {
			continue
		}
		for _, d := range doc.Spec.Data {
			parts := strings.Split(d.RemoteRef.Key, "/")
			if len(parts) != 3 || parts[0] != "pathavana" || !slices.Contains(environments, parts[1]) {
				t.Errorf("ExternalSecret reads %q; Terraform creates pathavana/<env>/app and pathavana/<env>/redis", d.RemoteRef.Key)
				continue
			}
			seen++
			if parts[2] == "app" && d.RemoteRef.Property != "" && !slices.Contains(keys, d.RemoteRef.Property) {
				t.Errorf("ExternalSecret reads %s from %s, which Terraform does not create (it writes %v)",
					d.RemoteRef.Property, d.RemoteRef.Key, keys)
			}
		}
	}
	if seen == 0 {
		t.Log("the ExternalSecret reads no pathavana/<env>/… keys")
	}
}

// TestOverlaysMatchTerraform: each Kubernetes overlay names what this
// environment's Terraform creates: the IRSA roles <name>-app and
// <name>-external-secrets, the secret pathavana/<env>/app, the region of
// Secrets Manager and the backups bucket <name>-backups.
func TestOverlaysMatchTerraform(t *testing.T) {
	for _, env := range environments {
		s := envScope(t, env)
		name, _ := asString(s.locals["name"])
		region, _ := asString(s.vars["region"])
		if name != "pathavana-"+env || region == "" {
			t.Fatalf("%s: name %q region %q", env, name, region)
		}
		var overlay strings.Builder
		files, _ := filepath.Glob(filepath.Join("../k8s/overlays", env, "*.yaml"))
		for _, f := range files {
			overlay.Write(mustRead(f))
		}
		text := overlay.String()
		for _, want := range []string{
			"eks.amazonaws.com/role-arn: arn:aws:iam::000000000000:role/" + name + "-app\n",
			"eks.amazonaws.com/role-arn: arn:aws:iam::000000000000:role/" + name + "-external-secrets\n",
			"value: pathavana/" + env + "/app\n",
			"kind: SecretStore",
			"region: " + region + "\n",
			"AWS_REGION=" + region + "\n",
			"BACKUP_S3_URI=s3://" + name + "-backups/daily\n",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("overlay %s does not contain %q", env, want)
			}
		}
	}
}

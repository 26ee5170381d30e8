package deploy_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// expectation is what one rendering (kustomize overlay or Helm values set)
// must contain beyond the properties every rendering shares.
type expectation struct {
	env         string // PATHAVANA_ENV
	hpa         *[3]int32
	apiReplicas int32 // when hpa is nil
	namespace   bool  // renders its Namespace (with Pod Security labels)
	secretKey   string
	awsEnv      string // deploy/terraform environment: IRSA roles, buckets
	region      string // AWS region of Secrets Manager and the backups bucket
	hosts       []string
	llm         bool
}

// workload is one pod template with where it came from.
type workload struct {
	id        string
	component string
	tmpl      corev1.PodTemplateSpec
}

func workloads(objs []object) []workload {
	var out []workload
	for _, o := range objs {
		switch v := o.Obj.(type) {
		case *appsv1.Deployment:
			out = append(out, workload{o.id(), v.Spec.Template.Labels["app.kubernetes.io/component"], v.Spec.Template})
		case *batchv1.Job:
			out = append(out, workload{o.id(), v.Spec.Template.Labels["app.kubernetes.io/component"], v.Spec.Template})
		case *batchv1.CronJob:
			tmpl := v.Spec.JobTemplate.Spec.Template
			out = append(out, workload{o.id(), tmpl.Labels["app.kubernetes.io/component"], tmpl})
		}
	}
	return out
}

func byKind[T any](objs []object) []T {
	var out []T
	for _, o := range objs {
		if v, ok := o.Obj.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// readmeVariables returns every environment variable documented in the
// README's configuration table, expanding the "`PATHAVANA_X_A` / `_B`"
// shorthand the table uses for pairs.
func readmeVariables(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	vars := map[string]bool{}
	tick := regexp.MustCompile("`([A-Z_][A-Z0-9_]*)`")
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line, "|", 3)[1]
		var base string
		for _, m := range tick.FindAllStringSubmatch(first, -1) {
			name := m[1]
			if strings.HasPrefix(name, "_") && base != "" {
				parts := strings.Split(base, "_")
				n := strings.Count(name, "_")
				name = strings.Join(parts[:len(parts)-n], "_") + name
			} else {
				base = name
			}
			vars[name] = true
		}
	}
	if len(vars) < 30 || !vars["PATHAVANA_TLS_KEY_FILE"] || !vars["PATHAVANA_WRITE_TIMEOUT"] {
		t.Fatalf("README configuration table not parsed as expected: %d variables", len(vars))
	}
	return vars
}

// Variables the deployment sets ahead of the app: the app reads them in a
// later issue (LLM endpoint), and the standard OpenTelemetry variables the
// README says apply.
var extraVariables = map[string]bool{
	"PATHAVANA_LLM_BASE_URL":      true,
	"OTEL_EXPORTER_OTLP_ENDPOINT": true,
	"OTEL_TRACES_SAMPLER":         true,
	"OTEL_TRACES_SAMPLER_ARG":     true,
	"SSL_CERT_DIR":                true, // Go's crypto/x509 (docker-compose only)
}

func checkVariable(t *testing.T, documented map[string]bool, where, name string) {
	t.Helper()
	if !documented[name] && !extraVariables[name] {
		t.Errorf("%s: environment variable %s is not documented in README.md", where, name)
	}
}

func isPathavanaContainer(c corev1.Container) bool {
	return strings.Contains(c.Image, "pathavana")
}

// checkManifests asserts the security, availability and wiring properties
// on one complete rendering.
func checkManifests(t *testing.T, objs []object, want expectation) {
	t.Helper()
	if len(objs) == 0 {
		t.Fatal("no objects rendered")
	}
	documented := readmeVariables(t)
	names := map[string]object{}
	for _, o := range objs {
		if _, dup := names[o.id()]; dup {
			t.Errorf("duplicate object %s", o.id())
		}
		names[o.id()] = o
	}
	has := func(kind, name string) bool { _, ok := names[kind+"/"+name]; return ok }

	// Namespace with Pod Security "restricted".
	nss := byKind[*corev1.Namespace](objs)
	if want.namespace {
		if len(nss) != 1 {
			t.Errorf("want exactly one Namespace, got %d", len(nss))
		}
		for _, ns := range nss {
			if ns.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
				t.Errorf("Namespace %s: pod-security.kubernetes.io/enforce = %q, want restricted", ns.Name, ns.Labels["pod-security.kubernetes.io/enforce"])
			}
		}
	}

	// Service accounts never mount API tokens.
	sas := byKind[*corev1.ServiceAccount](objs)
	if len(sas) == 0 {
		t.Error("no ServiceAccount")
	}
	for _, sa := range sas {
		if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
			t.Errorf("ServiceAccount %s: automountServiceAccountToken must be false", sa.Name)
		}
	}
	// IRSA: the roles deploy/terraform's security module creates
	// (<name>-app, <name>-external-secrets with name pathavana-<env>); the
	// account placeholder is what the deploy action replaces.
	for sa, role := range map[string]string{"pathavana": "app", "pathavana-external-secrets": "external-secrets"} {
		o, ok := names["ServiceAccount/"+sa]
		if !ok {
			t.Errorf("no ServiceAccount %s", sa)
			continue
		}
		wantARN := "arn:aws:iam::000000000000:role/pathavana-" + want.awsEnv + "-" + role
		if got := o.Obj.(*corev1.ServiceAccount).Annotations["eks.amazonaws.com/role-arn"]; got != wantARN {
			t.Errorf("ServiceAccount %s: eks.amazonaws.com/role-arn = %q, want %q", sa, got, wantARN)
		}
	}

	// Secrets: ExternalSecrets from AWS Secrets Manager through a store that exists.
	secretNames := map[string]bool{}
	for _, es := range byKind[*externalSecret](objs) {
		secretNames[es.Spec.Target.Name] = true
		if !has("SecretStore", es.Spec.SecretStoreRef.Name) {
			t.Errorf("ExternalSecret %s: SecretStore %q not rendered", es.Metadata.Name, es.Spec.SecretStoreRef.Name)
		}
		var keys []string
		for _, d := range es.Spec.Data {
			keys = append(keys, d.SecretKey)
			checkVariable(t, documented, "ExternalSecret "+es.Metadata.Name, d.SecretKey)
			if d.RemoteRef.Key != want.secretKey || d.RemoteRef.Property != d.SecretKey {
				t.Errorf("ExternalSecret %s: %s from %s/%s, want %s/%s", es.Metadata.Name, d.SecretKey, d.RemoteRef.Key, d.RemoteRef.Property, want.secretKey, d.SecretKey)
			}
		}
		for _, k := range []string{"PATHAVANA_DATABASE_URL", "PATHAVANA_REDIS_URL", "PATHAVANA_JWT_SECRETS", "PATHAVANA_PII_KEYS", "PATHAVANA_PII_INDEX_KEY"} {
			if !slices.Contains(keys, k) {
				t.Errorf("ExternalSecret %s does not provide %s", es.Metadata.Name, k)
			}
		}
	}
	if len(secretNames) == 0 {
		t.Error("no ExternalSecret")
	}
	for _, ss := range byKind[*secretStore](objs) {
		if ss.Spec.Provider.AWS.Service != "SecretsManager" || ss.Spec.Provider.AWS.Region != want.region {
			t.Errorf("SecretStore %s: want AWS SecretsManager in %s, got %s in %q", ss.Metadata.Name, want.region, ss.Spec.Provider.AWS.Service, ss.Spec.Provider.AWS.Region)
		}
		if !has("ServiceAccount", ss.Spec.Provider.AWS.Auth.JWT.ServiceAccountRef.Name) {
			t.Errorf("SecretStore %s: service account %q not rendered", ss.Metadata.Name, ss.Spec.Provider.AWS.Auth.JWT.ServiceAccountRef.Name)
		}
	}

	// Configuration: names documented, environment as expected.
	configMaps := map[string]*corev1.ConfigMap{}
	var appConfig *corev1.ConfigMap
	for _, cm := range byKind[*corev1.ConfigMap](objs) {
		configMaps[cm.Name] = cm
		if strings.HasPrefix(cm.Name, "pathavana-config") {
			appConfig = cm
		}
	}
	if appConfig == nil {
		t.Fatal("no pathavana-config ConfigMap")
	}
	for k := range appConfig.Data {
		checkVariable(t, documented, "ConfigMap "+appConfig.Name, k)
	}
	if got := appConfig.Data["PATHAVANA_ENV"]; got != want.env {
		t.Errorf("PATHAVANA_ENV = %q, want %q", got, want.env)
	}
	for k, v := range map[string]string{"PATHAVANA_MIGRATE": "false", "PATHAVANA_EMBED_WORKER": "false", "PATHAVANA_METRICS_ADDR": ":9090", "PATHAVANA_RATE_LIMIT": "100", "PATHAVANA_DATA_DIR": "/data"} {
		if appConfig.Data[k] != v {
			t.Errorf("ConfigMap %s: %s = %q, want %q", appConfig.Name, k, appConfig.Data[k], v)
		}
	}
	if u := appConfig.Data["PATHAVANA_PUBLIC_URL"]; !strings.HasPrefix(u, "https://") {
		t.Errorf("PATHAVANA_PUBLIC_URL = %q, want https", u)
	}

	// Every workload: restricted pod security, limits, no token, probes.
	wls := workloads(objs)
	components := map[string]bool{}
	for _, w := range wls {
		components[w.component] = true
		checkPod(t, w, names, configMaps, secretNames, documented)
	}
	for _, c := range []string{"api", "worker", "migrate", "retention", "backup"} {
		if !components[c] {
			t.Errorf("no workload for component %s", c)
		}
	}

	// Commands: serve, worker, migrate up, worker --once; backup streams to S3.
	wantArgs := map[string][]string{
		"api": {"serve"}, "worker": {"worker"}, "migrate": {"migrate", "up"},
		"retention": {"worker", "--once"},
	}
	for _, w := range wls {
		if args, ok := wantArgs[w.component]; ok && !slices.Equal(w.tmpl.Spec.Containers[0].Args, args) {
			t.Errorf("%s: args %q, want %q", w.id, w.tmpl.Spec.Containers[0].Args, args)
		}
		if w.component == "backup" {
			checkBackup(t, w, configMaps, want)
		}
	}
	for _, pvc := range byKind[*corev1.PersistentVolumeClaim](objs) {
		if sc := pvc.Spec.StorageClassName; sc != nil && *sc != "" && !has("StorageClass", *sc) {
			t.Errorf("PersistentVolumeClaim %s: StorageClass %q is not rendered", pvc.Name, *sc)
		}
	}
	for _, sc := range byKind[*storagev1.StorageClass](objs) {
		if sc.Provisioner != "ebs.csi.aws.com" || sc.Parameters["encrypted"] != "true" || sc.Parameters["type"] != "gp3" {
			t.Errorf("StorageClass %s: want ebs.csi.aws.com, type gp3, encrypted", sc.Name)
		}
	}

	checkDeployments(t, objs, want)
	checkServicesAndIngress(t, objs, want, wls)
	checkNetworkPolicies(t, objs, wls, want)
	checkMonitoring(t, objs)

	if want.llm {
		checkLLM(t, objs, appConfig)
	} else if v, ok := appConfig.Data["PATHAVANA_LLM_BASE_URL"]; ok {
		t.Errorf("PATHAVANA_LLM_BASE_URL = %q without the LLM server", v)
	}
}

func checkPod(t *testing.T, w workload, names map[string]object, configMaps map[string]*corev1.ConfigMap, secrets map[string]bool, documented map[string]bool) {
	t.Helper()
	spec := w.tmpl.Spec
	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		t.Errorf("%s: pod securityContext.runAsNonRoot must be true", w.id)
	}
	if psc == nil || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Errorf("%s: pod securityContext.runAsUser must be a non-zero uid", w.id)
	}
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("%s: pod seccompProfile must be RuntimeDefault", w.id)
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Errorf("%s: automountServiceAccountToken must be false", w.id)
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		t.Errorf("%s: host namespaces are forbidden", w.id)
	}
	if spec.ServiceAccountName == "" || names["ServiceAccount/"+spec.ServiceAccountName].Obj == nil {
		t.Errorf("%s: serviceAccountName %q is not rendered", w.id, spec.ServiceAccountName)
	}
	if len(spec.InitContainers) > 0 && w.component != "backup" {
		t.Errorf("%s: unexpected init containers", w.id)
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
		if v.HostPath != nil {
			t.Errorf("%s: hostPath volume %s", w.id, v.Name)
		}
		if v.PersistentVolumeClaim != nil && names["PersistentVolumeClaim/"+v.PersistentVolumeClaim.ClaimName].Obj == nil {
			t.Errorf("%s: PVC %q is not rendered", w.id, v.PersistentVolumeClaim.ClaimName)
		}
	}
	if len(spec.Containers) == 0 {
		t.Fatalf("%s: no containers", w.id)
	}
	for _, c := range append(slices.Clone(spec.InitContainers), spec.Containers...) {
		where := w.id + " container " + c.Name
		sc := c.SecurityContext
		if sc == nil {
			t.Errorf("%s: no securityContext", where)
			continue
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("%s: allowPrivilegeEscalation must be false", where)
		}
		if sc.Privileged != nil && *sc.Privileged {
			t.Errorf("%s: privileged", where)
		}
		if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
			t.Errorf("%s: readOnlyRootFilesystem must be true", where)
		}
		if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
			t.Errorf("%s: capabilities must drop ALL and add none", where)
		}
		if sc.RunAsNonRoot != nil && !*sc.RunAsNonRoot || sc.RunAsUser != nil && *sc.RunAsUser == 0 {
			t.Errorf("%s: container overrides runAsNonRoot", where)
		}
		if sc.SeccompProfile != nil && sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("%s: seccompProfile %s", where, sc.SeccompProfile.Type)
		}
		for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, okReq := c.Resources.Requests[res]
			lim, okLim := c.Resources.Limits[res]
			if !okReq || !okLim || req.IsZero() || lim.IsZero() {
				t.Errorf("%s: %s requests and limits must be set", where, res)
			} else if req.Cmp(lim) > 0 {
				t.Errorf("%s: %s request %s above limit %s", where, res, req.String(), lim.String())
			}
		}
		if c.Image == "" || strings.HasSuffix(c.Image, ":latest") || !strings.Contains(c.Image[strings.LastIndex(c.Image, "/")+1:], ":") {
			t.Errorf("%s: image %q must carry an explicit, non-latest tag", where, c.Image)
		}
		for _, m := range c.VolumeMounts {
			if _, ok := volumes[m.Name]; !ok {
				t.Errorf("%s: mounts undefined volume %s", where, m.Name)
			}
		}
		// A read-only root needs somewhere to write temporary files.
		if !slices.ContainsFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.MountPath == "/tmp" }) {
			t.Errorf("%s: no writable /tmp volume", where)
		}
		ports := map[string]bool{}
		for _, p := range c.Ports {
			ports[p.Name] = true
		}
		for _, p := range []*corev1.Probe{c.StartupProbe, c.LivenessProbe, c.ReadinessProbe} {
			if p != nil && p.HTTPGet != nil && p.HTTPGet.Port.StrVal != "" && !ports[p.HTTPGet.Port.StrVal] {
				t.Errorf("%s: probe on undefined port %q", where, p.HTTPGet.Port.StrVal)
			}
		}
		if !isPathavanaContainer(c) || slices.ContainsFunc(spec.InitContainers, func(ic corev1.Container) bool { return ic.Name == c.Name }) {
			continue
		}
		if w.component == "" {
			t.Errorf("%s: pod has no app.kubernetes.io/component label", w.id)
		}
		if !strings.HasPrefix(w.tmpl.Labels["app.kubernetes.io/name"], "pathavana") {
			t.Errorf("%s: pod label app.kubernetes.io/name = %q (network policies select on it)", w.id, w.tmpl.Labels["app.kubernetes.io/name"])
		}
		var gotConfig, gotSecret bool
		for _, ef := range c.EnvFrom {
			if ef.ConfigMapRef != nil {
				gotConfig = true
				if configMaps[ef.ConfigMapRef.Name] == nil {
					t.Errorf("%s: envFrom ConfigMap %q is not rendered", where, ef.ConfigMapRef.Name)
				}
			}
			if ef.SecretRef != nil {
				gotSecret = true
				if !secrets[ef.SecretRef.Name] {
					t.Errorf("%s: envFrom Secret %q is produced by no ExternalSecret", where, ef.SecretRef.Name)
				}
			}
		}
		if !gotConfig || !gotSecret {
			t.Errorf("%s: must take envFrom the config ConfigMap and the secrets Secret", where)
		}
		for _, e := range c.Env {
			checkVariable(t, documented, where, e.Name)
		}
	}
}

func checkProbe(t *testing.T, where, kind string, p *corev1.Probe, path string) {
	t.Helper()
	if p == nil {
		t.Errorf("%s: no %s probe", where, kind)
		return
	}
	if p.HTTPGet == nil {
		t.Errorf("%s: %s probe is not an HTTP GET", where, kind)
		return
	}
	if path != "" && p.HTTPGet.Path != path {
		t.Errorf("%s: %s probe on %s, want %s", where, kind, p.HTTPGet.Path, path)
	}
}

func checkDeployments(t *testing.T, objs []object, want expectation) {
	t.Helper()
	hpas := byKind[*autoscalingv2.HorizontalPodAutoscaler](objs)
	deployments := map[string]*appsv1.Deployment{}
	for _, d := range byKind[*appsv1.Deployment](objs) {
		deployments[d.Name] = d
		sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
		if err != nil || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			t.Errorf("Deployment %s: selector does not match its pod labels", d.Name)
		}
		for _, c := range d.Spec.Template.Spec.Containers {
			where := "Deployment/" + d.Name + " container " + c.Name
			switch c.Name {
			case "api":
				checkProbe(t, where, "liveness", c.LivenessProbe, "/healthz")
				checkProbe(t, where, "readiness", c.ReadinessProbe, "/readyz")
				checkProbe(t, where, "startup", c.StartupProbe, "/healthz")
			default:
				checkProbe(t, where, "liveness", c.LivenessProbe, "")
				checkProbe(t, where, "readiness", c.ReadinessProbe, "")
				checkProbe(t, where, "startup", c.StartupProbe, "")
			}
		}
	}
	api := deployments["pathavana-api"]
	if api == nil {
		t.Fatal("no Deployment pathavana-api")
	}
	if deployments["pathavana-worker"] == nil {
		t.Error("no Deployment pathavana-worker")
	}
	if api.Spec.Strategy.RollingUpdate == nil || api.Spec.Strategy.RollingUpdate.MaxUnavailable == nil || api.Spec.Strategy.RollingUpdate.MaxUnavailable.IntValue() != 0 {
		t.Error("pathavana-api: rolling updates must keep every replica (maxUnavailable 0)")
	}
	if want.hpa == nil {
		if len(hpas) != 0 {
			t.Errorf("unexpected HorizontalPodAutoscaler")
		}
		if api.Spec.Replicas == nil || *api.Spec.Replicas != want.apiReplicas {
			t.Errorf("pathavana-api replicas = %v, want %d", api.Spec.Replicas, want.apiReplicas)
		}
	} else {
		if len(hpas) != 1 {
			t.Fatalf("want one HorizontalPodAutoscaler, got %d", len(hpas))
		}
		h := hpas[0]
		if h.Spec.ScaleTargetRef.Kind != "Deployment" || h.Spec.ScaleTargetRef.Name != "pathavana-api" {
			t.Errorf("HPA targets %s/%s", h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
		}
		var cpu int32
		for _, m := range h.Spec.Metrics {
			if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU &&
				m.Resource.Target.Type == autoscalingv2.UtilizationMetricType && m.Resource.Target.AverageUtilization != nil {
				cpu = *m.Resource.Target.AverageUtilization
			}
		}
		got := [3]int32{0, h.Spec.MaxReplicas, cpu}
		if h.Spec.MinReplicas != nil {
			got[0] = *h.Spec.MinReplicas
		}
		if got != *want.hpa {
			t.Errorf("HPA min/max/cpu%% = %v, want %v", got, *want.hpa)
		}
		if api.Spec.Replicas != nil {
			t.Error("pathavana-api sets spec.replicas while an HPA manages it")
		}
	}
	pdbs := byKind[*policyv1.PodDisruptionBudget](objs)
	covered := map[string]bool{}
	for _, p := range pdbs {
		if (p.Spec.MinAvailable == nil) == (p.Spec.MaxUnavailable == nil) {
			t.Errorf("PodDisruptionBudget %s: exactly one of minAvailable/maxUnavailable", p.Name)
		}
		sel, _ := metav1.LabelSelectorAsSelector(p.Spec.Selector)
		for name, d := range deployments {
			if sel.Matches(labels.Set(d.Spec.Template.Labels)) {
				covered[name] = true
				// A budget must never forbid every eviction.
				if p.Spec.MinAvailable != nil && want.hpa != nil && p.Spec.MinAvailable.IntValue() >= int(want.hpa[0]) {
					t.Errorf("PodDisruptionBudget %s: minAvailable %s blocks drains at %d replicas", p.Name, p.Spec.MinAvailable.String(), want.hpa[0])
				}
			}
		}
	}
	for _, name := range []string{"pathavana-api", "pathavana-worker"} {
		if !covered[name] {
			t.Errorf("Deployment %s has no PodDisruptionBudget", name)
		}
	}
}

func checkServicesAndIngress(t *testing.T, objs []object, want expectation, wls []workload) {
	t.Helper()
	services := map[string]*corev1.Service{}
	for _, s := range byKind[*corev1.Service](objs) {
		services[s.Name] = s
		sel := labels.SelectorFromSet(s.Spec.Selector)
		if !slices.ContainsFunc(wls, func(w workload) bool { return sel.Matches(labels.Set(w.tmpl.Labels)) }) {
			t.Errorf("Service %s selects no pod", s.Name)
		}
	}
	ings := byKind[*networkingv1.Ingress](objs)
	if len(ings) != 1 {
		t.Fatalf("want one Ingress, got %d", len(ings))
	}
	ing := ings[0]
	for k, v := range map[string]string{
		"nginx.ingress.kubernetes.io/ssl-redirect":       "true",
		"nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
		"nginx.ingress.kubernetes.io/limit-rpm":          "100",
		"nginx.ingress.kubernetes.io/enable-cors":        "true",
	} {
		if ing.Annotations[k] != v {
			t.Errorf("Ingress %s: %s = %q, want %q", ing.Name, k, ing.Annotations[k], v)
		}
	}
	origins := ing.Annotations["nginx.ingress.kubernetes.io/cors-allow-origin"]
	if origins == "" || strings.Contains(origins, "*") {
		t.Errorf("Ingress %s: CORS origins %q must be explicit", ing.Name, origins)
	}
	if ing.Spec.IngressClassName == nil || *ing.Spec.IngressClassName != "nginx" {
		t.Errorf("Ingress %s: ingressClassName must be nginx", ing.Name)
	}
	var hosts, tlsHosts []string
	for _, r := range ing.Spec.Rules {
		hosts = append(hosts, r.Host)
		for _, p := range r.HTTP.Paths {
			s := services[p.Backend.Service.Name]
			if s == nil {
				t.Errorf("Ingress %s: backend Service %q not rendered", ing.Name, p.Backend.Service.Name)
				continue
			}
			if !slices.ContainsFunc(s.Spec.Ports, func(sp corev1.ServicePort) bool { return sp.Name == p.Backend.Service.Port.Name }) {
				t.Errorf("Ingress %s: Service %s has no port %q", ing.Name, s.Name, p.Backend.Service.Port.Name)
			}
			if p.Backend.Service.Port.Name == "metrics" || p.Backend.Service.Port.Number == 9090 {
				t.Errorf("Ingress %s exposes metrics", ing.Name)
			}
		}
	}
	for _, tls := range ing.Spec.TLS {
		tlsHosts = append(tlsHosts, tls.Hosts...)
	}
	if !slices.Equal(hosts, want.hosts) || !slices.Equal(tlsHosts, want.hosts) {
		t.Errorf("Ingress hosts %v, TLS hosts %v, want %v", hosts, tlsHosts, want.hosts)
	}
}

// policyApplies reports whether a NetworkPolicy selects the pod.
func policyApplies(np *networkingv1.NetworkPolicy, podLabels map[string]string) bool {
	sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
	return err == nil && sel.Matches(labels.Set(podLabels))
}

func checkNetworkPolicies(t *testing.T, objs []object, wls []workload, want expectation) {
	t.Helper()
	nps := byKind[*networkingv1.NetworkPolicy](objs)
	var deny bool
	for _, np := range nps {
		if len(np.Spec.PodSelector.MatchLabels) == 0 && len(np.Spec.PodSelector.MatchExpressions) == 0 &&
			len(np.Spec.Ingress) == 0 && len(np.Spec.Egress) == 0 &&
			slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) &&
			slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
			deny = true
		}
		for _, e := range np.Spec.Ingress {
			for _, peer := range e.From {
				if peer.IPBlock != nil && peer.IPBlock.CIDR == "0.0.0.0/0" {
					t.Errorf("NetworkPolicy %s admits ingress from anywhere", np.Name)
				}
			}
		}
		for _, e := range np.Spec.Egress {
			for _, peer := range e.To {
				if peer.IPBlock != nil && peer.IPBlock.CIDR == "0.0.0.0/0" && !slices.Contains(peer.IPBlock.Except, "169.254.0.0/16") {
					t.Errorf("NetworkPolicy %s: egress to the internet must exclude the metadata service range", np.Name)
				}
			}
		}
	}
	if !deny {
		t.Error("no default-deny NetworkPolicy (empty podSelector, Ingress+Egress, no rules)")
	}
	// The flows each component needs are allowed by some policy.
	allows := func(podLabels map[string]string, ingress bool, port int32, peer func(networkingv1.NetworkPolicyPeer) bool) bool {
		for _, np := range nps {
			if !policyApplies(np, podLabels) {
				continue
			}
			if ingress {
				for _, r := range np.Spec.Ingress {
					if portIn(r.Ports, port) && slices.ContainsFunc(r.From, peer) {
						return true
					}
				}
			} else {
				for _, r := range np.Spec.Egress {
					if portIn(r.Ports, port) && slices.ContainsFunc(r.To, peer) {
						return true
					}
				}
			}
		}
		return false
	}
	nsPeer := func(ns string) func(networkingv1.NetworkPolicyPeer) bool {
		return func(p networkingv1.NetworkPolicyPeer) bool {
			return p.NamespaceSelector != nil && p.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] == ns
		}
	}
	vpc := func(p networkingv1.NetworkPolicyPeer) bool {
		return p.IPBlock != nil && p.IPBlock.CIDR == "10.0.0.0/16"
	}
	internet := func(p networkingv1.NetworkPolicyPeer) bool { return p.IPBlock != nil && p.IPBlock.CIDR == "0.0.0.0/0" }
	for _, w := range wls {
		if !strings.HasPrefix(w.tmpl.Labels["app.kubernetes.io/name"], "pathavana") {
			continue
		}
		l := w.tmpl.Labels
		if !allows(l, false, 53, nsPeer("kube-system")) {
			t.Errorf("%s: DNS egress not allowed", w.id)
		}
		if !allows(l, false, 5432, vpc) || !allows(l, false, 6379, vpc) {
			t.Errorf("%s: egress to PostgreSQL/Redis not allowed", w.id)
		}
		if !allows(l, false, 443, internet) {
			t.Errorf("%s: egress to providers (443) not allowed", w.id)
		}
		switch w.component {
		case "api":
			if !allows(l, true, 8080, nsPeer("ingress-nginx")) {
				t.Errorf("%s: ingress controller → :8080 not allowed", w.id)
			}
			fallthrough
		case "worker":
			if !allows(l, true, 9090, nsPeer("monitoring")) {
				t.Errorf("%s: Prometheus → :9090 not allowed", w.id)
			}
		default:
			if allows(l, true, 8080, nsPeer("ingress-nginx")) {
				t.Errorf("%s: a job pod accepts ingress traffic", w.id)
			}
		}
		if want.llm && (w.component == "api" || w.component == "worker") {
			vllm := func(p networkingv1.NetworkPolicyPeer) bool {
				return p.PodSelector != nil && p.PodSelector.MatchLabels["app.kubernetes.io/name"] == "vllm"
			}
			if !allows(l, false, 8000, vllm) {
				t.Errorf("%s: egress to vLLM :8000 not allowed", w.id)
			}
		}
	}
}

func portIn(ports []networkingv1.NetworkPolicyPort, port int32) bool {
	for _, p := range ports {
		if p.Port != nil && p.Port.IntValue() == int(port) {
			return true
		}
	}
	return false
}

func checkMonitoring(t *testing.T, objs []object) {
	t.Helper()
	sms := byKind[*serviceMonitor](objs)
	if len(sms) != 1 {
		t.Fatalf("want one ServiceMonitor, got %d", len(sms))
	}
	sm := sms[0]
	sel, err := metav1.LabelSelectorAsSelector(&sm.Spec.Selector)
	if err != nil {
		t.Fatalf("ServiceMonitor selector: %v", err)
	}
	jobs := map[string]bool{}
	for _, s := range byKind[*corev1.Service](objs) {
		if sel.Matches(labels.Set(s.Labels)) {
			jobs[s.Labels[sm.Spec.JobLabel]] = true
			if !slices.ContainsFunc(s.Spec.Ports, func(p corev1.ServicePort) bool { return p.Name == sm.Spec.Endpoints[0].Port }) {
				t.Errorf("Service %s has no port %q for the ServiceMonitor", s.Name, sm.Spec.Endpoints[0].Port)
			}
		}
	}
	if !jobs["pathavana"] || !jobs["pathavana-worker"] || len(jobs) != 2 {
		t.Errorf("ServiceMonitor yields jobs %v, want pathavana and pathavana-worker (the alert rules' names)", jobs)
	}
	prs := byKind[*prometheusRule](objs)
	if len(prs) != 1 {
		t.Fatalf("want one PrometheusRule, got %d", len(prs))
	}
	want := loadRuleFile(t)
	if got := fmt.Sprint(ruleSummary(prs[0].Spec)); got != fmt.Sprint(ruleSummary(want)) {
		t.Errorf("PrometheusRule differs from deploy/monitoring/rules/pathavana.rules.yml")
	}
}

func checkLLM(t *testing.T, objs []object, appConfig *corev1.ConfigMap) {
	t.Helper()
	var vllm *appsv1.Deployment
	for _, d := range byKind[*appsv1.Deployment](objs) {
		if d.Spec.Template.Labels["app.kubernetes.io/name"] == "vllm" {
			vllm = d
		}
	}
	if vllm == nil {
		t.Fatal("no vLLM Deployment")
	}
	spec := vllm.Spec.Template.Spec
	if spec.NodeSelector["workload"] != "ml" {
		t.Errorf("vLLM nodeSelector %v, want the GPU node group", spec.NodeSelector)
	}
	if !slices.ContainsFunc(spec.Tolerations, func(tol corev1.Toleration) bool {
		return tol.Key == "nvidia.com/gpu" && tol.Effect == corev1.TaintEffectNoSchedule
	}) {
		t.Error("vLLM does not tolerate the GPU taint")
	}
	if q, ok := spec.Containers[0].Resources.Limits["nvidia.com/gpu"]; !ok || q.Value() != 1 {
		t.Error("vLLM must request one nvidia.com/gpu")
	}
	url := appConfig.Data["PATHAVANA_LLM_BASE_URL"]
	var svc string
	for _, s := range byKind[*corev1.Service](objs) {
		if s.Spec.Selector["app.kubernetes.io/name"] == "vllm" {
			svc = s.Name
		}
	}
	if svc == "" || url != "http://"+svc+":8000/v1" {
		t.Errorf("PATHAVANA_LLM_BASE_URL = %q, want the vLLM Service %q on :8000/v1", url, svc)
	}
}

// checkBackup: the daily backup streams `pathavana backup --out -` into
// `aws s3 cp -` to the environment's backups bucket (deploy/terraform
// modules/storage) under daily/, with the binary copied from the toolbox
// image by an init container and no volume that could fill up.
func checkBackup(t *testing.T, w workload, configMaps map[string]*corev1.ConfigMap, want expectation) {
	t.Helper()
	spec := w.tmpl.Spec
	for _, v := range spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			t.Errorf("%s: backups must stream to S3, not to volume %s", w.id, v.Name)
		}
	}
	if len(spec.InitContainers) != 1 || !strings.Contains(spec.InitContainers[0].Image, "pathavana") ||
		!slices.Equal(spec.InitContainers[0].Command, []string{"cp", "/usr/local/bin/pathavana", "/opt/pathavana/bin/pathavana"}) {
		t.Errorf("%s: want one init container copying the pathavana binary from the toolbox image", w.id)
	}
	c := spec.Containers[0]
	script := strings.Join(append(slices.Clone(c.Command), c.Args...), " ")
	for _, s := range []string{"set -euo pipefail", "/opt/pathavana/bin/pathavana backup --out - | aws s3 cp - \"$key\"", `key="${BACKUP_S3_URI}/$(date -u +%Y%m%dT%H%M%SZ).jsonl.gz"`} {
		if !strings.Contains(script, s) {
			t.Errorf("%s: backup script %q lacks %q", w.id, script, s)
		}
	}
	env := map[string]string{}
	var gotSecret bool
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef != nil && configMaps[ef.ConfigMapRef.Name] != nil {
			for k, v := range configMaps[ef.ConfigMapRef.Name].Data {
				env[k] = v
			}
		}
		gotSecret = gotSecret || ef.SecretRef != nil
	}
	if !gotSecret || env["PATHAVANA_ENV"] == "" {
		t.Errorf("%s: the backup needs the app's ConfigMap and Secret", w.id)
	}
	if got, wantURI := env["BACKUP_S3_URI"], "s3://pathavana-"+want.awsEnv+"-backups/daily"; got != wantURI {
		t.Errorf("%s: BACKUP_S3_URI = %q, want %q", w.id, got, wantURI)
	}
	if env["AWS_REGION"] != want.region {
		t.Errorf("%s: AWS_REGION = %q, want %q", w.id, env["AWS_REGION"], want.region)
	}
}

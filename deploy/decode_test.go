package deploy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	yamlv3 "gopkg.in/yaml.v3"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// object is one rendered Kubernetes object, strictly decoded into its Go
// type: the official k8s.io/api types, or the small CRD structs below.
type object struct {
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	Labels     map[string]string
	Obj        any
}

func (o object) id() string { return o.Kind + "/" + o.Name }

// newTyped returns a pointer to the Go type for apiVersion/kind, or nil for a
// kind the manifests must not contain.
func newTyped(apiVersion, kind string) any {
	switch apiVersion + "/" + kind {
	case "v1/Namespace":
		return &corev1.Namespace{}
	case "v1/ServiceAccount":
		return &corev1.ServiceAccount{}
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}
	case "v1/Secret":
		return &corev1.Secret{}
	case "v1/Service":
		return &corev1.Service{}
	case "v1/PersistentVolumeClaim":
		return &corev1.PersistentVolumeClaim{}
	case "storage.k8s.io/v1/StorageClass":
		return &storagev1.StorageClass{}
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}
	case "batch/v1/Job":
		return &batchv1.Job{}
	case "batch/v1/CronJob":
		return &batchv1.CronJob{}
	case "networking.k8s.io/v1/Ingress":
		return &networkingv1.Ingress{}
	case "networking.k8s.io/v1/NetworkPolicy":
		return &networkingv1.NetworkPolicy{}
	case "autoscaling/v2/HorizontalPodAutoscaler":
		return &autoscalingv2.HorizontalPodAutoscaler{}
	case "policy/v1/PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}
	case "external-secrets.io/v1beta1/ExternalSecret":
		return &externalSecret{}
	case "external-secrets.io/v1beta1/SecretStore":
		return &secretStore{}
	case "monitoring.coreos.com/v1/ServiceMonitor":
		return &serviceMonitor{}
	case "monitoring.coreos.com/v1/PrometheusRule":
		return &prometheusRule{}
	}
	return nil
}

// decodeObject strictly decodes one YAML document: unknown or misspelt
// fields anywhere in it are errors, as `kubectl apply --validate=strict`
// would report them.
func decodeObject(doc []byte) (object, error) {
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return object{}, fmt.Errorf("yaml: %w", err)
	}
	var head struct {
		APIVersion string            `json:"apiVersion"`
		Kind       string            `json:"kind"`
		Metadata   metav1.ObjectMeta `json:"metadata"`
	}
	if err := json.Unmarshal(js, &head); err != nil {
		return object{}, fmt.Errorf("head: %w", err)
	}
	typed := newTyped(head.APIVersion, head.Kind)
	if typed == nil {
		return object{}, fmt.Errorf("%s %s/%s: kind not expected in Pathavana's manifests (add it to newTyped)", head.APIVersion, head.Kind, head.Metadata.Name)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(typed); err != nil {
		return object{}, fmt.Errorf("%s/%s: strict decode into %T: %w", head.Kind, head.Metadata.Name, typed, err)
	}
	if head.Metadata.Name == "" {
		return object{}, fmt.Errorf("%s without metadata.name", head.Kind)
	}
	return object{APIVersion: head.APIVersion, Kind: head.Kind, Name: head.Metadata.Name,
		Namespace: head.Metadata.Namespace, Labels: head.Metadata.Labels, Obj: typed}, nil
}

// splitYAML splits a multi-document YAML stream, dropping empty documents
// (helm template emits comments-only ones).
func splitYAML(t *testing.T, stream []byte) [][]byte {
	t.Helper()
	var docs [][]byte
	dec := yamlv3.NewDecoder(bytes.NewReader(stream))
	for {
		var n yamlv3.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("split YAML: %v", err)
		}
		if len(n.Content) == 0 || (n.Content[0].Kind == yamlv3.MappingNode && len(n.Content[0].Content) == 0) {
			continue
		}
		b, err := yamlv3.Marshal(&n)
		if err != nil {
			t.Fatalf("re-marshal YAML: %v", err)
		}
		docs = append(docs, b)
	}
	return docs
}

func decodeStream(t *testing.T, stream []byte) []object {
	t.Helper()
	var objs []object
	for _, doc := range splitYAML(t, stream) {
		o, err := decodeObject(doc)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		objs = append(objs, o)
	}
	return objs
}

// --- Custom resources: only the fields Pathavana uses, strictly. ---

type externalSecret struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		RefreshInterval string `json:"refreshInterval"`
		SecretStoreRef  struct {
			Kind string `json:"kind"`
			Name string `json:"name"`
		} `json:"secretStoreRef"`
		Target struct {
			Name           string `json:"name"`
			CreationPolicy string `json:"creationPolicy"`
			DeletionPolicy string `json:"deletionPolicy"`
		} `json:"target"`
		Data []struct {
			SecretKey string `json:"secretKey"`
			RemoteRef struct {
				Key      string `json:"key"`
				Property string `json:"property"`
			} `json:"remoteRef"`
		} `json:"data"`
	} `json:"spec"`
}

type secretStore struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		Provider struct {
			AWS struct {
				Service string `json:"service"`
				Region  string `json:"region"`
				Auth    struct {
					JWT struct {
						ServiceAccountRef struct {
							Name string `json:"name"`
						} `json:"serviceAccountRef"`
					} `json:"jwt"`
				} `json:"auth"`
			} `json:"aws"`
		} `json:"provider"`
	} `json:"spec"`
}

type serviceMonitor struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		JobLabel  string               `json:"jobLabel"`
		Selector  metav1.LabelSelector `json:"selector"`
		Endpoints []struct {
			Port          string `json:"port"`
			Path          string `json:"path"`
			Interval      string `json:"interval"`
			ScrapeTimeout string `json:"scrapeTimeout"`
		} `json:"endpoints"`
	} `json:"spec"`
}

type prometheusRule struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       ruleFile          `json:"spec"`
}

// ruleFile is the Prometheus rule file format (also PrometheusRule.spec).
type ruleFile struct {
	Groups []ruleGroup `json:"groups" yaml:"groups"`
}

type ruleGroup struct {
	Name     string `json:"name" yaml:"name"`
	Interval string `json:"interval,omitempty" yaml:"interval,omitempty"`
	Rules    []rule `json:"rules" yaml:"rules"`
}

type rule struct {
	Record      string            `json:"record,omitempty" yaml:"record,omitempty"`
	Alert       string            `json:"alert,omitempty" yaml:"alert,omitempty"`
	Expr        string            `json:"expr" yaml:"expr"`
	For         string            `json:"for,omitempty" yaml:"for,omitempty"`
	Labels      map[string]string `json:"labels,omitempty" yaml:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty" yaml:"annotations,omitempty"`
}

// normalizeExpr makes rule expressions comparable across YAML styles.
func normalizeExpr(s string) string { return strings.Join(strings.Fields(s), " ") }

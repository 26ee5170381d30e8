package telemetry

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"go.opentelemetry.io/otel/propagation"
)

// fakeCollector is a minimal OTLP/HTTP receiver on loopback.
type fakeCollector struct {
	mu    sync.Mutex
	paths []string
	spans []*tracepb.ResourceSpans
}

func newFakeCollector(t *testing.T) (*fakeCollector, *httptest.Server) {
	c := &fakeCollector{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "want protobuf POST", http.StatusUnsupportedMediaType)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			gz, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = gz
		}
		b, err := io.ReadAll(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var req collectortrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.paths = append(c.paths, r.URL.Path)
		c.spans = append(c.spans, req.GetResourceSpans()...)
		c.mu.Unlock()
		out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return c, srv
}

// received returns service.name → span names, and the request paths.
func (c *fakeCollector) received() (map[string][]string, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := make(map[string][]string)
	for _, rs := range c.spans {
		var svc string
		for _, kv := range rs.GetResource().GetAttributes() {
			if kv.GetKey() == "service.name" {
				svc = kv.GetValue().GetStringValue()
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				got[svc] = append(got[svc], s.GetName())
			}
		}
	}
	return got, append([]string(nil), c.paths...)
}

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestSetupTracingExports(t *testing.T) {
	for _, tc := range []struct {
		name, key, suffix, wantPath string
	}{
		{"base endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "", "/v1/traces"},
		{"base endpoint with path", "OTEL_EXPORTER_OTLP_ENDPOINT", "/otlp/", "/otlp/v1/traces"},
		{"per-signal endpoint as-is", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "/custom/traces", "/custom/traces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			col, srv := newFakeCollector(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			tp, shutdown, err := SetupTracing(ctx, "pathavana-test", "9.9.9",
				envMap(map[string]string{tc.key: srv.URL + tc.suffix}))
			if err != nil {
				t.Fatal(err)
			}
			_, span := tp.Tracer("test").Start(ctx, "trip.create")
			if !span.SpanContext().IsSampled() {
				t.Fatal("span not sampled with default ratio 1.0")
			}
			span.End()
			if err := shutdown(ctx); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
			got, paths := col.received()
			if len(got["pathavana-test"]) != 1 || got["pathavana-test"][0] != "trip.create" {
				t.Fatalf("collector got %v", got)
			}
			if len(paths) == 0 || paths[0] != tc.wantPath {
				t.Fatalf("paths %v, want %s", paths, tc.wantPath)
			}
		})
	}
}

func TestSetupTracingSamplerRatioZero(t *testing.T) {
	col, srv := newFakeCollector(t)
	ctx := context.Background()
	tp, shutdown, err := SetupTracing(ctx, "svc", "1", envMap(map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL,
		"OTEL_TRACES_SAMPLER_ARG":     "0",
	}))
	if err != nil {
		t.Fatal(err)
	}
	_, span := tp.Tracer("test").Start(ctx, "dropped")
	span.End()
	if err := shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := col.received(); len(got) != 0 {
		t.Fatalf("ratio 0 exported %v", got)
	}
}

func TestSetupTracingDisabled(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"unset":         {},
		"sdk disabled":  {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_SDK_DISABLED": "true"},
		"exporter none": {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_TRACES_EXPORTER": "none"},
	} {
		t.Run(name, func(t *testing.T) {
			tp, shutdown, err := SetupTracing(context.Background(), "svc", "1", envMap(env))
			if err != nil {
				t.Fatal(err)
			}
			_, span := tp.Tracer("t").Start(context.Background(), "x")
			if span.IsRecording() || span.SpanContext().IsValid() {
				t.Fatal("no-op provider produced a real span")
			}
			span.End()
			if err := shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSetupTracingInvalidConfig(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"sampler not a number": {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_SAMPLER_ARG": "half"},
		"sampler above 1":      {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_SAMPLER_ARG": "1.5"},
		"sampler NaN":          {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_SAMPLER_ARG": "NaN"},
		"endpoint no scheme":   {"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"},
		"endpoint grpc scheme": {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "grpc://collector:4317"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := SetupTracing(context.Background(), "svc", "1", envMap(env))
			if err == nil || !strings.Contains(err.Error(), "OTEL_") {
				t.Fatalf("err = %v, want a config error naming the variable", err)
			}
		})
	}
}

func TestPropagatorFields(t *testing.T) {
	var p propagation.TextMapPropagator = Propagator()
	got := strings.Join(p.Fields(), ",")
	for _, f := range []string{"traceparent", "tracestate", "baggage"} {
		if !strings.Contains(got, f) {
			t.Errorf("propagator fields %q lack %q", got, f)
		}
	}
}

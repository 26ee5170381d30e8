package telemetry

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// SetupTracing returns the TracerProvider to pass to otelhttp and to any
// code that creates spans, plus a shutdown func that flushes buffered spans;
// call it on exit with a deadline.
//
// Tracing is opt-in: when neither OTEL_EXPORTER_OTLP_TRACES_ENDPOINT nor
// OTEL_EXPORTER_OTLP_ENDPOINT is set (or OTEL_SDK_DISABLED=true, or
// OTEL_TRACES_EXPORTER=none) it returns a no-op provider, so the default
// install costs nothing and needs no collector.
//
// Otherwise spans go through a batch processor to an OTLP/HTTP exporter.
// The endpoint comes from getenv (with the spec's rules: the generic endpoint
// is a base URL to which /v1/traces is appended, the per-signal one is used
// as-is); other OTEL_EXPORTER_OTLP_* settings (headers, timeout, compression,
// TLS) are read by the exporter itself from the process environment.
// Sampling is ParentBased(TraceIDRatioBased(OTEL_TRACES_SAMPLER_ARG)), ratio
// 1.0 by default, so an upstream sampling decision is always honoured.
//
// Nothing is installed globally (no otel.SetTracerProvider or
// otel.SetTextMapPropagator): pass the provider and Propagator() explicitly,
// e.g. otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(Propagator()).
func SetupTracing(ctx context.Context, serviceName, version string, getenv func(string) string) (tp trace.TracerProvider, shutdown func(context.Context) error, err error) {
	noopShutdown := func(context.Context) error { return nil }
	endpoint, err := tracesEndpoint(getenv)
	if err != nil {
		return nil, nil, err
	}
	if endpoint == "" ||
		strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") ||
		strings.EqualFold(strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")), "none") {
		return noop.NewTracerProvider(), noopShutdown, nil
	}
	ratio, err := samplerRatio(getenv("OTEL_TRACES_SAMPLER_ARG"))
	if err != nil {
		return nil, nil, err
	}

	// Built from scratch rather than merged with resource.Default(): Default
	// reads OTEL_RESOURCE_ATTRIBUTES from the process environment (bypassing
	// getenv) and merging resources with different semconv schema URLs fails.
	res, err := resource.New(ctx,
		resource.WithSchemaURL(semconv.SchemaURL),
		resource.WithTelemetrySDK(),
		resource.WithAttributes(
			semconv.ServiceName(serviceName),
			semconv.ServiceVersion(version),
		),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("telemetry: tracing resource: %w", err)
	}

	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint))
	if err != nil {
		return nil, nil, fmt.Errorf("telemetry: otlp trace exporter: %w", err)
	}
	sdk := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio))),
	)
	return sdk, sdk.Shutdown, nil
}

// Propagator returns the W3C trace-context + baggage propagator used on
// every inbound and outbound HTTP call. It is a constructor rather than a
// global so the HTTP server and provider clients receive it explicitly.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// tracesEndpoint resolves the full OTLP/HTTP traces URL, or "" when tracing
// is not configured. It validates the URL here because the exporter only
// reports a malformed endpoint to the global OTel error handler and then
// carries on with its default (localhost:4318).
func tracesEndpoint(getenv func(string) string) (string, error) {
	name := "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	raw := strings.TrimSpace(getenv(name))
	perSignal := raw != ""
	if !perSignal {
		name = "OTEL_EXPORTER_OTLP_ENDPOINT"
		raw = strings.TrimSpace(getenv(name))
	}
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("telemetry: %s=%q: want an http(s)://host[:port][/path] URL", name, raw)
	}
	if !perSignal {
		u.Path = path.Join("/", u.Path, "v1/traces")
	}
	return u.String(), nil
}

// samplerRatio parses OTEL_TRACES_SAMPLER_ARG as a probability in [0, 1].
func samplerRatio(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 1, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 0 && f <= 1) { // also rejects NaN
		return 0, fmt.Errorf("telemetry: OTEL_TRACES_SAMPLER_ARG=%q: want a number between 0 and 1", s)
	}
	return f, nil
}

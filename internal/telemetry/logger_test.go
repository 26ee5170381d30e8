package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

// logJSON logs via fn into a JSON logger and decodes the single line.
func logJSON(t *testing.T, fn func(*slog.Logger)) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	log, err := NewLogger(&buf, "debug", "json")
	if err != nil {
		t.Fatal(err)
	}
	fn(log)
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("decode %q: %v", buf.String(), err)
	}
	return m
}

func TestLoggerContextAttrs(t *testing.T) {
	ctx := WithUserID(WithRequestID(context.Background(), "req-1"), "user-7")
	if RequestID(ctx) != "req-1" || UserID(ctx) != "user-7" {
		t.Fatalf("helpers: got %q %q", RequestID(ctx), UserID(ctx))
	}
	got := logJSON(t, func(l *slog.Logger) { l.InfoContext(ctx, "hello", "n", 1) })
	if got["request_id"] != "req-1" || got["user_id"] != "user-7" || got["msg"] != "hello" || got["n"] != 1.0 {
		t.Fatalf("got %v", got)
	}
	if _, ok := got["trace_id"]; ok {
		t.Fatalf("trace_id without a span: %v", got)
	}

	// Without context values nothing is added.
	got = logJSON(t, func(l *slog.Logger) { l.Info("plain") })
	if _, ok := got["request_id"]; ok {
		t.Fatalf("request_id without ctx: %v", got)
	}
}

func TestLoggerContextAttrsStayTopLevelUnderGroup(t *testing.T) {
	ctx := WithRequestID(context.Background(), "req-2")
	got := logJSON(t, func(l *slog.Logger) {
		l.With("a", 1).WithGroup("g").With("b", 2).InfoContext(ctx, "m", "c", 3)
	})
	if got["request_id"] != "req-2" || got["a"] != 1.0 {
		t.Fatalf("got %v", got)
	}
	g, _ := got["g"].(map[string]any)
	if g["b"] != 2.0 || g["c"] != 3.0 || g["request_id"] != nil {
		t.Fatalf("group: %v", got)
	}
}

func TestLoggerTraceIDs(t *testing.T) {
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		SpanID:     trace.SpanID{1, 2, 3, 4, 5, 6, 7, 8},
		TraceFlags: trace.FlagsSampled,
	})
	ctx := trace.ContextWithSpanContext(context.Background(), sc)
	got := logJSON(t, func(l *slog.Logger) { l.WarnContext(ctx, "traced") })
	if got["trace_id"] != "0102030405060708090a0b0c0d0e0f10" || got["span_id"] != "0102030405060708" {
		t.Fatalf("got %v", got)
	}
}

func TestLoggerRedaction(t *testing.T) {
	got := logJSON(t, func(l *slog.Logger) {
		l.With("api_key", "k1").WithGroup("req").Info("login",
			"Password", "hunter2",
			"email_verified", true,
			slog.Group("headers", "Authorization", "Bearer abc", "Accept", "json",
				slog.Group("deep", "reset_token", "t1", "Client_Secret", "s1", "ok", "v")),
			slog.Group("cookie", "sid", "c1"),
			"tokens", 3, // not a secret key: no exact match, no _token suffix
		)
	})
	want := `{"api_key":"[REDACTED]","req":{"Password":"[REDACTED]","email_verified":true,` +
		`"headers":{"Authorization":"[REDACTED]","Accept":"json",` +
		`"deep":{"reset_token":"[REDACTED]","Client_Secret":"[REDACTED]","ok":"v"}},` +
		`"cookie":{"sid":"[REDACTED]"},"tokens":3}}`
	delete(got, "time")
	delete(got, "level")
	delete(got, "msg")
	var wantM map[string]any
	if err := json.Unmarshal([]byte(want), &wantM); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantM) {
		gb, _ := json.Marshal(got)
		t.Fatalf("redaction:\n got %s\nwant %s", gb, want)
	}
}

func TestIsSensitiveKey(t *testing.T) {
	for key, want := range map[string]bool{
		"password": true, "TOKEN": true, "access_token": true, "refresh_token": true,
		"secret": true, "Authorization": true, "cookie": true, "passport_number": true,
		"api_key": true, "csrf_token": true, "CLIENT_SECRET": true, "old_password": true,
		"user_id": false, "request_id": false, "tokens": false, "_token": false,
		"passport": false, "msg": false, "": false,
	} {
		if got := IsSensitiveKey(key); got != want {
			t.Errorf("IsSensitiveKey(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestNewLoggerOptions(t *testing.T) {
	for _, tc := range []struct {
		level, format string
		ok            bool
	}{
		{"debug", "json", true}, {"INFO", "text", true}, {"warn", "", true},
		{"error", "JSON", true}, {"", "", true},
		{"verbose", "json", false}, {"info", "xml", false}, {"DEBUG+2", "json", false},
	} {
		_, err := NewLogger(io.Discard, tc.level, tc.format)
		if (err == nil) != tc.ok {
			t.Errorf("NewLogger(%q, %q) err = %v, want ok=%v", tc.level, tc.format, err, tc.ok)
		}
	}
}

func TestLoggerLevelAndText(t *testing.T) {
	var buf bytes.Buffer
	log, err := NewLogger(&buf, "warn", "text")
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithRequestID(context.Background(), "r9")
	log.InfoContext(ctx, "dropped")
	log.ErrorContext(ctx, "kept", "token", "abc")
	out := buf.String()
	if strings.Contains(out, "dropped") || !strings.Contains(out, "msg=kept") ||
		!strings.Contains(out, "request_id=r9") || !strings.Contains(out, "token=[REDACTED]") ||
		strings.Contains(out, "abc") {
		t.Fatalf("text output: %q", out)
	}
}

// BenchmarkLogHandler compares the plain JSON handler with the context
// wrapper to keep the per-line overhead visible (run with -benchmem).
func BenchmarkLogHandler(b *testing.B) {
	opts := &slog.HandlerOptions{ReplaceAttr: redactAttr}
	ctx := WithUserID(WithRequestID(context.Background(), "req-0123456789"), "user-42")
	b.Run("json", func(b *testing.B) {
		log := slog.New(slog.NewJSONHandler(io.Discard, opts))
		b.ReportAllocs()
		for b.Loop() {
			log.InfoContext(ctx, "request", "status", 200, "route", "GET /api/v1/trips/{id}")
		}
	})
	b.Run("wrapped", func(b *testing.B) {
		log := slog.New(NewContextHandler(slog.NewJSONHandler(io.Discard, opts)))
		b.ReportAllocs()
		for b.Loop() {
			log.InfoContext(ctx, "request", "status", 200, "route", "GET /api/v1/trips/{id}")
		}
	})
	b.Run("wrapped_group", func(b *testing.B) {
		log := slog.New(NewContextHandler(slog.NewJSONHandler(io.Discard, opts))).WithGroup("http")
		b.ReportAllocs()
		for b.Loop() {
			log.InfoContext(ctx, "request", "status", 200, "route", "GET /api/v1/trips/{id}")
		}
	})
}

// Package telemetry sets up the three observability signals of Pathavana:
// structured logs (log/slog), Prometheus metrics and OpenTelemetry traces.
//
// Nothing here touches process-wide state: every constructor returns a value
// that the serve/worker commands pass explicitly to the code that needs it,
// so tests can build as many independent loggers, registries and tracer
// providers as they like.
package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// Attribute keys added from the context. They are constants so dashboards
// and log queries can rely on them.
const (
	KeyRequestID = "request_id"
	KeyUserID    = "user_id"
	KeyTraceID   = "trace_id"
	KeySpanID    = "span_id"
)

// NewLogger builds the application logger. format is "json" (the default,
// for log shippers) or "text" (for humans at a terminal); level is one of
// debug, info (the default), warn or error. Anything else is an error so a
// typo in PATHAVANA_LOG_LEVEL fails at startup instead of silently logging at
// the wrong level.
//
// The returned logger redacts secret-looking attributes (see IsSensitiveKey)
// and, when its *Context methods are used, adds request_id, user_id,
// trace_id and span_id from the context.
func NewLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	lvl, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: redactAttr}
	var h slog.Handler
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "json":
		h = slog.NewJSONHandler(w, opts)
	case "text":
		h = slog.NewTextHandler(w, opts)
	default:
		return nil, fmt.Errorf("telemetry: invalid log format %q (want json or text)", format)
	}
	return slog.New(NewContextHandler(h)), nil
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("telemetry: invalid log level %q (want debug, info, warn or error)", s)
}

// ctxKey is unexported so no other package can read or overwrite these
// values except through the helpers below.
type ctxKey int

const (
	requestIDKey ctxKey = iota
	userIDKey
)

// WithRequestID returns a context carrying the request ID; the request-ID
// middleware calls it once per request so every later log line has it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request ID stored by WithRequestID, or "".
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

// WithUserID returns a context carrying the authenticated user's ID; the
// auth middleware calls it so log lines can be tied to an account without
// logging PII such as the e-mail address.
func WithUserID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, userIDKey, id)
}

// UserID returns the user ID stored by WithUserID, or "".
func UserID(ctx context.Context) string {
	s, _ := ctx.Value(userIDKey).(string)
	return s
}

// ContextHandler wraps another slog.Handler and appends request_id, user_id,
// trace_id and span_id from the context of each record. Doing it in the
// handler (rather than with logger.With in middleware) means code deep in the
// service layer only needs the ctx it already has, and log lines correlate
// with traces for free.
//
// The attributes are always emitted at the top level, even under
// Logger.WithGroup, so log queries can use one fixed path.
type ContextHandler struct {
	inner slog.Handler // base with ops applied; used for every record
	base  slog.Handler // the handler given to NewContextHandler
	ops   []handlerOp  // WithAttrs/WithGroup calls since base, replayed only when a group is open
	group bool         // whether ops contains a WithGroup
}

// handlerOp records one WithAttrs (group == "") or WithGroup call.
type handlerOp struct {
	group string
	attrs []slog.Attr
}

// NewContextHandler wraps h; exported so tests and other sinks (for example a
// handler writing to a file) can get the same context enrichment.
func NewContextHandler(h slog.Handler) *ContextHandler {
	return &ContextHandler{inner: h, base: h}
}

// Enabled reports whether the wrapped handler handles level.
func (h *ContextHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

// Handle adds the context attributes and passes the record on.
func (h *ContextHandler) Handle(ctx context.Context, r slog.Record) error {
	var buf [4]slog.Attr
	attrs := contextAttrs(ctx, buf[:0])
	if len(attrs) == 0 {
		return h.inner.Handle(ctx, r)
	}
	if !h.group {
		// Fast path: no group is open, so record attributes land at the top
		// level. r is our own copy made by the Logger for this call.
		r.AddAttrs(attrs...)
		return h.inner.Handle(ctx, r)
	}
	// Slow path (rare): a group is open, so attach the context attributes to
	// the base handler and replay the With* calls on top of it.
	// Clone so buf (which must not escape, to keep the fast path
	// allocation-free) is not retained by the handler.
	hh := h.base.WithAttrs(slices.Clone(attrs))
	for _, op := range h.ops {
		if op.group != "" {
			hh = hh.WithGroup(op.group)
		} else {
			hh = hh.WithAttrs(op.attrs)
		}
	}
	return hh.Handle(ctx, r)
}

// WithAttrs returns a handler whose records include attrs.
func (h *ContextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.with(handlerOp{attrs: attrs}, h.inner.WithAttrs(attrs))
}

// WithGroup returns a handler that nests later attributes under name.
func (h *ContextHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.with(handlerOp{group: name}, h.inner.WithGroup(name))
}

func (h *ContextHandler) with(op handlerOp, inner slog.Handler) *ContextHandler {
	ops := make([]handlerOp, len(h.ops), len(h.ops)+1)
	copy(ops, h.ops)
	return &ContextHandler{
		inner: inner,
		base:  h.base,
		ops:   append(ops, op),
		group: h.group || op.group != "",
	}
}

// contextAttrs appends the correlation attributes found in ctx to dst.
func contextAttrs(ctx context.Context, dst []slog.Attr) []slog.Attr {
	if ctx == nil {
		return dst
	}
	if id := RequestID(ctx); id != "" {
		dst = append(dst, slog.String(KeyRequestID, id))
	}
	if id := UserID(ctx); id != "" {
		dst = append(dst, slog.String(KeyUserID, id))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		dst = append(dst,
			slog.String(KeyTraceID, sc.TraceID().String()),
			slog.String(KeySpanID, sc.SpanID().String()))
	}
	return dst
}

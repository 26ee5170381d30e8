package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestLogMailerLogsWhatADeveloperNeeds(t *testing.T) {
	var buf bytes.Buffer
	m := NewLogMailer(slog.New(slog.NewJSONHandler(&buf, nil)), "no-reply@pathavana.test")
	link := "https://app.pathavana.test/verify?token=abc123"
	if err := m.Send(context.Background(), VerifyEmail("ana@example.com", link)); err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("log line %q: %v", buf.String(), err)
	}
	if rec["level"] != "INFO" || rec["msg"] != "mail sent (log mailer)" {
		t.Fatalf("record = %v", rec)
	}
	if rec["to"] != "ana@example.com" || !strings.Contains(rec["subject"].(string), "Confirm your email") {
		t.Fatalf("to/subject missing: %v", rec)
	}
	if !strings.Contains(rec["text"].(string), link) {
		t.Fatalf("link missing from logged text: %v", rec["text"])
	}
}

func TestLogMailerRejectsInjectionAndCancelledCtx(t *testing.T) {
	var buf bytes.Buffer
	m := NewLogMailer(slog.New(slog.NewTextHandler(&buf, nil)), "no-reply@pathavana.test")
	bad := Message{To: "a@example.com\r\nBcc: b@example.com", Subject: "x", Text: "y"}
	if err := m.Send(context.Background(), bad); !IsPermanent(err) {
		t.Fatalf("injection: err = %v, want permanent", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Send(ctx, simpleMessage()); err == nil {
		t.Fatal("cancelled ctx: want error")
	}
	if buf.Len() != 0 {
		t.Fatalf("rejected messages were logged: %s", buf.String())
	}
}

package mail

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"pathavana/internal/testkit/smtpfake"
)

const (
	testUser = "mailer"
	testPass = "s3cret-pass"
	testFrom = "Pathavana <no-reply@pathavana.test>"
)

// newTestMailer returns a mailer for srv that trusts srv's test CA.
func newTestMailer(t *testing.T, srv *smtpfake.Server, edit func(*SMTPConfig)) Mailer {
	t.Helper()
	cfg := SMTPConfig{
		Host: srv.Host(), Port: srv.Port(), Username: testUser, Password: testPass,
		From: testFrom, HeloName: "app.pathavana.test", Timeout: 5 * time.Second,
		TLSConfig: srv.ClientTLSConfig(),
	}
	if edit != nil {
		edit(&cfg)
	}
	m, err := NewSMTPMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func authedServer(t *testing.T, opts smtpfake.Options) *smtpfake.Server {
	opts.Username, opts.Password = testUser, testPass
	return smtpfake.New(t, opts)
}

func simpleMessage() Message {
	return Message{To: "ana@example.com", Subject: "Hello", Text: "Hi Ana"}
}

func TestSMTPHappyPath(t *testing.T) {
	srv := authedServer(t, smtpfake.Options{})
	m := newTestMailer(t, srv, nil)
	text := "Hello Ana,\n.this line starts with a dot\n.\n" + strings.Repeat("long ", 400) + "\nBye"
	htmlBody := "<p>Hello Ana, ünïcödé</p>\n<p>.dot</p>"
	subject := "Bestätigung: Reise nach Zürich ✈"
	msg := Message{To: "Ana Müller <ana@example.com>", Subject: subject, Text: text, HTML: htmlBody}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitForMessages(t, 1, 5*time.Second)[0]
	if got.From != "no-reply@pathavana.test" || len(got.To) != 1 || got.To[0] != "ana@example.com" {
		t.Fatalf("envelope = %q -> %q", got.From, got.To)
	}
	if !got.TLS || got.AuthUser != testUser {
		t.Fatalf("TLS=%v AuthUser=%q, want TLS and authenticated", got.TLS, got.AuthUser)
	}
	wantCmds := []string{"EHLO app.pathavana.test", "STARTTLS", "EHLO app.pathavana.test", "AUTH PLAIN <redacted>"}
	if cmds := srv.Commands(); len(cmds) < 4 || strings.Join(cmds[:4], "|") != strings.Join(wantCmds, "|") {
		t.Fatalf("commands = %q, want prefix %q", cmds, wantCmds)
	}
	checkWireFormat(t, got.Data)
	// The fake strips one leading dot per line, so these lines arrive intact
	// only if the client dot-stuffed them; an unstuffed "." line would even
	// have ended DATA early.
	if !bytes.Contains(got.Data, []byte("\r\n.this line starts with a dot\r\n.\r\n")) {
		t.Fatalf("dot lines did not survive:\n%s", got.Data)
	}

	parsed, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	h := parsed.Header
	if rawSubj := h.Get("Subject"); !strings.Contains(strings.ToLower(rawSubj), "=?utf-8?q?") {
		t.Fatalf("non-ASCII subject not RFC 2047 encoded: %q", rawSubj)
	}
	if dec, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); err != nil || dec != subject {
		t.Fatalf("subject decodes to %q (%v), want %q", dec, err, subject)
	}
	if to, err := h.AddressList("To"); err != nil || to[0].Name != "Ana Müller" || to[0].Address != "ana@example.com" {
		t.Fatalf("To = %v (%v)", to, err)
	}
	if from, err := h.AddressList("From"); err != nil || from[0].Address != "no-reply@pathavana.test" {
		t.Fatalf("From = %v (%v)", from, err)
	}
	if _, err := h.Date(); err != nil {
		t.Fatalf("Date: %v", err)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@pathavana.test>") {
		t.Fatalf("Message-ID = %q", id)
	}
	if v := h.Get("MIME-Version"); v != "1.0" {
		t.Fatalf("MIME-Version = %q", v)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v)", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(parsed.Body, params["boundary"])
	for _, want := range []struct{ typ, body string }{{"text/plain", text}, {"text/html", htmlBody}} {
		p, err := mr.NextPart() // decodes quoted-printable transparently
		if err != nil {
			t.Fatal(err)
		}
		if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, want.typ+";") {
			t.Fatalf("part type = %q, want %s", ct, want.typ)
		}
		b, _ := io.ReadAll(p)
		if got := strings.ReplaceAll(string(b), "\r\n", "\n"); got != want.body {
			t.Fatalf("%s part = %q\nwant %q", want.typ, got, want.body)
		}
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Fatalf("extra part: %v", err)
	}
}

// checkWireFormat asserts CRLF-only line endings and RFC 5322 line lengths.
func checkWireFormat(t *testing.T, data []byte) {
	t.Helper()
	for i, line := range strings.Split(string(data), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i, line)
		}
		if len(line) > 998 {
			t.Fatalf("line %d is %d octets long", i, len(line))
		}
	}
}

func TestSMTPTextOnlyAndNoAuth(t *testing.T) {
	srv := smtpfake.New(t, smtpfake.Options{})
	m := newTestMailer(t, srv, func(c *SMTPConfig) { c.Username, c.Password = "", "" })
	if err := m.Send(context.Background(), simpleMessage()); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitForMessages(t, 1, 5*time.Second)[0]
	parsed, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	if ct := parsed.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("Content-Type = %q, want text/plain", ct)
	}
	if s := parsed.Header.Get("Subject"); s != "Hello" {
		t.Fatalf("ASCII subject changed: %q", s)
	}
	for _, c := range srv.Commands() {
		if strings.HasPrefix(c, "AUTH") {
			t.Fatal("AUTH sent without a username")
		}
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	srv := authedServer(t, smtpfake.Options{ImplicitTLS: true})
	m := newTestMailer(t, srv, func(c *SMTPConfig) { c.ImplicitTLS = true })
	if err := m.Send(context.Background(), simpleMessage()); err != nil {
		t.Fatal(err)
	}
	if got := srv.WaitForMessages(t, 1, 5*time.Second)[0]; !got.TLS {
		t.Fatal("not sent over TLS")
	}
}

func TestNewSMTPMailerValidates(t *testing.T) {
	good := SMTPConfig{Host: "smtp.example.com", From: "no-reply@example.com"}
	if _, err := NewSMTPMailer(good); err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
	for name, edit := range map[string]func(*SMTPConfig){
		"no host":          func(c *SMTPConfig) { c.Host = "" },
		"bad port":         func(c *SMTPConfig) { c.Port = 70000 },
		"bad from":         func(c *SMTPConfig) { c.From = "nobody" },
		"from injection":   func(c *SMTPConfig) { c.From = "a@x.com\r\nBcc: b@y.com" },
		"password no user": func(c *SMTPConfig) { c.Password = "hunter2" },
		"negative timeout": func(c *SMTPConfig) { c.Timeout = -time.Second },
		"helo with space":  func(c *SMTPConfig) { c.HeloName = "a b" },
	} {
		cfg := good
		edit(&cfg)
		_, err := NewSMTPMailer(cfg)
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error leaks the password: %v", name, err)
		}
	}
}

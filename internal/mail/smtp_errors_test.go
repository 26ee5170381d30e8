package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/testkit/smtpfake"
)

func TestSMTPErrorClassification(t *testing.T) {
	tests := []struct {
		name      string
		opts      smtpfake.Options
		password  string
		permanent bool
	}{
		{"wrong password", smtpfake.Options{}, "wrong", true},
		{"RCPT 4xx", smtpfake.Options{RcptReply: "450 4.2.1 Mailbox busy"}, testPass, false},
		{"RCPT 5xx", smtpfake.Options{RcptReply: "550 5.1.1 No such user"}, testPass, true},
		{"too large", smtpfake.Options{MaxMessageBytes: 64}, testPass, true},
		{"421 at MAIL", smtpfake.Options{Drop421At: "MAIL"}, testPass, false},
		{"421 at greeting", smtpfake.Options{Drop421At: "GREETING"}, testPass, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := authedServer(t, tt.opts)
			m := newTestMailer(t, srv, func(c *SMTPConfig) { c.Password = tt.password })
			err := m.Send(context.Background(), simpleMessage())
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			if got := IsPermanent(err); got != tt.permanent {
				t.Fatalf("IsPermanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			if strings.Contains(err.Error(), testPass) {
				t.Fatal("error message contains the password")
			}
			if n := len(srv.Messages()); n != 0 {
				t.Fatalf("%d messages accepted, want 0", n)
			}
		})
	}
}

// assertNothingSentInClear checks that only greeting-level commands reached
// the server: no credentials, no envelope, no data.
func assertNothingSentInClear(t *testing.T, srv *smtpfake.Server) {
	t.Helper()
	for _, c := range srv.Commands() {
		for _, verb := range []string{"AUTH", "MAIL", "RCPT", "DATA"} {
			if strings.HasPrefix(strings.ToUpper(c), verb) {
				t.Fatalf("%q was sent; commands: %q", c, srv.Commands())
			}
		}
	}
}

func TestSMTPRequiresSTARTTLS(t *testing.T) {
	srv := authedServer(t, smtpfake.Options{NoSTARTTLS: true})
	err := newTestMailer(t, srv, nil).Send(context.Background(), simpleMessage())
	if !errors.Is(err, ErrNoSTARTTLS) {
		t.Fatalf("err = %v, want ErrNoSTARTTLS", err)
	}
	assertNothingSentInClear(t, srv)
}

func TestSMTPUntrustedCertificate(t *testing.T) {
	srv := authedServer(t, smtpfake.Options{})
	other := smtpfake.New(t, smtpfake.Options{}) // a different CA
	for name, tlsConf := range map[string]*tls.Config{
		"other CA":     other.ClientTLSConfig(),
		"system roots": nil,
	} {
		t.Run(name, func(t *testing.T) {
			m := newTestMailer(t, srv, func(c *SMTPConfig) { c.TLSConfig = tlsConf })
			err := m.Send(context.Background(), simpleMessage())
			var verr *tls.CertificateVerificationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a certificate verification error", err)
			}
			assertNothingSentInClear(t, srv)
		})
	}
}

func TestSMTPTimeouts(t *testing.T) {
	srv := smtpfake.New(t, smtpfake.Options{ReplyDelay: 3 * time.Second})
	cases := []struct {
		name    string
		timeout time.Duration
		ctx     func() (context.Context, context.CancelFunc)
		want    error
	}{
		{"ctx deadline", 5 * time.Second, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 200*time.Millisecond)
		}, context.DeadlineExceeded},
		{"config timeout", 200 * time.Millisecond, func() (context.Context, context.CancelFunc) {
			return context.Background(), func() {}
		}, context.DeadlineExceeded},
		{"ctx cancelled", 5 * time.Second, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMailer(t, srv, func(c *SMTPConfig) { c.Timeout = tc.timeout })
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			err := m.Send(ctx, simpleMessage())
			if elapsed := time.Since(start); elapsed > 1500*time.Millisecond {
				t.Fatalf("Send returned after %v, want about 200ms", elapsed)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if IsPermanent(err) {
				t.Fatal("a timeout must be retryable")
			}
		})
	}
}

func TestHeaderInjectionRejected(t *testing.T) {
	srv := smtpfake.New(t, smtpfake.Options{})
	m := newTestMailer(t, srv, nil)
	for _, msg := range []Message{
		{To: "ana@example.com\r\nBcc: victim@example.com", Subject: "Hi", Text: "x"},
		{To: "ana@example.com\nBcc: victim@example.com", Subject: "Hi", Text: "x"},
		{To: "ana@example.com", Subject: "Hi\r\nBcc: victim@example.com", Text: "x"},
		{To: "ana@example.com", Subject: "Hi\rX-Evil: 1", Text: "x"},
		{To: "ana@example.com, bob@example.com", Subject: "Hi", Text: "x"},
		{To: "not an address", Subject: "Hi", Text: "x"},
		{To: "ana@example.com", Subject: "", Text: "x"},
	} {
		err := m.Send(context.Background(), msg)
		if apperr.CodeOf(err) != apperr.Invalid || !IsPermanent(err) {
			t.Errorf("Send(%q, %q) = %v, want a permanent invalid error", msg.To, msg.Subject, err)
		}
	}
	if cmds := srv.Commands(); len(cmds) != 0 {
		t.Fatalf("invalid messages reached the server: %q", cmds)
	}
}

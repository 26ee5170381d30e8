package smtpfake

import (
	"crypto/tls"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// dialRaw opens a plain-text protocol connection and reads the greeting.
func dialRaw(t *testing.T, s *Server) *textproto.Conn {
	t.Helper()
	c, err := textproto.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, _, err := c.ReadResponse(220); err != nil {
		t.Fatal(err)
	}
	return c
}

func cmd(t *testing.T, c *textproto.Conn, want int, line string) string {
	t.Helper()
	if err := c.PrintfLine("%s", line); err != nil {
		t.Fatal(err)
	}
	_, msg, err := c.ReadResponse(want)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return msg
}

func TestAuthOnlyAfterTLSAndUnstuffedData(t *testing.T) {
	s := New(t, Options{Username: "u", Password: "p"})
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("AUTH"); ok {
		t.Fatal("AUTH advertised before TLS")
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not advertised")
	}
	if err := c.StartTLS(clientTLS(s)); err != nil {
		t.Fatalf("STARTTLS with the test CA: %v", err)
	}
	if ok, mechs := c.Extension("AUTH"); !ok || mechs != "PLAIN" {
		t.Fatalf("AUTH after TLS = %v %q", ok, mechs)
	}
	if err := c.Auth(smtp.PlainAuth("", "u", "wrong", s.Host())); err == nil {
		t.Fatal("wrong password accepted")
	} else if !strings.HasPrefix(err.Error(), "535") {
		t.Fatalf("wrong password: %v, want 535", err)
	}
}

// clientTLS trusts only s's CA; net/smtp needs ServerName set explicitly.
func clientTLS(s *Server) *tls.Config {
	c := s.ClientTLSConfig()
	c.ServerName = s.Host()
	return c
}

func TestRecordsEnvelopeAndUnstuffsDots(t *testing.T) {
	s := New(t, Options{})
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartTLS(clientTLS(s)); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("a@x.test"); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"b@y.test", "c@y.test"} {
		if err := c.Rcpt(r); err != nil {
			t.Fatal(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	body := "Subject: hi\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n"
	if _, err := w.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_ = c.Quit()

	msgs := s.WaitForMessages(t, 1, 5*time.Second)
	got := msgs[0]
	if got.From != "a@x.test" || strings.Join(got.To, ",") != "b@y.test,c@y.test" || !got.TLS {
		t.Fatalf("envelope = %+v", got)
	}
	if string(got.Data) != body {
		t.Fatalf("data = %q, want %q", got.Data, body)
	}
}

func TestFaults(t *testing.T) {
	t.Run("no STARTTLS", func(t *testing.T) {
		s := New(t, Options{NoSTARTTLS: true})
		c := dialRaw(t, s)
		if msg := cmd(t, c, 250, "EHLO me"); strings.Contains(msg, "STARTTLS") {
			t.Fatalf("EHLO advertises STARTTLS: %q", msg)
		}
		cmd(t, c, 502, "STARTTLS")
	})
	t.Run("AUTH in clear refused", func(t *testing.T) {
		s := New(t, Options{Username: "u", Password: "p"})
		c := dialRaw(t, s)
		cmd(t, c, 250, "EHLO me")
		cmd(t, c, 538, "AUTH PLAIN AHUAcA==")
		cmd(t, c, 530, "MAIL FROM:<a@x.test>")
		if got := s.Commands(); got[1] != "AUTH PLAIN <redacted>" {
			t.Fatalf("AUTH not redacted in %q", got)
		}
	})
	t.Run("RCPT reply", func(t *testing.T) {
		s := New(t, Options{RcptReply: "451 4.3.0 Try later"})
		c := dialRaw(t, s)
		cmd(t, c, 250, "EHLO me")
		cmd(t, c, 250, "MAIL FROM:<a@x.test>")
		cmd(t, c, 451, "RCPT TO:<b@y.test>")
	})
	t.Run("SIZE too large", func(t *testing.T) {
		s := New(t, Options{MaxMessageBytes: 10})
		c := dialRaw(t, s)
		if msg := cmd(t, c, 250, "EHLO me"); !strings.Contains(msg, "SIZE 10") {
			t.Fatalf("SIZE not advertised: %q", msg)
		}
		cmd(t, c, 552, "MAIL FROM:<a@x.test> SIZE=11")
		cmd(t, c, 250, "MAIL FROM:<a@x.test>")
		cmd(t, c, 250, "RCPT TO:<b@y.test>")
		cmd(t, c, 354, "DATA")
		cmd(t, c, 552, "0123456789abcdef\r\n.")
		if n := len(s.Messages()); n != 0 {
			t.Fatalf("%d messages recorded, want 0", n)
		}
	})
	t.Run("421 then disconnect", func(t *testing.T) {
		s := New(t, Options{Drop421At: "MAIL"})
		c := dialRaw(t, s)
		cmd(t, c, 250, "EHLO me")
		cmd(t, c, 421, "MAIL FROM:<a@x.test>")
		if _, err := c.ReadLine(); err == nil {
			t.Fatal("connection still open after 421")
		}
	})
	t.Run("reply delay", func(t *testing.T) {
		s := New(t, Options{ReplyDelay: 150 * time.Millisecond})
		start := time.Now()
		dialRaw(t, s)
		if d := time.Since(start); d < 150*time.Millisecond {
			t.Fatalf("greeting after %v, want ≥150ms", d)
		}
	})
}

package mail

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// FuzzBuildMessage checks the invariants that keep a message from being
// turned into something else on the wire: whatever the input, either it is
// rejected, or the output has only CRLF line endings, no line over 998
// octets, exactly the headers we wrote, and a To that parses back to the
// validated address.
func FuzzBuildMessage(f *testing.F) {
	f.Add("ana@example.com", "Hello", "Hi\n.dot", "")
	f.Add("Ana Müller <ana@example.com>", "Zürich ✈", "text", "<p>x</p>")
	f.Add("a@x.com\r\nBcc: b@y.com", "s", "t", "")
	f.Add("a@x.com", "s\nX-Evil: 1", "t", "h")
	from, _ := mail.ParseAddress(testFrom)
	f.Fuzz(func(t *testing.T, to, subject, text, html string) {
		m := Message{To: to, Subject: subject, Text: text, HTML: html}
		addr, err := m.recipient()
		if err != nil {
			return
		}
		raw, err := buildMessage(from, addr, m, time.Now())
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(raw), "\r\n") {
			if strings.ContainsAny(line, "\r\n") || len(line) > maxHeaderLine {
				t.Fatalf("bad line %q", line)
			}
		}
		parsed, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("output does not parse: %v", err)
		}
		if n := len(parsed.Header); n != 8 && n != 9 {
			t.Fatalf("%d header fields, want 8 or 9: %v", n, parsed.Header)
		}
		for k, v := range parsed.Header {
			if len(v) != 1 {
				t.Fatalf("header %s repeated: %q", k, v)
			}
		}
		got, err := parsed.Header.AddressList("To")
		if err != nil || len(got) != 1 || got[0].Address != addr.Address {
			t.Fatalf("To = %v (%v), want %s", got, err, addr.Address)
		}
	})
}

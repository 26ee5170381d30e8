package testkit

import (
	"context"
	"net/url"
	"regexp"
	"sync"
	"testing"

	"pathavana/internal/mail"
)

// Mailbox is a Mailer that keeps every message for assertions.
type Mailbox struct {
	mu   sync.Mutex
	msgs []mail.Message
}

// Send records m.
func (b *Mailbox) Send(_ context.Context, m mail.Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, m)
	return nil
}

// To returns the messages sent to addr, oldest first.
func (b *Mailbox) To(addr string) []mail.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []mail.Message
	for _, m := range b.msgs {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+`)

// Token returns the token query parameter of the newest link to path in a
// message to addr, failing the test when there is none.
func (b *Mailbox) Token(t testing.TB, addr, path string) string {
	t.Helper()
	msgs := b.To(addr)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, link := range linkRE.FindAllString(msgs[i].Text, -1) {
			u, err := url.Parse(link)
			if err == nil && u.Path == path && u.Query().Get("token") != "" {
				return u.Query().Get("token")
			}
		}
	}
	t.Fatalf("no email to %s with a %s link (got %d messages)", addr, path, len(msgs))
	return ""
}

// Package mail sends Pathavana's transactional email (address verification,
// password resets, lock-out notices). Callers depend on the small Mailer
// interface so the same code runs with the log mailer on a laptop and with
// SMTP in production, and so the jobs runner can tell from IsPermanent
// whether a failed send is worth retrying.
package mail

import (
	"context"
	"errors"
	"net/mail"
	"net/textproto"
	"strings"

	"pathavana/internal/apperr"
)

// Message is one email to one recipient. Text is required because every
// client can show it; HTML is an optional richer alternative of the same
// content.
type Message struct {
	To      string // one address, optionally with a display name
	Subject string
	Text    string
	HTML    string
}

// Mailer delivers a Message. Implementations must be safe for concurrent
// use and must honour ctx cancellation and deadlines.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// IsPermanent reports whether retrying the send cannot help: the server
// answered with a 5xx reply (bad credentials, unknown mailbox, message too
// large) or the message itself is invalid. 4xx replies, network errors,
// timeouts and TLS failures are temporary: the jobs runner should retry
// them with back-off (a TLS failure may be a rotating certificate or an
// on-path attacker, and retrying never sends anything in clear).
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500 && te.Code <= 599
	}
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Code == apperr.Invalid
}

// recipient validates m's header fields before anything is sent and returns
// the parsed To address. CR or LF in To or Subject would let a caller (or a
// user who controls a display name) inject headers or whole messages, so
// they are rejected, not stripped.
func (m Message) recipient() (*mail.Address, error) {
	if strings.ContainsAny(m.To, "\r\n") {
		return nil, invalid("To", "must not contain line breaks")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, invalid("Subject", "must not contain line breaks")
	}
	if strings.TrimSpace(m.Subject) == "" {
		return nil, invalid("Subject", "is required")
	}
	if strings.TrimSpace(m.Text) == "" {
		return nil, invalid("Text", "is required")
	}
	addr, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, invalid("To", "is not a single valid email address")
	}
	// RFC 5321 §4.5.3.1: 64 octets of local part, 254 for the address
	// (the 256-octet path minus its angle brackets). Longer ones bounce.
	at := strings.LastIndexByte(addr.Address, '@')
	if len(addr.Address) > 254 || at > 64 {
		return nil, invalid("To", "is longer than an email address may be")
	}
	if len("To: ")+len(addr.String()) > maxHeaderLine {
		return nil, invalid("To", "display name is too long")
	}
	return addr, nil
}

func invalid(field, msg string) error {
	return apperr.Validation(apperr.FieldError{Field: field, Message: msg})
}

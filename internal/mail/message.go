package mail

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// maxHeaderLine is RFC 5322's hard limit on a line, CRLF excluded.
const maxHeaderLine = 998

// buildMessage renders m as an RFC 5322 message with CRLF line endings.
// Bodies are quoted-printable, which keeps every line under 78 characters
// whatever the input, so long URLs and non-ASCII text survive any relay.
// Dot-stuffing is not done here: net/smtp's DATA writer does it on the wire.
func buildMessage(from *mail.Address, to *mail.Address, m Message, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	subject, err := encodeSubject(m.Subject)
	if err != nil {
		return nil, err
	}
	header := func(name, value string) { fmt.Fprintf(&b, "%s: %s\r\n", name, value) }
	header("From", from.String())
	header("To", to.String())
	b.WriteString("Subject: " + subject + "\r\n")
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", messageID(from.Address))
	// RFC 3834: tells vacation responders not to answer a robot.
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")

	if m.HTML == "" {
		header("Content-Type", `text/plain; charset="utf-8"`)
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}

	mw := multipart.NewWriter(&b) // writes CRLF delimiters
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	// RFC 2046: parts go from plainest to richest; clients show the last
	// one they understand.
	for _, part := range []struct{ typ, body string }{
		{"text/plain", m.Text},
		{"text/html", m.HTML},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + `; charset="utf-8"`},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeQP quoted-printable encodes text; the encoder turns every LF, CR or
// CRLF into CRLF, so callers may use plain "\n" in templates. No final CRLF
// is added: the multipart delimiter and the DATA terminator supply it.
func writeQP(w interface{ Write([]byte) (int, error) }, text string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(text)); err != nil {
		return err
	}
	return qp.Close()
}

// encodeSubject applies RFC 2047 Q-encoding when the subject is not plain
// ASCII, then folds between encoded words so no line passes 998 octets.
func encodeSubject(s string) (string, error) {
	enc := mime.QEncoding.Encode("utf-8", s)
	// Whitespace between two encoded words is not part of the text
	// (RFC 2047 §6.2), so folding there changes nothing for the reader.
	enc = strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
	for i, line := range strings.Split(enc, "\r\n") {
		n := len(line)
		if i == 0 {
			n += len("Subject: ")
		}
		if n > maxHeaderLine {
			return "", invalid("Subject", "is too long")
		}
	}
	return enc, nil
}

// messageID returns a unique, unguessable Message-ID in the sender's
// domain, as RFC 5322 §3.6.4 recommends.
func messageID(fromAddr string) string {
	domain := "localhost"
	if at := strings.LastIndexByte(fromAddr, '@'); at >= 0 && at < len(fromAddr)-1 {
		domain = fromAddr[at+1:]
	}
	return "<" + rand.Text() + "@" + domain + ">"
}

package smtpfake

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"encoding/base64"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// maxLine bounds a command line (RFC 5321 says 512 octets; we are lenient)
// so a broken client cannot make the fake buffer without limit.
const maxLine = 4096

// session is one SMTP conversation. It is driven by a single goroutine, so
// its fields need no locking; shared results go through the Server.
type session struct {
	srv  *Server
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer

	tls      bool
	helo     bool
	authUser string
	from     string
	inMail   bool
	rcpts    []string
}

func newSession(srv *Server, conn net.Conn) *session {
	_, isTLS := conn.(*tls.Conn)
	s := &session{srv: srv, tls: isTLS}
	s.setConn(conn)
	return s
}

func (s *session) setConn(c net.Conn) {
	s.conn, s.r, s.w = c, bufio.NewReader(c), bufio.NewWriter(c)
}

// errClose ends the session after the reply that produced it was sent.
var errClose = io.EOF

func (s *session) run() {
	opts := s.srv.opts
	if opts.Drop421At == "GREETING" {
		s.reply("421 4.3.2 Service shutting down")
		return
	}
	if s.reply("220 "+opts.Hostname+" ESMTP smtpfake") != nil {
		return
	}
	for {
		line, err := s.readLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if verb == "AUTH" {
			mech, _, _ := strings.Cut(arg, " ")
			s.srv.recordCommand("AUTH " + mech + " <redacted>")
		} else {
			s.srv.recordCommand(line)
		}
		if opts.Drop421At != "" && strings.EqualFold(verb, opts.Drop421At) {
			s.reply("421 4.3.2 Service shutting down")
			return
		}
		if err := s.handle(verb, arg); err != nil {
			return
		}
	}
}

func (s *session) handle(verb, arg string) error {
	switch verb {
	case "EHLO":
		return s.ehlo()
	case "HELO":
		s.helo = true
		s.resetEnvelope()
		return s.reply("250 " + s.srv.opts.Hostname)
	case "STARTTLS":
		return s.startTLS()
	case "AUTH":
		return s.auth(arg)
	case "MAIL":
		return s.mail(arg)
	case "RCPT":
		return s.rcpt(arg)
	case "DATA":
		return s.data()
	case "RSET":
		s.resetEnvelope()
		return s.reply("250 2.0.0 Ok")
	case "NOOP":
		return s.reply("250 2.0.0 Ok")
	case "QUIT":
		s.reply("221 2.0.0 Bye")
		return errClose
	default:
		return s.reply("500 5.5.2 Command not recognised")
	}
}

func (s *session) ehlo() error {
	s.helo = true
	s.resetEnvelope()
	opts := s.srv.opts
	lines := []string{opts.Hostname, "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"}
	if opts.MaxMessageBytes > 0 {
		lines = append(lines, "SIZE "+strconv.Itoa(opts.MaxMessageBytes))
	}
	if !s.tls && !opts.NoSTARTTLS {
		lines = append(lines, "STARTTLS")
	}
	if s.tls && opts.Username != "" {
		lines = append(lines, "AUTH PLAIN")
	}
	var b strings.Builder
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		b.WriteString("250" + sep + l)
		if i < len(lines)-1 {
			b.WriteString("\r\n")
		}
	}
	return s.reply(b.String())
}

func (s *session) startTLS() error {
	if s.tls || s.srv.opts.NoSTARTTLS {
		return s.reply("502 5.5.1 STARTTLS not available")
	}
	if err := s.reply("220 2.0.0 Ready to start TLS"); err != nil {
		return err
	}
	tc := tls.Server(s.conn, s.srv.tlsConf)
	_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		return err
	}
	_ = tc.SetDeadline(time.Time{})
	s.setConn(tc)
	// RFC 3207: forget everything learnt before TLS; the client must EHLO again.
	s.tls, s.helo, s.authUser = true, false, ""
	s.resetEnvelope()
	return nil
}

func (s *session) auth(arg string) error {
	opts := s.srv.opts
	switch {
	case !s.tls:
		return s.reply("538 5.7.11 Encryption required for requested authentication mechanism")
	case opts.Username == "":
		return s.reply("502 5.5.1 AUTH not supported")
	case s.authUser != "":
		return s.reply("503 5.5.1 Already authenticated")
	}
	mech, initial, _ := strings.Cut(arg, " ")
	if !strings.EqualFold(mech, "PLAIN") {
		return s.reply("504 5.5.4 Unrecognized authentication type")
	}
	if initial == "" {
		if err := s.reply("334 "); err != nil {
			return err
		}
		line, err := s.readLine()
		if err != nil {
			return err
		}
		initial = line
	}
	if initial == "*" {
		return s.reply("501 5.7.0 Authentication cancelled")
	}
	raw, err := base64.StdEncoding.DecodeString(initial)
	if err != nil {
		return s.reply("501 5.5.2 Cannot decode response")
	}
	parts := bytes.Split(raw, []byte{0})
	if len(parts) != 3 {
		return s.reply("501 5.5.2 Malformed PLAIN response")
	}
	userOK := subtle.ConstantTimeCompare(parts[1], []byte(opts.Username)) == 1
	passOK := subtle.ConstantTimeCompare(parts[2], []byte(opts.Password)) == 1
	if !userOK || !passOK {
		return s.reply("535 5.7.8 Authentication credentials invalid")
	}
	s.authUser = opts.Username
	return s.reply("235 2.7.0 Authentication successful")
}

func (s *session) mail(arg string) error {
	switch {
	case !s.helo:
		return s.reply("503 5.5.1 Send EHLO first")
	case s.srv.opts.Username != "" && s.authUser == "":
		return s.reply("530 5.7.0 Authentication required")
	case s.inMail:
		return s.reply("503 5.5.1 Nested MAIL command")
	}
	addr, params, ok := parsePath(arg, "FROM:")
	if !ok {
		return s.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
	}
	if limit := s.srv.opts.MaxMessageBytes; limit > 0 {
		for _, p := range strings.Fields(params) {
			k, v, _ := strings.Cut(p, "=")
			if n, err := strconv.Atoi(v); strings.EqualFold(k, "SIZE") && err == nil && n > limit {
				return s.reply("552 5.3.4 Message size exceeds fixed limit")
			}
		}
	}
	s.from, s.inMail = addr, true
	return s.reply("250 2.1.0 Ok")
}

func (s *session) rcpt(arg string) error {
	if !s.inMail {
		return s.reply("503 5.5.1 Need MAIL before RCPT")
	}
	addr, _, ok := parsePath(arg, "TO:")
	if !ok || addr == "" {
		return s.reply("501 5.5.4 Syntax: RCPT TO:<address>")
	}
	if r := s.srv.opts.RcptReply; r != "" {
		return s.reply(r)
	}
	s.rcpts = append(s.rcpts, addr)
	return s.reply("250 2.1.5 Ok")
}

func (s *session) data() error {
	if len(s.rcpts) == 0 {
		return s.reply("503 5.5.1 Need RCPT before DATA")
	}
	if err := s.reply("354 End data with <CR><LF>.<CR><LF>"); err != nil {
		return err
	}
	data, tooBig, err := s.readData()
	if err != nil {
		return err
	}
	defer s.resetEnvelope()
	if tooBig {
		return s.reply("552 5.3.4 Message size exceeds fixed limit")
	}
	s.srv.recordMessage(Received{
		From: s.from, To: append([]string(nil), s.rcpts...),
		Data: data, TLS: s.tls, AuthUser: s.authUser,
	})
	return s.reply("250 2.0.0 Ok: queued")
}

func (s *session) resetEnvelope() {
	s.from, s.inMail, s.rcpts = "", false, nil
}

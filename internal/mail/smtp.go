package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one whole send (dial, TLS, auth, DATA, QUIT) when
// SMTPConfig.Timeout is zero, so a stuck relay cannot hold a worker forever.
const DefaultTimeout = 30 * time.Second

// ErrNoSTARTTLS means the server did not offer STARTTLS. The mailer refuses
// to continue rather than send credentials and personal data in clear: a
// missing STARTTLS is either a misconfigured relay or an attacker stripping it.
var ErrNoSTARTTLS = errors.New("mail: SMTP server does not offer STARTTLS; refusing to send in clear text")

// SMTPConfig describes an SMTP submission server (port 587 with STARTTLS,
// or 465 with ImplicitTLS).
type SMTPConfig struct {
	Host     string
	Port     int // 0 means 587, or 465 with ImplicitTLS
	Username string
	Password string // never logged; see LogValue
	From     string // "Pathavana <no-reply@example.com>" or a bare address
	HeloName string // name sent in EHLO; "localhost" when empty
	// Timeout bounds a whole send; DefaultTimeout when zero. A shorter ctx
	// deadline wins.
	Timeout     time.Duration
	ImplicitTLS bool        // TLS from the first byte (port 465 style)
	TLSConfig   *tls.Config // nil means system roots; tests pass a test CA
}

// LogValue lets a config be logged (for `pathavana config`, start-up logs)
// without its password.
func (c SMTPConfig) LogValue() slog.Value {
	pw := ""
	if c.Password != "" {
		pw = "[redacted]"
	}
	return slog.GroupValue(
		slog.String("host", c.Host), slog.Int("port", c.Port),
		slog.String("username", c.Username), slog.String("password", pw),
		slog.String("from", c.From), slog.Bool("implicit_tls", c.ImplicitTLS),
		slog.Duration("timeout", c.Timeout),
	)
}

type smtpMailer struct {
	cfg  SMTPConfig
	from *mail.Address
	addr string
}

// NewSMTPMailer validates cfg and returns a Mailer that opens one
// connection per Send. Mail volume is low (account emails), so connection
// reuse is not worth the state it would need.
func NewSMTPMailer(cfg SMTPConfig) (Mailer, error) {
	var errs []error
	if cfg.Host == "" || strings.ContainsAny(cfg.Host, " \t\r\n/:") && net.ParseIP(cfg.Host) == nil {
		errs = append(errs, errors.New("host is required and must be a host name or IP address"))
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.ImplicitTLS {
			cfg.Port = 465
		}
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		errs = append(errs, fmt.Errorf("port %d is out of range", cfg.Port))
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil || strings.ContainsAny(cfg.From, "\r\n") || !strings.Contains(from.Address, "@") {
		errs = append(errs, errors.New("from must be one valid email address"))
	}
	if cfg.Password != "" && cfg.Username == "" {
		errs = append(errs, errors.New("password is set but username is empty"))
	}
	if strings.ContainsAny(cfg.Username, "\r\n\x00") || strings.ContainsAny(cfg.Password, "\x00") {
		errs = append(errs, errors.New("username or password contains a forbidden character"))
	}
	if cfg.HeloName == "" {
		cfg.HeloName = "localhost"
	}
	if strings.ContainsAny(cfg.HeloName, " \t\r\n") {
		errs = append(errs, errors.New("helo name must not contain spaces or line breaks"))
	}
	switch {
	case cfg.Timeout < 0:
		errs = append(errs, errors.New("timeout must not be negative"))
	case cfg.Timeout == 0:
		cfg.Timeout = DefaultTimeout
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("mail: invalid SMTP config: %w", errors.Join(errs...))
	}
	return &smtpMailer{cfg: cfg, from: from, addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))}, nil
}

// Send delivers m in one SMTP session. Once the server has accepted DATA
// the message counts as sent even if QUIT fails, so a retry never produces
// a duplicate email.
func (s *smtpMailer) Send(ctx context.Context, m Message) error {
	to, err := m.recipient()
	if err != nil {
		return err
	}
	raw, err := buildMessage(s.from, to, m, time.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()

	conn, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", s.addr, withCtxErr(ctx, err))
	}
	defer conn.Close()
	// The deadline covers every read and write; AfterFunc also unblocks
	// them at once when ctx is cancelled without a deadline.
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if err := s.session(conn, to.Address, raw); err != nil {
		return fmt.Errorf("mail: send to %s: %w", s.addr, withCtxErr(ctx, err))
	}
	return nil
}

// withCtxErr makes errors.Is(err, context.DeadlineExceeded) (or Canceled)
// hold when ctx ended the send. The connection deadline equals the ctx
// deadline and may fire a moment before ctx notices, hence the I/O check.
func withCtxErr(ctx context.Context, err error) error {
	ctxErr := ctx.Err()
	if ctxErr == nil && errors.Is(err, os.ErrDeadlineExceeded) {
		ctxErr = context.DeadlineExceeded
	}
	if ctxErr == nil || errors.Is(err, ctxErr) {
		return err
	}
	return fmt.Errorf("%w: %w", ctxErr, err)
}

func (s *smtpMailer) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{}
	if s.cfg.ImplicitTLS {
		td := &tls.Dialer{NetDialer: d, Config: s.tlsConfig()}
		return td.DialContext(ctx, "tcp", s.addr)
	}
	return d.DialContext(ctx, "tcp", s.addr)
}

func (s *smtpMailer) tlsConfig() *tls.Config {
	c := &tls.Config{}
	if s.cfg.TLSConfig != nil {
		c = s.cfg.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.cfg.Host
	}
	if c.MinVersion < tls.VersionTLS12 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// session runs the SMTP dialogue on an open connection. net/smtp's Client
// is driven by hand because its SendMail only upgrades to TLS when the
// server offers it; we require TLS before any credential or mail is sent.
func (s *smtpMailer) session(conn net.Conn, rcpt string, raw []byte) error {
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello(s.cfg.HeloName); err != nil {
		return err
	}
	if !s.cfg.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok { // sends EHLO
			_ = c.Quit()
			return ErrNoSTARTTLS
		}
		// StartTLS verifies the certificate and sends EHLO again, as RFC
		// 3207 requires: what the server said before TLS is not trusted.
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	if st, ok := c.TLSConnectionState(); !ok || !st.HandshakeComplete {
		return errors.New("TLS is not established; refusing to continue")
	}
	if s.cfg.Username != "" {
		ok, mechs := c.Extension("AUTH")
		if !ok || !slices.Contains(strings.Fields(strings.ToUpper(mechs)), "PLAIN") {
			_ = c.Quit()
			return errors.New("server does not offer AUTH PLAIN")
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil { // dot-stuffs, sends ".", reads 250
		return fmt.Errorf("DATA: %w", err)
	}
	_ = c.Quit() // accepted already; a failed QUIT must not trigger a resend
	return nil
}

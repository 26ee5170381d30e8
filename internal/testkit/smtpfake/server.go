// Package smtpfake is an in-process SMTP submission server for tests. It
// follows the facts in shared/reference/external-apis.md §5: STARTTLS with a
// certificate from a per-server test CA, AUTH PLAIN advertised only after
// TLS, envelope and un-dot-stuffed DATA recorded, and fault injection for
// the replies a real relay gives when things go wrong. Every command the
// client sends is recorded too, so a test can prove that nothing (no AUTH,
// no MAIL) crossed the wire in clear text.
//
// It is hand-written rather than built on go-smtp's server because the
// faults tests need (421 at an arbitrary command, a fixed reply to every
// RCPT, a delay before every reply) and the raw command log are easier to
// get right in a small loop we own.
package smtpfake

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Options configure one fake server. The zero value is a well-behaved
// server that offers STARTTLS and accepts mail without authentication.
type Options struct {
	// Username and Password, when Username is set, are the only credentials
	// AUTH PLAIN accepts (535 otherwise), and MAIL is refused with 530 until
	// the client has authenticated.
	Username, Password string

	// NoSTARTTLS makes the server neither advertise nor accept STARTTLS, as
	// a misconfigured relay or a downgrading attacker would.
	NoSTARTTLS bool

	// ImplicitTLS makes the listener speak TLS from the first byte (the
	// port 465 style); STARTTLS is then not offered.
	ImplicitTLS bool

	// RcptReply, when set, is the full reply line to every RCPT TO, such as
	// "450 4.2.1 Mailbox busy" or "550 5.1.1 No such user".
	RcptReply string

	// MaxMessageBytes is advertised as SIZE; a message whose DATA is larger
	// is answered with 552 after it has been read. Zero means no limit.
	MaxMessageBytes int

	// Drop421At names a command verb (EHLO, STARTTLS, AUTH, MAIL, RCPT,
	// DATA, QUIT) or "GREETING"; at that point the server answers
	// "421 4.3.2 Service shutting down" and closes the connection.
	Drop421At string

	// ReplyDelay is slept before every reply, greeting included, so tests
	// can check that a client gives up at its deadline.
	ReplyDelay time.Duration

	// Hostname is used in the greeting and EHLO reply ("fake.smtp.test").
	Hostname string
}

// Received is one message accepted with 250 after DATA.
type Received struct {
	From     string   // MAIL FROM address, without angle brackets
	To       []string // RCPT TO addresses, in order
	Data     []byte   // DATA exactly as sent (CRLF kept), dot-stuffing removed
	TLS      bool     // whether the session was encrypted when DATA was sent
	AuthUser string   // the authenticated user, "" when none
}

// Server is a running fake. Create it with New; it stops when the test ends.
type Server struct {
	opts    Options
	ln      net.Listener
	pki     *testPKI
	tlsConf *tls.Config
	done    chan struct{}
	wg      sync.WaitGroup

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	messages []Received
	commands []string
	changed  chan struct{} // closed and replaced whenever messages grows
}

// New starts a fake server on 127.0.0.1 with a random port and stops it
// (closing every open session) when the test finishes.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Hostname == "" {
		opts.Hostname = "fake.smtp.test"
	}
	pki, err := newTestPKI()
	if err != nil {
		t.Fatalf("smtpfake: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtpfake: listen: %v", err)
	}
	s := &Server{
		opts:    opts,
		pki:     pki,
		tlsConf: &tls.Config{Certificates: []tls.Certificate{pki.serverCert}, MinVersion: tls.VersionTLS12},
		done:    make(chan struct{}),
		conns:   make(map[net.Conn]struct{}),
		changed: make(chan struct{}),
	}
	if opts.ImplicitTLS {
		ln = tls.NewListener(ln, s.tlsConf)
	}
	s.ln = ln
	s.wg.Add(1)
	go s.acceptLoop()
	t.Cleanup(s.close)
	return s
}

// Host is the address to dial: always "127.0.0.1", which the server
// certificate names, so clients verify it without extra configuration.
func (s *Server) Host() string { return "127.0.0.1" }

// Port is the TCP port the server listens on.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Addr is Host:Port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host(), strconv.Itoa(s.Port())) }

// RootCAs is a pool holding only this server's test CA.
func (s *Server) RootCAs() *x509.CertPool { return s.pki.pool }

// ClientTLSConfig is a client configuration that trusts this server's test
// CA and nothing else. Each call returns a new value the caller may modify.
func (s *Server) ClientTLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.pki.pool, MinVersion: tls.VersionTLS12}
}

// Messages returns a copy of every accepted message so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.messages...)
}

// Commands returns every command line received so far, across sessions, in
// order. AUTH payloads are replaced by "<redacted>" so credentials never end
// up in test output.
func (s *Server) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

// WaitForMessages waits until at least n messages were accepted and returns
// them; it fails the test after timeout. Call it from the test goroutine.
func (s *Server) WaitForMessages(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, changed := len(s.messages), s.changed
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("smtpfake: got %d messages after %v, want %d", got, timeout, n)
			return nil
		}
	}
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // listener closed
		}
		s.mu.Lock()
		select {
		case <-s.done:
			s.mu.Unlock()
			conn.Close()
			return
		default:
		}
		s.conns[conn] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer s.forget(conn)
			newSession(s, conn).run()
		}()
	}
}

func (s *Server) forget(conn net.Conn) {
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	conn.Close()
}

func (s *Server) close() {
	s.mu.Lock()
	close(s.done)
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.ln.Close()
	s.wg.Wait()
}

func (s *Server) recordCommand(line string) {
	s.mu.Lock()
	s.commands = append(s.commands, line)
	s.mu.Unlock()
}

func (s *Server) recordMessage(m Received) {
	s.mu.Lock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

package httpapi_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"pathavana/internal/mail"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
	"pathavana/internal/testkit/smtpfake"
	"pathavana/internal/testkit/testapp"
)

const (
	smtpUser = "pathavana-relay"
	smtpPass = "relay password for tests"
	mailFrom = "Pathavana <no-reply@pathavana.test>"
)

// smtpApp starts the API with a real SMTP mailer that talks to port on
// 127.0.0.1 with STARTTLS, trusting only relay's test CA, and logs in.
func smtpApp(t *testing.T, db *store.DB, relay *smtpfake.Server, port int) *testapp.App {
	t.Helper()
	m, err := mail.NewSMTPMailer(mail.SMTPConfig{Host: relay.Host(), Port: port, Username: smtpUser, Password: smtpPass,
		From: mailFrom, TLSConfig: relay.ClientTLSConfig(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return testapp.New(t, db, testapp.Options{SelfPublicURL: true, Mailer: m})
}

// received is one message as a mail client would show it.
type received struct {
	subject, text string
}

// readMessage parses what the relay got: headers, then the text/plain
// part with its transfer encoding undone.
func readMessage(t *testing.T, raw []byte) received {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("message does not parse: %v\n%s", err, raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q, want multipart/alternative", mt)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // undoes quoted-printable
		if err != nil {
			t.Fatalf("no text/plain part: %v", err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			text, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			return received{subject: subject, text: string(text)}
		}
	}
}

var verifyLinkRE = regexp.MustCompile(`https?://\S+/verify-email\?token=\S+`)

func TestRegistrationEmailArrivesOverSMTP(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		relay := smtpfake.New(t, smtpfake.Options{Username: smtpUser, Password: smtpPass})
		app := smtpApp(t, db, relay, relay.Port())
		const email, password = "newcomer@example.com", "first trip to kyoto"

		if r := app.Do(t, "POST", "/api/v1/auth/register", "", map[string]string{"email": "  NewComer@Example.com", "password": password}); r.Status != http.StatusAccepted {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		if n := len(relay.Messages()); n != 0 {
			t.Fatalf("mail must go through the job queue, but %d arrived before the jobs ran", n)
		}
		app.DrainJobs(t)
		msgs := relay.WaitForMessages(t, 1, 5*time.Second)
		if len(msgs) != 1 {
			t.Fatalf("got %d messages, want 1", len(msgs))
		}
		got := msgs[0]
		if len(got.To) != 1 || got.To[0] != email || got.From != "no-reply@pathavana.test" {
			t.Fatalf("envelope from %q to %v", got.From, got.To)
		}
		if !got.TLS || got.AuthUser != smtpUser {
			t.Fatalf("sent with TLS=%v as %q, want TLS and authenticated", got.TLS, got.AuthUser)
		}
		for _, c := range relay.Commands() {
			if strings.Contains(c, smtpPass) {
				t.Fatal("the SMTP password appears in the command log")
			}
		}
		m := readMessage(t, got.Data)
		if m.subject != "Confirm your email address for Pathavana" {
			t.Fatalf("Subject = %q", m.subject)
		}
		if len(app.Mail.To(email)) != 0 {
			t.Fatal("with a real mailer, the test mailbox must stay empty")
		}

		link := verifyLinkRE.FindString(m.text)
		if link == "" {
			t.Fatalf("no verification link in:\n%s", m.text)
		}
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		if u.Scheme+"://"+u.Host != app.URL {
			t.Fatalf("link %q does not point at the app (%s)", link, app.URL)
		}
		if r := app.Do(t, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": u.Query().Get("token")}); r.Status != http.StatusNoContent {
			t.Fatalf("verify with the emailed token: %d %s", r.Status, r.Body)
		}
		s := app.Login(t, email, password)
		if m := me(t, app, s.Access); m["email_verified"] != true {
			t.Fatalf("after verification: %v", m)
		}
	})
}

func TestSMTPTemporaryFailureIsRetried(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		// The first connection meets a relay that is shutting down (421 in
		// answer to STARTTLS, before any TLS); later ones reach a healthy
		// relay. Both sit behind one address, as behind a load balancer.
		busy := smtpfake.New(t, smtpfake.Options{Username: smtpUser, Password: smtpPass, Drop421At: "STARTTLS"})
		good := smtpfake.New(t, smtpfake.Options{Username: smtpUser, Password: smtpPass})
		lb := newSMTPBalancer(t, busy.Addr(), good.Addr())
		app := smtpApp(t, db, good, lb.port())

		if r := app.Do(t, "POST", "/api/v1/auth/register", "", map[string]string{"email": "retry@example.com", "password": "patience is a virtue"}); r.Status != http.StatusAccepted {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		app.DrainJobs(t)
		if lb.connections() != 1 || len(busy.Commands()) == 0 {
			t.Fatalf("first attempt: %d connections, busy relay saw %v", lb.connections(), busy.Commands())
		}
		if n := len(good.Messages()); n != 0 {
			t.Fatalf("%d messages arrived although the relay refused", n)
		}
		if !strings.Contains(scrape(t, app), `pathavana_jobs_total{kind="mail.send",outcome="retried"} 1`) {
			t.Fatal("the temporary failure must schedule a retry")
		}
		wantJobs(t, app, model.JobPending, 1)

		// Not before the back-off has passed…
		app.DrainJobs(t)
		if lb.connections() != 1 {
			t.Fatalf("retried before the back-off: %d connections", lb.connections())
		}
		// …and then exactly once.
		app.Clock.Advance(11 * time.Second)
		app.DrainJobs(t)
		msgs := good.WaitForMessages(t, 1, 5*time.Second)
		if len(msgs) != 1 || msgs[0].To[0] != "retry@example.com" {
			t.Fatalf("after retry: %+v", msgs)
		}
		app.Clock.Advance(time.Hour)
		app.DrainJobs(t)
		if n := len(good.Messages()); n != 1 || lb.connections() != 2 {
			t.Fatalf("the email must arrive exactly once: %d messages over %d connections", n, lb.connections())
		}
		wantJobs(t, app, model.JobPending, 0)
		wantJobs(t, app, model.JobFailed, 0)
		if readMessage(t, msgs[0].Data).subject != "Confirm your email address for Pathavana" {
			t.Fatal("wrong email delivered on retry")
		}
	})
}

func TestSMTPPermanentFailureIsNotRetried(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		relay := smtpfake.New(t, smtpfake.Options{Username: smtpUser, Password: smtpPass,
			RcptReply: "550 5.1.1 No such user here"})
		app := smtpApp(t, db, relay, relay.Port())
		if r := app.Do(t, "POST", "/api/v1/auth/register", "", map[string]string{"email": "nobody@example.com", "password": "into the void we go"}); r.Status != http.StatusAccepted {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		app.DrainJobs(t)
		wantJobs(t, app, model.JobFailed, 1)
		wantJobs(t, app, model.JobPending, 0)
		if !strings.Contains(scrape(t, app), `pathavana_jobs_total{kind="mail.send",outcome="failed"} 1`) {
			t.Fatal("a 5xx reply must fail the job for good")
		}
		rcpts := countPrefix(relay.Commands(), "RCPT")
		app.Clock.Advance(2 * time.Hour)
		app.DrainJobs(t)
		if got := countPrefix(relay.Commands(), "RCPT"); got != rcpts || rcpts != 1 {
			t.Fatalf("RCPT sent %d times, then %d: a permanent failure must not be retried", rcpts, got)
		}
		if len(relay.Messages()) != 0 {
			t.Fatal("the relay refused the recipient, yet a message was recorded")
		}
		wantJobs(t, app, model.JobFailed, 1)
	})
}

func wantJobs(t *testing.T, app *testapp.App, state model.JobState, n int) {
	t.Helper()
	counts, err := app.Store.JobCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts[state] != n {
		t.Fatalf("%s jobs = %d, want %d (all: %v)", state, counts[state], n, counts)
	}
}

func countPrefix(lines []string, prefix string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(strings.ToUpper(l), prefix) {
			n++
		}
	}
	return n
}

// smtpBalancer is a TCP pass-through that sends its first connection to
// one backend and every later one to another.
type smtpBalancer struct {
	ln          net.Listener
	first, rest string

	mu    sync.Mutex
	n     int
	conns []net.Conn
	wg    sync.WaitGroup
}

func newSMTPBalancer(t *testing.T, first, rest string) *smtpBalancer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &smtpBalancer{ln: ln, first: first, rest: rest}
	b.wg.Add(1)
	go b.serve()
	t.Cleanup(b.close)
	return b
}

func (b *smtpBalancer) port() int { return b.ln.Addr().(*net.TCPAddr).Port }

func (b *smtpBalancer) connections() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n
}

func (b *smtpBalancer) serve() {
	defer b.wg.Done()
	for {
		in, err := b.ln.Accept()
		if err != nil {
			return
		}
		b.mu.Lock()
		b.n++
		target := b.rest
		if b.n == 1 {
			target = b.first
		}
		b.mu.Unlock()
		out, err := net.DialTimeout("tcp", target, 5*time.Second)
		if err != nil {
			in.Close()
			continue
		}
		b.mu.Lock()
		b.conns = append(b.conns, in, out)
		b.mu.Unlock()
		b.wg.Add(2)
		go b.pipe(out, in)
		go b.pipe(in, out)
	}
}

// pipe copies until either side ends, then closes both so the other
// direction ends too.
func (b *smtpBalancer) pipe(dst, src net.Conn) {
	defer b.wg.Done()
	_, _ = io.Copy(dst, src) // EOF or a closed connection: the session is over
	dst.Close()
	src.Close()
}

func (b *smtpBalancer) close() {
	b.ln.Close()
	b.mu.Lock()
	for _, c := range b.conns {
		c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

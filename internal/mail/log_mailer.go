package mail

import (
	"context"
	"log/slog"
)

// logMailer writes messages to the log instead of sending them.
type logMailer struct {
	log  *slog.Logger
	from string
}

// NewLogMailer returns a Mailer that only logs each message, including the
// whole text body. It is FOR DEVELOPMENT ONLY: it is the default so that a
// fresh checkout works with no mail server, and logging the body is how a
// developer finds the verification or reset link. Never use it in
// production: the body carries one-time secrets and personal data, which the
// rest of Pathavana is careful never to log.
func NewLogMailer(log *slog.Logger, from string) Mailer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &logMailer{log: log, from: from}
}

// Send validates m exactly like the SMTP mailer does, so header-injection
// bugs show up in development too, then logs it at INFO.
func (l *logMailer) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := m.recipient(); err != nil {
		return err
	}
	l.log.InfoContext(ctx, "mail sent (log mailer)",
		slog.String("from", l.from),
		slog.String("to", m.To),
		slog.String("subject", m.Subject),
		slog.Bool("has_html", m.HTML != ""),
		slog.String("text", m.Text),
	)
	return nil
}

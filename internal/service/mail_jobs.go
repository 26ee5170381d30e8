package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"pathavana/internal/jobs"
	"pathavana/internal/mail"
	"pathavana/internal/store"
)

// Job kinds owned by the account service.
const (
	JobSendMail = "mail.send"
	JobCleanup  = "accounts.cleanup"
)

// enqueueMail queues a message inside the caller's transaction: the email
// goes out exactly when the change that triggered it commits, and a slow SMTP
// server never holds up a request.
func enqueueMail(ctx context.Context, q *store.Queries, m mail.Message) error {
	j, err := jobs.New(JobSendMail, m)
	if err != nil {
		return err
	}
	_, _, err = q.EnqueueJob(ctx, j)
	return err
}

func (s *Service) runSendMail(ctx context.Context, payload []byte) error {
	var m mail.Message
	if err := json.Unmarshal(payload, &m); err != nil {
		return jobs.Permanent(fmt.Errorf("decode mail job: %w", err))
	}
	if err := s.Mailer.Send(ctx, m); err != nil {
		if mail.IsPermanent(err) {
			return jobs.Permanent(err)
		}
		return err
	}
	return nil
}

// pendingBookingTimeout is how long a provider call may leave a booking
// pending before cleanup gives up on it.
const pendingBookingTimeout = 30 * time.Minute

// runCleanup removes expired tokens and old finished jobs, and fails
// bookings whose provider call never finished.
func (s *Service) runCleanup(ctx context.Context, _ []byte) error {
	now := s.now()
	tokens, err := s.Store.DeleteExpiredTokens(ctx, now)
	if err != nil {
		return err
	}
	done, err := s.Store.DeleteFinishedJobs(ctx, now.AddDate(0, 0, -7))
	if err != nil {
		return err
	}
	stale, err := s.Store.FailStalePendingBookings(ctx, now.Add(-pendingBookingTimeout), now,
		"the provider did not answer within 30 minutes; nothing was confirmed. Contact support if you were charged")
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		s.Log.WarnContext(ctx, "stale pending bookings failed: check them with the provider", "booking_ids", stale)
	}
	s.Log.InfoContext(ctx, "cleanup finished", "expired_tokens", tokens, "old_jobs", done, "stale_bookings", len(stale))
	return nil
}

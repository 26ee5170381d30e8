package service

import (
	"context"
	"encoding/json"
	"fmt"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/telemetry"
)

// AuditEvent is what a use case records; who, when and from where are
// filled in by recordAudit. Details name fields and counts, never values.
type AuditEvent struct {
	Action     string
	TargetType string
	TargetID   string
	SubjectID  string // whose data it is; defaults to the actor
	Outcome    string // default success
	Details    map[string]any
}

// recordAudit appends ev for actor through q, so inside a transaction the
// entry commits with the change it describes (and a failed append undoes
// the change: PII is never touched unaudited).
func (s *Service) recordAudit(ctx context.Context, q *store.Queries, actor Principal, ev AuditEvent) error {
	details := "{}"
	if len(ev.Details) > 0 {
		b, err := json.Marshal(ev.Details) // map keys sorted: stable bytes
		if err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
		details = string(b)
	}
	subject := ev.SubjectID
	if subject == "" {
		subject = actor.UserID
	}
	c := clientFrom(ctx)
	_, err := q.AppendAudit(ctx, model.AuditEntry{At: s.now(), ActorID: actor.UserID, ActorRole: string(actor.Role),
		Action: ev.Action, TargetType: ev.TargetType, TargetID: ev.TargetID, SubjectID: subject, Outcome: ev.Outcome,
		IP: c.IP, UserAgent: c.UserAgent, RequestID: telemetry.RequestID(ctx), Details: details})
	return err
}

// auditBestEffort records events whose use case must not fail because the
// log is unavailable (a sign-in); the failure itself is logged.
func (s *Service) auditBestEffort(ctx context.Context, actor Principal, ev AuditEvent) {
	if err := s.recordAudit(ctx, s.Store.Queries, actor, ev); err != nil {
		s.Log.ErrorContext(ctx, "audit log append failed", "action", ev.Action, "err", err)
	}
}

// AuditLog returns audit entries to an admin. Reading the log is itself
// recorded: it shows who did what from where.
func (s *Service) AuditLog(ctx context.Context, p Principal, f model.AuditFilter) ([]model.AuditEntry, error) {
	if !p.IsAdmin() {
		return nil, apperr.New(apperr.Forbidden, "this action needs the admin role")
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return nil, apperr.Validation(apperr.FieldError{Field: "to", Message: "must be after from"})
	}
	if f.Limit < 0 || f.Limit > 1000 {
		return nil, apperr.Validation(apperr.FieldError{Field: "limit", Message: "must be between 1 and 1000"})
	}
	entries, err := s.Store.ListAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	err = s.recordAudit(ctx, s.Store.Queries, p, AuditEvent{Action: model.AuditAdminAuditRead, SubjectID: f.SubjectID,
		Details: map[string]any{"actor_filter": f.ActorID != "", "entries": len(entries)}})
	return entries, err
}

// AuditReport is the result of checking the whole chain: how much
// verified and, when it does not, the first entry that breaks it.
type AuditReport struct {
	model.AuditChain
	Broken *model.AuditBreak
}

// VerifyAudit walks the whole log in order through model.AuditChain, so
// tampering anywhere after the oldest remaining entry (altering, deleting
// or reordering entries) is found. Batches keep memory flat however long
// the log is.
func (s *Service) VerifyAudit(ctx context.Context, p Principal) (AuditReport, error) {
	var r AuditReport
	if !p.IsAdmin() {
		return r, apperr.New(apperr.Forbidden, "this action needs the admin role")
	}
	for {
		batch, err := s.Store.ListAudit(ctx, model.AuditFilter{AfterSeq: r.LastSeq, Limit: 1000})
		if err != nil {
			return r, err
		}
		for _, e := range batch {
			if r.Broken = r.Add(e); r.Broken != nil {
				return r, nil
			}
		}
		if len(batch) < 1000 {
			return r, nil
		}
	}
}

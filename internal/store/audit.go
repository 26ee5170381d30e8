package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"pathavana/internal/model"
)

// auditLockKey is the PostgreSQL advisory lock that serialises appends to
// the audit chain across replicas ("audi" in ASCII); SQLite transactions
// already hold the single write lock from BEGIN.
const auditLockKey = 0x61756469

const auditCols = `seq, id, at, actor_id, actor_role, action, target_type, target_id, subject_id,
	outcome, ip, user_agent, request_id, details, prev_hash, hash`

func scanAudit(r rowScanner) (model.AuditEntry, error) {
	var e model.AuditEntry
	var at timeCol
	err := r.Scan(&e.Seq, &e.ID, &at, &e.ActorID, &e.ActorRole, &e.Action, &e.TargetType, &e.TargetID,
		&e.SubjectID, &e.Outcome, &e.IP, &e.UserAgent, &e.RequestID, &e.Details, &e.PrevHash, &e.Hash)
	e.At = at.t
	return e, err
}

// AppendAudit adds e at the end of the chain: the next seq, the previous
// entry's hash, and its own hash. Called inside a transaction it commits
// or rolls back with the change it records, so the log never claims a
// change that did not happen nor misses one that did. Appends are
// serialised (advisory lock on PostgreSQL), which keeps seq gap-free and
// the chain linear across replicas.
func (q *Queries) AppendAudit(ctx context.Context, e model.AuditEntry) (model.AuditEntry, error) {
	if e.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return model.AuditEntry{}, fmt.Errorf("store: audit id: %w", err)
		}
		e.ID = id.String()
	}
	if e.Details == "" {
		e.Details = "{}"
	}
	if e.Outcome == "" {
		e.Outcome = model.AuditSuccess
	}
	e.At = dbTime(e.At)
	err := q.atomic(ctx, func(q *Queries) error {
		if q.dialect == DialectPostgres {
			if _, err := q.exec(ctx, `SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))`, auditLockKey); err != nil {
				return fmt.Errorf("store: audit lock: %w", err)
			}
		}
		e.Seq, e.PrevHash = 1, model.GenesisHash
		var last int64
		var prev string
		switch err := q.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev); {
		case err == nil:
			e.Seq, e.PrevHash = last+1, prev
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("store: audit chain head: %w", err)
		}
		e.Hash = e.ChainHash()
		_, err := q.exec(ctx, `INSERT INTO audit_log (`+auditCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Seq, e.ID, e.At, e.ActorID, e.ActorRole, e.Action, e.TargetType, e.TargetID, e.SubjectID,
			e.Outcome, e.IP, e.UserAgent, e.RequestID, e.Details, e.PrevHash, e.Hash)
		if err != nil {
			return fmt.Errorf("store: append audit entry: %w", err)
		}
		return nil
	})
	if err != nil {
		return model.AuditEntry{}, err
	}
	return e, nil
}

// ListAudit returns up to f.Limit entries (default 100, at most 1000)
// matching f, in log order after f.AfterSeq.
func (q *Queries) ListAudit(ctx context.Context, f model.AuditFilter) ([]model.AuditEntry, error) {
	where, args := []string{"seq > ?"}, []any{f.AfterSeq}
	for _, c := range []struct{ col, v string }{{"actor_id", f.ActorID}, {"subject_id", f.SubjectID}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	if prefix, ok := strings.CutSuffix(f.Action, "."); ok && prefix != "" {
		// A family of actions ("traveler."): a range, so no LIKE escaping.
		where, args = append(where, "action >= ? AND action < ?"), append(args, prefix+".", prefix+"/")
	} else if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From)
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := q.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY seq LIMIT %d`, min(limit, 1000)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list audit: %w", err)
	}
	defer rows.Close()
	var out []model.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan audit entry: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

type auditEntryResponse struct {
	Seq        int64           `json:"seq"`
	ID         string          `json:"id"`
	At         time.Time       `json:"at"`
	ActorID    string          `json:"actor_id"`
	ActorRole  string          `json:"actor_role"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   string          `json:"target_id"`
	SubjectID  string          `json:"subject_id"`
	Outcome    string          `json:"outcome"`
	IP         string          `json:"ip"`
	UserAgent  string          `json:"user_agent"`
	RequestID  string          `json:"request_id"`
	Details    json.RawMessage `json:"details"`
	Hash       string          `json:"hash"`
}

// handleAuditList answers admins' audit queries, in log order; the cursor
// is the last seq seen.
func (s *Server) handleAuditList(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	f := model.AuditFilter{ActorID: q.str("actor_id"), SubjectID: q.str("subject_id"), Action: q.str("action"),
		Limit: q.int("limit", 100)}
	f.From, f.To = q.time("from"), q.time("to")
	if c := q.str("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 0 {
			q.errs = append(q.errs, apperr.FieldError{Field: "cursor", Message: "is not a cursor from this list"})
		}
		f.AfterSeq = n
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	entries, err := s.svc.AuditLog(r.Context(), principal(r), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]auditEntryResponse, 0, len(entries))
	for _, e := range entries {
		out = append(out, auditEntryResponse{Seq: e.Seq, ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: e.ActorRole,
			Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, SubjectID: e.SubjectID, Outcome: e.Outcome,
			IP: e.IP, UserAgent: e.UserAgent, RequestID: e.RequestID, Details: json.RawMessage(e.Details), Hash: e.Hash})
	}
	next := ""
	if len(entries) > 0 && len(entries) == f.Limit {
		next = strconv.FormatInt(entries[len(entries)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, struct {
		Entries    []auditEntryResponse `json:"entries"`
		NextCursor string               `json:"next_cursor,omitempty"`
	}{out, next})
}

type auditBreakResponse struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// handleAuditVerify checks the whole hash chain for an admin.
func (s *Server) handleAuditVerify(w http.ResponseWriter, r *http.Request) {
	rep, err := s.svc.VerifyAudit(r.Context(), principal(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var broken *auditBreakResponse
	if rep.Broken != nil {
		broken = &auditBreakResponse{rep.Broken.Seq, rep.Broken.Reason}
	}
	writeJSON(w, http.StatusOK, struct {
		OK       bool                `json:"ok"`
		Entries  int64               `json:"entries"`
		FirstSeq int64               `json:"first_seq"`
		LastSeq  int64               `json:"last_seq"`
		HeadHash string              `json:"head_hash"`
		Broken   *auditBreakResponse `json:"broken,omitempty"`
	}{rep.Broken == nil, rep.Entries, rep.FirstSeq, rep.LastSeq, rep.HeadHash, broken})
}

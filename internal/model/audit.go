package model

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// Audit actions: what happened, named domain.verb. Every security-relevant
// event has one, so the log can be queried by kind.
const (
	AuditSignIn         = "auth.sign_in"
	AuditSignInFailed   = "auth.sign_in_failed"
	AuditSignUp         = "auth.sign_up"
	AuditPasswordChange = "auth.password_change"
	AuditPasswordReset  = "auth.password_reset"
	AuditLogoutAll      = "auth.logout_all"
	AuditAccountLocked  = "auth.account_locked"
	AuditRoleChange     = "admin.role_change"
	AuditAdminUserRead  = "admin.user_read"
	AuditAdminAuditRead = "admin.audit_read"

	// Travelers' personal data: every write, reveal and use by a booking,
	// and master-key rotations. Details list field names, never values.
	AuditTravelerCreate = "traveler.create"
	AuditTravelerUpdate = "traveler.update"
	AuditTravelerDelete = "traveler.delete"
	AuditTravelerReveal = "traveler.reveal"
	AuditTravelerUse    = "traveler.use"
	AuditPIIKeyRotate   = "pii.key_rotate"
)

// Audit actions of bookings.
const (
	AuditBookingCreate = "booking.create"
	AuditBookingCancel = "booking.cancel"
)

// Outcomes of an audited event.
const (
	AuditSuccess = "success"
	AuditFailure = "failure"
	AuditDenied  = "denied"
)

// GenesisHash is the prev_hash of the first entry ever written.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditEntry is one event of the append-only audit log. Details is compact
// JSON stored byte for byte, because the hash covers it; it names fields
// and counts, never personal values.
type AuditEntry struct {
	Seq        int64
	ID         string
	At         time.Time
	ActorID    string // '' = anonymous or the system
	ActorRole  string
	Action     string
	TargetType string
	TargetID   string
	SubjectID  string // the user whose data the event concerns
	Outcome    string
	IP         string
	UserAgent  string
	RequestID  string
	Details    string
	PrevHash   string
	Hash       string
}

// ChainHash is the entry's hash: SHA-256 over the previous entry's hash and
// every field, each length-prefixed so no two entries encode alike. At is
// taken at microsecond precision in UTC, as both engines store it.
func (e AuditEntry) ChainHash() string {
	h := sha256.New()
	var n [8]byte
	for _, f := range []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), e.ID,
		e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano), e.ActorID, e.ActorRole, e.Action,
		e.TargetType, e.TargetID, e.SubjectID, e.Outcome, e.IP, e.UserAgent, e.RequestID, e.Details} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit entries; zero fields match everything. Entries
// come in log order (seq ascending), after AfterSeq.
type AuditFilter struct {
	ActorID   string
	SubjectID string
	Action    string // exact, or a prefix ending in "." ("traveler.")
	From, To  time.Time
	AfterSeq  int64
	Limit     int
}

// AuditBreak says where and why a chain fails to verify.
type AuditBreak struct {
	Seq    int64
	Reason string
}

// AuditChain verifies entries fed to it in log order: seq has no gaps, each
// entry names its predecessor's hash and its own hash matches its fields.
// The first entry's prev_hash is taken as the anchor (retention deletes
// from the start), unless it is entry 1, which must start from genesis.
type AuditChain struct {
	Entries  int64
	FirstSeq int64
	LastSeq  int64
	HeadHash string
}

// Add checks the next entry, returning where the chain breaks, or nil.
func (c *AuditChain) Add(e AuditEntry) *AuditBreak {
	switch {
	case c.Entries == 0 && e.Seq == 1 && e.PrevHash != GenesisHash:
		return &AuditBreak{e.Seq, "the first entry does not start from the genesis hash"}
	case c.Entries > 0 && e.Seq != c.LastSeq+1:
		return &AuditBreak{c.LastSeq + 1, fmt.Sprintf("entries %d to %d are missing", c.LastSeq+1, e.Seq-1)}
	case c.Entries > 0 && e.PrevHash != c.HeadHash:
		return &AuditBreak{e.Seq, "prev_hash does not match the hash of the entry before it"}
	case e.ChainHash() != e.Hash:
		return &AuditBreak{e.Seq, "the entry's fields do not match its hash: it was altered"}
	}
	if c.Entries == 0 {
		c.FirstSeq = e.Seq
	}
	c.Entries++
	c.LastSeq, c.HeadHash = e.Seq, e.Hash
	return nil
}

package model

import "time"

// JobState is where a job is in its life.
type JobState string

const (
	JobPending   JobState = "pending"
	JobRunning   JobState = "running"
	JobSucceeded JobState = "succeeded"
	JobFailed    JobState = "failed" // gave up after MaxAttempts
)

// Job is a unit of background work stored in the main database, so it
// survives restarts and is shared by every worker replica.
type Job struct {
	ID          string
	Kind        string
	Payload     []byte // JSON
	State       JobState
	Attempts    int
	MaxAttempts int
	RunAt       time.Time
	// LockedUntil is the lease of the worker running the job; a job whose
	// lease expired (worker died) is claimed again.
	LockedUntil *time.Time
	LockedBy    string
	LastError   string
	// UniqueKey, when set, makes enqueueing idempotent (e.g. one retention
	// run per hour across all replicas).
	UniqueKey  string
	CreatedAt  time.Time
	FinishedAt *time.Time
}

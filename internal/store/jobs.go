package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

// defaultMaxAttempts applies when a job is enqueued without MaxAttempts.
const defaultMaxAttempts = 5

const jobCols = `id, kind, payload, state, attempts, max_attempts, run_at, locked_until,
	locked_by, last_error, unique_key, created_at, finished_at`

func scanJob(r rowScanner) (model.Job, error) {
	var j model.Job
	var payload, uniqueKey sql.NullString
	var state string
	var runAt, locked, created, finished timeCol
	err := r.Scan(&j.ID, &j.Kind, &payload, &state, &j.Attempts, &j.MaxAttempts, &runAt, &locked,
		&j.LockedBy, &j.LastError, &uniqueKey, &created, &finished)
	if payload.Valid {
		j.Payload = []byte(payload.String)
	}
	j.State, j.UniqueKey = model.JobState(state), uniqueKey.String
	j.RunAt, j.LockedUntil, j.CreatedAt, j.FinishedAt = runAt.t, locked.ptr(), created.t, finished.ptr()
	return j, err
}

// EnqueueJob adds a pending job and returns its id. Missing fields get
// defaults: a UUIDv7 id (time-ordered, so index inserts stay local),
// MaxAttempts 5, CreatedAt from the Go clock (informational only). A zero
// RunAt is stored as is and means "due now" for any claimer: defaulting it
// to a clock here would make jobs invisible to workers whose clock (a test
// clock, a skewed replica) is behind ours. With a UniqueKey, enqueueing is
// idempotent across replicas: when a job with that key already exists its
// id is returned with inserted=false.
func (q *Queries) EnqueueJob(ctx context.Context, j model.Job) (id string, inserted bool, err error) {
	if j.Kind == "" {
		return "", false, apperr.New(apperr.Invalid, "job kind is required")
	}
	if j.Payload != nil && !json.Valid(j.Payload) {
		return "", false, apperr.New(apperr.Invalid, "job payload must be valid JSON")
	}
	if j.ID == "" {
		u, err := uuid.NewV7()
		if err != nil {
			return "", false, fmt.Errorf("store: job id: %w", err)
		}
		j.ID = u.String()
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = defaultMaxAttempts
	}
	if j.CreatedAt.IsZero() {
		j.CreatedAt = time.Now()
	}
	var payload any
	if j.Payload != nil {
		payload = string(j.Payload) // TEXT in SQLite; pgx sends a string to JSONB verbatim
	}
	insert := `INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at, unique_key, created_at)
		VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, ?)`
	if j.UniqueKey != "" {
		// No conflict target: the unique index is partial, and both engines
		// accept a bare DO NOTHING for it.
		insert += ` ON CONFLICT DO NOTHING`
	}
	res, err := q.exec(ctx, insert, j.ID, j.Kind, payload, j.MaxAttempts, j.RunAt, nullString(j.UniqueKey), j.CreatedAt)
	if isUniqueViolation(err) {
		return "", false, apperr.Wrap(err, apperr.Conflict, "a job with this id already exists")
	}
	if err != nil {
		return "", false, fmt.Errorf("store: enqueue job: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", false, fmt.Errorf("store: enqueue job: %w", err)
	} else if n == 1 {
		return j.ID, true, nil
	}
	err = q.queryRow(ctx, `SELECT id FROM jobs WHERE unique_key = ?`, j.UniqueKey).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		// DO NOTHING fired on the primary key, not the unique key.
		return "", false, apperr.New(apperr.Conflict, "a job with this id already exists")
	}
	if err != nil {
		return "", false, fmt.Errorf("store: enqueue job: %w", err)
	}
	return id, false, nil
}

// ClaimJobs leases up to limit runnable jobs to workerID: pending jobs due
// by now, and running jobs whose lease expired (their worker died). Each
// claimed job becomes running with attempts+1 and locked_until=now+lease.
// Selection and update are one statement: on PostgreSQL the rows are taken
// with FOR UPDATE SKIP LOCKED, so claimers never wait on or share a job; on
// SQLite the statement runs under the single write lock. The subquery is
// wrapped in ARRAY(...) on PostgreSQL so it is evaluated exactly once (an
// IN-subquery with LIMIT may be re-scanned by a nested-loop plan and then
// lock and return more rows than asked). Jobs come back oldest run_at
// first. Empty kinds means every kind.
func (q *Queries) ClaimJobs(ctx context.Context, workerID string, kinds []string, limit int,
	lease time.Duration, now time.Time) ([]model.Job, error) {
	if limit <= 0 {
		return nil, nil
	}
	if lease <= 0 {
		return nil, apperr.New(apperr.Invalid, "job lease must be positive")
	}
	args := []any{workerID, now.Add(lease), now, now}
	pick := `SELECT id FROM jobs
		WHERE ((state = 'pending' AND run_at <= ?) OR (state = 'running' AND locked_until < ?))`
	if len(kinds) > 0 {
		pick += ` AND kind IN (` + placeholders(len(kinds)) + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	pick += ` ORDER BY run_at, id LIMIT ?`
	args = append(args, limit)
	where := `id IN (` + pick + `)`
	if q.dialect == DialectPostgres {
		where = `id = ANY(ARRAY(` + pick + ` FOR UPDATE SKIP LOCKED))`
	}
	rows, err := q.query(ctx, `UPDATE jobs SET state = 'running', attempts = attempts + 1,
			locked_by = ?, locked_until = ?
		WHERE `+where+` RETURNING `+jobCols, args...)
	if err != nil {
		return nil, fmt.Errorf("store: claim jobs: %w", err)
	}
	defer rows.Close()
	var jobs []model.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("store: claim jobs: %w", err)
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim jobs: %w", err)
	}
	// RETURNING order is unspecified on both engines.
	sort.Slice(jobs, func(a, b int) bool {
		if !jobs[a].RunAt.Equal(jobs[b].RunAt) {
			return jobs[a].RunAt.Before(jobs[b].RunAt)
		}
		return jobs[a].ID < jobs[b].ID
	})
	return jobs, nil
}

// finishJob applies a state change only while workerID still holds the
// job's lease; otherwise the job was reclaimed (or never claimed) and the
// caller's result must not overwrite the new owner's: Conflict.
func (q *Queries) finishJob(ctx context.Context, id, workerID, set string, args ...any) error {
	args = append(args, id, workerID)
	res, err := q.exec(ctx, `UPDATE jobs SET `+set+`
		WHERE id = ? AND state = 'running' AND locked_by = ?`, args...)
	if err != nil {
		return fmt.Errorf("store: update job: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: update job: %w", err)
	}
	if n == 1 {
		return nil
	}
	var one int
	if err := q.queryRow(ctx, `SELECT 1 FROM jobs WHERE id = ?`, id).Scan(&one); err != nil {
		return rowErr(err, "job")
	}
	return apperr.New(apperr.Conflict, "job is not held by this worker")
}

// CompleteJob marks a job succeeded. locked_by is kept as a record of which
// worker ran it.
func (q *Queries) CompleteJob(ctx context.Context, id, workerID string, now time.Time) error {
	return q.finishJob(ctx, id, workerID,
		`state = 'succeeded', locked_until = NULL, finished_at = ?, last_error = ''`, now)
}

// RetryJob returns a job to pending, due at runAt, remembering the error.
func (q *Queries) RetryJob(ctx context.Context, id, workerID string, runAt time.Time, errMsg string) error {
	return q.finishJob(ctx, id, workerID,
		`state = 'pending', locked_by = '', locked_until = NULL, run_at = ?, last_error = ?`, runAt, errMsg)
}

// FailJob gives up on a job for good.
func (q *Queries) FailJob(ctx context.Context, id, workerID string, errMsg string, now time.Time) error {
	return q.finishJob(ctx, id, workerID,
		`state = 'failed', locked_until = NULL, finished_at = ?, last_error = ?`, now, errMsg)
}

// JobCounts reports how many jobs are in each state, for metrics and the
// admin view. Every state is present, zero when empty.
func (q *Queries) JobCounts(ctx context.Context) (map[model.JobState]int, error) {
	counts := map[model.JobState]int{
		model.JobPending: 0, model.JobRunning: 0, model.JobSucceeded: 0, model.JobFailed: 0,
	}
	rows, err := q.query(ctx, `SELECT state, COUNT(*) FROM jobs GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: job counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("store: job counts: %w", err)
		}
		counts[model.JobState(s)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: job counts: %w", err)
	}
	return counts, nil
}

// GetJob returns one job, or NotFound.
func (q *Queries) GetJob(ctx context.Context, id string) (model.Job, error) {
	j, err := scanJob(q.queryRow(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id))
	if err != nil {
		return model.Job{}, rowErr(err, "job")
	}
	return j, nil
}

// DeleteFinishedJobs purges succeeded and failed jobs that finished before
// the cut-off (freeing their unique keys) and reports how many went.
func (q *Queries) DeleteFinishedJobs(ctx context.Context, before time.Time) (int64, error) {
	res, err := q.exec(ctx, `DELETE FROM jobs
		WHERE state IN ('succeeded', 'failed') AND finished_at < ?`, before)
	if err != nil {
		return 0, fmt.Errorf("store: delete finished jobs: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: delete finished jobs: %w", err)
	}
	return n, nil
}

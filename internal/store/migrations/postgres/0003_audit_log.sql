-- Security-relevant events, append-only and hash-chained: hash is SHA-256
-- over prev_hash and the entry's fields, seq is gap-free. Entries outlive
-- the users they name, so there are no foreign keys. details holds field
-- names and counts, never values.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    id          TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',  -- '' = anonymous or the system
    actor_role  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    subject_id  TEXT NOT NULL DEFAULT '',  -- the user whose data it concerns
    outcome     TEXT NOT NULL DEFAULT 'success',
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}', -- TEXT, not JSONB: hashed byte for byte
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    CONSTRAINT audit_log_id_key UNIQUE (id)
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

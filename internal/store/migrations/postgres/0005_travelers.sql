-- Saved travelers. Every personal field is an AES-256-GCM ciphertext
-- (secure.PII) under the row's own data key, which is stored wrapped by
-- the master key named in key_id; the database never holds plaintext PII.
-- NULL means the field is not set. label is a nickname the owner chooses
-- and is not encrypted. passport_bidx and name_bidx are keyed blind indexes
-- (HMAC), scoped to the owner, for lookups and duplicate checks.
CREATE TABLE travelers (
    id                    TEXT PRIMARY KEY,
    owner_id              TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label                 TEXT NOT NULL DEFAULT '',
    given_names           BYTEA NOT NULL,
    family_name           BYTEA NOT NULL,
    date_of_birth         BYTEA,
    gender                BYTEA,
    nationality           BYTEA,
    passport_number       BYTEA,
    passport_country      BYTEA,
    passport_expiry       BYTEA,
    known_traveler_number BYTEA,
    loyalty_numbers       BYTEA, -- JSON list of {program, number}, sealed
    dietary_needs         BYTEA,
    accessibility_needs   BYTEA,
    emergency_contact     BYTEA, -- JSON {name, phone, relation}, sealed
    key_id                TEXT NOT NULL,
    data_key              BYTEA NOT NULL,
    passport_bidx         TEXT,
    name_bidx             TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX travelers_owner_idx ON travelers (owner_id, id);
-- One traveler per passport per account.
CREATE UNIQUE INDEX travelers_passport_idx ON travelers (owner_id, passport_bidx) WHERE passport_bidx IS NOT NULL;
CREATE INDEX travelers_name_idx ON travelers (owner_id, name_bidx);
-- Rotation finds rows still under an old master key.
CREATE INDEX travelers_key_idx ON travelers (key_id, id);

-- Imported catalogs, layered over the sandbox (or replacing it) in seq
-- order. Content is the gzip of the validated JSON Lines as imported, so
-- every replica rebuilds the same catalog from the database alone.
CREATE TABLE catalog_imports (
    name       TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL,
    replaces   BOOLEAN NOT NULL,
    version    TEXT NOT NULL,
    entries    INTEGER NOT NULL,
    content    BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT catalog_imports_seq_key UNIQUE (seq)
);

-- Resumable uploads (issue 10): a file's bytes sent in chunks over a link that drops, addressed
-- by their SHA-256 within the company, so a retried or duplicated chunk or upload stores the
-- bytes once. The chunks live in the database, so any instance takes the next one; once the
-- last arrives the file is checked and moved to the file store, its chunks deleted, and the
-- upload row keeps what the server found (type, kind, thumbnail) for the attach_file mutation.
CREATE TABLE IF NOT EXISTS sync_uploads (
    company_id BLOB NOT NULL REFERENCES companies (id),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    received INTEGER NOT NULL,
    vessel_id BLOB NOT NULL,
    created_by BLOB NOT NULL,
    created_at TEXT NOT NULL,
    content_type TEXT,
    kind TEXT,
    has_thumbnail INTEGER CHECK (has_thumbnail IN (0, 1)),
    completed_at TEXT,
    PRIMARY KEY (company_id, sha256)
);

CREATE TABLE IF NOT EXISTS sync_upload_chunks (
    company_id BLOB NOT NULL REFERENCES companies (id),
    sha256 TEXT NOT NULL,
    offset_bytes INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (company_id, sha256, offset_bytes)
);

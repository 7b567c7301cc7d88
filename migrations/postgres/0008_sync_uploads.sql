-- Resumable uploads (issue 10): a file's bytes sent in chunks over a link that drops, addressed
-- by their SHA-256 within the company, so a retried or duplicated chunk or upload stores the
-- bytes once. The chunks live in the database, so any instance takes the next one; once the
-- last arrives the file is checked and moved to the file store, its chunks deleted, and the
-- upload row keeps what the server found (type, kind, thumbnail) for the attach_file mutation.
CREATE TABLE IF NOT EXISTS sync_uploads (
    company_id uuid NOT NULL REFERENCES companies (id),
    sha256 text NOT NULL,
    size bigint NOT NULL,
    received bigint NOT NULL,
    vessel_id uuid NOT NULL,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL,
    content_type text,
    kind text,
    has_thumbnail boolean,
    completed_at timestamptz,
    PRIMARY KEY (company_id, sha256)
);

CREATE TABLE IF NOT EXISTS sync_upload_chunks (
    company_id uuid NOT NULL REFERENCES companies (id),
    sha256 text NOT NULL,
    offset_bytes bigint NOT NULL,
    bytes bytea NOT NULL,
    PRIMARY KEY (company_id, sha256, offset_bytes)
);

ALTER TABLE sync_uploads ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_uploads FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON sync_uploads;
CREATE POLICY tenant ON sync_uploads
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

ALTER TABLE sync_upload_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_upload_chunks FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON sync_upload_chunks;
CREATE POLICY tenant ON sync_upload_chunks
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON sync_uploads TO bosun_app;
GRANT SELECT, INSERT, DELETE ON sync_upload_chunks TO bosun_app;

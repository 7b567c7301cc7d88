-- Sync push (issue 10): mutations a client queued that the server refused for good. A rejection
-- still advances the client's last_mutation_id (sync_clients), so a queue never wedges on one
-- bad entry; the row keeps what was refused and why, so a lost answer hides nothing.
-- Written to run again harmlessly (the newest migration may be re-applied).
CREATE TABLE IF NOT EXISTS sync_rejections (
    company_id uuid NOT NULL REFERENCES companies (id),
    client_id uuid NOT NULL,
    mutation_id bigint NOT NULL,
    name text NOT NULL,
    args jsonb NOT NULL,
    code text NOT NULL,
    detail text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (company_id, client_id, mutation_id)
);

-- A person's clients, for the acknowledgements a pull carries.
CREATE INDEX IF NOT EXISTS sync_clients_by_user ON sync_clients (company_id, user_id);

ALTER TABLE sync_rejections ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_rejections FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON sync_rejections;
CREATE POLICY tenant ON sync_rejections
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

GRANT SELECT, INSERT ON sync_rejections TO bosun_app;

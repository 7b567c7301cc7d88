-- Sync conflicts (issue 10): a field written by a pushed mutation while another writer changed
-- it after the version the mutation was made against. The greater (hlc, client) wins; the
-- losing value is kept here, listed to people, and resolved by an ordinary mutation. Status
-- fields move forward only; a stale edit of a decommissioned item is kept, not applied.
-- Written to run again harmlessly (the newest migration may be re-applied).
CREATE TABLE IF NOT EXISTS sync_conflicts (
    company_id uuid NOT NULL REFERENCES companies (id),
    id uuid NOT NULL,
    scope text NOT NULL,
    entity text NOT NULL,
    row_id uuid NOT NULL,
    field text NOT NULL,
    winner jsonb NOT NULL,
    loser jsonb NOT NULL,
    -- Which side the pushed mutation was on: 'winner' or 'loser'.
    mutation_side text NOT NULL CHECK (mutation_side IN ('winner', 'loser')),
    mutation_name text NOT NULL,
    mutation_args jsonb NOT NULL,
    client_id uuid NOT NULL,
    mutation_id bigint NOT NULL,
    mutation_hlc text NOT NULL,
    by_user uuid NOT NULL,
    -- The other side: the change that wrote the value the mutation met.
    other_seq bigint NOT NULL,
    other_hlc text NOT NULL,
    other_client_id uuid,
    state text NOT NULL CHECK (state IN ('open', 'resolved')),
    kept text CHECK (kept IN ('winner', 'loser')),
    resolved_by uuid,
    resolved_at timestamptz,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id)
);

CREATE INDEX IF NOT EXISTS sync_conflicts_by_scope ON sync_conflicts (company_id, scope, state, id);

-- A row's history, for the fields written since a mutation's base version.
CREATE INDEX IF NOT EXISTS sync_changes_by_row ON sync_changes (company_id, entity, row_id, seq);

ALTER TABLE sync_conflicts ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_conflicts FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON sync_conflicts;
CREATE POLICY tenant ON sync_conflicts
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON sync_conflicts TO bosun_app;

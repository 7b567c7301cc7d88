-- Sync conflicts (issue 10): a field written by a pushed mutation while another writer changed
-- it after the version the mutation was made against. The greater (hlc, client) wins; the
-- losing value is kept here, listed to people, and resolved by an ordinary mutation. Status
-- fields move forward only; a stale edit of a decommissioned item is kept, not applied.
-- Written to run again harmlessly (the newest migration may be re-applied).
CREATE TABLE IF NOT EXISTS sync_conflicts (
    company_id BLOB NOT NULL REFERENCES companies (id),
    id BLOB NOT NULL,
    scope TEXT NOT NULL,
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    field TEXT NOT NULL,
    winner TEXT NOT NULL,
    loser TEXT NOT NULL,
    -- Which side the pushed mutation was on: 'winner' or 'loser'.
    mutation_side TEXT NOT NULL CHECK (mutation_side IN ('winner', 'loser')),
    mutation_name TEXT NOT NULL,
    mutation_args TEXT NOT NULL,
    client_id BLOB NOT NULL,
    mutation_id INTEGER NOT NULL,
    mutation_hlc TEXT NOT NULL,
    by_user BLOB NOT NULL,
    -- The other side: the change that wrote the value the mutation met.
    other_seq INTEGER NOT NULL,
    other_hlc TEXT NOT NULL,
    other_client_id BLOB,
    state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
    kept TEXT CHECK (kept IN ('winner', 'loser')),
    resolved_by BLOB,
    resolved_at TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);

CREATE INDEX IF NOT EXISTS sync_conflicts_by_scope ON sync_conflicts (company_id, scope, state, id);

-- A row's history, for the fields written since a mutation's base version.
CREATE INDEX IF NOT EXISTS sync_changes_by_row ON sync_changes (company_id, entity, row_id, seq);

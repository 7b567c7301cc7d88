-- Sync push (issue 10): mutations a client queued that the server refused for good. A rejection
-- still advances the client's last_mutation_id (sync_clients), so a queue never wedges on one
-- bad entry; the row keeps what was refused and why, so a lost answer hides nothing.
-- Written to run again harmlessly (the newest migration may be re-applied).
CREATE TABLE IF NOT EXISTS sync_rejections (
    company_id BLOB NOT NULL REFERENCES companies (id),
    client_id BLOB NOT NULL,
    mutation_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    args TEXT NOT NULL,
    code TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (company_id, client_id, mutation_id)
);

-- A person's clients, for the acknowledgements a pull carries.
CREATE INDEX IF NOT EXISTS sync_clients_by_user ON sync_clients (company_id, user_id);

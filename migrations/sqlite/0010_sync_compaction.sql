-- Compaction of the sync change log (docs/SYNC.md "Compaction"): a background job folds each
-- row's old changes into the row's last old change, so catch-up from any cookie stays exact
-- and the log shrinks to about one change per row; deletes older than sync.tombstone_days are
-- dropped, and a cookie before the last one dropped (horizon_seq) walks that scope again.
-- sync_scopes remembers how far it folded;
-- the job reads a scope's old changes row by row (the index below).
ALTER TABLE sync_scopes ADD COLUMN compacted_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_scopes ADD COLUMN horizon_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS sync_changes_by_scope_row ON sync_changes (company_id, scope, entity, row_id, seq);

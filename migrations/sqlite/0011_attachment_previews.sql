-- Photos sent thumbnail first (docs/SYNC.md "Attachments"): a pushed attach_file may name a
-- preview (the device's thumbnail, a completed upload) while the full file is still on its
-- way. The attachment is then pending: its thumbnail is the preview's, its content not served
-- yet; the upload that completes the full file completes it. Additive: rows before this one
-- are complete (pending 0, no preview), so nothing is backfilled into the change log.
ALTER TABLE attachments ADD COLUMN pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1));
ALTER TABLE attachments ADD COLUMN preview_sha256 TEXT;
-- The upload that completes a file looks up the attachments waiting for it.
CREATE INDEX IF NOT EXISTS attachments_pending_by_file ON attachments (company_id, sha256) WHERE pending = TRUE;

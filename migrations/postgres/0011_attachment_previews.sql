-- Photos sent thumbnail first (docs/SYNC.md "Attachments"): a pushed attach_file may name a
-- preview (the device's thumbnail, a completed upload) while the full file is still on its
-- way. The attachment is then pending: its thumbnail is the preview's, its content not served
-- yet; the upload that completes the full file completes it. Additive: rows before this one
-- are complete (pending false, no preview), so nothing is backfilled into the change log.
-- Written to run again harmlessly.
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS pending boolean NOT NULL DEFAULT false;
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS preview_sha256 text;
-- The upload that completes a file looks up the attachments waiting for it.
CREATE INDEX IF NOT EXISTS attachments_pending_by_file ON attachments (company_id, sha256) WHERE pending;

-- Procedures (ADR 0007): the company's reusable checklists. A work order copies one's steps
-- when it is raised (with its own step ids), so editing a procedure changes no work order.
-- Written to run again harmlessly.

CREATE TABLE IF NOT EXISTS procedures (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    steps jsonb NOT NULL DEFAULT '[]',
    created_by uuid NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id)
);

ALTER TABLE procedures ENABLE ROW LEVEL SECURITY;
ALTER TABLE procedures FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON procedures;
CREATE POLICY tenant ON procedures
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON procedures TO bosun_app;

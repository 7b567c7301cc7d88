-- Children linked to their parent's meter (issue 12 §2): a child item that runs only while its
-- parent runs (a pump driven by its engine) counts the parent's running hours from the link
-- on: its total is `child_base` plus what the parent ran since `parent_base`. One link per
-- child; unlinking deletes it (the child keeps the readings it was given). Written to run
-- again harmlessly.

CREATE TABLE IF NOT EXISTS meter_links (
    company_id uuid NOT NULL,
    child_id uuid NOT NULL,
    parent_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    child_base double precision NOT NULL CHECK (child_base >= 0),
    parent_base double precision NOT NULL CHECK (parent_base >= 0),
    linked_by uuid NOT NULL,
    linked_at timestamptz NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (company_id, child_id),
    FOREIGN KEY (company_id, child_id) REFERENCES equipment (company_id, id),
    FOREIGN KEY (company_id, parent_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX IF NOT EXISTS meter_links_by_parent ON meter_links (company_id, parent_id);

ALTER TABLE meter_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE meter_links FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON meter_links;
CREATE POLICY tenant ON meter_links
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

GRANT SELECT, INSERT, DELETE ON meter_links TO bosun_app;

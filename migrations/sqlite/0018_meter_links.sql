-- Children linked to their parent's meter (issue 12 §2): a child item that runs only while its
-- parent runs (a pump driven by its engine) counts the parent's running hours from the link
-- on: its total is `child_base` plus what the parent ran since `parent_base`. One link per
-- child; unlinking deletes it (the child keeps the readings it was given).

CREATE TABLE meter_links (
    company_id BLOB NOT NULL,
    child_id BLOB NOT NULL,
    parent_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    child_base REAL NOT NULL CHECK (child_base >= 0),
    parent_base REAL NOT NULL CHECK (parent_base >= 0),
    linked_by BLOB NOT NULL,
    linked_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (company_id, child_id),
    FOREIGN KEY (company_id, child_id) REFERENCES equipment (company_id, id),
    FOREIGN KEY (company_id, parent_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX meter_links_by_parent ON meter_links (company_id, parent_id);

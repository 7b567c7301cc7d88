-- Procedures (ADR 0007): the company's reusable checklists. A work order copies one's steps
-- when it is raised (with its own step ids), so editing a procedure changes no work order.

CREATE TABLE procedures (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    steps TEXT NOT NULL DEFAULT '[]',
    created_by BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id)
);

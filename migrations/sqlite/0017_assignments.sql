-- Equipment assignments and operators' daily reports (issue 12 §4, ADR 0007): an item booked
-- to an operator for a half-open period `[starts_at, ends_at)` on its site (the item's
-- vessel), answered by the operator; the operator's daily report on the item, whose current
-- figures sit on the report and every submission is kept as an insert-only revision. A
-- validated report's hours become a running-hours reading (`reading_id`).

CREATE TABLE equipment_assignments (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    equipment_id BLOB NOT NULL,
    operator_id BLOB NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'cancelled')),
    decline_reason TEXT,
    assigned_by BLOB NOT NULL,
    answered_at TEXT,
    cancelled_by BLOB,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX equipment_assignments_by_item ON equipment_assignments (company_id, equipment_id, starts_at);
CREATE INDEX equipment_assignments_by_operator ON equipment_assignments (company_id, operator_id, starts_at);
CREATE INDEX equipment_assignments_by_vessel ON equipment_assignments (company_id, vessel_id, id);

CREATE TABLE daily_reports (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    equipment_id BLOB NOT NULL,
    operator_id BLOB NOT NULL,
    assignment_id BLOB NOT NULL,
    day TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'validated', 'returned')),
    revision_id BLOB NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 1),
    hours_worked REAL NOT NULL,
    hours_idle REAL NOT NULL,
    fuel_litres REAL,
    meter_hours REAL,
    odometer_km REAL,
    notes TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    photo_ids TEXT NOT NULL DEFAULT '[]',
    submitted_at TEXT NOT NULL,
    comment TEXT,
    validated_by BLOB,
    validated_at TEXT,
    returned_by BLOB,
    returned_at TEXT,
    reading_id BLOB,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id),
    FOREIGN KEY (company_id, assignment_id) REFERENCES equipment_assignments (company_id, id)
);
-- One report per item, operator and day.
CREATE UNIQUE INDEX daily_reports_one_a_day ON daily_reports (company_id, equipment_id, operator_id, day);
CREATE INDEX daily_reports_by_vessel ON daily_reports (company_id, vessel_id, id);

CREATE TABLE daily_report_revisions (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    report_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    day TEXT NOT NULL,
    hours_worked REAL NOT NULL,
    hours_idle REAL NOT NULL,
    fuel_litres REAL,
    meter_hours REAL,
    odometer_km REAL,
    notes TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    photo_ids TEXT NOT NULL DEFAULT '[]',
    submitted_by BLOB NOT NULL,
    submitted_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, report_id, number),
    FOREIGN KEY (company_id, report_id) REFERENCES daily_reports (company_id, id)
);
CREATE TRIGGER daily_report_revisions_are_insert_only_update BEFORE UPDATE ON daily_report_revisions
BEGIN SELECT RAISE(ABORT, 'daily report revisions are insert-only'); END;
CREATE TRIGGER daily_report_revisions_are_insert_only_delete BEFORE DELETE ON daily_report_revisions
BEGIN SELECT RAISE(ABORT, 'daily report revisions are insert-only'); END;

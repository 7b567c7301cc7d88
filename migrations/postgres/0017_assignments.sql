-- Equipment assignments and operators' daily reports (issue 12 §4, ADR 0007): an item booked
-- to an operator for a half-open period `[starts_at, ends_at)` on its site (the item's
-- vessel), answered by the operator; the operator's daily report on the item, whose current
-- figures sit on the report and every submission is kept as an insert-only revision. A
-- validated report's hours become a running-hours reading (`reading_id`). Written to run again harmlessly.

CREATE TABLE IF NOT EXISTS equipment_assignments (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    equipment_id uuid NOT NULL,
    operator_id uuid NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
    note text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'cancelled')),
    decline_reason text,
    assigned_by uuid NOT NULL,
    answered_at timestamptz,
    cancelled_by uuid,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX IF NOT EXISTS equipment_assignments_by_item ON equipment_assignments (company_id, equipment_id, starts_at);
CREATE INDEX IF NOT EXISTS equipment_assignments_by_operator ON equipment_assignments (company_id, operator_id, starts_at);
CREATE INDEX IF NOT EXISTS equipment_assignments_by_vessel ON equipment_assignments (company_id, vessel_id, id);

CREATE TABLE IF NOT EXISTS daily_reports (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    equipment_id uuid NOT NULL,
    operator_id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    day date NOT NULL,
    status text NOT NULL CHECK (status IN ('submitted', 'validated', 'returned')),
    revision_id uuid NOT NULL,
    revision bigint NOT NULL CHECK (revision >= 1),
    hours_worked double precision NOT NULL,
    hours_idle double precision NOT NULL,
    fuel_litres double precision,
    meter_hours double precision,
    odometer_km double precision,
    notes text NOT NULL,
    latitude double precision,
    longitude double precision,
    photo_ids jsonb NOT NULL DEFAULT '[]',
    submitted_at timestamptz NOT NULL,
    comment text,
    validated_by uuid,
    validated_at timestamptz,
    returned_by uuid,
    returned_at timestamptz,
    reading_id uuid,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id),
    FOREIGN KEY (company_id, assignment_id) REFERENCES equipment_assignments (company_id, id)
);
-- One report per item, operator and day.
CREATE UNIQUE INDEX IF NOT EXISTS daily_reports_one_a_day ON daily_reports (company_id, equipment_id, operator_id, day);
CREATE INDEX IF NOT EXISTS daily_reports_by_vessel ON daily_reports (company_id, vessel_id, id);

CREATE TABLE IF NOT EXISTS daily_report_revisions (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    report_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    number bigint NOT NULL CHECK (number >= 1),
    day date NOT NULL,
    hours_worked double precision NOT NULL,
    hours_idle double precision NOT NULL,
    fuel_litres double precision,
    meter_hours double precision,
    odometer_km double precision,
    notes text NOT NULL,
    latitude double precision,
    longitude double precision,
    photo_ids jsonb NOT NULL DEFAULT '[]',
    submitted_by uuid NOT NULL,
    submitted_at timestamptz NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, report_id, number),
    FOREIGN KEY (company_id, report_id) REFERENCES daily_reports (company_id, id)
);

ALTER TABLE equipment_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE equipment_assignments FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON equipment_assignments;
CREATE POLICY tenant ON equipment_assignments
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

ALTER TABLE daily_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE daily_reports FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON daily_reports;
CREATE POLICY tenant ON daily_reports
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

ALTER TABLE daily_report_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE daily_report_revisions FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON daily_report_revisions;
CREATE POLICY tenant ON daily_report_revisions
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON equipment_assignments, daily_reports TO bosun_app;
GRANT SELECT, INSERT ON daily_report_revisions TO bosun_app;

-- Preventive maintenance plans (ADR 0007 §4): what is due on an item by the calendar, by
-- running hours or whichever comes first (`criteria`, JSON), the work each occurrence's work
-- order carries (`steps`, assignees, estimate), and where the plan stands (server-kept:
-- `occurrence`, the last completion, the current due points and `next_check_at`, when the
-- scheduler looks at it next). Postponements are insert-only evidence; each occurrence's end
-- (done, skipped or missed) is kept for compliance (done within the window).

CREATE TABLE maintenance_plans (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    equipment_id BLOB NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    criteria TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    start_hours REAL,
    lead_days INTEGER NOT NULL CHECK (lead_days >= 0),
    steps TEXT NOT NULL DEFAULT '[]',
    signature_required INTEGER NOT NULL,
    estimated_minutes INTEGER,
    assignees TEXT NOT NULL DEFAULT '[]',
    occurrence INTEGER NOT NULL DEFAULT 0 CHECK (occurrence >= 0),
    last_done_on TEXT,
    last_done_hours REAL,
    due_on TEXT,
    due_hours REAL,
    next_check_at TEXT NOT NULL,
    created_by BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX maintenance_plans_by_vessel ON maintenance_plans (company_id, vessel_id, id);
CREATE INDEX maintenance_plans_by_equipment ON maintenance_plans (company_id, equipment_id, id);
-- The scheduler claims the plans whose time to be looked at has come.
CREATE INDEX maintenance_plans_by_check ON maintenance_plans (company_id, next_check_at)
    WHERE deleted_at IS NULL;

CREATE TABLE plan_postponements (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    plan_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    occurrence INTEGER NOT NULL,
    new_date TEXT,
    extra_hours REAL,
    reason TEXT NOT NULL,
    requested_by BLOB NOT NULL,
    approved_by BLOB NOT NULL CHECK (approved_by <> requested_by),
    approved_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, plan_id) REFERENCES maintenance_plans (company_id, id)
);
CREATE INDEX plan_postponements_by_plan ON plan_postponements (company_id, plan_id, occurrence, id);

CREATE TABLE plan_completions (
    company_id BLOB NOT NULL,
    plan_id BLOB NOT NULL,
    occurrence INTEGER NOT NULL,
    vessel_id BLOB NOT NULL,
    -- `done` by its work order, `skipped` (its work order cancelled) or `missed` (passed over
    -- when a later occurrence was done).
    outcome TEXT NOT NULL CHECK (outcome IN ('done', 'skipped', 'missed')),
    work_order_id BLOB,
    done_on TEXT NOT NULL,
    done_hours REAL,
    due_on TEXT,
    due_hours REAL,
    in_window INTEGER NOT NULL,
    PRIMARY KEY (company_id, plan_id, occurrence),
    FOREIGN KEY (company_id, plan_id) REFERENCES maintenance_plans (company_id, id)
);
CREATE INDEX plan_completions_by_vessel ON plan_completions (company_id, vessel_id, done_on);

-- Postponements and completions are facts: never edited or deleted.
CREATE TRIGGER plan_postponements_are_insert_only_update BEFORE UPDATE ON plan_postponements
BEGIN SELECT RAISE(ABORT, 'plan postponements are insert-only'); END;
CREATE TRIGGER plan_postponements_are_insert_only_delete BEFORE DELETE ON plan_postponements
BEGIN SELECT RAISE(ABORT, 'plan postponements are insert-only'); END;
CREATE TRIGGER plan_completions_are_insert_only_update BEFORE UPDATE ON plan_completions
BEGIN SELECT RAISE(ABORT, 'plan completions are insert-only'); END;
CREATE TRIGGER plan_completions_are_insert_only_delete BEFORE DELETE ON plan_completions
BEGIN SELECT RAISE(ABORT, 'plan completions are insert-only'); END;

-- Work orders (ADR 0007): planned or corrective work on one item, with its own copy of a
-- checklist (`steps`, JSON), the insert-only answers to its steps and labour entries. Parts
-- used are stock ledger entries (movement `issue`, `work_order_id`).

CREATE TABLE work_orders (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    equipment_id BLOB NOT NULL,
    -- `manual`, `fault`, `plan` or `follow_up`, with its references.
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'fault', 'plan', 'follow_up')),
    fault_id BLOB,
    plan_id BLOB,
    occurrence INTEGER,
    follow_up_of BLOB,
    follow_up_step BLOB,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    assignees TEXT NOT NULL DEFAULT '[]',
    due_on TEXT,
    estimated_minutes INTEGER,
    steps TEXT NOT NULL DEFAULT '[]',
    signature_required INTEGER NOT NULL CHECK (signature_required IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'on_hold', 'done', 'verified', 'cancelled')),
    started_at TEXT,
    completed_at TEXT,
    completed_by BLOB,
    signature TEXT,
    verified_at TEXT,
    verified_by BLOB,
    cancelled_at TEXT,
    cancel_reason TEXT,
    created_by BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX work_orders_by_vessel ON work_orders (company_id, vessel_id, status, id);
CREATE INDEX work_orders_by_equipment ON work_orders (company_id, equipment_id, id);
-- The scheduler generates each occurrence of a plan once, whatever runs twice.
CREATE UNIQUE INDEX work_orders_by_plan_occurrence ON work_orders (company_id, plan_id, occurrence)
    WHERE plan_id IS NOT NULL;

CREATE TABLE step_results (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    work_order_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    step_id BLOB NOT NULL,
    answer TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'below_limit', 'above_limit', 'recorded')),
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, work_order_id) REFERENCES work_orders (company_id, id)
);
CREATE INDEX step_results_by_work_order ON step_results (company_id, work_order_id, id);

CREATE TABLE labour_entries (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    work_order_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    worked_on TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    recorded_by BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, work_order_id) REFERENCES work_orders (company_id, id)
);
CREATE INDEX labour_entries_by_work_order ON labour_entries (company_id, work_order_id, id);

-- Parts issued to a work order are found from it.
CREATE INDEX stock_entries_by_work_order ON stock_entries (company_id, work_order_id)
    WHERE work_order_id IS NOT NULL;

-- Answers and labour are facts: never edited or deleted.
CREATE TRIGGER step_results_are_insert_only_update BEFORE UPDATE ON step_results
BEGIN SELECT RAISE(ABORT, 'step results are insert-only'); END;
CREATE TRIGGER step_results_are_insert_only_delete BEFORE DELETE ON step_results
BEGIN SELECT RAISE(ABORT, 'step results are insert-only'); END;
CREATE TRIGGER labour_entries_are_insert_only_update BEFORE UPDATE ON labour_entries
BEGIN SELECT RAISE(ABORT, 'labour entries are insert-only'); END;
CREATE TRIGGER labour_entries_are_insert_only_delete BEFORE DELETE ON labour_entries
BEGIN SELECT RAISE(ABORT, 'labour entries are insert-only'); END;

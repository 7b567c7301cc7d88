-- Work orders (ADR 0007): planned or corrective work on one item, with its own copy of a
-- checklist (`steps`, JSON), the insert-only answers to its steps and labour entries. Parts
-- used are stock ledger entries (movement `issue`, `work_order_id`). Written to run again
-- harmlessly.

CREATE TABLE IF NOT EXISTS work_orders (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    equipment_id uuid NOT NULL,
    -- `manual`, `fault`, `plan` or `follow_up`, with its references.
    origin text NOT NULL CHECK (origin IN ('manual', 'fault', 'plan', 'follow_up')),
    fault_id uuid,
    plan_id uuid,
    occurrence bigint,
    follow_up_of uuid,
    follow_up_step uuid,
    title text NOT NULL,
    description text NOT NULL,
    priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    assignees jsonb NOT NULL DEFAULT '[]',
    due_on date,
    estimated_minutes bigint,
    steps jsonb NOT NULL DEFAULT '[]',
    signature_required boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'in_progress', 'on_hold', 'done', 'verified', 'cancelled')),
    started_at timestamptz,
    completed_at timestamptz,
    completed_by uuid,
    signature jsonb,
    verified_at timestamptz,
    verified_by uuid,
    cancelled_at timestamptz,
    cancel_reason text,
    created_by uuid NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX IF NOT EXISTS work_orders_by_vessel ON work_orders (company_id, vessel_id, status, id);
CREATE INDEX IF NOT EXISTS work_orders_by_equipment ON work_orders (company_id, equipment_id, id);
-- The scheduler generates each occurrence of a plan once, whatever runs twice.
CREATE UNIQUE INDEX IF NOT EXISTS work_orders_by_plan_occurrence ON work_orders (company_id, plan_id, occurrence)
    WHERE plan_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS step_results (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    work_order_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    step_id uuid NOT NULL,
    answer jsonb NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('passed', 'failed', 'below_limit', 'above_limit', 'recorded')),
    recorded_by uuid NOT NULL,
    recorded_at timestamptz NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, work_order_id) REFERENCES work_orders (company_id, id)
);
CREATE INDEX IF NOT EXISTS step_results_by_work_order ON step_results (company_id, work_order_id, id);

CREATE TABLE IF NOT EXISTS labour_entries (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    work_order_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    person_id uuid NOT NULL,
    worked_on date NOT NULL,
    minutes bigint NOT NULL CHECK (minutes > 0),
    recorded_by uuid NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, work_order_id) REFERENCES work_orders (company_id, id)
);
CREATE INDEX IF NOT EXISTS labour_entries_by_work_order ON labour_entries (company_id, work_order_id, id);

-- Parts issued to a work order are found from it.
CREATE INDEX IF NOT EXISTS stock_entries_by_work_order ON stock_entries (company_id, work_order_id)
    WHERE work_order_id IS NOT NULL;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['work_orders', 'step_results', 'labour_entries']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant ON %I', t);
        EXECUTE format($p$CREATE POLICY tenant ON %I
            USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
            WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON work_orders TO bosun_app;
-- Answers and labour are facts: never edited or deleted.
GRANT SELECT, INSERT ON step_results, labour_entries TO bosun_app;

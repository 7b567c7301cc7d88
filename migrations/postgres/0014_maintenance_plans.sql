-- Preventive maintenance plans (ADR 0007 §4): what is due on an item by the calendar, by
-- running hours or whichever comes first (`criteria`, JSON), the work each occurrence's work
-- order carries (`steps`, assignees, estimate), and where the plan stands (server-kept:
-- `occurrence`, the last completion, the current due points and `next_check_at`, when the
-- scheduler looks at it next). Postponements are insert-only evidence; each occurrence's end
-- (done, skipped or missed) is kept for compliance (done within the window). Written to run again harmlessly.

CREATE TABLE IF NOT EXISTS maintenance_plans (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    equipment_id uuid NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    criteria jsonb NOT NULL,
    starts_on date NOT NULL,
    start_hours double precision,
    lead_days bigint NOT NULL CHECK (lead_days >= 0),
    steps jsonb NOT NULL DEFAULT '[]',
    signature_required boolean NOT NULL,
    estimated_minutes bigint,
    assignees jsonb NOT NULL DEFAULT '[]',
    occurrence bigint NOT NULL DEFAULT 0 CHECK (occurrence >= 0),
    last_done_on date,
    last_done_hours double precision,
    due_on date,
    due_hours double precision,
    next_check_at timestamptz NOT NULL,
    created_by uuid NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX IF NOT EXISTS maintenance_plans_by_vessel ON maintenance_plans (company_id, vessel_id, id);
CREATE INDEX IF NOT EXISTS maintenance_plans_by_equipment ON maintenance_plans (company_id, equipment_id, id);
-- The scheduler claims the plans whose time to be looked at has come.
CREATE INDEX IF NOT EXISTS maintenance_plans_by_check ON maintenance_plans (company_id, next_check_at)
    WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS plan_postponements (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    plan_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    occurrence bigint NOT NULL,
    new_date date,
    extra_hours double precision,
    reason text NOT NULL,
    requested_by uuid NOT NULL,
    approved_by uuid NOT NULL CHECK (approved_by <> requested_by),
    approved_at timestamptz NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, plan_id) REFERENCES maintenance_plans (company_id, id)
);
CREATE INDEX IF NOT EXISTS plan_postponements_by_plan ON plan_postponements (company_id, plan_id, occurrence, id);

CREATE TABLE IF NOT EXISTS plan_completions (
    company_id uuid NOT NULL,
    plan_id uuid NOT NULL,
    occurrence bigint NOT NULL,
    vessel_id uuid NOT NULL,
    -- `done` by its work order, `skipped` (its work order cancelled) or `missed` (passed over
    -- when a later occurrence was done).
    outcome text NOT NULL CHECK (outcome IN ('done', 'skipped', 'missed')),
    work_order_id uuid,
    done_on date NOT NULL,
    done_hours double precision,
    due_on date,
    due_hours double precision,
    in_window boolean NOT NULL,
    PRIMARY KEY (company_id, plan_id, occurrence),
    FOREIGN KEY (company_id, plan_id) REFERENCES maintenance_plans (company_id, id)
);
CREATE INDEX IF NOT EXISTS plan_completions_by_vessel ON plan_completions (company_id, vessel_id, done_on);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['maintenance_plans', 'plan_postponements', 'plan_completions']
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

GRANT SELECT, INSERT, UPDATE ON maintenance_plans TO bosun_app;
-- Postponements and completions are facts: never edited or deleted.
GRANT SELECT, INSERT ON plan_postponements, plan_completions TO bosun_app;

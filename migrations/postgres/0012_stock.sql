-- Spare parts and stock (ADR 0007): the company's parts catalogue, each vessel's stock
-- locations, the insert-only stock ledger, the on-hand balance written with each ledger entry,
-- and minimum/reorder rules. Quantities are integers in thousandths of the part's unit.
-- Written to run again harmlessly.

CREATE TABLE IF NOT EXISTS parts (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    number text NOT NULL,
    -- `part_number_key(number)`: one part per number however it is spaced or cased.
    number_key text NOT NULL,
    name text NOT NULL,
    maker text,
    unit text NOT NULL,
    critical boolean NOT NULL,
    equivalents jsonb NOT NULL DEFAULT '[]',
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS parts_by_number ON parts (company_id, number_key);

CREATE TABLE IF NOT EXISTS stock_locations (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    name text NOT NULL,
    -- `lower(trim(name))`: one location per name on a vessel.
    name_key text NOT NULL,
    parent_id uuid,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, parent_id) REFERENCES stock_locations (company_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS stock_locations_by_name ON stock_locations (company_id, vessel_id, name_key);

CREATE TABLE IF NOT EXISTS stock_rules (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    part_id uuid NOT NULL,
    minimum bigint NOT NULL CHECK (minimum >= 0),
    reorder bigint NOT NULL CHECK (reorder >= 0),
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS stock_rules_by_part ON stock_rules (company_id, vessel_id, part_id);

CREATE TABLE IF NOT EXISTS stock_entries (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    location_id uuid NOT NULL,
    part_id uuid NOT NULL,
    movement text NOT NULL CHECK (movement IN ('receive', 'issue', 'adjust', 'transfer_out', 'transfer_in')),
    delta bigint NOT NULL CHECK (delta <> 0),
    reason text,
    work_order_id uuid,
    transfer_id uuid,
    recorded_by uuid NOT NULL,
    recorded_at timestamptz NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, location_id) REFERENCES stock_locations (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id)
);
-- A part's ledger on a vessel, newest first.
CREATE INDEX IF NOT EXISTS stock_entries_by_part ON stock_entries (company_id, vessel_id, part_id, id);

CREATE TABLE IF NOT EXISTS stock_balances (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    location_id uuid NOT NULL,
    part_id uuid NOT NULL,
    on_hand bigint NOT NULL,
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, location_id) REFERENCES stock_locations (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id)
);
-- A vessel's on-hand stock is one range read of this index.
CREATE UNIQUE INDEX IF NOT EXISTS stock_balances_by_place ON stock_balances (company_id, vessel_id, part_id, location_id);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['parts', 'stock_locations', 'stock_rules', 'stock_entries', 'stock_balances']
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

GRANT SELECT, INSERT, UPDATE ON parts, stock_locations, stock_rules, stock_balances TO bosun_app;
-- The ledger is insert-only: an entry is never edited or deleted.
GRANT SELECT, INSERT ON stock_entries TO bosun_app;

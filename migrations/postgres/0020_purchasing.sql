-- Purchasing (ADR 0007 §1, §5): the company's suppliers; requisitions (one part each, for a
-- vessel, a work order or a fault) approved by someone other than the requester; purchase
-- orders to one supplier gathering requisitions and other lines, numbered per company; and
-- receipts, partial ones too, that bring catalogue parts into a location's stock (or straight
-- to the job). Prices are integer minor units, quantities thousandths of the part's unit.
-- Written to run again harmlessly.

CREATE TABLE IF NOT EXISTS suppliers (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL,
    name_key text NOT NULL,
    contact text,
    email text,
    phone text,
    address text,
    currency text NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, name_key)
);

CREATE TABLE IF NOT EXISTS requisitions (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    part_id uuid,
    part_name text NOT NULL,
    part_number text,
    unit text NOT NULL,
    quantity bigint NOT NULL CHECK (quantity > 0),
    work_order_id uuid,
    fault_id uuid,
    supplier_id uuid,
    supplier_unit_minor bigint CHECK (supplier_unit_minor >= 0),
    markup_bp bigint,
    customer_unit_minor bigint,
    currency text,
    needed_by date,
    note text,
    status text NOT NULL CHECK (status IN ('requested', 'approved', 'ordered', 'partially_received', 'received', 'rejected', 'cancelled')),
    requested_by uuid NOT NULL,
    decided_by uuid,
    decision_comment text,
    purchase_order_id uuid,
    received bigint NOT NULL DEFAULT 0,
    status_changed_at timestamptz NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id),
    FOREIGN KEY (company_id, supplier_id) REFERENCES suppliers (company_id, id)
);
CREATE INDEX IF NOT EXISTS requisitions_vessel ON requisitions (company_id, vessel_id, id);
CREATE INDEX IF NOT EXISTS requisitions_status ON requisitions (company_id, status, id);

CREATE TABLE IF NOT EXISTS purchase_orders (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    number bigint NOT NULL,
    vessel_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    currency text NOT NULL,
    expected_on date,
    note text,
    status text NOT NULL CHECK (status IN ('draft', 'sent', 'shipped', 'partially_received', 'received', 'cancelled')),
    created_by uuid NOT NULL,
    supplier_total_minor bigint NOT NULL,
    customer_total_minor bigint NOT NULL,
    status_changed_at timestamptz NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, number),
    FOREIGN KEY (company_id, supplier_id) REFERENCES suppliers (company_id, id)
);
CREATE INDEX IF NOT EXISTS purchase_orders_vessel ON purchase_orders (company_id, vessel_id, id);

CREATE TABLE IF NOT EXISTS purchase_order_lines (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    purchase_order_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    position bigint NOT NULL,
    requisition_id uuid,
    part_id uuid,
    part_name text NOT NULL,
    part_number text,
    unit text NOT NULL,
    ordered bigint NOT NULL CHECK (ordered > 0),
    received bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= ordered),
    supplier_unit_minor bigint NOT NULL CHECK (supplier_unit_minor >= 0),
    markup_bp bigint NOT NULL,
    customer_unit_minor bigint NOT NULL,
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, purchase_order_id, position),
    FOREIGN KEY (company_id, purchase_order_id) REFERENCES purchase_orders (company_id, id),
    FOREIGN KEY (company_id, requisition_id) REFERENCES requisitions (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS purchase_order_lines_requisition ON purchase_order_lines (company_id, requisition_id) WHERE requisition_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS po_receipts (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    purchase_order_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    location_id uuid,
    lines jsonb NOT NULL,
    note text,
    received_by uuid NOT NULL,
    received_at timestamptz NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, purchase_order_id) REFERENCES purchase_orders (company_id, id),
    FOREIGN KEY (company_id, location_id) REFERENCES stock_locations (company_id, id)
);
CREATE INDEX IF NOT EXISTS po_receipts_order ON po_receipts (company_id, purchase_order_id, id);

ALTER TABLE suppliers ENABLE ROW LEVEL SECURITY;
ALTER TABLE suppliers FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON suppliers;
CREATE POLICY tenant ON suppliers
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

ALTER TABLE requisitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE requisitions FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON requisitions;
CREATE POLICY tenant ON requisitions
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

ALTER TABLE purchase_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE purchase_orders FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON purchase_orders;
CREATE POLICY tenant ON purchase_orders
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

ALTER TABLE purchase_order_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE purchase_order_lines FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON purchase_order_lines;
CREATE POLICY tenant ON purchase_order_lines
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

ALTER TABLE po_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE po_receipts FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON po_receipts;
CREATE POLICY tenant ON po_receipts
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON suppliers, requisitions, purchase_orders, purchase_order_lines, po_receipts TO bosun_app;

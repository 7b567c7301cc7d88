-- Purchasing (ADR 0007 §1, §5): the company's suppliers; requisitions (one part each, for a
-- vessel, a work order or a fault) approved by someone other than the requester; purchase
-- orders to one supplier gathering requisitions and other lines, numbered per company; and
-- receipts, partial ones too, that bring catalogue parts into a location's stock (or straight
-- to the job). Prices are integer minor units, quantities thousandths of the part's unit.

CREATE TABLE suppliers (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    contact TEXT,
    email TEXT,
    phone TEXT,
    address TEXT,
    currency TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, name_key)
);

CREATE TABLE requisitions (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    part_id BLOB,
    part_name TEXT NOT NULL,
    part_number TEXT,
    unit TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    work_order_id BLOB,
    fault_id BLOB,
    supplier_id BLOB,
    supplier_unit_minor INTEGER CHECK (supplier_unit_minor >= 0),
    markup_bp INTEGER,
    customer_unit_minor INTEGER,
    currency TEXT,
    needed_by TEXT,
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'ordered', 'partially_received', 'received', 'rejected', 'cancelled')),
    requested_by BLOB NOT NULL,
    decided_by BLOB,
    decision_comment TEXT,
    purchase_order_id BLOB,
    received INTEGER NOT NULL DEFAULT 0,
    status_changed_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id),
    FOREIGN KEY (company_id, supplier_id) REFERENCES suppliers (company_id, id)
);
CREATE INDEX requisitions_vessel ON requisitions (company_id, vessel_id, id);
CREATE INDEX requisitions_status ON requisitions (company_id, status, id);

CREATE TABLE purchase_orders (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    number INTEGER NOT NULL,
    vessel_id BLOB NOT NULL,
    supplier_id BLOB NOT NULL,
    currency TEXT NOT NULL,
    expected_on TEXT,
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'shipped', 'partially_received', 'received', 'cancelled')),
    created_by BLOB NOT NULL,
    supplier_total_minor INTEGER NOT NULL,
    customer_total_minor INTEGER NOT NULL,
    status_changed_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, number),
    FOREIGN KEY (company_id, supplier_id) REFERENCES suppliers (company_id, id)
);
CREATE INDEX purchase_orders_vessel ON purchase_orders (company_id, vessel_id, id);

CREATE TABLE purchase_order_lines (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    purchase_order_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    position INTEGER NOT NULL,
    requisition_id BLOB,
    part_id BLOB,
    part_name TEXT NOT NULL,
    part_number TEXT,
    unit TEXT NOT NULL,
    ordered INTEGER NOT NULL CHECK (ordered > 0),
    received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= ordered),
    supplier_unit_minor INTEGER NOT NULL CHECK (supplier_unit_minor >= 0),
    markup_bp INTEGER NOT NULL,
    customer_unit_minor INTEGER NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, purchase_order_id, position),
    FOREIGN KEY (company_id, purchase_order_id) REFERENCES purchase_orders (company_id, id),
    FOREIGN KEY (company_id, requisition_id) REFERENCES requisitions (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id)
);
CREATE UNIQUE INDEX purchase_order_lines_requisition ON purchase_order_lines (company_id, requisition_id) WHERE requisition_id IS NOT NULL;

CREATE TABLE po_receipts (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    purchase_order_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    location_id BLOB,
    lines TEXT NOT NULL,
    note TEXT,
    received_by BLOB NOT NULL,
    received_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, purchase_order_id) REFERENCES purchase_orders (company_id, id),
    FOREIGN KEY (company_id, location_id) REFERENCES stock_locations (company_id, id)
);
CREATE INDEX po_receipts_order ON po_receipts (company_id, purchase_order_id, id);

-- Maintenance: equipment hierarchy with running-hour readings, faults with comments,
-- parts orders, crew handovers, attachments.

CREATE TABLE equipment (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    parent_id BLOB,
    level TEXT NOT NULL CHECK (level IN ('system', 'equipment', 'component')),
    area TEXT NOT NULL CHECK (area IN ('engine_room', 'deck', 'bridge', 'accommodation', 'cargo', 'electrical', 'hull', 'other')),
    name TEXT NOT NULL,
    equipment_type TEXT,
    maker TEXT,
    model TEXT,
    serial_number TEXT,
    criticality TEXT NOT NULL CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
    status TEXT NOT NULL CHECK (status IN ('operational', 'degraded', 'down', 'decommissioned')),
    specs TEXT NOT NULL DEFAULT '{}',
    qr_code TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, qr_code),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, parent_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX equipment_by_vessel ON equipment (company_id, vessel_id, id);
CREATE INDEX equipment_by_parent ON equipment (company_id, parent_id);

CREATE TABLE meter_readings (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    equipment_id BLOB NOT NULL,
    hours REAL NOT NULL CHECK (hours >= 0),
    meter_replaced INTEGER NOT NULL CHECK (meter_replaced IN (0, 1)),
    read_at TEXT NOT NULL,
    recorded_by BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX meter_readings_by_equipment ON meter_readings (company_id, equipment_id, read_at, id);

CREATE TABLE faults (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    equipment_id BLOB NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'in_progress', 'awaiting_parts', 'resolved', 'closed')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    reported_by BLOB NOT NULL,
    observed_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    acknowledged_at TEXT,
    assignee_id BLOB,
    resolved_at TEXT,
    resolved_by BLOB,
    root_cause TEXT,
    resolution TEXT,
    repair_seconds INTEGER,
    closed_at TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX faults_by_vessel_status ON faults (company_id, vessel_id, status);
CREATE INDEX faults_by_equipment ON faults (company_id, equipment_id);
CREATE INDEX faults_by_observed ON faults (company_id, observed_at);

CREATE TABLE fault_comments (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    fault_id BLOB NOT NULL,
    author_id BLOB NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, fault_id) REFERENCES faults (company_id, id)
);
CREATE INDEX fault_comments_by_fault ON fault_comments (company_id, fault_id, id);

CREATE TABLE parts_orders (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    fault_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    part_name TEXT NOT NULL,
    part_number TEXT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    supplier TEXT NOT NULL,
    supplier_unit_minor INTEGER NOT NULL CHECK (supplier_unit_minor >= 0),
    customer_unit_minor INTEGER NOT NULL CHECK (customer_unit_minor >= 0),
    currency TEXT NOT NULL,
    markup_bp INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'ordered', 'shipped', 'received', 'cancelled')),
    requested_by BLOB NOT NULL,
    status_changed_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, fault_id) REFERENCES faults (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);
CREATE INDEX parts_orders_by_vessel ON parts_orders (company_id, vessel_id, status);
CREATE INDEX parts_orders_by_fault ON parts_orders (company_id, fault_id);

CREATE TABLE handover_drafts (
    company_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    item_notes TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, vessel_id, user_id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);

CREATE TABLE handovers (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    outgoing_user_id BLOB NOT NULL,
    rotation_end TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    completed_at TEXT NOT NULL,
    acknowledged_by BLOB,
    acknowledged_at TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);
CREATE INDEX handovers_by_vessel ON handovers (company_id, vessel_id, completed_at);

CREATE TABLE attachments (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    parent_kind TEXT NOT NULL CHECK (parent_kind IN ('equipment', 'fault', 'handover')),
    parent_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    has_thumbnail INTEGER NOT NULL CHECK (has_thumbnail IN (0, 1)),
    uploaded_by BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);
CREATE INDEX attachments_by_parent ON attachments (company_id, parent_kind, parent_id);

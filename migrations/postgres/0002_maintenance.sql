-- Maintenance: equipment hierarchy with running-hour readings, faults with comments,
-- parts orders, crew handovers, attachments. Tenant tables have row-level security.

CREATE TABLE equipment (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    parent_id uuid,
    level text NOT NULL CHECK (level IN ('system', 'equipment', 'component')),
    area text NOT NULL CHECK (area IN ('engine_room', 'deck', 'bridge', 'accommodation', 'cargo', 'electrical', 'hull', 'other')),
    name text NOT NULL,
    equipment_type text,
    maker text,
    model text,
    serial_number text,
    criticality text NOT NULL CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
    status text NOT NULL CHECK (status IN ('operational', 'degraded', 'down', 'decommissioned')),
    specs jsonb NOT NULL DEFAULT '{}',
    qr_code text NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, qr_code),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, parent_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX equipment_by_vessel ON equipment (company_id, vessel_id, id);
CREATE INDEX equipment_by_parent ON equipment (company_id, parent_id);

CREATE TABLE meter_readings (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    equipment_id uuid NOT NULL,
    hours double precision NOT NULL CHECK (hours >= 0),
    meter_replaced boolean NOT NULL,
    read_at timestamptz NOT NULL,
    recorded_by uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX meter_readings_by_equipment ON meter_readings (company_id, equipment_id, read_at, id);

CREATE TABLE faults (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    equipment_id uuid NOT NULL,
    severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'in_progress', 'awaiting_parts', 'resolved', 'closed')),
    title text NOT NULL,
    description text NOT NULL,
    reported_by uuid NOT NULL,
    observed_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    acknowledged_at timestamptz,
    assignee_id uuid,
    resolved_at timestamptz,
    resolved_by uuid,
    root_cause text,
    resolution text,
    repair_seconds bigint,
    closed_at timestamptz,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, equipment_id) REFERENCES equipment (company_id, id)
);
CREATE INDEX faults_by_vessel_status ON faults (company_id, vessel_id, status);
CREATE INDEX faults_by_equipment ON faults (company_id, equipment_id);
CREATE INDEX faults_by_observed ON faults (company_id, observed_at);

CREATE TABLE fault_comments (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    fault_id uuid NOT NULL,
    author_id uuid NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, fault_id) REFERENCES faults (company_id, id)
);
CREATE INDEX fault_comments_by_fault ON fault_comments (company_id, fault_id, id);

CREATE TABLE parts_orders (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    fault_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    part_name text NOT NULL,
    part_number text,
    quantity bigint NOT NULL CHECK (quantity > 0),
    supplier text NOT NULL,
    supplier_unit_minor bigint NOT NULL CHECK (supplier_unit_minor >= 0),
    customer_unit_minor bigint NOT NULL CHECK (customer_unit_minor >= 0),
    currency text NOT NULL,
    markup_bp bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('requested', 'approved', 'ordered', 'shipped', 'received', 'cancelled')),
    requested_by uuid NOT NULL,
    status_changed_at timestamptz NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, fault_id) REFERENCES faults (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);
CREATE INDEX parts_orders_by_vessel ON parts_orders (company_id, vessel_id, status);
CREATE INDEX parts_orders_by_fault ON parts_orders (company_id, fault_id);

CREATE TABLE handover_drafts (
    company_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    user_id uuid NOT NULL,
    notes text NOT NULL DEFAULT '',
    item_notes jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, vessel_id, user_id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);

CREATE TABLE handovers (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    outgoing_user_id uuid NOT NULL,
    rotation_end date NOT NULL,
    snapshot jsonb NOT NULL,
    completed_at timestamptz NOT NULL,
    acknowledged_by uuid,
    acknowledged_at timestamptz,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);
CREATE INDEX handovers_by_vessel ON handovers (company_id, vessel_id, completed_at);

CREATE TABLE attachments (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    parent_kind text NOT NULL CHECK (parent_kind IN ('equipment', 'fault', 'handover')),
    parent_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('photo', 'document')),
    file_name text NOT NULL,
    content_type text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 text NOT NULL,
    has_thumbnail boolean NOT NULL,
    uploaded_by uuid NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);
CREATE INDEX attachments_by_parent ON attachments (company_id, parent_kind, parent_id);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['equipment', 'meter_readings', 'faults', 'fault_comments', 'parts_orders',
                             'handover_drafts', 'handovers', 'attachments']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant ON %I
            USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
            WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON equipment, faults, parts_orders, handover_drafts, handovers, attachments TO bosun_app;
-- Insert-only facts: readings and comments are never edited.
GRANT SELECT, INSERT ON meter_readings, fault_comments TO bosun_app;
GRANT DELETE ON handover_drafts TO bosun_app;

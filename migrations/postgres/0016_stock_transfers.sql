-- Stock transfers (ADR 0007 §3): a part sent from a location to another, of the same vessel
-- or of another, in transit from dispatch (a `transfer_out` ledger entry at the source) to
-- receipt (a `transfer_in` entry at the destination, at most what was sent; the shortfall is
-- what was lost on the way). Written to run again harmlessly.

CREATE TABLE IF NOT EXISTS stock_transfers (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    part_id uuid NOT NULL,
    from_vessel_id uuid NOT NULL,
    from_location_id uuid NOT NULL,
    to_vessel_id uuid NOT NULL,
    to_location_id uuid NOT NULL,
    sent bigint NOT NULL CHECK (sent > 0),
    received bigint CHECK (received > 0 AND received <= sent),
    dispatched_by uuid NOT NULL,
    dispatched_at timestamptz NOT NULL,
    received_by uuid,
    received_at timestamptz,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id),
    FOREIGN KEY (company_id, from_location_id) REFERENCES stock_locations (company_id, id),
    FOREIGN KEY (company_id, to_location_id) REFERENCES stock_locations (company_id, id)
);
CREATE INDEX IF NOT EXISTS stock_transfers_from ON stock_transfers (company_id, from_vessel_id, id);
CREATE INDEX IF NOT EXISTS stock_transfers_to ON stock_transfers (company_id, to_vessel_id, id);

ALTER TABLE stock_transfers ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_transfers FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant ON stock_transfers;
CREATE POLICY tenant ON stock_transfers
    USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON stock_transfers TO bosun_app;

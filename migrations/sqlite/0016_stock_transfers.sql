-- Stock transfers (ADR 0007 §3): a part sent from a location to another, of the same vessel
-- or of another, in transit from dispatch (a `transfer_out` ledger entry at the source) to
-- receipt (a `transfer_in` entry at the destination, at most what was sent; the shortfall is
-- what was lost on the way).

CREATE TABLE stock_transfers (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    part_id BLOB NOT NULL,
    from_vessel_id BLOB NOT NULL,
    from_location_id BLOB NOT NULL,
    to_vessel_id BLOB NOT NULL,
    to_location_id BLOB NOT NULL,
    sent INTEGER NOT NULL CHECK (sent > 0),
    received INTEGER CHECK (received > 0 AND received <= sent),
    dispatched_by BLOB NOT NULL,
    dispatched_at TEXT NOT NULL,
    received_by BLOB,
    received_at TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id),
    FOREIGN KEY (company_id, from_location_id) REFERENCES stock_locations (company_id, id),
    FOREIGN KEY (company_id, to_location_id) REFERENCES stock_locations (company_id, id)
);
CREATE INDEX stock_transfers_from ON stock_transfers (company_id, from_vessel_id, id);
CREATE INDEX stock_transfers_to ON stock_transfers (company_id, to_vessel_id, id);

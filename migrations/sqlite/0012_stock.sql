-- Spare parts and stock (ADR 0007): the company's parts catalogue, each vessel's stock
-- locations, the insert-only stock ledger, the on-hand balance written with each ledger entry,
-- and minimum/reorder rules. Quantities are integers in thousandths of the part's unit.

CREATE TABLE parts (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    number TEXT NOT NULL,
    -- `part_number_key(number)`: one part per number however it is spaced or cased.
    number_key TEXT NOT NULL,
    name TEXT NOT NULL,
    maker TEXT,
    unit TEXT NOT NULL,
    critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
    equivalents TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX parts_by_number ON parts (company_id, number_key);

CREATE TABLE stock_locations (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    name TEXT NOT NULL,
    -- `lower(trim(name))`: one location per name on a vessel.
    name_key TEXT NOT NULL,
    parent_id BLOB,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, parent_id) REFERENCES stock_locations (company_id, id)
);
CREATE UNIQUE INDEX stock_locations_by_name ON stock_locations (company_id, vessel_id, name_key);

CREATE TABLE stock_rules (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    part_id BLOB NOT NULL,
    minimum INTEGER NOT NULL CHECK (minimum >= 0),
    reorder INTEGER NOT NULL CHECK (reorder >= 0),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id)
);
CREATE UNIQUE INDEX stock_rules_by_part ON stock_rules (company_id, vessel_id, part_id);

CREATE TABLE stock_entries (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    location_id BLOB NOT NULL,
    part_id BLOB NOT NULL,
    movement TEXT NOT NULL CHECK (movement IN ('receive', 'issue', 'adjust', 'transfer_out', 'transfer_in')),
    delta INTEGER NOT NULL CHECK (delta <> 0),
    reason TEXT,
    work_order_id BLOB,
    transfer_id BLOB,
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, location_id) REFERENCES stock_locations (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id)
);
-- A part's ledger on a vessel, newest first.
CREATE INDEX stock_entries_by_part ON stock_entries (company_id, vessel_id, part_id, id);

CREATE TABLE stock_balances (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    location_id BLOB NOT NULL,
    part_id BLOB NOT NULL,
    on_hand INTEGER NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, location_id) REFERENCES stock_locations (company_id, id),
    FOREIGN KEY (company_id, part_id) REFERENCES parts (company_id, id)
);
-- A vessel's on-hand stock is one range read of this index.
CREATE UNIQUE INDEX stock_balances_by_place ON stock_balances (company_id, vessel_id, part_id, location_id);

-- The ledger is insert-only: an entry is never edited or deleted.
CREATE TRIGGER stock_entries_are_insert_only_update BEFORE UPDATE ON stock_entries
BEGIN SELECT RAISE(ABORT, 'stock entries are insert-only'); END;
CREATE TRIGGER stock_entries_are_insert_only_delete BEFORE DELETE ON stock_entries
BEGIN SELECT RAISE(ABORT, 'stock entries are insert-only'); END;

-- Fault parts orders become requisitions of the purchasing flow (ADR 0007 §7). The start-up
-- migration in Rust (`crates/app/src/purchasing/migration.rs`) writes each order's requisition
-- (same id), purchase order and receipt, and marks the order here; the table is read by that
-- migration only from now on. Parts spend reads requisitions and order lines by creation day.

ALTER TABLE parts_orders ADD COLUMN migrated_to BLOB;
CREATE INDEX parts_orders_unmigrated ON parts_orders (company_id, id) WHERE migrated_to IS NULL;
CREATE INDEX requisitions_fault ON requisitions (company_id, fault_id, id) WHERE fault_id IS NOT NULL;
CREATE INDEX requisitions_by_created
    ON requisitions (company_id, created_at, vessel_id, currency, status, quantity, supplier_unit_minor, customer_unit_minor);
CREATE INDEX purchase_orders_by_created ON purchase_orders (company_id, created_at, vessel_id, status, currency, id);
CREATE INDEX purchase_order_lines_order ON purchase_order_lines (company_id, purchase_order_id, ordered, supplier_unit_minor, customer_unit_minor);

-- A requisition freed by a cancelled order is ordered again on another: its old line stays with
-- the cancelled order, so a requisition may have several lines, one on a live order at most (its
-- status says which, checked under the vessel's lock). The unique index refused the new line.
DROP INDEX IF EXISTS purchase_order_lines_requisition;
CREATE INDEX IF NOT EXISTS purchase_order_lines_by_requisition
    ON purchase_order_lines (company_id, requisition_id) WHERE requisition_id IS NOT NULL;

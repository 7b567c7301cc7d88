-- Indexes for the reads that grow with a company's history (docs/BENCHMARKS.md). Each answers
-- its query from the index alone (the columns of a partial index's condition are in it too, as
-- SQLite reads the table for any column the index lacks), so a dashboard over a million faults reads the index entries
-- of its windows, never the rows, and an equipment page reads its own faults only. The queries
-- are shaped so that SQLite picks these without statistics; a test checks the plans
-- (store-sql/src/plans.rs, on SQLite; PostgreSQL plans from its own statistics).

-- An item's fault history, newest first (the equipment page). Supersedes faults_by_equipment.
CREATE INDEX faults_by_equipment_newest ON faults (company_id, equipment_id, id);
DROP INDEX faults_by_equipment;

-- Faults not yet resolved are few among many: dashboards count them by severity and age, and
-- equipment pages ask which items an unresolved critical fault marks down.
CREATE INDEX faults_unresolved ON faults (company_id, severity, vessel_id, equipment_id, observed_at, status, deleted_at)
    WHERE status NOT IN ('resolved', 'closed') AND deleted_at IS NULL;

-- Each item's reports in a window (top equipment, MTBF): a seek per item, then its window.
-- Supersedes faults_by_observed.
CREATE INDEX faults_by_equipment_report ON faults (company_id, equipment_id, observed_at, vessel_id, deleted_at)
    WHERE deleted_at IS NULL;
DROP INDEX faults_by_observed;

-- Repairs in a window (MTTR and its groupings).
CREATE INDEX faults_by_resolution ON faults (company_id, resolved_at, vessel_id, equipment_id, severity, repair_seconds, deleted_at)
    WHERE deleted_at IS NULL AND repair_seconds IS NOT NULL;

-- Parts spend in a window.
CREATE INDEX parts_orders_by_created
    ON parts_orders (company_id, created_at, vessel_id, currency, status, quantity, supplier_unit_minor, customer_unit_minor, deleted_at)
    WHERE deleted_at IS NULL;

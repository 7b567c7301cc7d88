/**
 * What the web client knows of the synced entities: their names in the change log, and the
 * fields Rust holds as `f64` (from the `*_json` functions in `crates/app/src`), which the
 * checksum must write as floats (`checksum.ts`: `1200.0`, read by `JSON.parse` as 1200).
 */
import type { EntityFloats } from './replica';

/**
 * Entity names as `record_change` writes them. `parts_order` is written no more (its rows became
 * requisitions, ADR 0007 §7): the server's `delete` changes for them apply as any entity's do
 * (`replica.ts` keeps no list of entities), so old rows leave the device.
 */
export const ENTITY = {
  company: 'company',
  membership: 'membership',
  vessel: 'vessel',
  department: 'department',
  vesselMember: 'vessel_member',
  equipment: 'equipment',
  meterReading: 'meter_reading',
  meterLink: 'meter_link',
  fault: 'fault',
  handover: 'handover',
  attachment: 'attachment',
  conflict: 'sync_conflict',
  part: 'part',
  stockLocation: 'stock_location',
  stockBalance: 'stock_balance',
  stockEntry: 'stock_entry',
  stockRule: 'stock_rule',
  stockTransfer: 'stock_transfer',
  workOrder: 'work_order',
  stepResult: 'step_result',
  labourEntry: 'labour_entry',
  maintenancePlan: 'maintenance_plan',
  planPostponement: 'plan_postponement',
  procedure: 'procedure',
  assignment: 'assignment',
  dailyReport: 'daily_report',
  dailyReportRevision: 'daily_report_revision',
  supplier: 'supplier',
  requisition: 'requisition',
  purchaseOrder: 'purchase_order',
  purchaseOrderLine: 'purchase_order_line',
  poReceipt: 'po_receipt',
} as const;

/**
 * Per entity, its `f64` fields by path: a meter reading's `hours` (`reading_json`), a meter
 * link's two bases (`link_json` in crates/app/src/fleet/equipment/meters.rs), and the running
 * hours a handover's snapshot carries (`RunningHoursChange` in
 * crates/app/src/maintenance/handovers.rs). Every other synced number is an integer (money in
 * minor units, seconds, counts, versions); stock quantities, a work order step's limits and
 * answers are exact decimal strings ("12.5"), not numbers at all. A daily report's figures
 * (hours, fuel, meters, position) are fractional numbers whose whole values the server writes
 * as integers (`8`, not `8.0`), so they are not listed: the canonical text is what arrives.
 */
export const ENTITY_FLOATS: EntityFloats = {
  [ENTITY.meterReading]: new Set(['hours']),
  // The child's and the parent's totals when linked: `0.0` for a child without readings.
  [ENTITY.meterLink]: new Set(['child_base', 'parent_base']),
  // A plan's running hours, `f64` as a reading's are. Its criteria's hours are left out: a
  // path names `criteria.every` in every criterion, whole days in a calendar one, so the server
  // is to write them so that one rule fits both (web/README.md, "Maintenance plans").
  [ENTITY.maintenancePlan]: new Set(['start_hours', 'last_done_hours', 'due_hours']),
  [ENTITY.planPostponement]: new Set(['extra_hours']),
  [ENTITY.handover]: new Set(
    ['first_hours', 'last_hours', 'delta_hours'].map((field) => `snapshot.running_hours.${field}`),
  ),
};

/** The scope a vessel's rows are in. */
export const vesselScope = (vesselId: string) => `vessel:${vesselId.toLowerCase()}`;

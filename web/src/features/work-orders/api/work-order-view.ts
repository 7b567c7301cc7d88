/**
 * Everything a work order's page shows, read in one go: one live query, one read transaction
 * over the replica's rows and the outbox, rather than a query per section each reading its whole
 * entity (an order's page once read every work order, every item, and each section's rows and
 * the outbox again; docs/BENCHMARKS.md, "Opening an assigned work order offline").
 *
 * Read by id or by index only: the order and its item by id; its step results, labour and parts
 * used by the `work_order_id` index in its vessel's scope; the people, departments and parts it
 * names, and the fault it was raised from, by id; the vessel's stock locations (for the paths of
 * where parts were taken); the outbox once. What pages show from them is computed as before, by
 * the same functions (`workOrdersOf`, `stepResultsOf`, `labourOf`, `partsUsedOf`, `catalogue`),
 * so waiting writes lie over the replica exactly as they do on every other page.
 */
import { useLiveQuery } from 'dexie-react-hooks';

import { catalogue, type PartItem } from '../../../components/parts-catalogue';
import { vesselLocations } from '../../../components/stock-levels';
import { departmentNamesOf, peopleNamesOf } from '../../../components/vessel-people';
import type { SyncDatabase } from '../../../sync/database';
import { ENTITY, vesselScope } from '../../../sync/entities';
import { replicaRowById, replicaRowsById, workOrderRowsIn } from '../../../sync/replica-queries';
import { useSyncClient } from '../../../sync/sync-context';
import { checklistOf, type Checklist } from './checklist';
import { faultSummaryOf, itemSummaryOf, type FaultSummary, type ItemSummary } from './people';
import { labourOf, partsUsedOf, type LabourItem, type PartUsed } from './work-log';
import { readWorkOrder, type WorkOrderItem } from './work-orders';

/** A work order with what its page shows of it. */
export interface WorkOrderView {
  order: WorkOrderItem;
  /** Its item; null while the device does not hold it. */
  item: ItemSummary | null;
  checklist: Checklist;
  labour: LabourItem[];
  partsUsed: PartUsed[];
  /** The parts named by the parts used, by id (from the catalogue, edits waiting applied). */
  parts: Map<string, PartItem>;
  /** Where on the vessel parts are taken from: each stock location's path, by id. */
  locationPaths: Map<string, string>;
  /** Names of the people the page names, by user id (those in the people directory the device holds). */
  people: Map<string, string>;
  /** Names of the departments it is assigned to, by id. */
  departments: Map<string, string>;
  /** The fault it was raised from; null when it was not, or the device does not know the fault. */
  fault: FaultSummary | null;
}

/** The people a work order's page names: its assignees, who completed and verified it, who recorded its work. */
function peopleNamed(order: WorkOrderItem, checklist: Checklist, labour: readonly LabourItem[], partsUsed: readonly PartUsed[]): Set<string> {
  const ids = new Set<string>();
  const add = (id: string | null) => {
    if (id !== null) ids.add(id);
  };
  for (const a of order.assignees) if (a.kind === 'person') add(a.userId);
  add(order.completedBy);
  add(order.verifiedBy);
  for (const r of checklist.results) add(r.recordedBy);
  for (const l of labour) add(l.personId);
  for (const p of partsUsed) add(p.recordedBy);
  return ids;
}

/**
 * Reads the page of the order `id` in one read transaction; null when the device knows no such
 * order. A membership row's id is its person's user id (crates/app/src/accounts/users.rs), so
 * people are read by id.
 */
export function readWorkOrderView(db: SyncDatabase, id: string): Promise<WorkOrderView | null> {
  return db.transaction('r', db.rows, db.outbox, async () => {
    const read = await readWorkOrder(db, id);
    if (read === null) return null;
    const { order, item, writes } = read;
    // An order only on this device whose item has not synced has no vessel, and no rows yet.
    const scope = order.vesselId === null ? null : vesselScope(order.vesselId);
    const ofOrder = (entity: string) => (scope === null ? [] : workOrderRowsIn(db, scope, entity, order.id));
    const faultId = order.origin.kind === 'fault' ? order.origin.faultId : null;
    const [resultRows, labourRows, entryRows, locationRows, departmentRows, faultRow] = await Promise.all([
      ofOrder(ENTITY.stepResult),
      ofOrder(ENTITY.labourEntry),
      ofOrder(ENTITY.stockEntry),
      scope === null ? [] : db.rows.where('[scope+entity]').equals([scope, ENTITY.stockLocation]).toArray(),
      replicaRowsById(db, ENTITY.department, order.assignees.flatMap((a) => (a.kind === 'department' ? [a.departmentId] : []))),
      faultId === null ? undefined : replicaRowById(db, ENTITY.fault, faultId),
    ]);
    const checklist = checklistOf(order.id, order.steps, resultRows, writes);
    const labour = labourOf(order.id, labourRows, writes);
    const partsUsed = partsUsedOf(order.id, entryRows, writes);
    const [memberRows, partRows] = await Promise.all([
      replicaRowsById(db, ENTITY.membership, peopleNamed(order, checklist, labour, partsUsed)),
      replicaRowsById(db, ENTITY.part, partsUsed.map((p) => p.partId).filter((p) => p !== '')),
    ]);
    return {
      order,
      item: item ? itemSummaryOf(item) : null,
      checklist,
      labour,
      partsUsed,
      parts: new Map(catalogue(partRows, writes).map((p) => [p.id, p])),
      locationPaths: new Map(order.vesselId === null ? [] : vesselLocations(order.vesselId, locationRows, writes).map((l) => [l.id, l.path])),
      people: peopleNamesOf(memberRows),
      departments: departmentNamesOf(departmentRows),
      fault: faultId === null ? null : faultSummaryOf(faultId, faultRow, writes),
    };
  });
}

/** The page of the order `id`, kept live; null when the device knows no such order, undefined while loading. */
export function useWorkOrderView(id: string): WorkOrderView | null | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery(async () => (db ? readWorkOrderView(db, id) : undefined), [db, id]);
}

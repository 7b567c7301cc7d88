/**
 * Requisitions seen from elsewhere: the parts a vessel has asked for already (so its stock page
 * offers no second reorder), the `raise_requisition.v1` args of a reorder, and the requisitions
 * raised for one fault or one work order (listed under their pages).
 */
import { formatQuantity, type Thousandths } from '../../../components/quantity';
import type { JsonValue } from '../../../sync/checksum';
import type { Requisition, RequisitionStatus } from './purchasing';

/** The note every reorder from the stock page carries. */
export const REORDER_NOTE = 'Reorder: below minimum';

/** The statuses of a requisition still on its way: asked for, approved, ordered (goods to come). */
const OPEN: ReadonlySet<RequisitionStatus> = new Set(['requested', 'approved', 'ordered', 'partially_received']);

/**
 * Whether a requisition still stands for its part: open, or raised on this device and waiting
 * (listed "requested" until the server has it); one the server refused does not.
 */
export const isOpenRequisition = (r: Pick<Requisition, 'status' | 'refused'>) => !r.refused && OPEN.has(r.status);

/** The catalogue parts (lowercase ids) with an open requisition on the vessel. */
export function requestedParts(requisitions: readonly Requisition[], vesselId: string): Set<string> {
  const vessel = vesselId.toLowerCase();
  const parts = new Set<string>();
  for (const r of requisitions) {
    if (r.vesselId === vessel && r.partId !== null && isOpenRequisition(r)) parts.add(r.partId);
  }
  return parts;
}

/** The `raise_requisition.v1` args of a reorder: the part, the vessel, the quantity as decimal text. */
export function reorderArgs(id: string, vesselId: string, partId: string, quantity: Thousandths): Record<string, JsonValue> {
  return {
    id,
    vessel_id: vesselId.toLowerCase(),
    part_id: partId.toLowerCase(),
    quantity: formatQuantity(quantity),
    note: REORDER_NOTE,
  };
}

/** The requisitions raised for a fault or a work order, newest first (as `requisitions` comes). */
export function requisitionsFor(
  requisitions: readonly Requisition[],
  link: { faultId: string } | { workOrderId: string },
): Requisition[] {
  if ('faultId' in link) {
    const id = link.faultId.toLowerCase();
    return requisitions.filter((r) => r.faultId === id);
  }
  const id = link.workOrderId.toLowerCase();
  return requisitions.filter((r) => r.workOrderId === id);
}

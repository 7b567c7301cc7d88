/**
 * Children linked to their parent's meter (issue 12 §2): an item that runs only while its parent
 * runs (a pump driven by its engine) can count the parent's running hours instead of a meter of
 * its own. The replica holds each link as a `meter_link` row (the vessel's scope, the child's id;
 * a `delete` when unlinked); this lays the person's `link_meter.v1` and `unlink_meter.v1` still
 * in the outbox over it, so a link made offline shows at once and an unlink made offline hides
 * it, in the order they were made. A refused write changes nothing and stays listed with its
 * refusal until dismissed.
 *
 * The server's rules (crates/app/src/fleet/equipment/meters.rs), said before anything is sent:
 * only an item under another can be linked (`no_parent`), the parent must have running hours
 * (`parent_has_no_meter`; a reading of the parent still on this device counts, since it is sent
 * first), a decommissioned item is not linked (`decommissioned`), and a linked item takes no
 * reading of its own (`meter_linked`: its readings come from the parent's).
 */
import { useMemo } from 'react';

import type { EquipmentDetailView, MeterLinkView } from '../../../api/types';
import { fieldsOf, numberOf, textOf, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import type { StoredRow } from '../../../sync/database';
import { ENTITY, vesselScope } from '../../../sync/entities';
import { useReplicaRowsWhere } from '../../../sync/replica-queries';
import { useReplicaReady } from '../../../sync/use-sync-state';

/** Links an item to its parent's meter. */
export const LINK_METER = 'link_meter.v1';
/** Ends an item's link to its parent's meter. */
export const UNLINK_METER = 'unlink_meter.v1';

/** A link as the page shows it: confirmed by the server, or only made on this device. */
export interface ShownMeterLink {
  /** The child, lowercase. */
  equipmentId: string;
  /** The parent whose meter it counts, lowercase. */
  parentId: string;
  /**
   * The child's and the parent's totals when the server made the link; null while the link is
   * only on this device (the server takes both totals when it applies the link).
   */
  childBase: number | null;
  parentBase: number | null;
  /** When it was linked (for one on this device, when it was linked here). */
  linkedAt: string;
  /** The waiting `link_meter.v1` that made it, while only on this device. */
  pending: PendingWrite | null;
}

/** An item's link with the outbox laid over it. */
export interface MeterLinkState {
  /** The link as it stands on this device; null when the item keeps a meter of its own. */
  link: ShownMeterLink | null;
  /** Its link and unlink writes not yet accepted, oldest first, refused ones included. */
  writes: PendingWrite[];
}

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;

/** The link a `meter_link` row or the API's `meter_link` states, confirmed. */
export function confirmedLink(view: Pick<MeterLinkView, 'equipment_id' | 'parent_id' | 'child_base' | 'parent_base' | 'linked_at'>): ShownMeterLink {
  return {
    equipmentId: view.equipment_id.toLowerCase(),
    parentId: view.parent_id.toLowerCase(),
    childBase: view.child_base,
    parentBase: view.parent_base,
    linkedAt: view.linked_at,
    pending: null,
  };
}

/** A replica `meter_link` row in the API's shape; null when a field is missing. */
export function linkFromRow(row: StoredRow): MeterLinkView | null {
  const f = fieldsOf(row);
  const equipmentId = textOf(f, 'equipment_id') ?? textOf(f, 'id');
  const parentId = textOf(f, 'parent_id');
  const childBase = numberOf(f, 'child_base');
  const parentBase = numberOf(f, 'parent_base');
  const linkedAt = textOf(f, 'linked_at');
  if (equipmentId === null || parentId === null || childBase === null || parentBase === null || linkedAt === null) return null;
  return {
    equipment_id: equipmentId,
    parent_id: parentId,
    child_base: childBase,
    parent_base: parentBase,
    linked_by: textOf(f, 'linked_by') ?? '',
    linked_at: linkedAt,
  };
}

/** Whether `w` links or unlinks the item `equipmentId`. */
export function isMeterLinkWrite(w: PendingWrite, equipmentId: string): boolean {
  if (w.name !== LINK_METER && w.name !== UNLINK_METER) return false;
  const on = w.args.equipment_id;
  return typeof on === 'string' && on.toLowerCase() === equipmentId.toLowerCase();
}

/**
 * The item's link as it stands on this device: `confirmed` (the replica's or the API's), then
 * each of its waiting writes in the order they were made — a link where there was none (to
 * `parentId`, the item's parent now), an unlink taking it away. Linking twice keeps the first
 * link, as the server does; a refused write changes nothing.
 */
export function meterLinkOf(
  equipmentId: string,
  parentId: string | null,
  confirmed: ShownMeterLink | null,
  writes: readonly PendingWrite[],
): MeterLinkState {
  const own = writes.filter((w) => isMeterLinkWrite(w, equipmentId));
  let link = confirmed;
  for (const w of own) {
    if (w.state === 'rejected') continue;
    if (w.name === UNLINK_METER) {
      link = null;
    } else if (link === null && parentId !== null) {
      link = {
        equipmentId: equipmentId.toLowerCase(),
        parentId: parentId.toLowerCase(),
        childBase: null,
        parentBase: null,
        linkedAt: new Date(w.queuedAt).toISOString(),
        pending: w,
      };
    }
  }
  return { link, writes: own };
}

/**
 * The running hours a linked child reaches once the parent's total is `parentTotal`, as the
 * server gives it (`linked_child_hours`): its hours when linked plus what the parent ran since;
 * null for a link the server has not made yet (it takes both totals then).
 */
export function linkedChildHours(link: ShownMeterLink, parentTotal: number): number | null {
  if (link.childBase === null || link.parentBase === null) return null;
  return link.childBase + Math.max(0, parentTotal - link.parentBase);
}

/** The item's link, with the outbox over it. */
export function useMeterLink(item: Pick<EquipmentDetailView, 'id' | 'parent_id' | 'meter_link'>): MeterLinkState {
  const writes = usePendingWrites();
  return useMemo(
    () => meterLinkOf(item.id, item.parent_id ?? null, item.meter_link ? confirmedLink(item.meter_link) : null, writes ?? []),
    [item.id, item.parent_id, item.meter_link, writes],
  );
}

/** A child of an item counting the item's running hours. */
export interface LinkedChild {
  /** Lowercase. */
  id: string;
  name: string;
  link: ShownMeterLink;
}

/**
 * The items whose link names `parentId` once the writes are laid over `links` (the vessel's
 * `meter_link` rows naming it) and `children` (its child items, which a waiting link names by
 * their parent), by name.
 */
export function linkedChildrenOf(
  parentId: string,
  children: readonly StoredRow[],
  links: readonly StoredRow[],
  writes: readonly PendingWrite[],
): LinkedChild[] {
  const parent = parentId.toLowerCase();
  const names = new Map<string, string>();
  const parentOf = new Map<string, string | null>();
  for (const row of children) {
    const f = fieldsOf(row);
    names.set(row.id, textOf(f, 'name') ?? 'An item');
    parentOf.set(row.id, lower(textOf(f, 'parent_id')));
  }
  const confirmed = new Map<string, ShownMeterLink>();
  for (const row of links) {
    const view = linkFromRow(row);
    if (view) confirmed.set(row.id, confirmedLink(view));
  }
  const shown: LinkedChild[] = [];
  for (const id of new Set([...names.keys(), ...confirmed.keys()])) {
    const { link } = meterLinkOf(id, parentOf.get(id) ?? null, confirmed.get(id) ?? null, writes);
    if (link?.parentId === parent) shown.push({ id, name: names.get(id) ?? 'An item', link });
  }
  return shown.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The item's children counting its running hours, from the replica with the outbox laid over
 * it; undefined before the first sync (the API does not list them) and while loading.
 */
export function useLinkedChildren(item: Pick<EquipmentDetailView, 'id' | 'vessel_id'>): LinkedChild[] | undefined {
  const ready = useReplicaReady() === 'ready';
  const scope = vesselScope(item.vessel_id);
  const id = item.id.toLowerCase();
  const children = useReplicaRowsWhere(ENTITY.equipment, scope, 'parent_id', id);
  const links = useReplicaRowsWhere(ENTITY.meterLink, scope, 'parent_id', id);
  const writes = usePendingWrites();
  return useMemo(() => {
    if (!ready || children === undefined || links === undefined || writes === undefined) return undefined;
    return linkedChildrenOf(id, children, links, writes);
  }, [ready, id, children, links, writes]);
}

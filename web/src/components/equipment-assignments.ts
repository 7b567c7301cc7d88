/**
 * Equipment assignments as the device knows them (land fleets: plant at a site or project): the
 * replica's `assignment` rows (scope `vessel:{id}`, the item's site) with this person's
 * `assign_equipment.v1`, `answer_assignment.v1` and `cancel_assignment.v1` still in the outbox
 * laid over them, so a booking made, accepted, declined or cancelled offline shows at once; a
 * refused write counts for nothing. Shared by the assignments pages, the dashboard's "Waiting for
 * your answer" card and the navigation's count (a feature never imports another).
 *
 * An assignment's period is half-open, `[starts_at, ends_at)`: back-to-back bookings do not
 * overlap. Proposed and accepted assignments hold the item; declined and cancelled ones
 * release it.
 */
import { useMemo } from 'react';

import type { JsonValue } from '../sync/checksum';
import type { StoredRow } from '../sync/database';
import { ENTITY } from '../sync/entities';
import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from './local-writes';

/** The mutators of an assignment. */
export const ASSIGN_EQUIPMENT = 'assign_equipment.v1';
export const ANSWER_ASSIGNMENT = 'answer_assignment.v1';
export const CANCEL_ASSIGNMENT = 'cancel_assignment.v1';

export const ASSIGNMENT_STATUSES = ['proposed', 'accepted', 'declined', 'cancelled'] as const;
/** Where an assignment stands. */
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** Whether an assignment of this status holds its item for its period. */
export const holdsItem = (status: AssignmentStatus) => status === 'proposed' || status === 'accepted';

/** One assignment, confirmed or only on this device. */
export interface Assignment {
  /** Lowercase. */
  id: string;
  /** The item's site (its scope); null while the device does not know the item. */
  vesselId: string | null;
  equipmentId: string;
  operatorId: string;
  /** RFC 3339, the first instant inside. */
  startsAt: string;
  /** RFC 3339, the first instant after. */
  endsAt: string;
  note: string;
  /** As this device's waiting answers and cancellations leave it. */
  status: AssignmentStatus;
  declineReason: string | null;
  /** Null for one made on this device and not yet accepted (the person signed in made it). */
  assignedBy: string | null;
  answeredAt: string | null;
  cancelledBy: string | null;
  /** The replica's version; null while only its creation is queued. */
  version: number | null;
  /** Writes on it not yet accepted, oldest first (its own creation included). */
  pending: PendingWrite[];
  /** Made on this device and refused by the server: it holds nothing. */
  refused: boolean;
}

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;
const oneOf = <T extends string>(values: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (values as readonly string[]).includes(v) ? (v as T) : fallback;

function fromFields(f: Record<string, JsonValue>, version: number | null): Assignment {
  return {
    id: lower(textOf(f, 'id')) ?? '',
    vesselId: lower(textOf(f, 'vessel_id')),
    equipmentId: lower(textOf(f, 'equipment_id')) ?? '',
    operatorId: lower(textOf(f, 'operator_id')) ?? '',
    startsAt: textOf(f, 'starts_at') ?? '',
    endsAt: textOf(f, 'ends_at') ?? '',
    note: textOf(f, 'note') ?? '',
    status: oneOf(ASSIGNMENT_STATUSES, textOf(f, 'status'), 'proposed'),
    declineReason: textOf(f, 'decline_reason'),
    assignedBy: lower(textOf(f, 'assigned_by')),
    answeredAt: textOf(f, 'answered_at'),
    cancelledBy: lower(textOf(f, 'cancelled_by')),
    version,
    pending: [],
    refused: false,
  };
}

/** The assignment a waiting write is about, if it is one of the assignment mutators. */
export function assignmentIdOf(write: PendingWrite): string | null {
  const v =
    write.name === ASSIGN_EQUIPMENT
      ? write.args.id
      : write.name === ANSWER_ASSIGNMENT || write.name === CANCEL_ASSIGNMENT
        ? write.args.assignment_id
        : null;
  return typeof v === 'string' ? v.toLowerCase() : null;
}

/**
 * Every assignment the device knows: the replica's rows, then those made here still waiting,
 * each with its waiting writes and the answers and cancellations among them applied (in the
 * order they were made, as the server will apply them). `siteOf` names each item's site (its
 * `vessel_id`) for a booking made here.
 */
export function assignmentsOf(
  rows: readonly StoredRow[],
  writes: readonly PendingWrite[],
  siteOf: ReadonlyMap<string, string | null> = new Map(),
): Assignment[] {
  const byId = new Map<string, Assignment>();
  for (const row of rows) {
    const a = fromFields({ ...fieldsOf(row), id: row.id }, row.version);
    byId.set(a.id, a);
  }
  for (const w of writes) {
    const id = assignmentIdOf(w);
    if (id === null) continue;
    if (w.name === ASSIGN_EQUIPMENT && !byId.has(id)) {
      const made = fromFields({ ...w.args, id, status: 'proposed' }, null);
      made.vesselId = siteOf.get(made.equipmentId) ?? null;
      made.refused = w.state === 'rejected';
      byId.set(id, made);
    }
    const a = byId.get(id);
    if (!a) continue;
    a.pending.push(w);
    if (w.state === 'rejected' || a.refused) continue;
    if (w.name === ANSWER_ASSIGNMENT && a.status === 'proposed') {
      const accept = w.args.accept === true;
      a.status = accept ? 'accepted' : 'declined';
      const reason = textOf(w.args, 'reason')?.trim() ?? '';
      a.declineReason = accept || reason === '' ? null : reason;
      a.answeredAt = new Date(w.queuedAt).toISOString();
    } else if (w.name === CANCEL_ASSIGNMENT && holdsItem(a.status)) {
      a.status = 'cancelled';
    }
  }
  return [...byId.values()];
}

/** Whether it holds its item: proposed or accepted, and not a booking the server refused. */
export const isHeld = (a: Pick<Assignment, 'status' | 'refused'>) => !a.refused && holdsItem(a.status);

/** The proposals waiting for `userId`'s answer, the soonest first. */
export function waitingForAnswer(assignments: readonly Assignment[], userId: string): Assignment[] {
  const me = userId.toLowerCase();
  return assignments
    .filter((a) => a.operatorId === me && a.status === 'proposed' && !a.refused)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}

/** Each item's site by item id, from `equipment` rows. */
export const sitesOfItems = (equipment: readonly StoredRow[]): Map<string, string | null> =>
  new Map(equipment.map((e) => [e.id, lower(textOf(fieldsOf(e), 'vessel_id'))]));

/** Every assignment the device knows; undefined while loading. */
export function useAssignments(): Assignment[] | undefined {
  const rows = useEntityRows(ENTITY.assignment);
  const equipment = useEntityRows(ENTITY.equipment);
  const writes = usePendingWrites();
  return useMemo(
    () => (rows && equipment && writes ? assignmentsOf(rows, writes, sitesOfItems(equipment)) : undefined),
    [rows, equipment, writes],
  );
}

/**
 * The proposals waiting for `userId`'s answer, updated live as syncs and answers change them;
 * undefined while loading. Reads no equipment: the count needs none.
 */
export function useAnswersWaiting(userId: string): Assignment[] | undefined {
  const rows = useEntityRows(ENTITY.assignment);
  const writes = usePendingWrites();
  return useMemo(() => (rows && writes ? waitingForAnswer(assignmentsOf(rows, writes), userId) : undefined), [rows, writes, userId]);
}

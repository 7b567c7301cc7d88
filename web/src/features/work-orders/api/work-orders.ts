/**
 * Work orders as the device knows them: the confirmed replica's `work_order` rows and those
 * created here still in the outbox (`create_work_order.v1`, read from its arguments so an order
 * made offline shows at once, "on this device"), with the edits waiting on them
 * (`update_work_order.v1`, the editable fields replaced whole) laid over what the replica says;
 * a refused edit counts for nothing. Each order carries the writes on it not yet accepted, the
 * status this device's waiting moves lead to, and whether it is the person's own work
 * (assigned to them or to one of their departments on the vessel).
 *
 * The work list reads every order (`useWorkOrders`); one order is read by id (`readWorkOrder`:
 * its row, its item and the outbox, not the others').
 *
 * The server's shape is read defensively: a field of the wrong type reads as absent, never as a
 * crash. Decimals (a step's limits) stay the strings the server sent (`quantity.ts` reads them).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';

import { fieldsOf, pendingWritesIn, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import type { JsonValue } from '../../../sync/checksum';
import type { StoredRow, SyncDatabase } from '../../../sync/database';
import { ENTITY } from '../../../sync/entities';
import { replicaRowById } from '../../../sync/replica-queries';
import { useSyncClient } from '../../../sync/sync-context';
import { assigneesOf, oneOf, PRIORITIES, stepsOf, type Assignee, type Priority, type Step } from '../../../components/checklist-steps';

// The checklist and assignees are the maintenance plans' too (`components/checklist-steps.ts`).
export {
  assigneesOf,
  PRIORITIES,
  SEVERITIES,
  STEP_KINDS,
  stepsOf,
  type Assignee,
  type ChoiceOption,
  type Priority,
  type Severity,
  type Step,
  type StepKind,
  type StepRule,
} from '../../../components/checklist-steps';

/** The mutators of a work order's lifecycle and work. */
export const CREATE_WORK_ORDER = 'create_work_order.v1';
export const UPDATE_WORK_ORDER = 'update_work_order.v1';
export const START_WORK_ORDER = 'start_work_order.v1';
export const HOLD_WORK_ORDER = 'hold_work_order.v1';
export const RECORD_STEP_RESULT = 'record_step_result.v1';
export const LOG_LABOUR = 'log_labour.v1';
export const COMPLETE_WORK_ORDER = 'complete_work_order.v1';
export const VERIFY_WORK_ORDER = 'verify_work_order.v1';
export const CANCEL_WORK_ORDER = 'cancel_work_order.v1';
/** `issue_part.v1` is stock's too (`components/stock-levels.ts`). */
export { ISSUE_PART } from '../../../components/stock-levels';

export const WORK_ORDER_STATUSES = ['open', 'in_progress', 'on_hold', 'done', 'verified', 'cancelled'] as const;
/** Where a work order stands. */
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** Where a work order came from. */
export type Origin =
  | { kind: 'manual' }
  | { kind: 'fault'; faultId: string }
  | { kind: 'plan'; planId: string; occurrence: number }
  | { kind: 'follow_up'; workOrderId: string; stepId: string };

/** The completion signature. */
export interface Signature {
  name: string;
  imageId: string;
  signedAt: string | null;
}

/** One work order, confirmed or only on this device. */
export interface WorkOrderItem {
  /** Lowercase. */
  id: string;
  vesselId: string | null;
  equipmentId: string;
  origin: Origin;
  title: string;
  description: string;
  priority: Priority;
  assignees: Assignee[];
  /** `YYYY-MM-DD`. */
  dueOn: string | null;
  estimatedMinutes: number | null;
  steps: Step[];
  signatureRequired: boolean;
  /** As the replica (or the queued creation) says. */
  status: WorkOrderStatus;
  startedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  signature: Signature | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  createdAt: string | null;
  /** The replica's version; null while only its creation is queued. */
  version: number | null;
  /** Writes on this order not yet accepted, oldest first (its own creation included). */
  pending: PendingWrite[];
}

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;
const isObject = (v: JsonValue | undefined): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);
const textIn = (v: JsonValue | undefined, name: string): string | null => {
  if (!isObject(v)) return null;
  const t = v[name];
  return typeof t === 'string' ? t : null;
};

function originOf(v: JsonValue | undefined): Origin {
  const kind = textIn(v, 'kind');
  if (isObject(v)) {
    const faultId = lower(textIn(v, 'fault_id'));
    if (kind === 'fault' && faultId) return { kind, faultId };
    const planId = lower(textIn(v, 'plan_id'));
    if (kind === 'plan' && planId) return { kind, planId, occurrence: typeof v.occurrence === 'number' ? v.occurrence : 0 };
    const workOrderId = lower(textIn(v, 'work_order_id'));
    if (kind === 'follow_up' && workOrderId) return { kind, workOrderId, stepId: lower(textIn(v, 'step_id')) ?? '' };
  }
  return { kind: 'manual' };
}

function signatureOf(v: JsonValue | undefined): Signature | null {
  const name = textIn(v, 'name');
  const imageId = lower(textIn(v, 'image_id'));
  return name !== null && imageId !== null ? { name, imageId, signedAt: textIn(v, 'signed_at') } : null;
}

function fromFields(f: Record<string, JsonValue>, version: number | null): WorkOrderItem {
  const minutes = f.estimated_minutes;
  return {
    id: lower(textOf(f, 'id')) ?? '',
    vesselId: lower(textOf(f, 'vessel_id')),
    equipmentId: lower(textOf(f, 'equipment_id')) ?? '',
    origin: originOf(f.origin),
    title: textOf(f, 'title') ?? '',
    description: textOf(f, 'description') ?? '',
    priority: oneOf(PRIORITIES, textOf(f, 'priority'), 'normal'),
    assignees: assigneesOf(f.assignees),
    dueOn: textOf(f, 'due_on'),
    estimatedMinutes: typeof minutes === 'number' && Number.isSafeInteger(minutes) ? minutes : null,
    steps: stepsOf(f.steps),
    signatureRequired: f.signature_required === true,
    status: oneOf(WORK_ORDER_STATUSES, textOf(f, 'status'), 'open'),
    startedAt: textOf(f, 'started_at'),
    completedAt: textOf(f, 'completed_at'),
    completedBy: lower(textOf(f, 'completed_by')),
    signature: signatureOf(f.signature),
    verifiedAt: textOf(f, 'verified_at'),
    verifiedBy: lower(textOf(f, 'verified_by')),
    cancelledAt: textOf(f, 'cancelled_at'),
    cancelReason: textOf(f, 'cancel_reason'),
    createdAt: textOf(f, 'created_at'),
    version,
    pending: [],
  };
}

/**
 * The fields an edit replaces, laid over `order` from its arguments: the edit sends the whole
 * set, so what it names is what the order will be (a field it lacks keeps the order's value).
 */
function withEdit(order: WorkOrderItem, a: Record<string, JsonValue>): WorkOrderItem {
  const minutes = a.estimated_minutes;
  return {
    ...order,
    title: textOf(a, 'title') ?? order.title,
    description: textOf(a, 'description') ?? order.description,
    priority: oneOf(PRIORITIES, textOf(a, 'priority'), order.priority),
    assignees: 'assignees' in a ? assigneesOf(a.assignees) : order.assignees,
    dueOn: 'due_on' in a ? textOf(a, 'due_on') : order.dueOn,
    estimatedMinutes: 'estimated_minutes' in a ? (typeof minutes === 'number' && Number.isSafeInteger(minutes) ? minutes : null) : order.estimatedMinutes,
    signatureRequired: typeof a.signature_required === 'boolean' ? a.signature_required : order.signatureRequired,
  };
}

/** Whether a write is an edit of a work order's fields. */
export const isEdit = (w: PendingWrite) => w.name === UPDATE_WORK_ORDER;

/** The work order a pending write is about, if it is one of the work order mutators. */
export function workOrderIdOf(write: PendingWrite): string | null {
  const v = write.name === CREATE_WORK_ORDER ? write.args.id : write.args.work_order_id;
  return typeof v === 'string' ? v.toLowerCase() : null;
}

/** A work order created on this device and not yet in the replica, from its arguments. */
function fromCreation(write: PendingWrite, vesselOf: ReadonlyMap<string, string | null>): WorkOrderItem {
  const a = write.args;
  const faultId = typeof a.fault_id === 'string' ? a.fault_id : null;
  const item = fromFields(
    {
      ...a,
      origin: faultId ? { kind: 'fault', fault_id: faultId } : { kind: 'manual' },
      status: 'open',
      created_at: new Date(write.queuedAt).toISOString(),
    },
    null,
  );
  item.vesselId = vesselOf.get(item.equipmentId) ?? null;
  return item;
}

/**
 * Every work order the device knows of: the replica's rows, then the creations still waiting
 * (a refused one too, with its refusal, until dismissed), each with its waiting writes and the
 * edits among them applied in order (not a refused one).
 */
export function workOrdersOf(rows: readonly StoredRow[], equipment: readonly StoredRow[], writes: readonly PendingWrite[]): WorkOrderItem[] {
  const byId = new Map<string, WorkOrderItem>();
  for (const row of rows) {
    const item = fromFields({ id: row.id, ...fieldsOf(row) }, row.version);
    byId.set(item.id, item);
  }
  const vesselOf = new Map(equipment.map((e) => [e.id, lower(textOf(fieldsOf(e), 'vessel_id'))]));
  for (const w of writes) {
    const id = workOrderIdOf(w);
    if (id === null) continue;
    if (w.name === CREATE_WORK_ORDER && !byId.has(id)) byId.set(id, fromCreation(w, vesselOf));
    const order = byId.get(id);
    if (!order) continue;
    order.pending.push(w);
    if (w.name === UPDATE_WORK_ORDER && w.state !== 'rejected') byId.set(id, withEdit(order, w.args));
  }
  return [...byId.values()];
}

/**
 * Moves of the lifecycle (crates/domain/src/work_order.rs `check_transition`): open → in
 * progress ⇄ on hold; in progress → done → verified; open, in progress or on hold → cancelled.
 */
export function canMove(from: WorkOrderStatus, to: WorkOrderStatus): boolean {
  switch (to) {
    case 'in_progress':
      return from === 'open' || from === 'on_hold';
    case 'on_hold':
      return from === 'in_progress';
    case 'done':
      return from === 'in_progress';
    case 'verified':
      return from === 'done';
    case 'cancelled':
      return from === 'open' || from === 'in_progress' || from === 'on_hold';
    default:
      return false;
  }
}

const MOVE_TO: Record<string, WorkOrderStatus> = {
  [START_WORK_ORDER]: 'in_progress',
  [HOLD_WORK_ORDER]: 'on_hold',
  [COMPLETE_WORK_ORDER]: 'done',
  [VERIFY_WORK_ORDER]: 'verified',
  [CANCEL_WORK_ORDER]: 'cancelled',
};

/** Whether a write moves a work order along its lifecycle. */
export const isMove = (w: PendingWrite) => w.name in MOVE_TO;

/**
 * The status the order will have once the server applies this device's waiting moves, in
 * order: the actions offered follow from it, so a move already queued is not offered again. A
 * refused move counts for nothing, and one the order has already made (the server applied it
 * and the replica shows it) is not applied twice.
 */
export function expectedStatus(order: Pick<WorkOrderItem, 'status' | 'pending'>): WorkOrderStatus {
  let status = order.status;
  for (const w of order.pending) {
    const to = MOVE_TO[w.name];
    if (to === undefined || w.state === 'rejected') continue;
    if (canMove(status, to)) status = to;
  }
  return status;
}

/** Whether work (answers, labour, parts) may be recorded on an order in `status`. */
export const isWorkable = (status: WorkOrderStatus) => status === 'in_progress' || status === 'on_hold';

/** Whether an order in `status` still needs doing. */
export const isToDo = (status: WorkOrderStatus) => status === 'open' || status === 'in_progress' || status === 'on_hold';

/** Whether an order in `status` may be edited: the server refuses a done, verified or cancelled one (`work_order_closed`). */
export const isEditable = (status: WorkOrderStatus) => isToDo(status);

/**
 * Whether `userId` completed the order (as the replica says, or by a completion still on this
 * device): they do not verify it (`own_work`).
 */
export function isCompletedBy(order: WorkOrderItem, userId: string): boolean {
  const me = userId.toLowerCase();
  if (order.completedBy === me) return true;
  return order.pending.some((w) => w.name === COMPLETE_WORK_ORDER && w.state !== 'rejected');
}

/** Whether the order is assigned to the person or to one of their departments. */
export function isMine(order: Pick<WorkOrderItem, 'assignees'>, userId: string, departmentIds: ReadonlySet<string>): boolean {
  const me = userId.toLowerCase();
  return order.assignees.some((a) => (a.kind === 'person' ? a.userId === me : departmentIds.has(a.departmentId)));
}

/** Today on this device, `YYYY-MM-DD` (due dates are days, not moments). */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whether an order still to do is past its due day. */
export function isOverdue(order: Pick<WorkOrderItem, 'dueOn'>, status: WorkOrderStatus, on: string = today()): boolean {
  return order.dueOn !== null && isToDo(status) && order.dueOn < on;
}

const RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Most pressing first: priority, then the earliest due day (undated last), then the newest. */
export function byUrgency(a: WorkOrderItem, b: WorkOrderItem): number {
  return (
    RANK[a.priority] - RANK[b.priority] ||
    (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') ||
    (b.createdAt ?? '').localeCompare(a.createdAt ?? '') ||
    a.id.localeCompare(b.id)
  );
}

/** Every work order the device knows of; undefined while loading. */
export function useWorkOrders(): WorkOrderItem[] | undefined {
  const rows = useEntityRows(ENTITY.workOrder);
  const equipment = useEntityRows(ENTITY.equipment);
  const writes = usePendingWrites();
  return useMemo(() => (rows && equipment && writes ? workOrdersOf(rows, equipment, writes) : undefined), [rows, equipment, writes]);
}

/**
 * The order `id` as `workOrdersOf` gives it among all the others, from its replica row (if any),
 * its item's row (which gives an order only on this device its vessel) and the writes waiting;
 * null when neither the row nor a creation waiting knows it.
 */
export function workOrderOf(id: string, row: StoredRow | undefined, item: StoredRow | undefined, writes: readonly PendingWrite[]): WorkOrderItem | null {
  const orderId = id.toLowerCase();
  const own = writes.filter((w) => workOrderIdOf(w) === orderId);
  return workOrdersOf(row ? [row] : [], item ? [item] : [], own).find((o) => o.id === orderId) ?? null;
}

/** One work order read by id, with what was read on the way. */
export interface WorkOrderRead {
  order: WorkOrderItem;
  /** Its item's `equipment` row, if the replica holds it. */
  item: StoredRow | undefined;
  /** Every write waiting on this device (read once, for the caller's other rows too). */
  writes: PendingWrite[];
}

/**
 * Reads the order `id` alone: its row by id, the outbox, then its item by id; null when the
 * device knows no such order. Run it inside a read transaction over `rows` and `outbox` so the
 * three agree.
 */
export async function readWorkOrder(db: SyncDatabase, id: string): Promise<WorkOrderRead | null> {
  const orderId = id.toLowerCase();
  const [row, writes] = await Promise.all([replicaRowById(db, ENTITY.workOrder, orderId), pendingWritesIn(db)]);
  const found = workOrderOf(orderId, row, undefined, writes);
  if (found === null) return null;
  const item = found.equipmentId === '' ? undefined : await replicaRowById(db, ENTITY.equipment, found.equipmentId);
  return { order: item ? (workOrderOf(orderId, row, item, writes) ?? found) : found, item, writes };
}

/** One work order, read by id; null when the device knows no such order, undefined while loading. */
export function useWorkOrder(id: string): WorkOrderItem | null | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery(
    async () => (db ? db.transaction('r', db.rows, db.outbox, async () => (await readWorkOrder(db, id))?.order ?? null) : undefined),
    [db, id],
  );
}

/**
 * The departments the person belongs to on their vessels: the `department_id` of their
 * `vessel_member` rows (one per vessel whose rotation they are on).
 */
export function departmentsOf(members: readonly StoredRow[], userId: string): Set<string> {
  const me = userId.toLowerCase();
  const departments = new Set<string>();
  for (const row of members) {
    const f = fieldsOf(row);
    const department = lower(textOf(f, 'department_id'));
    if (lower(textOf(f, 'user_id')) === me && department) departments.add(department);
  }
  return departments;
}

/** The person's departments; undefined while loading. */
export function useMyDepartments(userId: string): Set<string> | undefined {
  const members = useEntityRows(ENTITY.vesselMember);
  return useMemo(() => members && departmentsOf(members, userId), [members, userId]);
}

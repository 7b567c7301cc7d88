/**
 * Maintenance plans as the device knows them: the replica's `maintenance_plan` rows and those
 * created here still in the outbox (`create_maintenance_plan.v1`, read from its arguments with
 * its first due worked out on the device, so a plan made offline shows at once, "on this
 * device"), with the edits (`update_maintenance_plan.v1`) and postponements (`postpone_plan.v1`)
 * waiting on them laid over what the replica says: a waiting postponement of the current
 * occurrence moves its due day or hours as the server will. A refused write counts for nothing.
 * Each plan's postponements are the `plan_postponement` rows (insert-only evidence) and the
 * waiting ones.
 *
 * The server's shape is read defensively: a field of the wrong type reads as absent.
 */
import { useMemo } from 'react';

import { assigneesOf, oneOf, PRIORITIES, stepsOf, type Assignee, type Priority, type Step } from '../../../components/checklist-steps';
import { fieldsOf, numberOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import type { JsonValue } from '../../../sync/checksum';
import type { StoredRow } from '../../../sync/database';
import { ENTITY } from '../../../sync/entities';
import { criteriaOf, firstDue, type Criterion } from './criteria';

/** The mutators of a plan. */
export const CREATE_MAINTENANCE_PLAN = 'create_maintenance_plan.v1';
export const UPDATE_MAINTENANCE_PLAN = 'update_maintenance_plan.v1';
export const POSTPONE_PLAN = 'postpone_plan.v1';

/** One postponement of an occurrence: its evidence, confirmed or waiting. */
export interface Postponement {
  /** Lowercase. */
  id: string;
  planId: string;
  occurrence: number;
  newDate: string | null;
  extraHours: number | null;
  reason: string;
  requestedBy: string | null;
  /** Null while only on this device (the approver is then the person signed in). */
  approvedBy: string | null;
  approvedAt: string | null;
  pending: PendingWrite | null;
}

/** One maintenance plan, confirmed or only on this device. */
export interface PlanItem {
  /** Lowercase. */
  id: string;
  vesselId: string | null;
  equipmentId: string;
  title: string;
  description: string;
  priority: Priority;
  criteria: Criterion[];
  startsOn: string;
  startHours: number | null;
  leadDays: number;
  steps: Step[];
  signatureRequired: boolean;
  estimatedMinutes: number | null;
  assignees: Assignee[];
  occurrence: number;
  lastDoneOn: string | null;
  lastDoneHours: number | null;
  /** The current occurrence's due day and hours, waiting postponements included. */
  dueOn: string | null;
  dueHours: number | null;
  createdBy: string | null;
  createdAt: string | null;
  /** The replica's version; null while only its creation is queued. */
  version: number | null;
  /** Writes on this plan not yet accepted, oldest first (its own creation included). */
  pending: PendingWrite[];
}

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;
const wholeOrNull = (v: JsonValue | undefined) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
const numberOrNull = (v: JsonValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The fields a plan's edit replaces, laid over `plan` from `args`. */
function withEdits(plan: PlanItem, f: Record<string, JsonValue>): PlanItem {
  return {
    ...plan,
    title: textOf(f, 'title') ?? plan.title,
    description: textOf(f, 'description') ?? plan.description,
    priority: oneOf(PRIORITIES, textOf(f, 'priority'), plan.priority),
    criteria: 'criteria' in f ? criteriaOf(f.criteria) : plan.criteria,
    startsOn: textOf(f, 'starts_on') ?? plan.startsOn,
    startHours: 'start_hours' in f ? numberOrNull(f.start_hours) : plan.startHours,
    leadDays: wholeOrNull(f.lead_days) ?? plan.leadDays,
    steps: 'steps' in f ? stepsOf(f.steps) : plan.steps,
    signatureRequired: 'signature_required' in f ? f.signature_required === true : plan.signatureRequired,
    estimatedMinutes: 'estimated_minutes' in f ? wholeOrNull(f.estimated_minutes) : plan.estimatedMinutes,
    assignees: 'assignees' in f ? assigneesOf(f.assignees) : plan.assignees,
  };
}

function fromFields(f: Record<string, JsonValue>, version: number | null): PlanItem {
  return {
    id: lower(textOf(f, 'id')) ?? '',
    vesselId: lower(textOf(f, 'vessel_id')),
    equipmentId: lower(textOf(f, 'equipment_id')) ?? '',
    title: textOf(f, 'title') ?? '',
    description: textOf(f, 'description') ?? '',
    priority: oneOf(PRIORITIES, textOf(f, 'priority'), 'normal'),
    criteria: criteriaOf(f.criteria),
    startsOn: textOf(f, 'starts_on') ?? '',
    startHours: numberOrNull(f.start_hours),
    leadDays: wholeOrNull(f.lead_days) ?? 14,
    steps: stepsOf(f.steps),
    signatureRequired: f.signature_required === true,
    estimatedMinutes: wholeOrNull(f.estimated_minutes),
    assignees: assigneesOf(f.assignees),
    occurrence: wholeOrNull(f.occurrence) ?? 0,
    lastDoneOn: textOf(f, 'last_done_on'),
    lastDoneHours: numberOrNull(f.last_done_hours),
    dueOn: textOf(f, 'due_on'),
    dueHours: numberOrNull(f.due_hours),
    createdBy: lower(textOf(f, 'created_by')),
    createdAt: textOf(f, 'created_at'),
    version,
    pending: [],
  };
}

/** The plan a pending write is about, if it is one of the plan mutators. */
export function planIdOf(write: PendingWrite): string | null {
  const v = write.name === CREATE_MAINTENANCE_PLAN ? write.args.id : write.name === UPDATE_MAINTENANCE_PLAN || write.name === POSTPONE_PLAN ? write.args.plan_id : null;
  return typeof v === 'string' ? v.toLowerCase() : null;
}

/** A plan created on this device and not yet in the replica, from its arguments. */
function fromCreation(write: PendingWrite, vesselOf: ReadonlyMap<string, string | null>): PlanItem {
  const plan = fromFields({ ...write.args, occurrence: 0, created_at: new Date(write.queuedAt).toISOString() }, null);
  plan.vesselId = vesselOf.get(plan.equipmentId) ?? null;
  const due = firstDue(plan.criteria, plan.startsOn, plan.startHours);
  return { ...plan, dueOn: due.dueOn, dueHours: due.dueHours };
}

/** A postponement row's or a waiting postponement's facts. */
function postponementOf(f: Record<string, JsonValue>, pending: PendingWrite | null): Postponement {
  return {
    id: lower(textOf(f, 'id')) ?? '',
    planId: lower(textOf(f, 'plan_id')) ?? '',
    occurrence: wholeOrNull(f.occurrence) ?? 0,
    newDate: textOf(f, 'new_date'),
    extraHours: numberOrNull(f.extra_hours),
    reason: textOf(f, 'reason') ?? '',
    requestedBy: lower(textOf(f, 'requested_by')),
    approvedBy: lower(textOf(f, 'approved_by')),
    approvedAt: textOf(f, 'approved_at'),
    pending,
  };
}

/**
 * Every postponement the device knows of, newest first: the waiting ones (refused ones too,
 * with their refusal, until dismissed), then the rows by approval.
 */
export function postponementsOf(rows: readonly StoredRow[], writes: readonly PendingWrite[]): Postponement[] {
  const confirmed = rows.map((r) => postponementOf({ id: r.id, ...fieldsOf(r) }, null));
  const held = new Set(confirmed.map((p) => p.id));
  const waiting = writes
    .filter((w) => w.name === POSTPONE_PLAN)
    .map((w) => postponementOf(w.args, w))
    .filter((p) => !held.has(p.id))
    .reverse();
  return [...waiting, ...confirmed.sort((a, b) => (b.approvedAt ?? '').localeCompare(a.approvedAt ?? '') || b.occurrence - a.occurrence)];
}

/**
 * Every plan the device knows of: the replica's rows, then the creations still waiting, each
 * with its waiting writes and the edits and postponements among them applied.
 */
export function plansOf(rows: readonly StoredRow[], equipment: readonly StoredRow[], writes: readonly PendingWrite[]): PlanItem[] {
  const byId = new Map<string, PlanItem>();
  for (const row of rows) {
    const plan = fromFields({ id: row.id, ...fieldsOf(row) }, row.version);
    byId.set(plan.id, plan);
  }
  const vesselOf = new Map(equipment.map((e) => [e.id, lower(textOf(fieldsOf(e), 'vessel_id'))]));
  for (const w of writes) {
    const id = planIdOf(w);
    if (id === null) continue;
    if (w.name === CREATE_MAINTENANCE_PLAN && !byId.has(id)) byId.set(id, fromCreation(w, vesselOf));
    const plan = byId.get(id);
    if (!plan) continue;
    plan.pending.push(w);
    if (w.state === 'rejected') continue;
    if (w.name === UPDATE_MAINTENANCE_PLAN) {
      const edited = withEdits(plan, w.args);
      // A plan still waiting to be created is due as its edited schedule says.
      const due = plan.version === null ? firstDue(edited.criteria, edited.startsOn, edited.startHours) : { dueOn: plan.dueOn, dueHours: plan.dueHours };
      byId.set(id, { ...edited, ...due });
    } else if (w.name === POSTPONE_PLAN && w.args.occurrence === plan.occurrence) {
      const newDate = textOf(w.args, 'new_date');
      const extra = numberOf(w.args, 'extra_hours');
      if (newDate !== null) plan.dueOn = newDate;
      if (extra !== null && plan.dueHours !== null) plan.dueHours += extra;
    }
  }
  return [...byId.values()];
}

/** Every plan the device knows of; undefined while loading. */
export function usePlans(): PlanItem[] | undefined {
  const rows = useEntityRows(ENTITY.maintenancePlan);
  const equipment = useEntityRows(ENTITY.equipment);
  const writes = usePendingWrites();
  return useMemo(() => (rows && equipment && writes ? plansOf(rows, equipment, writes) : undefined), [rows, equipment, writes]);
}

/** One plan; null when the device knows no such plan, undefined while loading. */
export function usePlan(id: string): PlanItem | null | undefined {
  const plans = usePlans();
  return plans === undefined ? undefined : (plans.find((p) => p.id === id.toLowerCase()) ?? null);
}

/** A plan's postponements, newest first; undefined while loading. */
export function usePostponements(planId: string): Postponement[] | undefined {
  const rows = useEntityRows(ENTITY.planPostponement);
  const writes = usePendingWrites();
  return useMemo(() => {
    if (!rows || !writes) return undefined;
    const id = planId.toLowerCase();
    return postponementsOf(rows, writes).filter((p) => p.planId === id);
  }, [rows, writes, planId]);
}

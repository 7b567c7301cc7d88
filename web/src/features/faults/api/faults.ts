/**
 * Faults as the device knows them: the confirmed replica's `fault` rows, and reports still in
 * the outbox (made from the `report_fault.v1` arguments, so a fault reported offline shows at
 * once, marked "on this device"). Each fault carries the writes on it not yet accepted, and the
 * version a new write names as its `base_version`.
 */
import { useMemo } from 'react';

import {
  fieldsOf,
  textOf,
  useEntityRows,
  usePendingWrites,
  type PendingWrite,
} from '../../../components/local-writes';
import { pendingFaultReports, REPORT_FAULT } from '../../../components/fault-reports';
import type { JsonValue } from '../../../sync/checksum';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const FAULT_STATUSES = ['open', 'acknowledged', 'in_progress', 'awaiting_parts', 'resolved', 'closed'] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** One fault, confirmed or only on this device. */
export interface FaultItem {
  id: string;
  vesselId: string | null;
  equipmentId: string;
  severity: Severity;
  status: FaultStatus;
  title: string;
  description: string;
  observedAt: string | null;
  reportedBy: string | null;
  assigneeId: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  rootCause: string | null;
  resolution: string | null;
  closedAt: string | null;
  /** The replica's version (a write's base version); null while only the report is queued. */
  version: number | null;
  /** Writes on this fault not yet accepted, oldest first (its own report included). */
  pending: PendingWrite[];
}

/** Whether a status still needs work. */
export const isUnresolved = (s: FaultStatus) => s !== 'resolved' && s !== 'closed';

/**
 * The moves `set_fault_status.v1` takes from `from` (crates/domain/src/fault.rs
 * `check_transition`): acknowledging and resolving have mutators of their own.
 */
export function statusMoves(from: FaultStatus): FaultStatus[] {
  switch (from) {
    case 'acknowledged':
      return ['in_progress'];
    case 'in_progress':
      return ['awaiting_parts'];
    case 'awaiting_parts':
      return ['in_progress'];
    case 'resolved':
      return ['closed', 'open'];
    case 'closed':
      return ['open'];
    default:
      return [];
  }
}

/**
 * The status the fault will have once the server applies this device's waiting moves
 * (acknowledge, set status, resolve, in order): the actions offered follow from it, so a move
 * already queued is not offered again. Refused moves count for nothing.
 */
export function expectedStatus(fault: FaultItem): FaultStatus {
  let status = fault.status;
  for (const w of fault.pending) {
    if (w.state === 'rejected') continue;
    if (w.name === 'acknowledge_fault.v1') status = 'acknowledged';
    else if (w.name === 'resolve_fault.v1') status = 'resolved';
    else if (w.name === 'set_fault_status.v1' && typeof w.args.status === 'string') status = asStatus(w.args.status);
  }
  return status;
}

/** Whether a fault in `status` may be resolved. */
export const canResolve = (s: FaultStatus) => s === 'acknowledged' || s === 'in_progress' || s === 'awaiting_parts';

const asSeverity = (v: string | null): Severity => (SEVERITIES as readonly string[]).includes(v ?? '') ? (v as Severity) : 'medium';
const asStatus = (v: string | null): FaultStatus => (FAULT_STATUSES as readonly string[]).includes(v ?? '') ? (v as FaultStatus) : 'open';

function fromFields(f: Record<string, JsonValue>, version: number | null): FaultItem {
  return {
    id: (textOf(f, 'id') ?? '').toLowerCase(),
    vesselId: textOf(f, 'vessel_id')?.toLowerCase() ?? null,
    equipmentId: (textOf(f, 'equipment_id') ?? '').toLowerCase(),
    severity: asSeverity(textOf(f, 'severity')),
    status: asStatus(textOf(f, 'status')),
    title: textOf(f, 'title') ?? '',
    description: textOf(f, 'description') ?? '',
    observedAt: textOf(f, 'observed_at'),
    reportedBy: textOf(f, 'reported_by'),
    assigneeId: textOf(f, 'assignee_id'),
    acknowledgedAt: textOf(f, 'acknowledged_at'),
    resolvedAt: textOf(f, 'resolved_at'),
    rootCause: textOf(f, 'root_cause'),
    resolution: textOf(f, 'resolution'),
    closedAt: textOf(f, 'closed_at'),
    version,
    pending: [],
  };
}

/** The fault a pending write is about, if any. */
export function faultIdOf(write: PendingWrite): string | null {
  const key = write.name === REPORT_FAULT ? 'id' : 'fault_id';
  const v = write.args[key];
  return typeof v === 'string' ? v.toLowerCase() : null;
}

/**
 * Every fault the device knows of, newest report first; undefined while loading (or with no
 * sync client).
 */
export function useFaults(): FaultItem[] | undefined {
  const rows = useEntityRows('fault');
  const equipment = useEntityRows('equipment');
  const pending = usePendingWrites();
  return useMemo(() => {
    if (!rows || !equipment || !pending) return undefined;
    const byId = new Map<string, FaultItem>();
    for (const row of rows) {
      const item = fromFields({ id: row.id, ...fieldsOf(row) }, row.version);
      byId.set(item.id, item);
    }
    const vesselOf = new Map(equipment.map((e) => [e.id, textOf(fieldsOf(e), 'vessel_id')?.toLowerCase() ?? null]));
    for (const report of pendingFaultReports(pending)) {
      if (byId.has(report.id)) continue;
      const item = fromFields(
        {
          id: report.id,
          equipment_id: report.equipmentId,
          severity: report.severity,
          title: report.title,
          description: report.description,
          observed_at: report.observedAt,
          status: 'open',
        },
        null,
      );
      item.vesselId = vesselOf.get(item.equipmentId) ?? null;
      byId.set(report.id, item);
    }
    for (const write of pending) {
      const id = faultIdOf(write);
      if (id !== null) byId.get(id)?.pending.push(write);
    }
    return [...byId.values()].sort((a, b) => (b.observedAt ?? '').localeCompare(a.observedAt ?? '') || b.id.localeCompare(a.id));
  }, [rows, equipment, pending]);
}

/** One fault; null when the device knows no such fault, undefined while loading. */
export function useFault(id: string): FaultItem | null | undefined {
  const faults = useFaults();
  return faults === undefined ? undefined : (faults.find((f) => f.id === id.toLowerCase()) ?? null);
}

/** Equipment names by id (lowercase), from the replica. */
export function useEquipmentNames(): Map<string, string> | undefined {
  const rows = useEntityRows('equipment');
  return useMemo(() => rows && new Map(rows.map((r) => [r.id, textOf(fieldsOf(r), 'name') ?? 'Unnamed item'])), [rows]);
}

/** One comment, confirmed or only on this device. */
export interface CommentItem {
  id: string;
  authorId: string | null;
  body: string;
  createdAt: string | null;
  pending: PendingWrite | null;
}

/** A fault's comments, oldest first, those still on this device last. */
export function useComments(faultId: string): CommentItem[] | undefined {
  const rows = useEntityRows('fault_comment');
  const pending = usePendingWrites();
  return useMemo(() => {
    if (!rows || !pending) return undefined;
    const id = faultId.toLowerCase();
    const confirmed: CommentItem[] = rows
      .map((r) => ({ row: r, f: fieldsOf(r) }))
      .filter(({ f }) => textOf(f, 'fault_id')?.toLowerCase() === id)
      .map(({ row, f }) => ({
        id: row.id,
        authorId: textOf(f, 'author_id'),
        body: textOf(f, 'body') ?? '',
        createdAt: textOf(f, 'created_at'),
        pending: null,
      }))
      .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
    const local: CommentItem[] = pending
      .filter((w) => w.name === 'comment_fault.v1' && faultIdOf(w) === id)
      .map((w) => ({
        id: `outbox-${w.id}`,
        authorId: null,
        body: typeof w.args.body === 'string' ? w.args.body : '',
        createdAt: new Date(w.queuedAt).toISOString(),
        pending: w,
      }));
    return [...confirmed, ...local];
  }, [rows, pending, faultId]);
}

/** People's names by user id, from the people directory when the replica holds it. */
export function usePeopleNames(): Map<string, string> {
  const rows = useEntityRows('membership');
  return useMemo(
    () => new Map((rows ?? []).map((r) => [textOf(fieldsOf(r), 'user_id')?.toLowerCase() ?? r.id, textOf(fieldsOf(r), 'name') ?? 'Someone'])),
    [rows],
  );
}

/** The people on a vessel's rotation (its `vessel_member` rows): who a fault can be assigned to. */
export function useVesselMembers(vesselId: string | null): string[] {
  const rows = useEntityRows('vessel_member');
  return useMemo(
    () =>
      (rows ?? [])
        .map((r) => fieldsOf(r))
        .filter((f) => vesselId !== null && textOf(f, 'vessel_id')?.toLowerCase() === vesselId)
        .map((f) => textOf(f, 'user_id')?.toLowerCase() ?? '')
        .filter((id) => id !== ''),
    [rows, vesselId],
  );
}


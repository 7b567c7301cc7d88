/**
 * The labour and the parts recorded on a work order, from the replica and the outbox:
 *
 * - labour: its `labour_entry` rows (insert-only) and the person's `log_labour.v1` still waiting;
 *   time is whole minutes, typed as hours and minutes (at most 24 hours an entry, the server's
 *   `MAX_LABOUR_HOURS`);
 * - parts used: its `stock_entry` rows (movement `issue`, a negative `delta`) and the person's
 *   `issue_part.v1` still waiting, whose quantity is what was taken (exact, `quantity.ts`).
 *
 * A waiting write whose row has arrived (the row's id is the write's `id`) is not listed twice;
 * a refused one stays listed with its refusal until dismissed, counting for nothing.
 */
import { fieldsOf, textOf, type PendingWrite } from '../../../components/local-writes';
import { quantityOf, ZERO, type Thousandths } from '../../../components/quantity';
import { ISSUE_PART } from '../../../components/stock-levels';
import type { StoredRow } from '../../../sync/database';
import { LOG_LABOUR } from './work-orders';

/** The most minutes one labour entry holds: one person, one day. */
export const MAX_LABOUR_MINUTES = 24 * 60;

/** One labour entry, confirmed or still on this device. */
export interface LabourItem {
  /** Lowercase. */
  id: string;
  /** Who worked; null for an entry made on this device (the person signed in). */
  personId: string | null;
  /** `YYYY-MM-DD`. */
  workedOn: string;
  minutes: number;
  pending: PendingWrite | null;
}

/** One part used, confirmed or still on this device. */
export interface PartUsed {
  /** Lowercase. */
  id: string;
  partId: string;
  locationId: string;
  /** What was taken (above zero). */
  quantity: Thousandths;
  /** A user id; null for a part taken on this device. */
  recordedBy: string | null;
  recordedAt: string;
  pending: PendingWrite | null;
}

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;
const argText = (w: PendingWrite, name: string): string | null => {
  const v = w.args[name];
  return typeof v === 'string' ? v : null;
};
const isFor = (w: PendingWrite, name: string, order: string) => w.name === name && lower(argText(w, 'work_order_id')) === order;

/** Whole minutes from hours and minutes as typed (`2` h `15` min → 135). */
export function minutesOf(hours: number, minutes: number): number {
  return hours * 60 + minutes;
}

/** "2 h 15 min", "45 min", "3 h". */
export function formatMinutes(total: number): string {
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** The order's labour, newest day first, waiting entries first among equals. */
export function labourOf(workOrderId: string, rows: readonly StoredRow[], writes: readonly PendingWrite[]): LabourItem[] {
  const order = workOrderId.toLowerCase();
  const items: LabourItem[] = [];
  for (const row of rows) {
    const f = fieldsOf(row);
    const minutes = f.minutes;
    if (lower(textOf(f, 'work_order_id')) !== order || typeof minutes !== 'number') continue;
    items.push({ id: row.id, personId: lower(textOf(f, 'person_id')), workedOn: textOf(f, 'worked_on') ?? '', minutes, pending: null });
  }
  const held = new Set(items.map((i) => i.id));
  for (const w of writes) {
    const id = lower(argText(w, 'id')) ?? `outbox-${w.id}`;
    const minutes = w.args.minutes;
    if (!isFor(w, LOG_LABOUR, order) || held.has(id) || typeof minutes !== 'number') continue;
    items.push({ id, personId: null, workedOn: argText(w, 'worked_on') ?? '', minutes, pending: w });
  }
  return items.sort((a, b) => b.workedOn.localeCompare(a.workedOn) || Number(b.pending !== null) - Number(a.pending !== null) || b.id.localeCompare(a.id));
}

/** The minutes that count: every entry but the refused. */
export const totalMinutes = (items: readonly LabourItem[]) =>
  items.reduce((sum, i) => sum + (i.pending?.state === 'rejected' ? 0 : i.minutes), 0);

/** The parts used on the order: the waiting ones first (last queued on top), then the newest. */
export function partsUsedOf(workOrderId: string, entries: readonly StoredRow[], writes: readonly PendingWrite[]): PartUsed[] {
  const order = workOrderId.toLowerCase();
  const confirmed: PartUsed[] = [];
  for (const row of entries) {
    const f = fieldsOf(row);
    if (lower(textOf(f, 'work_order_id')) !== order) continue;
    const delta = quantityOf(f.delta) ?? ZERO;
    confirmed.push({
      id: row.id,
      partId: lower(textOf(f, 'part_id')) ?? '',
      locationId: lower(textOf(f, 'location_id')) ?? '',
      quantity: -delta,
      recordedBy: lower(textOf(f, 'recorded_by')),
      recordedAt: textOf(f, 'recorded_at') ?? '',
      pending: null,
    });
  }
  const held = new Set(confirmed.map((p) => p.id));
  const waiting: PartUsed[] = [];
  for (const w of writes) {
    const id = lower(argText(w, 'id')) ?? `outbox-${w.id}`;
    if (!isFor(w, ISSUE_PART, order) || held.has(id)) continue;
    waiting.push({
      id,
      partId: lower(argText(w, 'part_id')) ?? '',
      locationId: lower(argText(w, 'location_id')) ?? '',
      quantity: quantityOf(w.args.quantity) ?? ZERO,
      recordedBy: null,
      recordedAt: new Date(w.queuedAt).toISOString(),
      pending: w,
    });
  }
  const time = (p: PartUsed) => Date.parse(p.recordedAt) || 0;
  confirmed.sort((a, b) => time(b) - time(a) || b.id.localeCompare(a.id));
  return [...waiting.reverse(), ...confirmed];
}

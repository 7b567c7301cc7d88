/**
 * The labour and the parts recorded on a work order, from the replica and the outbox:
 *
 * - labour: its `labour_entry` rows (insert-only) and the person's `log_labour.v1` still waiting;
 *   time is whole minutes, typed as hours and minutes (at most 24 hours an entry, the server's
 *   `MAX_LABOUR_HOURS`); an hourly rate in minor units with its currency, and the entry's cost,
 *   only where the row carries them (the server leaves `rate_minor` and `cost_minor` out for roles
 *   that do not read supplier prices) or the person typed one (its cost worked out here as the
 *   server works it out, `labour_cost_minor`);
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
  /** Hourly rate in minor units of `currency`; null when none is set or the role does not read it. */
  rateMinor: number | null;
  /** The rate's currency (ISO 4217). */
  currency: string | null;
  /** The entry's cost in minor units (its minutes at its rate); null with no rate. */
  costMinor: number | null;
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
const wholeNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
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

/** The most an hourly rate may be, in minor units (the server's `MAX_LABOUR_RATE_MINOR`). */
export const MAX_LABOUR_RATE_MINOR = 10_000_000;

/**
 * The cost of `minutes` at an hourly `rateMinor`, rounded half away from zero to a whole minor
 * unit, as the server computes it (`labour_cost_minor`).
 */
export function labourCostMinor(minutes: number, rateMinor: number): number {
  const scaled = minutes * rateMinor;
  return scaled >= 0 ? Math.floor((scaled + 30) / 60) : Math.ceil((scaled - 30) / 60);
}

/** How many digits a currency's minor unit has (2 for EUR, 0 for JPY; 2 when the browser does not know it). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units in its currency: "€85.00", "NOK 1,234.50" (as the browser's locale writes it). */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const major = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(major);
  } catch {
    return `${currency} ${major.toFixed(digits)}`;
  }
}

/**
 * A rate as typed ("85", "85.5", "85.50") in minor units of `currency`; null when it is not a
 * number of at most the currency's decimals, or is negative.
 */
export function parseRate(typed: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(typed.trim());
  if (!match) return null;
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** The labour cost per currency, over the entries that have one (the refused left out), currencies in order. */
export function labourCosts(items: readonly LabourItem[]): { currency: string; minor: number }[] {
  const sums = new Map<string, number>();
  for (const i of items) {
    if (i.pending?.state === 'rejected' || i.costMinor === null || i.currency === null) continue;
    sums.set(i.currency, (sums.get(i.currency) ?? 0) + i.costMinor);
  }
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ currency, minor }));
}

/** The order's labour, newest day first, waiting entries first among equals. */
export function labourOf(workOrderId: string, rows: readonly StoredRow[], writes: readonly PendingWrite[]): LabourItem[] {
  const order = workOrderId.toLowerCase();
  const items: LabourItem[] = [];
  for (const row of rows) {
    const f = fieldsOf(row);
    const minutes = f.minutes;
    if (lower(textOf(f, 'work_order_id')) !== order || typeof minutes !== 'number') continue;
    const rateMinor = wholeNumber(f.rate_minor);
    items.push({
      id: row.id,
      personId: lower(textOf(f, 'person_id')),
      workedOn: textOf(f, 'worked_on') ?? '',
      minutes,
      rateMinor,
      currency: textOf(f, 'currency'),
      costMinor: wholeNumber(f.cost_minor) ?? (rateMinor === null ? null : labourCostMinor(minutes, rateMinor)),
      pending: null,
    });
  }
  const held = new Set(items.map((i) => i.id));
  for (const w of writes) {
    const id = lower(argText(w, 'id')) ?? `outbox-${w.id}`;
    const minutes = w.args.minutes;
    if (!isFor(w, LOG_LABOUR, order) || held.has(id) || typeof minutes !== 'number') continue;
    const rateMinor = wholeNumber(w.args.rate_minor);
    items.push({
      id,
      personId: null,
      workedOn: argText(w, 'worked_on') ?? '',
      minutes,
      rateMinor,
      currency: argText(w, 'currency'),
      costMinor: rateMinor === null ? null : labourCostMinor(minutes, rateMinor),
      pending: w,
    });
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

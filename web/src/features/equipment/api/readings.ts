/**
 * An item's running-hour readings: the confirmed ones with those still in the outbox, the total
 * each one brings the item to, and the rules a new reading must keep before it is queued as
 * `record_reading.v1` — the server's (`check_reading_between`, `check_read_at` in
 * crates/domain/src/equipment.rs), so most refusals are said before anything is sent.
 */
import { z } from 'zod';

import type { ReadingView } from '../../../api/types';
import { usePendingWrites, type PendingWrite } from '../../../components/local-writes';

import { RECORD_READING } from '../../../components/running-hours';

/** The mutator that records a reading (the maintenance plans count waiting readings too). */
export { RECORD_READING };
/** The highest meter value the server takes. */
export const MAX_HOURS = 10_000_000;
/** Clock skew the server allows for a reading "from the future". */
const FUTURE_SLACK_MS = 5 * 60 * 1000;
/** How far back a reading may be dated (the server's 3653 days). */
const OLDEST_MS = 3653 * 24 * 60 * 60 * 1000;

/** A reading as shown: confirmed, or still on this device with how far it has got. */
export type ShownReading = Pick<ReadingView, 'id' | 'hours' | 'meter_replaced' | 'read_at'> & {
  /** "on this device", "sent", or the refusal; absent once the server holds it. */
  pending?: string;
  /** Total running hours once this reading counts (replaced meters carried over). */
  total: number;
};

/** The readings oldest first, each with the item's total running hours after it. */
export function withTotals(readings: readonly Omit<ShownReading, 'total'>[]): ShownReading[] {
  let beforeCurrentMeter = 0;
  let current = 0;
  return [...readings]
    .sort((a, b) => a.read_at.localeCompare(b.read_at) || a.id.localeCompare(b.id))
    .map((r) => {
      if (r.meter_replaced) beforeCurrentMeter += current;
      current = r.hours;
      return { ...r, total: beforeCurrentMeter + current };
    });
}

const textArg = (w: PendingWrite, name: string): string => {
  const v = w.args[name];
  return typeof v === 'string' ? v : '';
};

/** The outbox's readings for the item, in the shape of the confirmed ones. */
export function pendingReadings(writes: readonly PendingWrite[], equipmentId: string): Omit<ShownReading, 'total'>[] {
  const id = equipmentId.toLowerCase();
  return writes
    .filter((w) => w.name === RECORD_READING && textArg(w, 'equipment_id').toLowerCase() === id)
    .map((w) => ({
      id: textArg(w, 'id'),
      hours: Number(w.args.hours),
      meter_replaced: w.args.meter_replaced === true,
      read_at: textArg(w, 'read_at'),
      pending: w.label,
    }));
}

/**
 * The item's readings: `confirmed` (from the replica or the API) and the outbox's, oldest first,
 * with totals. A reading the server has accepted and the replica already holds shows once.
 */
export function useShownReadings(equipmentId: string, confirmed: readonly ReadingView[]): ShownReading[] {
  const writes = usePendingWrites() ?? [];
  const held = new Set(confirmed.map((r) => r.id.toLowerCase()));
  const pending = pendingReadings(writes, equipmentId).filter((r) => !held.has(r.id.toLowerCase()));
  // A refused reading stays in the list with its refusal, but does not count towards the totals.
  return withTotals([...confirmed, ...pending.filter((p) => !p.pending?.startsWith('rejected'))]).concat(
    pending.filter((p) => p.pending?.startsWith('rejected')).map((p) => ({ ...p, total: Number.NaN })),
  );
}

/** What the form holds: text as typed, so a half-typed number is not lost. */
export interface ReadingForm {
  hours: string;
  /** `datetime-local` text, the reader's local time. */
  read_at: string;
  meter_replaced: boolean;
}

/** The form's values once checked. */
export interface CheckedReading {
  hours: number;
  readAt: Date;
  meterReplaced: boolean;
}

const HOURS_FORMAT = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/**
 * The form's rules against the readings the device knows (`known`, refused ones left out),
 * at `now()`: a number of hours from 0 to 10,000,000; a time not ahead of now and within ten
 * years; not below the reading before it unless the meter was replaced; not above the reading
 * after it unless that one starts a new meter.
 */
export function readingSchema(known: readonly Pick<ShownReading, 'hours' | 'meter_replaced' | 'read_at'>[], now: () => Date) {
  const ordered = [...known].sort((a, b) => a.read_at.localeCompare(b.read_at));
  return z
    .object({
      hours: z
        .string()
        .trim()
        .min(1, { message: 'Enter the hours on the meter.', abort: true })
        .transform((text) => Number(text.replace(/\s/g, '').replace(',', '.')))
        .refine((h) => Number.isFinite(h), { message: 'Enter the hours as a number, e.g. 12345.5.', abort: true })
        .refine((h) => h >= 0 && h <= MAX_HOURS, 'Enter a number of hours from 0 to 10,000,000.'),
      read_at: z
        .string()
        .min(1, { message: 'Say when it was read.', abort: true })
        .transform((text) => new Date(text))
        .refine((at) => !Number.isNaN(at.getTime()), { message: 'Say when it was read.', abort: true })
        .refine((at) => at.getTime() <= now().getTime() + FUTURE_SLACK_MS, 'A reading cannot be in the future.')
        .refine((at) => at.getTime() >= now().getTime() - OLDEST_MS, 'A reading must be from the last ten years.'),
      meter_replaced: z.boolean(),
    })
    .superRefine((v, ctx) => {
      // Zod still runs this after a field's own rule failed: one message per mistake is enough.
      if (!(v.hours >= 0 && v.hours <= MAX_HOURS) || Number.isNaN(v.read_at.getTime())) return;
      const at = v.read_at.toISOString();
      // The server puts a reading at the same moment as stored ones after them.
      const index = ordered.findIndex((r) => r.read_at > at);
      const before = index === -1 ? ordered.at(-1) : index > 0 ? ordered[index - 1] : undefined;
      const after = index === -1 ? undefined : ordered[index];
      if (before && !v.meter_replaced && v.hours < before.hours) {
        ctx.addIssue({
          code: 'custom',
          path: ['hours'],
          message: `${HOURS_FORMAT.format(v.hours)} h is below the reading before it (${HOURS_FORMAT.format(before.hours)} h). If the meter was replaced, tick “New meter”.`,
        });
      } else if (after && !after.meter_replaced && v.hours > after.hours) {
        ctx.addIssue({
          code: 'custom',
          path: ['hours'],
          message: `${HOURS_FORMAT.format(v.hours)} h is above the later reading of ${HOURS_FORMAT.format(after.hours)} h.`,
        });
      }
    })
    .transform((v): CheckedReading => ({ hours: v.hours, readAt: v.read_at, meterReplaced: v.meter_replaced }));
}

/** `record_reading.v1`'s arguments for a checked reading with a client-made id. */
export function recordReadingArgs(equipmentId: string, id: string, reading: CheckedReading) {
  return {
    equipment_id: equipmentId,
    id,
    hours: reading.hours,
    meter_replaced: reading.meterReplaced,
    read_at: reading.readAt.toISOString(),
  };
}

/** `at` as a `datetime-local` value in the reader's time zone, to the minute. */
export function localDateTimeValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

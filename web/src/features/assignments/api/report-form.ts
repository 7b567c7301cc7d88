/**
 * The daily report form's fields, checked as the server checks `submit_daily_report.v1` before
 * anything is queued: a day not after today; hours worked and idle each 0 to 24 and together at
 * most 24 (`over_a_day`); fuel, hour meter and odometer zero or more; notes up to 4,000
 * characters; and, against what the device knows, an accepted assignment of the item covering
 * that day (`not_assigned`) and no other report of the item for that day (`report_exists`).
 * Figures are typed as text (a comma is read as a decimal point) and sent as numbers.
 */
import { z } from 'zod';

import { charCount, hasControl, LONG_TEXT_ALLOWED } from '../../../components/plain-text';

import type { JsonValue } from '../../../sync/checksum';
import type { DailyReport, Figures } from './daily-reports';

/** Notes have at most this many characters. */
const NOTES_MAX = 4000;

/** The most a figure (fuel, meter, odometer) may be, as the server takes it. */
const FIGURE_MAX = 10_000_000;

/** A figure as typed: digits with at most two decimals, a comma read as a point; null when empty. */
export function parseFigure(text: string): number | null | 'invalid' {
  const t = text.trim().replace(',', '.');
  if (t === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return 'invalid';
  return Number(t);
}

/** A number as the form shows it again ("7.5"). */
export const figureText = (n: number | null) => (n === null ? '' : String(n));

/** What the form holds. */
export interface ReportValues {
  day: string;
  hours_worked: string;
  hours_idle: string;
  fuel_litres: string;
  meter_hours: string;
  odometer_km: string;
  notes: string;
}

/** The form's first values: empty for a new report, a report's figures for a correction. */
export function reportValues(day: string, figures: Figures | null): ReportValues {
  return {
    day,
    hours_worked: figures ? figureText(figures.hoursWorked) : '',
    hours_idle: figures ? figureText(figures.hoursIdle) : '0',
    fuel_litres: figures ? figureText(figures.fuelLitres) : '',
    meter_hours: figures ? figureText(figures.meterHours) : '',
    odometer_km: figures ? figureText(figures.odometerKm) : '',
    notes: figures?.notes ?? '',
  };
}

/** What the form checks against the device: today, and the assignment and report rules. */
export interface ReportContext {
  today: string;
  /** Whether the person holds an accepted assignment of the item covering part of `day`. */
  assignedOn: (day: string) => boolean;
  /** Another report of the item by the person for `day`, if any. */
  reportOn: (day: string) => DailyReport | null;
}

const figure = (label: string, required: boolean) =>
  z.string().superRefine((v, ctx) => {
    const n = parseFigure(v);
    if (n === null && required) ctx.addIssue({ code: 'custom', message: `Enter the ${label}.` });
    else if (n === 'invalid') ctx.addIssue({ code: 'custom', message: 'Enter a number, zero or more, with at most 2 decimals (e.g. 7.5).' });
    else if (n !== null && n > FIGURE_MAX) ctx.addIssue({ code: 'custom', message: `At most ${FIGURE_MAX.toLocaleString()}.` });
  });

/** The form's schema for a context. */
export function reportSchema(context: ReportContext) {
  return z
    .object({
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose the day you report.'),
      hours_worked: figure('hours worked', true),
      hours_idle: figure('hours idle', true),
      fuel_litres: figure('fuel', false),
      meter_hours: figure('hour meter', false),
      odometer_km: figure('odometer', false),
      notes: z
        .string()
        .refine((v) => charCount(v) <= NOTES_MAX, `At most ${NOTES_MAX.toLocaleString()} characters.`)
        .refine((v) => !hasControl(v, LONG_TEXT_ALLOWED), 'Remove the control characters (line breaks and tabs are fine).'),
    })
    .superRefine((v, ctx) => {
      if (v.day > context.today) {
        ctx.addIssue({ code: 'custom', path: ['day'], message: 'A day still to come cannot be reported yet.' });
      } else if (/^\d{4}-\d{2}-\d{2}$/.test(v.day)) {
        const other = context.reportOn(v.day);
        if (other) ctx.addIssue({ code: 'custom', path: ['day'], message: 'You have reported this item for that day already: correct that report instead.' });
        else if (!context.assignedOn(v.day)) {
          ctx.addIssue({ code: 'custom', path: ['day'], message: 'You have no accepted assignment of this item on that day.' });
        }
      }
      const worked = parseFigure(v.hours_worked);
      const idle = parseFigure(v.hours_idle);
      if (typeof worked === 'number' && worked > 24) ctx.addIssue({ code: 'custom', path: ['hours_worked'], message: 'A day has at most 24 hours.' });
      if (typeof idle === 'number' && idle > 24) ctx.addIssue({ code: 'custom', path: ['hours_idle'], message: 'A day has at most 24 hours.' });
      else if (typeof worked === 'number' && typeof idle === 'number' && worked <= 24 && worked + idle > 24) {
        ctx.addIssue({ code: 'custom', path: ['hours_idle'], message: `Worked and idle hours add up to at most 24 (${worked + idle} now).` });
      }
    });
}

/** A position to send, in degrees. */
export interface Position {
  latitude: number;
  longitude: number;
}

/** The arguments of `submit_daily_report.v1` (a figure left empty is left out). */
export function submitArgs(
  ids: { id: string; revisionId: string },
  equipmentId: string,
  values: ReportValues,
  position: Position | null,
  photoIds: readonly string[],
): Record<string, JsonValue> {
  const args: Record<string, JsonValue> = {
    id: ids.id,
    revision_id: ids.revisionId,
    equipment_id: equipmentId,
    day: values.day,
    hours_worked: Number(parseFigure(values.hours_worked)),
    hours_idle: Number(parseFigure(values.hours_idle)),
    notes: values.notes.trim(),
    photo_ids: [...photoIds],
  };
  for (const name of ['fuel_litres', 'meter_hours', 'odometer_km'] as const) {
    const n = parseFigure(values[name]);
    if (typeof n === 'number') args[name] = n;
  }
  if (position) {
    args.latitude = position.latitude;
    args.longitude = position.longitude;
  }
  return args;
}

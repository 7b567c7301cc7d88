/**
 * Operators' daily reports as the device knows them: the replica's `daily_report` rows (each
 * holding its current revision's figures) and `daily_report_revision` rows (insert-only, one per
 * submission), with this person's `submit_daily_report.v1`, `validate_daily_report.v1` and
 * `return_daily_report.v1` still in the outbox laid over them — a report submitted or corrected
 * offline shows at once as its new revision, a validation or return at once as its new status;
 * a refused write counts for nothing.
 *
 * A report is for one item, operator and day (a UTC day, `YYYY-MM-DD`); it is submitted only by
 * someone holding an accepted assignment of the item covering part of that day
 * (`not_assigned`), once per item, operator and day (`report_exists`); a submitted or returned
 * report is corrected by submitting it again (a new revision), a validated one no longer
 * (`report_validated`). Validation and return name the revision read (`report_changed` when
 * the operator corrected it meanwhile).
 */
import { useMemo } from 'react';

import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import { sitesOfItems } from '../../../components/equipment-assignments';
import type { JsonValue } from '../../../sync/checksum';
import type { StoredRow } from '../../../sync/database';
import { ENTITY } from '../../../sync/entities';
import { coversUtcDay, isHeld, type Assignment } from './assignments';

/** The mutators of a daily report. */
export const SUBMIT_DAILY_REPORT = 'submit_daily_report.v1';
export const VALIDATE_DAILY_REPORT = 'validate_daily_report.v1';
export const RETURN_DAILY_REPORT = 'return_daily_report.v1';

export const REPORT_STATUSES = ['submitted', 'returned', 'validated'] as const;
/** Where a daily report stands. */
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** At most this many photos on a report. */
export const MAX_REPORT_PHOTOS = 10;

/** What one revision of a report says. */
export interface Figures {
  hoursWorked: number;
  hoursIdle: number;
  fuelLitres: number | null;
  meterHours: number | null;
  odometerKm: number | null;
  notes: string;
  latitude: number | null;
  longitude: number | null;
  /** Lowercase attachment ids. */
  photoIds: string[];
}

/** One daily report, confirmed or only on this device. */
export interface DailyReport {
  /** Lowercase. */
  id: string;
  vesselId: string | null;
  equipmentId: string;
  operatorId: string | null;
  assignmentId: string | null;
  day: string;
  /** As this device's waiting writes leave it. */
  status: ReportStatus;
  /** The current revision's id (lowercase) and its number (1-based). */
  revisionId: string;
  revision: number;
  figures: Figures;
  submittedAt: string | null;
  /** The engineer's last return comment. */
  comment: string | null;
  validatedBy: string | null;
  validatedAt: string | null;
  returnedBy: string | null;
  returnedAt: string | null;
  /** The running-hours reading its validation recorded. */
  readingId: string | null;
  /** The replica's version; null while only its first submission is queued. */
  version: number | null;
  /** Writes on it not yet accepted, oldest first (its own submissions included). */
  pending: PendingWrite[];
  /** Its first submission was made here and refused: there is no such report. */
  refused: boolean;
}

/** One submission of a report. */
export interface Revision {
  /** Lowercase. */
  id: string;
  reportId: string;
  /** 1-based; for one still waiting, the number it will have. */
  number: number;
  day: string;
  figures: Figures;
  /** Null for one made on this device and not yet accepted. */
  submittedBy: string | null;
  submittedAt: string;
  /** Its submission, while it waits on this device. */
  pending: PendingWrite | null;
}

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;
const numberOrNull = (v: JsonValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const wholeOrNull = (v: JsonValue | undefined) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
const oneOf = <T extends string>(values: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (values as readonly string[]).includes(v) ? (v as T) : fallback;

/** A revision's or a report's figures from its fields (or a submission's arguments). */
export function figuresOf(f: Record<string, JsonValue>): Figures {
  const photos = f.photo_ids;
  return {
    hoursWorked: numberOrNull(f.hours_worked) ?? 0,
    hoursIdle: numberOrNull(f.hours_idle) ?? 0,
    fuelLitres: numberOrNull(f.fuel_litres),
    meterHours: numberOrNull(f.meter_hours),
    odometerKm: numberOrNull(f.odometer_km),
    notes: textOf(f, 'notes') ?? '',
    latitude: numberOrNull(f.latitude),
    longitude: numberOrNull(f.longitude),
    photoIds: Array.isArray(photos) ? photos.flatMap((p) => (typeof p === 'string' ? [p.toLowerCase()] : [])) : [],
  };
}

function reportOf(f: Record<string, JsonValue>, version: number | null): DailyReport {
  return {
    id: lower(textOf(f, 'id')) ?? '',
    vesselId: lower(textOf(f, 'vessel_id')),
    equipmentId: lower(textOf(f, 'equipment_id')) ?? '',
    operatorId: lower(textOf(f, 'operator_id')),
    assignmentId: lower(textOf(f, 'assignment_id')),
    day: textOf(f, 'day') ?? '',
    status: oneOf(REPORT_STATUSES, textOf(f, 'status'), 'submitted'),
    revisionId: lower(textOf(f, 'revision_id')) ?? '',
    revision: wholeOrNull(f.revision) ?? 1,
    figures: figuresOf(f),
    submittedAt: textOf(f, 'submitted_at'),
    comment: textOf(f, 'comment'),
    validatedBy: lower(textOf(f, 'validated_by')),
    validatedAt: textOf(f, 'validated_at'),
    returnedBy: lower(textOf(f, 'returned_by')),
    returnedAt: textOf(f, 'returned_at'),
    readingId: lower(textOf(f, 'reading_id')),
    version,
    pending: [],
    refused: false,
  };
}

/** The report a waiting write is about, if it is one of the report mutators. */
export function reportIdOf(write: PendingWrite): string | null {
  const v =
    write.name === SUBMIT_DAILY_REPORT
      ? write.args.id
      : write.name === VALIDATE_DAILY_REPORT || write.name === RETURN_DAILY_REPORT
        ? write.args.report_id
        : null;
  return typeof v === 'string' ? v.toLowerCase() : null;
}

const queuedAt = (w: PendingWrite) => new Date(w.queuedAt).toISOString();

/**
 * Every report the device knows: the replica's rows, then those first submitted here still
 * waiting, with the waiting writes on each applied in the order they were made. `me` is the
 * person signed in (the operator of a report submitted here, the one validating or returning);
 * `siteOf` names each item's site.
 */
export function reportsOf(
  rows: readonly StoredRow[],
  writes: readonly PendingWrite[],
  me: string,
  siteOf: ReadonlyMap<string, string | null> = new Map(),
): DailyReport[] {
  const byId = new Map<string, DailyReport>();
  for (const row of rows) {
    const r = reportOf({ ...fieldsOf(row), id: row.id }, row.version);
    byId.set(r.id, r);
  }
  const self = me.toLowerCase();
  for (const w of writes) {
    const id = reportIdOf(w);
    if (id === null) continue;
    if (w.name === SUBMIT_DAILY_REPORT && !byId.has(id)) {
      const made = reportOf({ ...w.args, id, status: 'submitted', revision: 1, operator_id: self, submitted_at: queuedAt(w) }, null);
      made.vesselId = siteOf.get(made.equipmentId) ?? null;
      made.refused = w.state === 'rejected';
      made.pending.push(w);
      byId.set(id, made);
      continue;
    }
    const r = byId.get(id);
    if (!r) continue;
    r.pending.push(w);
    if (w.state === 'rejected' || r.refused) continue;
    const revisionId = lower(textOf(w.args, 'revision_id'));
    if (w.name === SUBMIT_DAILY_REPORT) {
      // Already the current revision: the server holds it (the write is on its way back).
      if (revisionId === null || revisionId === r.revisionId || r.status === 'validated') continue;
      r.status = 'submitted';
      r.revisionId = revisionId;
      r.revision += 1;
      r.figures = figuresOf(w.args);
      r.submittedAt = queuedAt(w);
    } else if (r.status === 'submitted' && revisionId === r.revisionId) {
      if (w.name === VALIDATE_DAILY_REPORT) {
        r.status = 'validated';
        r.validatedBy = self;
        r.validatedAt = queuedAt(w);
      } else {
        r.status = 'returned';
        r.comment = textOf(w.args, 'comment');
        r.returnedBy = self;
        r.returnedAt = queuedAt(w);
      }
    }
  }
  return [...byId.values()];
}

/**
 * A report's revisions, newest first: the replica's rows, then its submissions waiting here
 * (numbered after them; a refused one keeps its place with its refusal until dismissed).
 */
export function revisionsOf(reportId: string, rows: readonly StoredRow[], writes: readonly PendingWrite[]): Revision[] {
  const id = reportId.toLowerCase();
  const confirmed = rows
    .map((row) => ({ row, f: fieldsOf(row) }))
    .filter(({ f }) => lower(textOf(f, 'report_id')) === id)
    .map(
      ({ row, f }): Revision => ({
        id: row.id,
        reportId: id,
        number: wholeOrNull(f.number) ?? 1,
        day: textOf(f, 'day') ?? '',
        figures: figuresOf(f),
        submittedBy: lower(textOf(f, 'submitted_by')),
        submittedAt: textOf(f, 'submitted_at') ?? '',
        pending: null,
      }),
    );
  const held = new Set(confirmed.map((r) => r.id));
  let next = Math.max(0, ...confirmed.map((r) => r.number)) + 1;
  const waiting = writes
    .filter((w) => w.name === SUBMIT_DAILY_REPORT && lower(textOf(w.args, 'id')) === id)
    .flatMap((w): Revision[] => {
      const revisionId = lower(textOf(w.args, 'revision_id'));
      if (revisionId === null || held.has(revisionId)) return [];
      const number = w.state === 'rejected' ? 0 : next++;
      return [
        { id: revisionId, reportId: id, number, day: textOf(w.args, 'day') ?? '', figures: figuresOf(w.args), submittedBy: null, submittedAt: queuedAt(w), pending: w },
      ];
    });
  return [...waiting.reverse(), ...confirmed.sort((a, b) => b.number - a.number)];
}

/** Every report the device knows; undefined while loading. */
export function useDailyReports(me: string): DailyReport[] | undefined {
  const rows = useEntityRows(ENTITY.dailyReport);
  const equipment = useEntityRows(ENTITY.equipment);
  const writes = usePendingWrites();
  return useMemo(
    () => (rows && equipment && writes ? reportsOf(rows, writes, me, sitesOfItems(equipment)) : undefined),
    [rows, equipment, writes, me],
  );
}

/** One report; null when the device knows no such report, undefined while loading. */
export function useDailyReport(id: string, me: string): DailyReport | null | undefined {
  const reports = useDailyReports(me);
  return reports === undefined ? undefined : (reports.find((r) => r.id === id.toLowerCase()) ?? null);
}

/** A report's revisions, newest first; undefined while loading. */
export function useRevisions(reportId: string): Revision[] | undefined {
  const rows = useEntityRows(ENTITY.dailyReportRevision);
  const writes = usePendingWrites();
  return useMemo(() => (rows && writes ? revisionsOf(reportId, rows, writes) : undefined), [reportId, rows, writes]);
}

/** `me`'s accepted assignment of the item covering part of the UTC day, if any (`not_assigned`). */
export function coveringAssignment(assignments: readonly Assignment[], equipmentId: string, me: string, day: string): Assignment | null {
  const item = equipmentId.toLowerCase();
  const self = me.toLowerCase();
  return (
    assignments.find((a) => a.equipmentId === item && a.operatorId === self && a.status === 'accepted' && isHeld(a) && coversUtcDay(a, day)) ?? null
  );
}

/** Another report of the item, operator and day than `except` (`report_exists`), if any. */
export function existingReport(reports: readonly DailyReport[], equipmentId: string, me: string, day: string, except: string | null): DailyReport | null {
  const item = equipmentId.toLowerCase();
  const self = me.toLowerCase();
  return reports.find((r) => !r.refused && r.id !== except && r.equipmentId === item && r.operatorId === self && r.day === day) ?? null;
}

/** Whether a report may be corrected and submitted again (by its operator). */
export const isCorrectable = (r: Pick<DailyReport, 'status' | 'refused'>) => !r.refused && (r.status === 'submitted' || r.status === 'returned');

/** Submitted first, then returned, then validated; each the latest day first. */
export function byUrgency(a: DailyReport, b: DailyReport): number {
  return REPORT_STATUSES.indexOf(a.status) - REPORT_STATUSES.indexOf(b.status) || b.day.localeCompare(a.day) || a.id.localeCompare(b.id);
}

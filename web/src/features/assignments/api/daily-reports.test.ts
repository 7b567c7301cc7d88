/**
 * Daily reports on the device: the replica's rows with the waiting submissions, validations and
 * returns laid over them (a correction is a new revision, a review applies only to the revision
 * it read), the revisions in order, the checks a report gets before it is queued (as the
 * server's), the exact arguments of `submit_daily_report.v1`, and the position opt-in.
 */
import { describe, expect, it, vi } from 'vitest';

import { assignmentsOf } from '../../../components/equipment-assignments';
import type { PendingWrite } from '../../../components/local-writes';
import type { MutationState } from '../../../sync/database';
import { replicaRow } from '../../../test/sync-page';
import {
  coveringAssignment,
  existingReport,
  reportsOf,
  RETURN_DAILY_REPORT,
  revisionsOf,
  SUBMIT_DAILY_REPORT,
  VALIDATE_DAILY_REPORT,
} from './daily-reports';
import { currentPosition, formatPosition, positionWanted, rememberPositionWanted } from './position';
import { parseFigure, reportSchema, reportValues, submitArgs, type ReportValues } from './report-form';

const SITE = '01900000-0000-7000-8000-000000000001';
const DIGGER = '01900000-0000-7000-8000-000000000011';
const ANDERS = '01900000-0000-7000-8000-0000000000b1';
const HANNE = '01900000-0000-7000-8000-0000000000b2';
const SCOPE = `vessel:${SITE}`;
const R1 = '01900000-0000-7000-8000-0000000000d1';
const REV1 = '01900000-0000-7000-8000-0000000000e1';
const REV2 = '01900000-0000-7000-8000-0000000000e2';
const REV3 = '01900000-0000-7000-8000-0000000000e3';
const NEW = '01900000-0000-7000-8000-0000000000d9';

let nextId = 1;
function pending(name: string, args: PendingWrite['args'], state: MutationState = 'queued', code?: string): PendingWrite {
  const id = nextId++;
  return { id, name, args, hlc: '', base_version: null, state, queuedAt: 1_780_000_000_000 + id, label: state, ...(code ? { code } : {}) };
}

const figures = { hours_worked: 8, hours_idle: 1.5, fuel_litres: 120, meter_hours: null, odometer_km: null, notes: 'Trenching', latitude: null, longitude: null, photo_ids: [] };
const report = (status: string, fields: Record<string, unknown> = {}) =>
  replicaRow(SCOPE, 'daily_report', R1, {
    vessel_id: SITE, equipment_id: DIGGER, operator_id: ANDERS, assignment_id: null, day: '2026-05-05', status, revision_id: REV1,
    revision: 1, ...figures, submitted_at: '2026-05-05T16:00:00Z', comment: null, validated_by: null, validated_at: null,
    returned_by: null, returned_at: null, reading_id: null, updated_at: '2026-05-05T16:00:00Z', ...fields,
  }, 40);

const submission = (id: string, revisionId: string, extra: Record<string, unknown> = {}) => ({
  id, revision_id: revisionId, equipment_id: DIGGER, day: '2026-05-05', hours_worked: 9, hours_idle: 0, notes: 'Corrected', photo_ids: [], ...extra,
}) as PendingWrite['args'];

describe('reports on the device', () => {
  it('shows a report first submitted offline at once, as revision 1 of the person signed in', () => {
    const w = pending(SUBMIT_DAILY_REPORT, submission(NEW, REV3, { fuel_litres: 40 }));
    const [r] = reportsOf([], [w], ANDERS, new Map([[DIGGER, SITE]]));
    expect(r).toMatchObject({ id: NEW, vesselId: SITE, operatorId: ANDERS, status: 'submitted', revision: 1, revisionId: REV3, version: null, refused: false });
    expect(r?.figures).toMatchObject({ hoursWorked: 9, hoursIdle: 0, fuelLitres: 40, meterHours: null, notes: 'Corrected' });
  });

  it('makes a correction the next revision, submitted again, and leaves one the server holds already', () => {
    const [corrected] = reportsOf([report('returned', { comment: 'Idle hours missing' })], [pending(SUBMIT_DAILY_REPORT, submission(R1, REV2))], ANDERS);
    expect(corrected).toMatchObject({ status: 'submitted', revision: 2, revisionId: REV2, comment: 'Idle hours missing' });
    expect(corrected?.figures.hoursWorked).toBe(9);
    // Sent and already the row's revision: not counted twice.
    const [held] = reportsOf([report('submitted', { revision_id: REV2, revision: 2 })], [pending(SUBMIT_DAILY_REPORT, submission(R1, REV2), 'sent')], ANDERS);
    expect(held?.revision).toBe(2);
    // A validated report is not corrected.
    const [validated] = reportsOf([report('validated')], [pending(SUBMIT_DAILY_REPORT, submission(R1, REV2))], ANDERS);
    expect(validated).toMatchObject({ status: 'validated', revision: 1 });
  });

  it('applies a validation or a return only to the revision it read', () => {
    const [validated] = reportsOf([report('submitted')], [pending(VALIDATE_DAILY_REPORT, { report_id: R1, revision_id: REV1 })], HANNE);
    expect(validated).toMatchObject({ status: 'validated', validatedBy: HANNE });
    const [returned] = reportsOf([report('submitted')], [pending(RETURN_DAILY_REPORT, { report_id: R1, revision_id: REV1, comment: 'Fuel is off' })], HANNE);
    expect(returned).toMatchObject({ status: 'returned', comment: 'Fuel is off', returnedBy: HANNE });
    const [stale] = reportsOf([report('submitted', { revision_id: REV2, revision: 2 })], [pending(VALIDATE_DAILY_REPORT, { report_id: R1, revision_id: REV1 })], HANNE);
    expect(stale?.status).toBe('submitted');
    const [refused] = reportsOf([report('submitted')], [pending(VALIDATE_DAILY_REPORT, { report_id: R1, revision_id: REV1 }, 'rejected', 'own_report')], HANNE);
    expect(refused?.status).toBe('submitted');
    expect(refused?.pending).toHaveLength(1);
  });

  it('lists the revisions newest first, the waiting ones numbered after the server’s', () => {
    const rows = [
      replicaRow(SCOPE, 'daily_report_revision', REV1, { report_id: R1, vessel_id: SITE, number: 1, day: '2026-05-05', ...figures, submitted_by: ANDERS, submitted_at: '2026-05-05T16:00:00Z' }),
      replicaRow(SCOPE, 'daily_report_revision', REV2, { report_id: NEW, vessel_id: SITE, number: 1, day: '2026-05-06', ...figures, submitted_by: ANDERS, submitted_at: '2026-05-06T16:00:00Z' }),
    ];
    const list = revisionsOf(R1, rows, [pending(SUBMIT_DAILY_REPORT, submission(R1, REV3)), pending(SUBMIT_DAILY_REPORT, submission(R1, REV1), 'sent')]);
    expect(list.map((r) => [r.id, r.number, r.pending !== null])).toEqual([
      [REV3, 2, true],
      [REV1, 1, false],
    ]);
  });
});

describe('checking a report before it is queued', () => {
  const A = '01900000-0000-7000-8000-0000000000a1';
  const assignment = (status: string) =>
    assignmentsOf([replicaRow(SCOPE, 'assignment', A, { vessel_id: SITE, equipment_id: DIGGER, operator_id: ANDERS, starts_at: '2026-05-04T06:00:00Z', ends_at: '2026-05-06T06:00:00Z', note: '', status })], []);

  it('needs the person’s accepted assignment of the item covering part of the UTC day', () => {
    expect(coveringAssignment(assignment('accepted'), DIGGER, ANDERS, '2026-05-06')?.id).toBe(A);
    expect(coveringAssignment(assignment('accepted'), DIGGER, ANDERS, '2026-05-07')).toBeNull();
    expect(coveringAssignment(assignment('proposed'), DIGGER, ANDERS, '2026-05-05')).toBeNull();
    expect(coveringAssignment(assignment('accepted'), DIGGER, HANNE, '2026-05-05')).toBeNull();
  });

  it('finds another report of the item for the day, not the one corrected', () => {
    const reports = reportsOf([report('submitted')], [], ANDERS);
    expect(existingReport(reports, DIGGER, ANDERS, '2026-05-05', null)?.id).toBe(R1);
    expect(existingReport(reports, DIGGER, ANDERS, '2026-05-05', R1)).toBeNull();
    expect(existingReport(reports, DIGGER, ANDERS, '2026-05-06', null)).toBeNull();
  });

  const schema = reportSchema({
    today: '2026-05-06',
    assignedOn: (day) => day >= '2026-05-04' && day <= '2026-05-06',
    reportOn: (day) => (day === '2026-05-05' ? (reportsOf([report('submitted')], [], ANDERS)[0] ?? null) : null),
  });
  const values = (v: Partial<ReportValues>): ReportValues => ({ ...reportValues('2026-05-06', null), hours_worked: '8', ...v });
  const problems = (v: Partial<ReportValues>) => {
    const result = schema.safeParse(values(v));
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
  };

  it('takes a good report', () => {
    expect(problems({ hours_idle: '1,5', fuel_litres: '120', notes: 'Line one\nLine two' })).toEqual({});
  });

  it('says what the server would refuse, on its field', () => {
    expect(problems({ day: '2026-05-07' })).toEqual({ day: 'A day still to come cannot be reported yet.' });
    expect(problems({ day: '2026-05-03' })).toEqual({ day: 'You have no accepted assignment of this item on that day.' });
    expect(problems({ day: '2026-05-05' }).day).toMatch(/reported this item for that day already/);
    expect(problems({ hours_worked: '' })).toEqual({ hours_worked: 'Enter the hours worked.' });
    expect(problems({ hours_worked: '25' })).toEqual({ hours_worked: 'A day has at most 24 hours.' });
    expect(problems({ hours_worked: '20', hours_idle: '4.5' })).toEqual({ hours_idle: 'Worked and idle hours add up to at most 24 (24.5 now).' });
    expect(problems({ hours_worked: '20', hours_idle: '4' })).toEqual({});
    expect(problems({ fuel_litres: '-3' }).fuel_litres).toMatch(/zero or more/);
    expect(problems({ meter_hours: '1.234' }).meter_hours).toMatch(/at most 2 decimals/);
    expect(problems({ notes: 'x'.repeat(4001) }).notes).toBe('At most 4,000 characters.');
    expect(problems({ notes: 'bell\u0007' }).notes).toMatch(/control characters/);
  });

  it('reads figures as typed, a comma as a decimal point', () => {
    expect(parseFigure(' 7,5 ')).toBe(7.5);
    expect(parseFigure('')).toBeNull();
    expect(parseFigure('1e3')).toBe('invalid');
  });

  it('sends exactly the mutator’s arguments, leaving empty figures out', () => {
    const args = submitArgs({ id: NEW, revisionId: REV3 }, DIGGER, values({ hours_idle: '0,5', meter_hours: '1234.5', notes: '  Trenching  ' }), { latitude: 59.9139, longitude: 10.7522 }, ['p1']);
    expect(args).toEqual({
      id: NEW, revision_id: REV3, equipment_id: DIGGER, day: '2026-05-06', hours_worked: 8, hours_idle: 0.5, meter_hours: 1234.5,
      notes: 'Trenching', photo_ids: ['p1'], latitude: 59.9139, longitude: 10.7522,
    });
    expect(Object.keys(submitArgs({ id: NEW, revisionId: REV3 }, DIGGER, values({}), null, [])).sort()).toEqual(
      ['day', 'equipment_id', 'hours_idle', 'hours_worked', 'id', 'notes', 'photo_ids', 'revision_id'],
    );
  });
});

describe('the position', () => {
  it('is remembered on the device as a choice, nothing more', () => {
    const kept = new Map<string, string>();
    const storage = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => kept.set(k, v), removeItem: (k: string) => kept.delete(k) };
    expect(positionWanted(storage)).toBe(false);
    rememberPositionWanted(true, storage);
    expect(positionWanted(storage)).toBe(true);
    expect([...kept.entries()]).toEqual([['bosun.report-position', 'on']]);
    rememberPositionWanted(false, storage);
    expect(positionWanted(storage)).toBe(false);
  });

  it('is asked of the browser and rounded to about a metre', async () => {
    const getCurrentPosition = vi.fn((ok: PositionCallback) => {
      ok({ coords: { latitude: 59.913912345, longitude: 10.752198765, accuracy: 12 } } as GeolocationPosition);
    });
    await expect(currentPosition({ getCurrentPosition })).resolves.toEqual({ latitude: 59.91391, longitude: 10.7522, accuracy: 12 });
    expect(getCurrentPosition).toHaveBeenCalledTimes(1);
  });

  it('says why it is missing when the browser may not tell it', async () => {
    const denied = { getCurrentPosition: (_: PositionCallback, fail?: PositionErrorCallback | null) => fail?.({ code: 1, PERMISSION_DENIED: 1 } as GeolocationPositionError) };
    await expect(currentPosition(denied)).rejects.toThrow(/not allowed/);
    await expect(currentPosition(null)).rejects.toThrow(/cannot tell/);
    expect(formatPosition(59.9139, -10.7522)).toBe('59.91390° N, 10.75220° W');
  });
});

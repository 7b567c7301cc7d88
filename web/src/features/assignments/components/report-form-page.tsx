/**
 * The operator's daily report, offline-capable, for the roles that report (`daily_report.submit`):
 *
 * - `/assignments/:id/report` ("Report today" or "Report a day" on an accepted assignment of
 *   one's own): the day (today by default, never one still to come), hours worked and idle, fuel,
 *   hour meter, odometer, notes, photos of the item (taken with the camera, kept on the device and
 *   uploaded after the report), and "Add my position", which asks the browser's geolocation only
 *   while ticked (the choice is remembered on the device; otherwise it never asks);
 * - `/daily-reports/:id/correct` (one's own report, submitted or returned): the same form filled
 *   with its current revision, the day fixed; a returned report shows the engineer's comment.
 *
 * Checked as the server checks it (`api/report-form.ts`), then queued as `submit_daily_report.v1`
 * — a new report with a client-made UUIDv7, or the same report with a new revision id — and its
 * page opens with it "on this device".
 */
import './assignments.css';
import '../../../components/maintenance.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';

import { FieldFrame } from '../../../components/form-field';
import { newRowId } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useVesselRunningHours } from '../../../components/running-hours';
import { useDocumentTitle } from '../../../components/use-document-title';
import { PhotoPicker } from '../../../photos/photo-gallery';
import { queuePhoto, type PreparedPhoto } from '../../../photos/photo-queue';
import { useSignedInUser } from '../../../session/session-context';
import { useSyncClient } from '../../../sync/sync-context';
import { coversUtcDay, localToday, useAssignments, useItemIndex, type Assignment } from '../api/assignments';
import {
  coveringAssignment,
  existingReport,
  isCorrectable,
  MAX_REPORT_PHOTOS,
  SUBMIT_DAILY_REPORT,
  useDailyReport,
  useDailyReports,
  type DailyReport,
} from '../api/daily-reports';
import { currentPosition, formatPosition, positionWanted, rememberPositionWanted } from '../api/position';
import { parseFigure, reportSchema, reportValues, submitArgs, type Position, type ReportValues } from '../api/report-form';
import { formatDay, formatHours, formatPeriod } from './assignment-labels';
import { ReportPhotos } from './report-photos';

/** `/assignments/:id/report`. */
export function NewReportPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  useDocumentTitle('Daily report');
  const assignments = useAssignments();
  const reports = useDailyReports(user.id);
  const items = useItemIndex();
  const assignment = assignments?.find((a) => a.id === id.toLowerCase()) ?? null;
  if (!may(user.role, 'daily_report.submit')) return <Refusal text="Your role does not submit daily reports." />;
  if (assignments === undefined || reports === undefined || items === undefined) return <Loading />;
  if (assignment === null) {
    return <Refusal text="That assignment is not on this device: it may be for a site you do not reach, or not synced yet." />;
  }
  if (assignment.operatorId !== user.id.toLowerCase() || assignment.status !== 'accepted' || assignment.refused) {
    return <Refusal text="Daily reports are written on an accepted assignment of your own." />;
  }
  const item = items.get(assignment.equipmentId);
  return (
    <ReportForm
      key={assignment.id}
      equipmentId={assignment.equipmentId}
      vesselId={assignment.vesselId ?? item?.vesselId ?? null}
      itemName={item?.name ?? 'An item not yet on this device'}
      assignments={assignments}
      reports={reports}
      report={null}
      defaultDay={defaultDay(assignment)}
      context={`Assignment ${formatPeriod(assignment)}`}
    />
  );
}

/** `/daily-reports/:id/correct`. */
export function CorrectReportPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  useDocumentTitle('Correct a daily report');
  const report = useDailyReport(id, user.id);
  const assignments = useAssignments();
  const reports = useDailyReports(user.id);
  const items = useItemIndex();
  if (!may(user.role, 'daily_report.submit')) return <Refusal text="Your role does not submit daily reports." />;
  if (report === undefined || assignments === undefined || reports === undefined || items === undefined) return <Loading />;
  if (report === null) return <Refusal text="That report is not on this device: it may be for a site you do not reach, or not synced yet." />;
  if (report.operatorId !== user.id.toLowerCase()) return <Refusal text="Only the operator who wrote a report corrects it." />;
  if (!isCorrectable(report)) {
    return <Refusal text="This report is validated: it is no longer corrected." back={`/daily-reports/${encodeURIComponent(report.id)}`} />;
  }
  const item = items.get(report.equipmentId);
  return (
    <ReportForm
      key={`${report.id}:${report.revisionId}`}
      equipmentId={report.equipmentId}
      vesselId={report.vesselId ?? item?.vesselId ?? null}
      itemName={item?.name ?? 'An item not yet on this device'}
      assignments={assignments}
      reports={reports}
      report={report}
      defaultDay={report.day}
      context={`Revision ${report.revision + 1}, correcting revision ${report.revision}`}
    />
  );
}

/** Today when the assignment covers it, else its last day (it ended) or today (clamped later). */
function defaultDay(a: Assignment): string {
  const today = localToday();
  if (coversUtcDay(a, today)) return today;
  const last = new Date(Date.parse(a.endsAt) - 1).toISOString().slice(0, 10);
  return last < today ? last : today;
}

function Loading() {
  return (
    <p className="notice" role="status">
      Loading…
    </p>
  );
}

function Refusal({ text, back = '/assignments' }: { text: string; back?: string }) {
  return (
    <section className="card daily-report" aria-labelledby="report-refusal-title">
      <h1 id="report-refusal-title" className="page-title">
        Daily report
      </h1>
      <p className="notice">{text}</p>
      <p>
        <Link to={back}>{back === '/assignments' ? 'My assignments' : 'The report'}</Link>
      </p>
    </section>
  );
}

/** Where the position stands on the form. */
type PositionState =
  | { state: 'off' }
  | { state: 'asking' }
  | { state: 'found'; position: Position; accuracy: number | null }
  | { state: 'failed'; message: string };

function ReportForm({
  equipmentId,
  vesselId,
  itemName,
  assignments,
  reports,
  report,
  defaultDay: firstDay,
  context,
}: {
  equipmentId: string;
  vesselId: string | null;
  itemName: string;
  assignments: Assignment[];
  reports: DailyReport[];
  /** The report corrected; null for a new one. */
  report: DailyReport | null;
  defaultDay: string;
  context: string;
}) {
  const user = useSignedInUser();
  const sync = useSyncClient();
  const navigate = useNavigate();
  const titleId = useId();
  const positionId = useId();
  const [ids] = useState(() => ({ id: report?.id ?? newRowId(), revisionId: newRowId() }));
  const [kept, setKept] = useState<string[]>(() => report?.figures.photoIds ?? []);
  const [photos, setPhotos] = useState<PreparedPhoto[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const hours = useVesselRunningHours(vesselId ?? '');
  const hoursNow = hours?.get(equipmentId) ?? null;
  const today = localToday();
  const me = user.id;
  const schema = reportSchema({
    today,
    assignedOn: (day) => coveringAssignment(assignments, equipmentId, me, day) !== null,
    reportOn: (day) => existingReport(reports, equipmentId, me, day, report?.id ?? null),
  });
  const { register, handleSubmit, formState, control } = useForm<ReportValues, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: reportValues(firstDay > today ? today : firstDay, report?.figures ?? null),
  });
  const errors = formState.errors;
  const day = useWatch({ control, name: 'day' });
  const meter = parseFigure(useWatch({ control, name: 'meter_hours' }));
  const other = existingReport(reports, equipmentId, me, day, report?.id ?? null);

  const given = report && report.figures.latitude !== null && report.figures.longitude !== null
    ? { latitude: report.figures.latitude, longitude: report.figures.longitude }
    : null;
  const [wanted, setWanted] = useState(() => given !== null || positionWanted());
  const [position, setPosition] = useState<PositionState>(() =>
    given ? { state: 'found', position: given, accuracy: null } : { state: wanted ? 'asking' : 'off' },
  );
  const asked = useRef(false);
  const hasGiven = given !== null;
  useEffect(() => {
    // Asked once when the form opens with the choice remembered; a tick asks again.
    if (!wanted || hasGiven || asked.current) return;
    asked.current = true;
    locate(setPosition);
  }, [wanted, hasGiven]);

  const photoCount = kept.length + photos.length;
  const submit = handleSubmit(async (v) => {
    setFailure(null);
    if (photoCount > MAX_REPORT_PHOTOS) {
      setFailure(`A report holds at most ${MAX_REPORT_PHOTOS} photos: remove ${photoCount - MAX_REPORT_PHOTOS}.`);
      return;
    }
    if (!sync) {
      setFailure('Bosun is still starting; try again in a moment.');
      return;
    }
    if (photos.length > 0 && vesselId === null) {
      setFailure('Photos can be added once the item has synced to this device.');
      return;
    }
    const photoIds = [...kept];
    try {
      for (const photo of photos) photoIds.push(await queuePhoto(sync.db, photo, { kind: 'equipment', id: equipmentId, vesselId: vesselId ?? '' }));
      const where = wanted && position.state === 'found' ? position.position : null;
      await sync.enqueue(SUBMIT_DAILY_REPORT, submitArgs(ids, equipmentId, v, where, photoIds), report?.version ?? null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The report could not be kept on this device.');
      return;
    }
    await navigate(`/daily-reports/${encodeURIComponent(ids.id)}`);
  });

  return (
    <section className="daily-report" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={report ? `/daily-reports/${encodeURIComponent(report.id)}` : '/assignments'}>{report ? 'The report' : 'My assignments'}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        {report ? 'Correct the daily report' : 'Daily report'}: {itemName}
      </h1>
      <p className="field__hint">{context}</p>
      {report?.status === 'returned' && report.comment ? (
        <p className="report-comment">
          <strong>Returned with this comment:</strong> {report.comment}
        </p>
      ) : null}
      <form className="card report-form" aria-label={report ? 'Correct the daily report' : 'Daily report'} noValidate onSubmit={(e) => void submit(e)}>
        {report ? (
          <p>
            <strong>Day:</strong> {formatDay(report.day)}
          </p>
        ) : (
          <FieldFrame
            label="Day"
            hint={other ? <Link to={`/daily-reports/${encodeURIComponent(other.id)}`}>Open that day’s report</Link> : undefined}
            error={errors.day?.message}
          >
            {(fieldIds) => <input {...fieldIds} type="date" max={today} {...register('day')} />}
          </FieldFrame>
        )}
        <div className="field-pair">
          <FieldFrame label="Hours worked" error={errors.hours_worked?.message}>
            {(fieldIds) => <input {...fieldIds} inputMode="decimal" autoComplete="off" {...register('hours_worked')} />}
          </FieldFrame>
          <FieldFrame label="Hours idle" error={errors.hours_idle?.message}>
            {(fieldIds) => <input {...fieldIds} inputMode="decimal" autoComplete="off" {...register('hours_idle')} />}
          </FieldFrame>
        </div>
        <p className="field__hint">Worked and idle hours add up to at most 24.</p>
        <FieldFrame label="Fuel added (litres, optional)" error={errors.fuel_litres?.message}>
          {(fieldIds) => <input {...fieldIds} inputMode="decimal" autoComplete="off" {...register('fuel_litres')} />}
        </FieldFrame>
        <FieldFrame
          label="Hour meter at the end of the day (optional)"
          hint={
            <>
              {hoursNow === null ? 'No running hours on this device for this item yet.' : `The item’s running hours on this device: ${formatHours(hoursNow)}.`}{' '}
              Without a meter reading, the hours worked are added to the item’s running hours when the report is validated.
            </>
          }
          error={errors.meter_hours?.message}
        >
          {(fieldIds) => <input {...fieldIds} inputMode="decimal" autoComplete="off" {...register('meter_hours')} />}
        </FieldFrame>
        {typeof meter === 'number' && hoursNow !== null && meter < hoursNow ? (
          <p className="notice notice--warning booking-warning" role="status">
            The meter reads below the item’s running hours ({formatHours(hoursNow)}): a reading below an earlier one cannot be counted, so
            check it before sending.
          </p>
        ) : null}
        <FieldFrame label="Odometer (km, optional)" error={errors.odometer_km?.message}>
          {(fieldIds) => <input {...fieldIds} inputMode="decimal" autoComplete="off" {...register('odometer_km')} />}
        </FieldFrame>
        <FieldFrame label="Notes (optional)" hint="What was done, stoppages, anything the engineer should know." error={errors.notes?.message}>
          {(fieldIds) => <textarea {...fieldIds} rows={4} {...register('notes')} />}
        </FieldFrame>
        {kept.length > 0 ? (
          <ReportPhotos
            ids={kept}
            label="Photos already on the report"
            action={(photoId, n) => (
              <button
                className="link-button"
                type="button"
                onClick={() => {
                  setKept((held) => held.filter((k) => k !== photoId));
                }}
              >
                Remove<span className="visually-hidden"> photo {n} from the report</span>
              </button>
            )}
          />
        ) : null}
        <PhotoPicker photos={photos} onChange={setPhotos} />
        {photoCount > MAX_REPORT_PHOTOS ? (
          <p className="field__error">
            At most {MAX_REPORT_PHOTOS} photos: remove {photoCount - MAX_REPORT_PHOTOS}.
          </p>
        ) : null}
        <div className="report-position">
          <div className="checkbox">
            <input
              id={positionId}
              type="checkbox"
              checked={wanted}
              onChange={(e) => {
                const on = e.target.checked;
                setWanted(on);
                rememberPositionWanted(on);
                asked.current = true;
                if (on) locate(setPosition);
                else setPosition({ state: 'off' });
              }}
            />
            <label htmlFor={positionId}>Add my position</label>
          </div>
          <p className="field__hint" role="status">
            {!wanted || position.state === 'off'
              ? 'Your position is asked for only when this is ticked; the choice is remembered on this device.'
              : position.state === 'asking'
                ? 'Finding your position…'
                : position.state === 'found'
                  ? `Position: ${formatPosition(position.position.latitude, position.position.longitude)}${
                      position.accuracy !== null ? ` (within ${Math.round(position.accuracy)} m)` : ''
                    }.`
                  : position.message}
          </p>
        </div>
        {failure ? <p role="alert">{failure}</p> : null}
        <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
          {report ? 'Send the correction' : 'Submit the report'}
        </button>
        <p className="field__hint">It is kept on this device and sent as soon as there is a connection.</p>
      </form>
    </section>
  );
}

/** Asks the browser for the position and says how it went. */
function locate(set: (p: PositionState) => void) {
  set({ state: 'asking' });
  currentPosition().then(
    (p) => {
      set({ state: 'found', position: { latitude: p.latitude, longitude: p.longitude }, accuracy: p.accuracy });
    },
    (e: unknown) => {
      set({ state: 'failed', message: e instanceof Error ? e.message : 'The position could not be found: the report goes without it.' });
    },
  );
}

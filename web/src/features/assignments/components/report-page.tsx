/**
 * `/daily-reports/:id`: one daily report — its item and day, status in words, operator, the
 * current revision's figures (hours worked and idle, fuel, hour meter, odometer, notes, position,
 * photos), who validated or returned it and when, the engineer's comment, its writes still on
 * this device, and every revision (newest first). Its operator corrects it while it is submitted
 * or returned ("Correct and send again"). The site engineer (`daily_report.validate`, never on
 * their own report) validates it — its hours then become the item's running hours — or returns
 * it with a comment (required), each naming the revision read: when the operator sends a
 * correction meanwhile the server refuses it (`report_changed`), and the page says so as soon as
 * the correction reaches this device. From the replica and the outbox: it opens offline.
 */
import './assignments.css';
import '../../../components/maintenance.css';
import { useId, useState, type SyntheticEvent } from 'react';
import { Link, useParams } from 'react-router';

import { formatDateTime } from '../../../components/date-time';
import { FieldFrame } from '../../../components/form-field';
import { useEnqueue } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { charCount, hasControl, LONG_TEXT_ALLOWED } from '../../../components/plain-text';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { useItemIndex, useSiteName } from '../api/assignments';
import {
  isCorrectable,
  RETURN_DAILY_REPORT,
  useDailyReport,
  useRevisions,
  VALIDATE_DAILY_REPORT,
  type DailyReport,
  type Figures,
  type Revision,
} from '../api/daily-reports';
import { formatPosition } from '../api/position';
import { formatDay, formatFigure, formatHours, PendingWrites, refusalMeanings, ReportStatusMark, usePersonName } from './assignment-labels';
import { ReportPhotos } from './report-photos';

const COMMENT_MAX = 2000;

/** The page. */
export function ReportPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const report = useDailyReport(id, user.id);
  const items = useItemIndex();
  const itemName = report && items ? items.get(report.equipmentId)?.name : undefined;
  useDocumentTitle(report ? `Daily report: ${itemName ?? 'item'}, ${report.day}` : 'Daily report');
  if (report === undefined || items === undefined) {
    return (
      <p className="notice" role="status">
        Loading the report…
      </p>
    );
  }
  if (report === null) {
    return (
      <section className="card daily-report" aria-labelledby="report-missing-title">
        <h1 id="report-missing-title" className="page-title">
          Daily report
        </h1>
        <p className="notice">That report is not on this device: it may be for a site you do not reach, or not synced yet.</p>
        <p>
          <Link to="/assignments">Assignments</Link>
        </p>
      </section>
    );
  }
  return <ReportDetails report={report} itemName={itemName} vesselId={report.vesselId ?? items.get(report.equipmentId)?.vesselId ?? null} />;
}

function ReportDetails({ report: r, itemName, vesselId }: { report: DailyReport; itemName: string | undefined; vesselId: string | null }) {
  const user = useSignedInUser();
  const titleId = useId();
  const name = usePersonName();
  const siteName = useSiteName(vesselId);
  const mine = r.operatorId === null || r.operatorId === user.id.toLowerCase();
  const item = itemName ?? 'An item not yet on this device';
  const back = vesselId ? `/vessels/${encodeURIComponent(vesselId)}/daily-reports` : '/assignments';
  return (
    <article className="daily-report" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={back}>{vesselId ? `Daily reports on ${siteName ?? 'the site'}` : 'Assignments'}</Link>
      </p>
      <header className="card assignments-section">
        <p className="booking__site">
          <Link to={`/equipment/${encodeURIComponent(r.equipmentId)}`}>{item}</Link>
          {siteName ? ` · ${siteName}` : ''}
        </p>
        <h1 id={titleId} className="page-title">
          Daily report: {formatDay(r.day)}
        </h1>
        <p>
          <ReportStatusMark status={r.status} refused={r.refused} />
        </p>
        <dl className="booking-facts">
          <div>
            <dt>Operator</dt>
            <dd>{name(r.operatorId)}</dd>
          </div>
          <div>
            <dt>Revision</dt>
            <dd>{r.revision}</dd>
          </div>
          {r.submittedAt ? (
            <div>
              <dt>Sent</dt>
              <dd>{formatDateTime(r.submittedAt)}</dd>
            </div>
          ) : null}
          {r.status === 'validated' ? (
            <div>
              <dt>Validated</dt>
              <dd>
                {name(r.validatedBy, 'A site engineer')}
                {r.validatedAt ? `, ${formatDateTime(r.validatedAt)}` : ''}
              </dd>
            </div>
          ) : null}
          {r.returnedBy !== null || r.status === 'returned' ? (
            <div>
              <dt>{r.status === 'returned' ? 'Returned' : 'Last returned'}</dt>
              <dd>
                {name(r.returnedBy, 'A site engineer')}
                {r.returnedAt ? `, ${formatDateTime(r.returnedAt)}` : ''}
              </dd>
            </div>
          ) : null}
        </dl>
        {r.comment && r.status !== 'validated' ? (
          <p className="report-comment">
            <strong>{r.status === 'returned' ? 'Returned with this comment:' : 'The last return’s comment:'}</strong> {r.comment}
          </p>
        ) : null}
        {r.status === 'validated' ? (
          <p className="field__hint">
            {r.readingId !== null || r.version === null
              ? 'Its hours count: validation records them as the item’s running hours, and the item’s maintenance plans by hours follow.'
              : 'Validated.'}
          </p>
        ) : null}
        <PendingWrites writes={r.pending} label="Changes to the report not yet accepted" />
        {mine && isCorrectable(r) && may(user.role, 'daily_report.submit') ? (
          <p className="booking__actions">
            <Link className={`button${r.status === 'returned' ? ' button--primary' : ''}`} to={`/daily-reports/${encodeURIComponent(r.id)}/correct`}>
              {r.status === 'returned' ? 'Correct and send again' : 'Correct the report'}
            </Link>
          </p>
        ) : null}
      </header>
      <Review report={r} mine={mine} />
      <section className="card assignments-section" aria-labelledby={`${titleId}-figures`}>
        <h2 id={`${titleId}-figures`} className="assignments-section__title">
          What was reported
        </h2>
        <FiguresList figures={r.figures} />
        {r.figures.photoIds.length > 0 ? <ReportPhotos ids={r.figures.photoIds} label="Photos" /> : null}
      </section>
      <Revisions reportId={r.id} />
    </article>
  );
}

function FiguresList({ figures: f }: { figures: Figures }) {
  return (
    <dl className="report-figures">
      <dt>Hours worked</dt>
      <dd>{formatHours(f.hoursWorked)}</dd>
      <dt>Hours idle</dt>
      <dd>{formatHours(f.hoursIdle)}</dd>
      <dt>Fuel added</dt>
      <dd>{formatFigure(f.fuelLitres, 'l')}</dd>
      <dt>Hour meter</dt>
      <dd>{formatFigure(f.meterHours, 'h')}</dd>
      <dt>Odometer</dt>
      <dd>{formatFigure(f.odometerKm, 'km')}</dd>
      <dt>Position</dt>
      <dd>{f.latitude !== null && f.longitude !== null ? formatPosition(f.latitude, f.longitude) : 'Not given'}</dd>
      <dt>Notes</dt>
      <dd className="booking__note">{f.notes || '—'}</dd>
      <dt>Photos</dt>
      <dd>{f.photoIds.length === 0 ? 'None' : f.photoIds.length}</dd>
    </dl>
  );
}

/**
 * Validate or return, for `daily_report.validate` roles on someone else's submitted report. The
 * revision shown when the page opened is the one judged: a correction arriving meanwhile is said.
 */
function Review({ report: r, mine }: { report: DailyReport; mine: boolean }) {
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const formId = useId();
  const [seen] = useState(r.revisionId);
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (!may(user.role, 'daily_report.validate')) return null;
  if (mine) {
    return r.status === 'submitted' ? <p className="notice">Your own report is validated by someone else on the site.</p> : null;
  }
  const lastReview = r.pending.filter((w) => w.name === VALIDATE_DAILY_REPORT || w.name === RETURN_DAILY_REPORT).at(-1);
  const changed = lastReview?.state === 'rejected' && lastReview.code === 'report_changed';
  if (r.status !== 'submitted' || r.refused) return null;
  if (r.version === null) return <p className="notice">The report is validated once it has reached the server.</p>;

  async function queue(name: string, args: Record<string, string>) {
    setFailure(null);
    try {
      await enqueue(name, { report_id: r.id, revision_id: r.revisionId, ...args }, r.version);
      return true;
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The change could not be kept on this device.');
      return false;
    }
  }

  async function sendBack(e: SyntheticEvent) {
    e.preventDefault();
    const text = comment.trim();
    if (text === '') {
      setProblem('Say what needs correcting.');
      return;
    }
    if (charCount(text) > COMMENT_MAX) {
      setProblem(`At most ${COMMENT_MAX.toLocaleString()} characters.`);
      return;
    }
    if (hasControl(text, LONG_TEXT_ALLOWED)) {
      setProblem('Remove the control characters (line breaks and tabs are fine).');
      return;
    }
    setProblem(null);
    if (await queue(RETURN_DAILY_REPORT, { comment: text })) {
      setReturning(false);
      setComment('');
    }
  }

  return (
    <section className="card assignments-section" aria-label="Validate or return">
      {seen !== r.revisionId || changed ? (
        <p className="notice notice--warning" role="status">
          The operator sent a correction (revision {r.revision}) while you were reading: read it below before you validate or return it.
        </p>
      ) : null}
      <p className="field__hint">
        Validating counts its hours: the item’s running hours become{' '}
        {r.figures.meterHours !== null ? `the hour meter, ${formatHours(r.figures.meterHours)}` : `its hours plus the ${formatHours(r.figures.hoursWorked)} worked`}
        .
      </p>
      <div className="booking__actions">
        <button className="button button--primary" type="button" onClick={() => void queue(VALIDATE_DAILY_REPORT, {})}>
          Validate
        </button>
        <button
          className="button"
          type="button"
          aria-expanded={returning}
          aria-controls={formId}
          onClick={() => {
            setReturning(!returning);
          }}
        >
          Return with a comment
        </button>
      </div>
      <div id={formId} hidden={!returning}>
        {returning ? (
          <form className="review-form" aria-label="Return the report" noValidate onSubmit={(e) => void sendBack(e)}>
            <FieldFrame label="Comment" hint="What the operator should correct; they read it with the report." error={problem ?? undefined}>
              {(ids) => (
                <textarea
                  {...ids}
                  rows={3}
                  value={comment}
                  onChange={(e) => {
                    setComment(e.target.value);
                  }}
                />
              )}
            </FieldFrame>
            <button className="button button--danger" type="submit">
              Return the report
            </button>
          </form>
        ) : null}
      </div>
      {failure ? <p role="alert">{failure}</p> : null}
    </section>
  );
}

function Revisions({ reportId }: { reportId: string }) {
  const titleId = useId();
  const revisions = useRevisions(reportId);
  return (
    <section className="card assignments-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="assignments-section__title">
        Revisions
      </h2>
      {revisions === undefined ? (
        <p role="status">Loading…</p>
      ) : revisions.length === 0 ? (
        <p className="field__hint">The revisions arrive with the next sync.</p>
      ) : (
        <ol className="revision-list" aria-label="Revisions" reversed>
          {revisions.map((rev) => (
            <RevisionEntry key={rev.id} revision={rev} />
          ))}
        </ol>
      )}
    </section>
  );
}

function RevisionEntry({ revision: rev }: { revision: Revision }) {
  const name = usePersonName();
  const f = rev.figures;
  const parts = [
    `${formatHours(f.hoursWorked)} worked`,
    `${formatHours(f.hoursIdle)} idle`,
    f.fuelLitres !== null ? `${formatFigure(f.fuelLitres, 'l')} fuel` : null,
    f.meterHours !== null ? `meter ${formatFigure(f.meterHours, 'h')}` : null,
    f.odometerKm !== null ? `odometer ${formatFigure(f.odometerKm, 'km')}` : null,
    f.photoIds.length > 0 ? `${f.photoIds.length} ${f.photoIds.length === 1 ? 'photo' : 'photos'}` : null,
  ].filter((p) => p !== null);
  return (
    <li className="revision">
      <p>
        <strong>{rev.number > 0 ? `Revision ${rev.number}` : 'A revision not sent'}</strong>
        {rev.pending ? (
          <>
            {' '}
            <PendingMark write={rev.pending} />
            {rev.pending.state === 'rejected' && rev.pending.code ? (
              <span className="pending-refusal"> {refusalMeanings(rev.pending)[rev.pending.code] ?? rev.pending.detail}</span>
            ) : null}
          </>
        ) : null}
      </p>
      <p className="field__hint">
        Sent by {name(rev.submittedBy)}
        {rev.submittedAt ? `, ${formatDateTime(rev.submittedAt)}` : ''}
      </p>
      <p>{parts.join(' · ')}</p>
      {f.notes ? <p className="booking__note">{f.notes}</p> : null}
    </li>
  );
}

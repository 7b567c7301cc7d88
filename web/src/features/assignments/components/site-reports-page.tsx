/**
 * `/vessels/:id/daily-reports`: the operators' daily reports of a site's items — those waiting
 * for validation first, then the returned, then the validated, each the latest day first —
 * filtered by status (`?status=submitted|returned|validated`). Each row links to the report,
 * where the site engineer validates or returns it. From the replica and the outbox: a report
 * submitted, validated or returned on this device shows at once.
 */
import './assignments.css';
import '../../../components/maintenance.css';
import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { useItemIndex, useSiteName } from '../api/assignments';
import { byUrgency, REPORT_STATUSES, useDailyReports, type ReportStatus } from '../api/daily-reports';
import { REPORT_STATUS_LABEL } from './assignment-labels';
import { ReportRow } from './report-row';
import { SiteNav } from './site-nav';

/** The page. */
export function SiteReportsPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const siteName = useSiteName(vesselId);
  useDocumentTitle(siteName ? `Daily reports on ${siteName}` : 'Daily reports');
  const titleId = useId();
  const filterId = useId();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status: ReportStatus | 'all' = REPORT_STATUSES.includes(statusParam as ReportStatus) ? (statusParam as ReportStatus) : 'all';
  const reports = useDailyReports(user.id);
  const items = useItemIndex();

  const onSite = reports && items ? reports.filter((r) => (r.vesselId ?? items.get(r.equipmentId)?.vesselId) === vesselId).sort(byUrgency) : undefined;
  const shown = onSite?.filter((r) => status === 'all' || r.status === status);
  const waiting = onSite?.filter((r) => r.status === 'submitted' && !r.refused).length ?? 0;

  return (
    <section className="assignments" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/assignments">Assignments</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Daily reports{siteName ? ` on ${siteName}` : ''}
      </h1>
      <SiteNav vesselId={vesselId} />
      <div className="card assignments-filters" role="group" aria-label="Filters">
        <div className="field">
          <label htmlFor={filterId}>Status</label>
          <select
            id={filterId}
            value={status}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value === 'all') next.delete('status');
              else next.set('status', e.target.value);
              setParams(next, { replace: true });
            }}
          >
            <option value="all">All, waiting for validation first</option>
            {REPORT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {REPORT_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {shown === undefined || onSite === undefined ? (
        <p className="notice" role="status">
          Loading daily reports…
        </p>
      ) : onSite.length === 0 ? (
        <p className="notice">No daily reports on this site yet: operators write them on their accepted assignments.</p>
      ) : shown.length === 0 ? (
        <p className="notice">No report is {REPORT_STATUS_LABEL[status as ReportStatus].toLowerCase()}.</p>
      ) : (
        <>
          <p className="section-count">
            {shown.length} of {onSite.length} {onSite.length === 1 ? 'report' : 'reports'} · {waiting} waiting for validation
          </p>
          <ul className="report-list" aria-label="Daily reports">
            {shown.map((r) => (
              <ReportRow key={r.id} report={r} itemName={items?.get(r.equipmentId)?.name} level={2} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

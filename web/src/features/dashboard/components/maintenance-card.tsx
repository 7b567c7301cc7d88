/**
 * The dashboard's "Planned maintenance" card: compliance over the last 365 days (the share of
 * the occurrences that ended — done, skipped because their work order was cancelled, or missed
 * when a later one was done — that were done inside their window: "37 of 40 occurrences done in
 * their window"), how many plans are overdue (linking to the vessel's plans, filtered to the
 * overdue), the backlog and the plans counted. From `GET /api/v1/analytics/maintenance`; a
 * server without that route (404) shows no card.
 */
import { Link } from 'react-router';

import { ProblemAlert } from '../../../components/problem-alert';
import { useMaintenanceReport } from '../api/analytics';

const PERCENT = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** The card for one vessel or the fleet. */
export function MaintenanceCard({ vesselId }: { vesselId: string | undefined }) {
  const report = useMaintenanceReport(vesselId);
  if (report.isPending) return null;
  if (report.isError) {
    return report.error.status === 404 ? null : <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />;
  }
  const r = report.data;
  const overdueLink = vesselId === undefined ? '/maintenance?due=overdue' : `/vessels/${encodeURIComponent(vesselId)}/maintenance?due=overdue`;
  return (
    <section className="card chart-card" aria-labelledby="maintenance-card-title">
      <h2 id="maintenance-card-title" className="card__title">
        Planned maintenance
      </h2>
      <dl className="figures-list">
        <div>
          <dt>Compliance (last 365 days)</dt>
          <dd>
            {r.compliancePercent === null ? 'No occurrence has ended yet' : `${PERCENT.format(r.compliancePercent)} %`}
            {r.done > 0 ? (
              <>
                {' '}
                ({r.doneInWindow} of {r.done} {r.done === 1 ? 'occurrence' : 'occurrences'} done in their window)
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Overdue</dt>
          <dd>
            <Link to={overdueLink}>
              {r.overdue.length} {r.overdue.length === 1 ? 'plan' : 'plans'}
              <span className="visually-hidden"> overdue: see them</span>
            </Link>
          </dd>
        </div>
        <div>
          <dt>Backlog</dt>
          <dd>{r.backlog}</dd>
        </div>
        <div>
          <dt>Plans</dt>
          <dd>{r.plans}</dd>
        </div>
      </dl>
    </section>
  );
}

/**
 * One daily report as a list row: the item and day (linking to the report), its status in
 * words, the operator, hours worked and idle, the revision, the engineer's comment on a
 * returned one, and its writes still on this device.
 */
import { useId } from 'react';
import { Link } from 'react-router';

import { PendingMark } from '../../../components/pending-mark';
import type { DailyReport } from '../api/daily-reports';
import { formatDay, formatHours, ReportStatusMark, usePersonName } from './assignment-labels';

/** The row. */
export function ReportRow({
  report: r,
  itemName,
  showOperator = true,
  level = 3,
}: {
  report: DailyReport;
  itemName: string | undefined;
  showOperator?: boolean;
  /** Its heading's level: 2 where the list is under the page's title. */
  level?: 2 | 3;
}) {
  const titleId = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  const name = usePersonName();
  const latest = r.pending.at(-1);
  return (
    <li className={`report-row report-row--${r.refused ? 'returned' : r.status}`} aria-labelledby={titleId}>
      <Heading id={titleId} className="report-row__title">
        <Link to={`/daily-reports/${encodeURIComponent(r.id)}`}>
          {itemName ?? 'An item not yet on this device'} · {formatDay(r.day)}
        </Link>
      </Heading>
      <p>
        <ReportStatusMark status={r.status} refused={r.refused} />
        {latest ? (
          <>
            {' '}
            <PendingMark write={latest} />
          </>
        ) : null}
      </p>
      <dl className="booking-facts">
        {showOperator ? (
          <div>
            <dt>Operator</dt>
            <dd>{name(r.operatorId)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Worked</dt>
          <dd>{formatHours(r.figures.hoursWorked)}</dd>
        </div>
        <div>
          <dt>Idle</dt>
          <dd>{formatHours(r.figures.hoursIdle)}</dd>
        </div>
        <div>
          <dt>Revision</dt>
          <dd>{r.revision}</dd>
        </div>
      </dl>
      {r.status === 'returned' && r.comment ? (
        <p className="report-comment">
          <strong>Returned:</strong> {r.comment}
        </p>
      ) : null}
    </li>
  );
}

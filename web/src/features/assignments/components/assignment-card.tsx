/**
 * One assignment as a list row: the item (linking to its page) and its site, the period, the
 * status in words, the operator, who booked it, the planner's note and a decline's reason, its
 * writes still on this device with how far they got; the actions the page offers go under it.
 */
import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';

import type { Assignment } from '../api/assignments';
import { AssignmentStatusMark, formatPeriod, PendingWrites, usePersonName } from './assignment-labels';

/** The row; the site and the operator are left out where the page says them already. */
export function AssignmentCard({
  assignment: a,
  itemName,
  siteName,
  mine = false,
  showOperator = true,
  heading,
  children,
}: {
  assignment: Assignment;
  itemName: string | undefined;
  /** Shown under the item when given. */
  siteName?: string | null | undefined;
  /** The person reading is its operator. */
  mine?: boolean;
  showOperator?: boolean;
  /** The row's heading where the page names the item already (a site's bookings: the operator). */
  heading?: string;
  children?: ReactNode;
}) {
  const titleId = useId();
  const name = usePersonName();
  const item = itemName ?? 'An item not yet on this device';
  return (
    <li className={`booking booking--${a.refused ? 'refused' : a.status}`} aria-labelledby={titleId}>
      <h3 id={titleId} className="booking__title">
        {heading ?? <Link to={`/equipment/${encodeURIComponent(a.equipmentId)}`}>{item}</Link>}
      </h3>
      {siteName !== undefined ? <p className="booking__site">{siteName ?? 'A site not yet on this device'}</p> : null}
      <p>
        <span className="booking__period">{formatPeriod(a)}</span>{' '}
        <AssignmentStatusMark status={a.status} refused={a.refused} mine={mine} />
      </p>
      <dl className="booking-facts">
        {showOperator ? (
          <div>
            <dt>Operator</dt>
            <dd>{name(a.operatorId)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Booked by</dt>
          <dd>{name(a.assignedBy, 'A planner')}</dd>
        </div>
      </dl>
      {a.note ? <p className="booking__note">{a.note}</p> : null}
      {a.status === 'declined' && a.declineReason ? (
        <p>
          <strong>Reason given:</strong> {a.declineReason}
        </p>
      ) : null}
      <PendingWrites writes={a.pending} label={`Changes to the booking of ${item} not yet accepted`} />
      {children}
    </li>
  );
}

/**
 * `/vessels/:id/requisitions`: a vessel's requisitions, newest first, filtered by status
 * (`?status=`: the open ones by default — requested, approved, ordered, partly received — one
 * status, or all); each with its part, quantity, who asked and where it stands, and the
 * requisitions raised on this device marked "on this device" until the server has them. "Request
 * a part" for roles with `parts.request`. From the replica and the outbox, so it works offline.
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { formatDate } from '../../../components/date-time';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { usePeopleNames } from '../../../components/vessel-people';
import { useSignedInUser } from '../../../session/session-context';
import { REQUISITION_STATUSES, useRequisitions, type Requisition, type RequisitionStatus } from '../api/purchasing';
import { useVesselName } from '../api/vessels';
import { NotYours } from './purchasing-page';
import { REQUISITION_STATUS_LABEL, RequisitionBadge, RequisitionLink, withUnit } from './purchasing-labels';

/** The filter's choices: the open ones, each status, or all. */
export const OPEN_REQUISITIONS: readonly RequisitionStatus[] = ['requested', 'approved', 'ordered', 'partially_received'];

/** The statuses a `?status=` value asks for (none: all). */
export function requisitionFilter(value: string | null): readonly RequisitionStatus[] {
  if (value === 'all') return [];
  const asked = (value ?? 'open')
    .split(',')
    .flatMap((s) => (s === 'open' ? OPEN_REQUISITIONS : (REQUISITION_STATUSES as readonly string[]).includes(s) ? [s as RequisitionStatus] : []));
  return asked.length === 0 ? OPEN_REQUISITIONS : asked;
}

/** The page. */
export function RequisitionsPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const vesselName = useVesselName(vesselId);
  useDocumentTitle(vesselName ? `Requisitions on ${vesselName}` : 'Requisitions');
  const titleId = useId();
  const filterId = useId();
  const [params, setParams] = useSearchParams();
  const all = useRequisitions();
  if (!may(user.role, 'parts.read')) return <NotYours title="Requisitions" />;
  const status = params.get('status') ?? 'open';
  const wanted = requisitionFilter(status);
  const shown = all?.filter((r) => r.vesselId === vesselId && (wanted.length === 0 || wanted.includes(r.status)));
  return (
    <section className="buy" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/purchasing">Purchasing</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Requisitions{vesselName ? ` on ${vesselName}` : ''}
      </h1>
      <p className="buy-links">
        {may(user.role, 'parts.request') ? (
          <Link className="button button--primary" to={`/vessels/${encodeURIComponent(vesselId)}/requisitions/new`}>
            Request a part
          </Link>
        ) : null}
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/purchase-orders`}>Purchase orders</Link>
      </p>
      <div className="field">
        <label htmlFor={filterId}>Show</label>
        <select
          id={filterId}
          value={status}
          onChange={(e) => {
            const next = new URLSearchParams(params);
            if (e.target.value === 'open') next.delete('status');
            else next.set('status', e.target.value);
            setParams(next, { replace: true });
          }}
        >
          <option value="open">Open (requested, approved, ordered, partly received)</option>
          {REQUISITION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {REQUISITION_STATUS_LABEL[s]}
            </option>
          ))}
          <option value="all">All</option>
        </select>
      </div>
      {shown === undefined ? (
        <p className="notice" role="status">
          Loading requisitions…
        </p>
      ) : shown.length === 0 ? (
        <p className="notice">No requisitions{status === 'all' ? '' : ' shown by this filter'} on this vessel.</p>
      ) : (
        <ul className="buy-list" aria-label="Requisitions">
          {shown.map((r) => (
            <RequisitionItem key={r.id} requisition={r} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RequisitionItem({ requisition: r }: { requisition: Requisition }) {
  const user = useSignedInUser();
  const people = usePeopleNames();
  const titleId = useId();
  const who = r.requestedBy === null || r.requestedBy === user.id.toLowerCase() ? `${user.name} (you)` : (people.get(r.requestedBy) ?? 'A shipmate');
  const last = r.pending.at(-1);
  return (
    <li className={`buy-item${r.status === 'requested' ? ' buy-item--waiting' : ''}`} aria-labelledby={titleId}>
      <h2 id={titleId} className="buy-item__title">
        <RequisitionLink requisition={r} />
      </h2>
      <RequisitionBadge requisition={r} />
      <dl className="buy-item__facts">
        <div>
          <dt>Quantity</dt>
          <dd className="buy-number">{withUnit(r.quantity, r.unit)}</dd>
        </div>
        {r.neededBy ? (
          <div>
            <dt>Needed by</dt>
            <dd>{formatDate(r.neededBy)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Asked by</dt>
          <dd>{who}</dd>
        </div>
      </dl>
      {last ? (
        <p>
          <PendingMark write={last} />
        </p>
      ) : null}
    </li>
  );
}

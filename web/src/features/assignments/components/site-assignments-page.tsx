/**
 * `/vessels/:id/assignments`: a site's bookings, per item — by default those under way and to
 * come that hold their item (waiting for the operator or accepted), each item's the soonest
 * first; "All" adds the ended, declined and cancelled ones. Each booking says its period, status
 * in words, operator, who booked it and its note; "Cancel booking" (asked twice) for the roles
 * that plan (`assignment.manage`), queued as `cancel_assignment.v1`. "Assign equipment" opens
 * the booking form. From the replica and the outbox: a booking made offline shows at once.
 */
import './assignments.css';
import '../../../components/maintenance.css';
import { useId, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';

import { useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { CANCEL_ASSIGNMENT, isHeld, useAssignments, useItemIndex, useSiteName, type Assignment } from '../api/assignments';
import { AssignmentCard } from './assignment-card';
import { formatPeriod, usePersonName } from './assignment-labels';
import { SiteNav } from './site-nav';

const SHOW = {
  ahead: 'Under way and to come',
  all: 'All, ended and released included',
} as const;
type Show = keyof typeof SHOW;

/** What the booking form leaves for this page to say. */
export interface BookedState {
  booked: string;
}

const bookedMessage = (state: unknown): string | null =>
  typeof state === 'object' && state !== null && 'booked' in state && typeof state.booked === 'string' ? state.booked : null;

/** The page. */
export function SiteAssignmentsPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const siteName = useSiteName(vesselId);
  useDocumentTitle(siteName ? `Assignments on ${siteName}` : 'Assignments');
  const titleId = useId();
  const filterId = useId();
  const [params, setParams] = useSearchParams();
  const show: Show = params.get('show') === 'all' ? 'all' : 'ahead';
  const booked = bookedMessage(useLocation().state);
  const assignments = useAssignments();
  const items = useItemIndex();
  // The moment the page opened: what has ended.
  const [now] = useState(Date.now);

  const onSite = assignments?.filter((a) => (a.vesselId ?? items?.get(a.equipmentId)?.vesselId) === vesselId);
  const shown = onSite?.filter((a) => show === 'all' || (isHeld(a) && Date.parse(a.endsAt) > now) || (a.refused && a.pending.length > 0));
  const byItem = new Map<string, Assignment[]>();
  for (const a of shown ?? []) byItem.set(a.equipmentId, [...(byItem.get(a.equipmentId) ?? []), a]);
  const itemName = (itemId: string) => items?.get(itemId)?.name;
  const groups = [...byItem.entries()]
    .map(([itemId, list]) => ({ itemId, name: itemName(itemId), list: list.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id)) }))
    .sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.itemId.localeCompare(b.itemId));

  return (
    <section className="assignments" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/assignments">Assignments</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Assignments{siteName ? ` on ${siteName}` : ''}
      </h1>
      <SiteNav vesselId={vesselId} />
      {booked ? (
        <p className="notice notice--success" role="status">
          {booked}
        </p>
      ) : null}
      <div className="card assignments-filters" role="group" aria-label="Filters">
        <div className="field">
          <label htmlFor={filterId}>Show</label>
          <select
            id={filterId}
            value={show}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value === 'all') next.set('show', 'all');
              else next.delete('show');
              setParams(next, { replace: true });
            }}
          >
            {Object.entries(SHOW).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {shown === undefined ? (
        <p className="notice" role="status">
          Loading bookings…
        </p>
      ) : groups.length === 0 ? (
        <p className="notice">
          {show === 'all' ? 'No bookings on this site yet.' : 'No bookings under way or to come on this site.'}{' '}
          {may(user.role, 'assignment.manage') ? 'Choose “Assign equipment” to book an item for an operator.' : 'A manager books the equipment.'}
        </p>
      ) : (
        <>
          <p className="section-count">
            {shown.length} {shown.length === 1 ? 'booking' : 'bookings'} of {groups.length} {groups.length === 1 ? 'item' : 'items'}
          </p>
          {groups.map((g) => (
            <ItemBookings key={g.itemId} itemId={g.itemId} name={g.name} list={g.list} vesselId={vesselId} />
          ))}
        </>
      )}
    </section>
  );
}

function ItemBookings({ itemId, name, list, vesselId }: { itemId: string; name: string | undefined; list: Assignment[]; vesselId: string }) {
  const titleId = useId();
  const user = useSignedInUser();
  const person = usePersonName();
  const item = name ?? 'An item not yet on this device';
  return (
    <section className="card assignments-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="assignments-section__title">
        <Link to={`/equipment/${encodeURIComponent(itemId)}`}>{item}</Link>
      </h2>
      <ul className="booking-list" aria-label={`Bookings of ${item}`}>
        {list.map((a) => (
          <AssignmentCard key={a.id} assignment={a} itemName={name} heading={person(a.operatorId)} showOperator={false}>
            {may(user.role, 'assignment.manage') && isHeld(a) ? <CancelBooking assignment={a} what={`${item}, ${formatPeriod(a)}`} /> : null}
          </AssignmentCard>
        ))}
      </ul>
      {may(user.role, 'assignment.manage') ? (
        <p>
          <Link to={`/vessels/${encodeURIComponent(vesselId)}/assignments/new?equipment=${encodeURIComponent(itemId)}`}>
            Book {item} again<span className="visually-hidden"> for another period</span>
          </Link>
        </p>
      ) : null}
    </section>
  );
}

/** "Cancel booking", then "Yes, cancel it" or "Keep it". */
function CancelBooking({ assignment, what }: { assignment: Assignment; what: string }) {
  const enqueue = useEnqueue();
  const [asking, setAsking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  async function cancel() {
    setFailure(null);
    try {
      await enqueue(CANCEL_ASSIGNMENT, { assignment_id: assignment.id }, assignment.version);
      setAsking(false);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The cancellation could not be kept on this device.');
    }
  }
  return (
    <>
      {asking ? (
        <div className="booking__actions" role="group" aria-label={`Cancel the booking of ${what}?`}>
          <button className="button button--danger" type="button" onClick={() => void cancel()}>
            Yes, cancel it
          </button>
          <button
            className="button"
            type="button"
            onClick={() => {
              setAsking(false);
            }}
          >
            Keep it
          </button>
        </div>
      ) : (
        <p className="booking__actions">
          <button
            className="button button--danger"
            type="button"
            onClick={() => {
              setAsking(true);
            }}
          >
            Cancel booking<span className="visually-hidden"> of {what}</span>
          </button>
        </p>
      )}
      {failure ? <p role="alert">{failure}</p> : null}
    </>
  );
}

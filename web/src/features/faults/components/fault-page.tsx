/**
 * `/faults/:id`: one fault with what the person's role lets them do to it — acknowledge,
 * assign, move along, resolve with root cause and resolution (`fault.manage`), comment
 * (`fault.comment`), add photos (`attachment.upload`) — its photos, comments and history.
 * Every action is queued in the outbox, naming the fault's replica version as its base; a
 * fault whose report has not reached the server yet takes comments, not moves. The parts it
 * needs are requisitions: "Request part" and the fault's requisitions are the purchasing
 * feature's, placed under this page by the routes.
 */
import '../../../components/maintenance.css';
import { useId, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';

import { formatDateTime } from '../../../components/date-time';
import { useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { PhotoGallery } from '../../../photos/photo-gallery';
import { useSignedInUser } from '../../../session/session-context';
import type { JsonValue } from '../../../sync/checksum';
import {
  canResolve,
  expectedStatus,
  statusMoves,
  useComments,
  useEquipmentNames,
  useFault,
  usePeopleNames,
  useVesselMembers,
  type FaultItem,
} from '../api/faults';
import { FIELD_LABEL } from '../../../components/field-labels';
import { PendingMark } from '../../../components/pending-mark';
import { PendingWrites, SEVERITY_LABEL, STATUS_LABEL } from './fault-labels';
import { CommentForm, ResolveForm } from './fault-forms';

/** The page. */
export function FaultPage() {
  const { id = '' } = useParams();
  const fault = useFault(id);
  useDocumentTitle(fault?.title ?? 'Fault');
  if (fault === undefined) {
    return (
      <p className="notice" role="status">
        Loading fault…
      </p>
    );
  }
  if (fault === null) {
    return (
      <section className="card">
        <h1 className="page-title">Fault not found</h1>
        <p className="notice">
          It is not on this device: it may be on a vessel you are not assigned to, or not synced yet.{' '}
          <Link to="/vessels">Go to your vessels</Link>
        </p>
      </section>
    );
  }
  return <FaultDetails fault={fault} />;
}

const FAULT_FIELD = FIELD_LABEL.fault;

function FaultDetails({ fault }: { fault: FaultItem }) {
  const titleId = useId();
  const user = useSignedInUser();
  const names = useEquipmentNames();
  const people = usePeopleNames();
  const person = (userId: string | null) =>
    userId === null ? '—' : userId.toLowerCase() === user.id.toLowerCase() ? `${user.name} (you)` : (people.get(userId.toLowerCase()) ?? 'A shipmate');
  const facts: [string, ReactNode][] = [
    ['Item', <Link to={`/equipment/${encodeURIComponent(fault.equipmentId)}`}>{names?.get(fault.equipmentId) ?? 'The item'}</Link>],
    ['Severity', <span className={`level level--${fault.severity}`}>{SEVERITY_LABEL[fault.severity]}</span>],
    ['Status', <StatusText fault={fault} />],
    // The fields a conflict can name, in the words the conflict inbox uses.
    [FAULT_FIELD.assignee_id, person(fault.assigneeId)],
  ];
  if (fault.rootCause) facts.push([FAULT_FIELD.root_cause, fault.rootCause]);
  if (fault.resolution) facts.push([FAULT_FIELD.resolution, fault.resolution]);

  return (
    <article className="fault-page" aria-labelledby={titleId}>
      {fault.vesselId ? (
        <p className="back-link">
          <Link to={`/vessels/${encodeURIComponent(fault.vesselId)}/faults`}>All faults on this vessel</Link>
        </p>
      ) : null}
      <div className={`card fault--${fault.severity}`}>
        <h1 id={titleId} className="page-title">
          {fault.title}
        </h1>
        {fault.description ? <p className="fault__description">{fault.description}</p> : null}
        <dl className="facts">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <PendingWrites writes={fault.pending} />
        <p>
          <Link to={`/equipment/${encodeURIComponent(fault.equipmentId)}/report-fault`}>Report another fault on this item</Link>
        </p>
      </div>
      <PhotoGallery parentKind="fault" parentId={fault.id} vesselId={fault.vesselId} />
      <Actions fault={fault} />
      <Comments fault={fault} person={person} />
      <History fault={fault} person={person} />
    </article>
  );
}

/** The status, and the one this device's waiting moves lead to. */
function StatusText({ fault }: { fault: FaultItem }) {
  const expected = expectedStatus(fault);
  return expected === fault.status ? (
    <>{STATUS_LABEL[fault.status]}</>
  ) : (
    <>
      {STATUS_LABEL[fault.status]} → {STATUS_LABEL[expected]} (on this device)
    </>
  );
}

/** The lifecycle actions the role allows. */
function Actions({ fault }: { fault: FaultItem }) {
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const titleId = useId();
  const members = useVesselMembers(fault.vesselId);
  const people = usePeopleNames();
  const [failure, setFailure] = useState<string | null>(null);
  const [assignee, setAssignee] = useState('');
  if (!may(user.role, 'fault.manage')) return null;
  const base = fault.version;

  async function queue(name: string, args: Record<string, JsonValue>) {
    setFailure(null);
    try {
      await enqueue(name, { fault_id: fault.id, ...args }, base);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The change could not be kept on this device.');
    }
  }

  // Offered from where this device's waiting moves leave the fault, so a queued move is not
  // offered twice; each names the confirmed version as its base (the server lets a device's own
  // earlier writes through, docs/SYNC.md "Conflicts").
  const status = expectedStatus(fault);
  const moves = statusMoves(status);
  const candidates = [...new Set([user.id.toLowerCase(), ...members])];
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Actions
      </h2>
      {base === null ? (
        <p className="notice">The report is still on this device; it can be moved along once the server has it.</p>
      ) : (
        <>
          <div className="button-row">
            {status === 'open' ? (
              <button className="button button--primary" type="button" onClick={() => void queue('acknowledge_fault.v1', {})}>
                Acknowledge
              </button>
            ) : null}
            {moves.map((to) => (
              <button key={to} className="button" type="button" onClick={() => void queue('set_fault_status.v1', { status: to })}>
                {to === 'open' ? 'Reopen' : `Mark ${STATUS_LABEL[to].toLowerCase()}`}
              </button>
            ))}
          </div>
          {status !== 'resolved' && status !== 'closed' ? (
            <form
              className="field"
              aria-label="Assign"
              onSubmit={(e) => {
                e.preventDefault();
                if (assignee) void queue('assign_fault.v1', { assignee_id: assignee });
              }}
            >
              <label htmlFor={`${titleId}-assignee`}>Assign to</label>
              <select id={`${titleId}-assignee`} value={assignee} onChange={(e) => { setAssignee(e.target.value); }}>
                <option value="">Choose a person</option>
                {candidates.map((c) => (
                  <option key={c} value={c}>
                    {c === user.id.toLowerCase() ? `${user.name} (you)` : (people.get(c) ?? `Crew member ${c.slice(-4)}`)}
                  </option>
                ))}
              </select>
              <button className="button" type="submit" disabled={!assignee}>
                Assign
              </button>
            </form>
          ) : null}
          {canResolve(status) ? <ResolveForm onResolve={(args) => queue('resolve_fault.v1', args)} /> : null}
        </>
      )}
      {failure ? <p role="alert">{failure}</p> : null}
    </section>
  );
}

function Comments({ fault, person }: { fault: FaultItem; person: (id: string | null) => string }) {
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const titleId = useId();
  const comments = useComments(fault.id);
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Comments
      </h2>
      {comments === undefined ? null : comments.length === 0 ? (
        <p className="notice">No comments yet.</p>
      ) : (
        <ul className="comments" aria-labelledby={titleId}>
          {comments.map((c) => (
            <li key={c.id}>
              <p>{c.body}</p>
              <p className="comments__meta">
                {c.pending ? `${user.name} (you)` : person(c.authorId)}
                {c.createdAt ? <> · {formatDateTime(c.createdAt)}</> : null}
                {c.pending ? (
                  <>
                    {' '}
                    · <PendingMark write={c.pending} />
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      {may(user.role, 'fault.comment') ? (
        <CommentForm onComment={(body) => enqueue('comment_fault.v1', { fault_id: fault.id, body }, null)} />
      ) : null}
    </section>
  );
}

/** What happened to the fault, from its own times and its comments. */
function History({ fault, person }: { fault: FaultItem; person: (id: string | null) => string }) {
  const titleId = useId();
  const events: [string, string][] = [];
  if (fault.observedAt) events.push([fault.observedAt, `Reported by ${person(fault.reportedBy)}`]);
  if (fault.acknowledgedAt) events.push([fault.acknowledgedAt, 'Acknowledged']);
  if (fault.resolvedAt) events.push([fault.resolvedAt, 'Resolved']);
  if (fault.closedAt) events.push([fault.closedAt, 'Closed']);
  events.sort((a, b) => a[0].localeCompare(b[0]));
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        History
      </h2>
      <ol className="history" aria-labelledby={titleId}>
        {events.map(([at, what]) => (
          <li key={`${at}-${what}`}>
            <time dateTime={at}>{formatDateTime(at)}</time> — {what}
          </li>
        ))}
        {fault.pending.map((w) => (
          <li key={`w-${w.id}`}>
            <time dateTime={new Date(w.queuedAt).toISOString()}>{formatDateTime(new Date(w.queuedAt).toISOString())}</time> —{' '}
            {w.name.replace(/_/g, ' ').replace(/\.v\d+$/, '')}: <PendingMark write={w} />
          </li>
        ))}
      </ol>
    </section>
  );
}

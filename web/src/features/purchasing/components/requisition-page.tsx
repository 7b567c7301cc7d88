/**
 * `/requisitions/:id`: one requisition: its part, quantity and how many arrived, needed by, the
 * note, the fault or work order it serves, the supplier proposed and its prices as the reader's
 * role sees them, who asked and who decided (with the reason of a rejection), the order it is on,
 * and its writes not yet accepted. Managers (`parts.manage`) approve it, with an optional comment,
 * or reject it with a reason — never their own requisition (the server's `self_approval`); the
 * requester or a manager cancels it before it is ordered. Each through the outbox, so offline too.
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';

import { formatDate, formatDateTime } from '../../../components/date-time';
import { useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { usePeopleNames } from '../../../components/vessel-people';
import { useSignedInUser } from '../../../session/session-context';
import { priceColumns } from '../api/prices';
import {
  APPROVE_REQUISITION,
  CANCEL_REQUISITION,
  isCancellable,
  REJECT_REQUISITION,
  useRequisitions,
  useSuppliers,
  type Requisition,
} from '../api/purchasing';
import { useVesselName } from '../api/vessels';
import { NotYours } from './purchasing-page';
import { PendingWrites, PriceFacts, REQUISITION_STATUS_LABEL, StatusBadge, withUnit } from './purchasing-labels';

/** The page. */
export function RequisitionPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const all = useRequisitions();
  const requisition = all?.find((r) => r.id === id.toLowerCase());
  useDocumentTitle(requisition ? `Requisition: ${requisition.partName}` : 'Requisition');
  if (!may(user.role, 'parts.read')) return <NotYours title="Requisition" />;
  if (all === undefined) {
    return (
      <p className="notice" role="status">
        Loading the requisition…
      </p>
    );
  }
  if (!requisition) {
    return <NotYours title="Requisition" text="This device does not hold that requisition: it arrives with a sync, if it is on a vessel you reach." />;
  }
  return <RequisitionDetail requisition={requisition} />;
}

function RequisitionDetail({ requisition: r }: { requisition: Requisition }) {
  const user = useSignedInUser();
  const people = usePeopleNames();
  const suppliers = useSuppliers();
  const vesselName = useVesselName(r.vesselId);
  const titleId = useId();
  const me = user.id.toLowerCase();
  const mine = r.requestedBy === null || r.requestedBy === me;
  const name = (id: string | null) => (id === null || id === me ? `${user.name} (you)` : (people.get(id) ?? 'A shipmate'));
  const supplier = r.supplierId ? suppliers?.find((s) => s.id === r.supplierId) : undefined;
  const columns = priceColumns([r.prices]);
  const waiting = r.pending.some((w) => w.state !== 'rejected' && w.name !== 'raise_requisition.v1');
  const decides = may(user.role, 'parts.manage') && !mine && r.status === 'requested' && !r.refused && !waiting;
  const cancels = (mine || may(user.role, 'parts.manage')) && isCancellable(r) && !r.refused && !waiting;
  return (
    <section className="buy" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(r.vesselId)}/requisitions`}>Requisitions{vesselName ? ` on ${vesselName}` : ''}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        {r.partNumber ? `${r.partNumber} ` : ''}
        {r.partName}
      </h1>
      <StatusBadge status={r.status} label={r.refused ? 'Not accepted by the server' : REQUISITION_STATUS_LABEL[r.status]} />
      <PendingWrites writes={r.pending} label="Changes to the requisition not yet accepted" />
      <section className="card" aria-label="Requisition">
        <dl className="facts">
          <div>
            <dt>Quantity</dt>
            <dd className="buy-number">{withUnit(r.quantity, r.unit)}</dd>
          </div>
          {r.received > 0n ? (
            <div>
              <dt>Arrived</dt>
              <dd className="buy-number">{withUnit(r.received, r.unit)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Part</dt>
            <dd>{r.partId ? 'From the catalogue' : 'Not in the catalogue'}</dd>
          </div>
          {r.neededBy ? (
            <div>
              <dt>Needed by</dt>
              <dd>{formatDate(r.neededBy)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Asked by</dt>
            <dd>
              {name(r.requestedBy)}
              {r.statusChangedAt && r.status === 'requested' ? ` · ${formatDateTime(r.statusChangedAt)}` : ''}
            </dd>
          </div>
          {r.decidedBy ? (
            <div>
              <dt>{r.status === 'rejected' ? 'Rejected by' : 'Approved by'}</dt>
              <dd>{name(r.decidedBy)}</dd>
            </div>
          ) : null}
          {r.decisionComment ? (
            <div>
              <dt>{r.status === 'rejected' ? 'Reason' : 'Comment'}</dt>
              <dd>{r.decisionComment}</dd>
            </div>
          ) : null}
          {r.note ? (
            <div>
              <dt>Note</dt>
              <dd>{r.note}</dd>
            </div>
          ) : null}
          {supplier ? (
            <div>
              <dt>Supplier proposed</dt>
              <dd>{supplier.name}</dd>
            </div>
          ) : null}
          <PriceFacts prices={r.prices} columns={columns} />
        </dl>
        <p className="buy-links">
          {r.faultId ? <Link to={`/faults/${encodeURIComponent(r.faultId)}`}>The fault it serves</Link> : null}
          {r.workOrderId ? <Link to={`/work-orders/${encodeURIComponent(r.workOrderId)}`}>The work order it serves</Link> : null}
          {r.purchaseOrderId ? <Link to={`/purchase-orders/${encodeURIComponent(r.purchaseOrderId)}`}>The purchase order</Link> : null}
        </p>
      </section>
      {decides || cancels ? <Decisions requisition={r} decides={decides} cancels={cancels} /> : null}
      {may(user.role, 'parts.manage') && mine && r.status === 'requested' ? (
        <p className="notice">Someone other than you approves or rejects your own requisition.</p>
      ) : null}
    </section>
  );
}

function Decisions({ requisition: r, decides, cancels }: { requisition: Requisition; decides: boolean; cancels: boolean }) {
  const enqueue = useEnqueue();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const commentId = useId();
  const errorId = useId();
  async function send(name: string, args: Record<string, string>) {
    setBusy(true);
    setError(null);
    try {
      await enqueue(name, args, null);
      setComment('');
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The change could not be kept on this device.');
    } finally {
      setBusy(false);
    }
  }
  const text = comment.trim();
  return (
    <section className="card" aria-labelledby={`${commentId}-title`}>
      <h2 id={`${commentId}-title`} className="card__title">
        {decides ? 'Decide' : 'Withdraw'}
      </h2>
      {decides ? (
        <div className="field">
          <label htmlFor={commentId}>Comment for the requester</label>
          <textarea
            id={commentId}
            rows={3}
            value={comment}
            maxLength={500}
            aria-invalid={error !== null}
            aria-describedby={`${commentId}-hint${error ? ` ${errorId}` : ''}`}
            onChange={(e) => {
              setComment(e.target.value);
            }}
          />
          <p id={`${commentId}-hint`} className="field__hint">
            Optional when approving; the reason, when rejecting.
          </p>
          {error ? (
            <p id={errorId} className="field__error">
              {error}
            </p>
          ) : null}
        </div>
      ) : error ? (
        <p role="alert">{error}</p>
      ) : null}
      <p className="button-row buy-actions">
        {decides ? (
          <>
            <button
              className="button button--primary"
              type="button"
              disabled={busy}
              onClick={() => void send(APPROVE_REQUISITION, { requisition_id: r.id, ...(text === '' ? {} : { comment: text }) })}
            >
              Approve
            </button>
            <button
              className="button button--danger"
              type="button"
              disabled={busy}
              onClick={() => {
                if (text === '') setError('Say why it is rejected: the requester reads it.');
                else void send(REJECT_REQUISITION, { requisition_id: r.id, comment: text });
              }}
            >
              Reject
            </button>
          </>
        ) : null}
        {cancels ? (
          <button className="button" type="button" disabled={busy} onClick={() => void send(CANCEL_REQUISITION, { requisition_id: r.id })}>
            Cancel requisition
          </button>
        ) : null}
      </p>
    </section>
  );
}

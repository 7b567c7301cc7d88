/**
 * `/handover` and `/vessels/:id/handover`: the outgoing person's handover for a vessel they are
 * on, assembled on the device from the replica (open faults, and the parts still to come for
 * them: their open requisitions, each linked), with notes per item and free text saved as a
 * draft (`save_handover_notes.v1`), completed with the last day of the rotation
 * (`complete_handover.v1`); the vessel's completed handovers, which someone else on the vessel
 * acknowledges (`acknowledge_handover.v1`). Everything works with the network off.
 */
import '../../../components/maintenance.css';
import { useId, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';

import { formatDate, formatDateTime } from '../../../components/date-time';
import { useEnqueue, type PendingWrite } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import {
  useAssembledHandover,
  useMyVessels,
  type AssembledHandover,
  type CompletedHandover,
  type OpenRequisitionStatus,
} from '../api/handover';

/** Where a fault's requisition stands, in words. */
const REQUISITION_STATUS: Record<OpenRequisitionStatus, string> = {
  requested: 'requested',
  approved: 'approved',
  ordered: 'ordered',
  partially_received: 'partly received',
};

function Mark({ write }: { write: PendingWrite | null }) {
  return write ? <span className={`pending pending--${write.state}`}>{write.label}</span> : null;
}

/** The page. */
export function HandoverPage() {
  const { id } = useParams();
  const user = useSignedInUser();
  const vessels = useMyVessels(user.id);
  useDocumentTitle('Handover');
  if (id === undefined) {
    if (vessels === undefined) {
      return (
        <p className="notice" role="status">
          Loading…
        </p>
      );
    }
    const [only] = vessels;
    if (vessels.length === 1 && only) return <Navigate to={`/vessels/${only.id}/handover`} replace />;
    return (
      <section className="handover card">
        <h1 className="page-title">Handover</h1>
        {vessels.length === 0 ? (
          <p className="notice">You are not on any vessel’s rotation, so there is no handover to prepare.</p>
        ) : (
          <ul aria-label="Your vessels">
            {vessels.map((v) => (
              <li key={v.id}>
                <Link to={`/vessels/${v.id}/handover`}>{v.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    );
  }
  return <VesselHandover vesselId={id} vesselName={vessels?.find((v) => v.id === id.toLowerCase())?.name ?? null} />;
}

function VesselHandover({ vesselId, vesselName }: { vesselId: string; vesselName: string | null }) {
  const user = useSignedInUser();
  const handover = useAssembledHandover(vesselId, user.id);
  const titleId = useId();
  if (handover === undefined) {
    return (
      <p className="notice" role="status">
        Loading the handover…
      </p>
    );
  }
  const prepare = may(user.role, 'handover.prepare') && handover.onRotation;
  return (
    <article className="handover" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/faults`}>Faults on this vessel</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Handover{vesselName ? ` on ${vesselName}` : ''}
      </h1>
      {prepare ? (
        <CurrentHandover vesselId={vesselId} handover={handover} />
      ) : (
        <p className="notice">
          {may(user.role, 'handover.prepare')
            ? 'Only people on this vessel’s rotation prepare its handover.'
            : 'Your role reads handovers but does not prepare them.'}
        </p>
      )}
      <History vesselId={vesselId} handover={handover} onRotation={handover.onRotation} />
    </article>
  );
}

function CurrentHandover({ vesselId, handover }: { vesselId: string; handover: AssembledHandover }) {
  const enqueue = useEnqueue();
  const id = useId();
  const { draft } = handover;
  // What the person typed on this page (kept after saving, so nothing flickers back while the
  // outbox catches up); until they type, the draft as stored or queued (a draft saved on another
  // device arrives with a sync and shows).
  const [edits, setEdits] = useState<{ notes: string; itemNotes: Record<string, string> } | null>(null);
  const notes = edits?.notes ?? draft.notes;
  const itemNotes = edits?.itemNotes ?? draft.itemNotes;
  const [saved, setSaved] = useState(true);
  const setNotes = (text: string) => {
    setSaved(false);
    setEdits({ notes: text, itemNotes });
  };
  const setItemNotes = (next: Record<string, string>) => {
    setSaved(false);
    setEdits({ notes, itemNotes: next });
  };
  const [rotationEnd, setRotationEnd] = useState(handover.rotationEnd ?? new Date().toISOString().slice(0, 10));
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const noteArgs = () => ({
    vessel_id: vesselId,
    notes,
    item_notes: Object.fromEntries(Object.entries(itemNotes).filter(([, text]) => text.trim() !== '')),
  });

  async function save() {
    setFailure(null);
    try {
      await enqueue('save_handover_notes.v1', noteArgs(), draft.version);
      setSaved(true);
      setMessage('Draft saved on this device; it is sent when there is a connection.');
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The draft could not be kept on this device.');
    }
  }

  async function complete() {
    setFailure(null);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(rotationEnd)) {
      setFailure('Give the last day of your rotation.');
      return;
    }
    try {
      if (!saved) await enqueue('save_handover_notes.v1', noteArgs(), draft.version);
      setSaved(true);
      await enqueue('complete_handover.v1', { vessel_id: vesselId, rotation_end: rotationEnd }, null);
      setMessage('Handover completed. Your relief acknowledges it once it reaches the server.');
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The handover could not be kept on this device.');
    }
  }

  const noteField = (key: string, label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>Note on {label}</label>
      <textarea
        id={`${id}-${key}`}
        rows={2}
        value={itemNotes[key] ?? ''}
        onChange={(e) => {
          setItemNotes({ ...itemNotes, [key]: e.target.value });
        }}
      />
    </div>
  );

  return (
    <form
      className="card"
      aria-label="Current handover"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="card__title">Open faults</h2>
      {handover.faults.length === 0 ? (
        <p className="notice">No open faults.</p>
      ) : (
        <ul className="handover-items" aria-label="Open faults">
          {handover.faults.map((f) => (
            <li key={f.key} className="handover-item">
              <p>
                <Link to={`/faults/${f.id}`}>{f.title}</Link> · {f.severity} · {f.status.replace('_', ' ')}
                {f.mine ? ' · yours' : ''}
              </p>
              {noteField(f.key, f.title)}
            </li>
          ))}
        </ul>
      )}
      <h2 className="card__title">Parts on order</h2>
      {handover.orders.length === 0 ? (
        <p className="notice">No parts on order.</p>
      ) : (
        <ul className="handover-items" aria-label="Parts on order">
          {handover.orders.map((o) => (
            <li key={o.key} className="handover-item">
              <p>
                <Link to={`/requisitions/${o.id}`}>
                  {o.partNumber ? `${o.partNumber} ` : ''}
                  {o.partName}
                </Link>{' '}
                × {o.quantity} · {REQUISITION_STATUS[o.status]}
              </p>
              {noteField(o.key, o.partName)}
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={`${id}-notes`}>Notes for your relief</label>
        <textarea
          id={`${id}-notes`}
          rows={5}
          value={notes}
          onChange={(e) => {
            setNotes(e.target.value);
          }}
        />
      </div>
      {draft.pending ? (
        <p>
          Draft: <Mark write={draft.pending} />
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-end`}>Last day of your rotation</label>
        <input id={`${id}-end`} type="date" value={rotationEnd} onChange={(e) => {
          setRotationEnd(e.target.value);
        }} />
      </div>
      {message ? (
        <p className="notice notice--success" role="status">
          {message}
        </p>
      ) : null}
      {failure ? <p role="alert">{failure}</p> : null}
      {handover.completing ? (
        <p>
          Completion: <Mark write={handover.completing} />
        </p>
      ) : null}
      <div className="button-row">
        <button className="button" type="submit">
          Save draft
        </button>
        <button className="button button--primary" type="button" onClick={() => void complete()}>
          Complete handover
        </button>
      </div>
    </form>
  );
}

function History({ vesselId, handover, onRotation }: { vesselId: string; handover: AssembledHandover; onRotation: boolean }) {
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const titleId = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const canAcknowledge = (h: CompletedHandover) =>
    may(user.role, 'handover.acknowledge') && onRotation && h.acknowledgedBy === null && h.pending === null && h.outgoingUserId !== user.id.toLowerCase();
  return (
    <section className="card" aria-labelledby={titleId} data-vessel={vesselId}>
      <h2 id={titleId} className="card__title">
        Handover history
      </h2>
      {handover.completed.length === 0 ? (
        <p className="notice">No completed handovers on this vessel yet.</p>
      ) : (
        <ul className="handover-items" aria-labelledby={titleId}>
          {handover.completed.map((h) => (
            <li key={h.id} className="handover-item">
              <p>
                {h.outgoingUserId === user.id.toLowerCase() ? 'Your handover' : 'Handover'}, rotation ending {formatDate(h.rotationEnd)}
                {h.completedAt ? `, completed ${formatDateTime(h.completedAt)}` : ''}
              </p>
              <p>
                {h.acknowledgedAt ? `Acknowledged ${formatDateTime(h.acknowledgedAt)}` : 'Not acknowledged yet'} <Mark write={h.pending} />
              </p>
              {canAcknowledge(h) ? (
                <button
                  className="button button--primary"
                  type="button"
                  onClick={() => {
                    setFailure(null);
                    enqueue('acknowledge_handover.v1', { handover_id: h.id }, h.version).catch((e: unknown) => {
                      setFailure(e instanceof Error ? e.message : 'The acknowledgement could not be kept on this device.');
                    });
                  }}
                >
                  Acknowledge handover
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {failure ? <p role="alert">{failure}</p> : null}
    </section>
  );
}

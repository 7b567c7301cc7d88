/**
 * `/vessels/:id/stock/transfers`: the transfers reaching the vessel and those leaving it, in
 * transit first, then the newest; each with its part, how many were sent, from where to where,
 * who sent it and when, and once received how many arrived and the shortfall. Those in transit
 * to this vessel have "Receive" for roles with `stock.move` (the quantity prefilled with what was
 * sent). From the replica and the outbox: a transfer sent or received offline shows at once,
 * "on this device".
 */
import '../../../components/maintenance.css';
import './stock.css';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';

import { formatDateTime } from '../../../components/date-time';
import { fieldsOf, textOf } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useParts, type PartItem } from '../../../components/parts-catalogue';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRow } from '../../../sync/replica-queries';
import { usePeopleNames } from '../api/stock';
import { useTransfers, vesselTransfers, type LocationIndex, type TransferLine } from '../api/transfers';
import { PartName, PendingWrites, withUnit } from './stock-labels';
import { ReceiveTransferForm } from './transfer-forms';

/** The page. */
export function TransfersPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const vessel = useReplicaRow(ENTITY.vessel, vesselId);
  const vesselName = vessel ? textOf(fieldsOf(vessel), 'name') : null;
  useDocumentTitle(vesselName ? `Transfers on ${vesselName}` : 'Transfers');
  const titleId = useId();
  const data = useTransfers();
  const parts = useParts();
  if (!may(user.role, 'stock.read')) {
    return (
      <section className="card">
        <h1 className="page-title">Transfers</h1>
        <p className="notice">Your role does not read stock.</p>
      </section>
    );
  }
  const { incoming, outgoing } = data ? vesselTransfers(vesselId, data.transfers) : { incoming: [], outgoing: [] };
  const context = data && parts ? { index: data.index, names: data.names, parts: new Map(parts.map((p) => [p.id, p])) } : null;
  return (
    <section className="stock" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock`}>Stock on {vesselName ?? 'this vessel'}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Transfers{vesselName ? ` on ${vesselName}` : ''}
      </h1>
      {context === null ? (
        <p className="notice" role="status">
          Loading transfers…
        </p>
      ) : (
        <>
          <TransferSection
            title={`Coming to ${vesselName ?? 'this vessel'}`}
            empty="No transfers to this vessel."
            transfers={incoming}
            vesselId={vesselId}
            context={context}
            mayReceive={may(user.role, 'stock.move')}
          />
          <TransferSection
            title={`Leaving ${vesselName ?? 'this vessel'}`}
            empty="No transfers from this vessel. Send parts from a part’s page, from the location they are in."
            transfers={outgoing}
            vesselId={vesselId}
            context={context}
            mayReceive={false}
          />
        </>
      )}
    </section>
  );
}

interface Context {
  index: LocationIndex;
  names: ReadonlyMap<string, string | null>;
  parts: ReadonlyMap<string, PartItem>;
}

function TransferSection({
  title,
  empty,
  transfers,
  vesselId,
  context,
  mayReceive,
}: {
  title: string;
  empty: string;
  transfers: readonly TransferLine[];
  vesselId: string;
  context: Context;
  mayReceive: boolean;
}) {
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        {title}
      </h2>
      {transfers.length === 0 ? (
        <p className="notice">{empty}</p>
      ) : (
        <ul className="stock-list" aria-labelledby={titleId}>
          {transfers.map((t) => (
            <TransferItem key={t.id} transfer={t} vesselId={vesselId} context={context} mayReceive={mayReceive} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TransferItem({
  transfer: t,
  vesselId,
  context,
  mayReceive,
}: {
  transfer: TransferLine;
  vesselId: string;
  context: Context;
  mayReceive: boolean;
}) {
  const titleId = useId();
  const formId = useId();
  const user = useSignedInUser();
  const people = usePeopleNames();
  const [open, setOpen] = useState(false);
  const part = context.parts.get(t.partId) ?? null;
  const unit = part?.unit ?? '';
  const place = (vessel: string | null, location: string) => {
    const path = context.index.get(location)?.path ?? 'a location not on this device';
    const name = vessel === null ? null : (context.names.get(vessel) ?? null);
    return name ? `${name} · ${path}` : path;
  };
  const who = (id: string | null) =>
    id === null || id === user.id.toLowerCase() ? `${user.name} (you)` : (people.get(id) ?? 'A shipmate');
  const receivable = mayReceive && t.status === 'in_transit' && t.toVesselId === vesselId && !t.refused && !t.receiving;
  return (
    <li className="stock-item" aria-labelledby={titleId}>
      <h3 id={titleId} className="stock-item__title">
        {part ? (
          <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock/parts/${encodeURIComponent(part.id)}`}>
            <PartName part={part} />
          </Link>
        ) : (
          'A part not yet on this device'
        )}
      </h3>
      <span className="stock-marks">
        <span className={`stock-mark${t.status === 'in_transit' ? ' stock-mark--low' : ''}`}>
          {t.refused ? 'Not sent' : t.status === 'in_transit' ? 'In transit' : 'Received'}
        </span>
      </span>
      <dl className="stock-item__facts">
        <div>
          <dt>Sent</dt>
          <dd className="stock-quantity">{withUnit(t.sent, unit)}</dd>
        </div>
        {t.received !== null ? (
          <div>
            <dt>Arrived</dt>
            <dd className="stock-quantity">{withUnit(t.received, unit)}</dd>
          </div>
        ) : null}
        {t.shortfall !== null ? (
          <div>
            <dt>Shortfall</dt>
            <dd className="stock-quantity">{withUnit(t.shortfall, unit)}</dd>
          </div>
        ) : null}
        <div>
          <dt>From</dt>
          <dd>{place(t.fromVesselId, t.fromLocationId)}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{place(t.toVesselId, t.toLocationId)}</dd>
        </div>
        <div>
          <dt>Sent by</dt>
          <dd>
            {who(t.dispatchedBy)}
            {t.dispatchedAt ? (
              <>
                {' '}
                · <time dateTime={t.dispatchedAt}>{formatDateTime(t.dispatchedAt)}</time>
              </>
            ) : null}
          </dd>
        </div>
        {t.status === 'received' ? (
          <div>
            <dt>Received by</dt>
            <dd>
              {who(t.receivedBy)}
              {t.receivedAt ? (
                <>
                  {' '}
                  · <time dateTime={t.receivedAt}>{formatDateTime(t.receivedAt)}</time>
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
      </dl>
      <PendingWrites writes={t.pending} label="Changes to the transfer not yet accepted" />
      {receivable ? (
        <>
          <p className="button-row stock-actions">
            <button
              className="button"
              type="button"
              aria-expanded={open}
              aria-controls={formId}
              onClick={() => {
                setOpen(!open);
              }}
            >
              Receive<span className="visually-hidden"> {part ? `${part.number} ${part.name}` : 'this transfer'}</span>
            </button>
          </p>
          <div id={formId} hidden={!open}>
            {open ? (
              <ReceiveTransferForm
                transfer={t}
                unit={unit}
                onDone={() => {
                  setOpen(false);
                }}
              />
            ) : null}
          </div>
        </>
      ) : null}
    </li>
  );
}

/**
 * `/purchase-orders/:id`: one purchase order: its number (once the server has it), status,
 * supplier, expected delivery, note, totals and each line's prices as the reader's role sees
 * them; every line with what was ordered, what has arrived and what is still to come; the
 * receipts (where the goods went: a stock location, or straight to the job). By role and status:
 * Send, Mark shipped and Cancel for managers (`parts.manage`); "Receive" for `stock.move` roles
 * while goods may come, with a stock location or straight to the job and each line's quantity
 * prefilled with what is outstanding; "Print / PDF" for roles that read supplier prices (online).
 * Writes go through the outbox, so a receipt is recorded offline too.
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';

import { api, ApiError } from '../../../api/client';
import { formatDate, formatDateTime } from '../../../components/date-time';
import { newRowId, useEnqueue, useEntityRows, usePendingWrites } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { vesselLocations, type StockLocation } from '../../../components/stock-levels';
import { useBrowserOnline } from '../../../components/use-browser-online';
import { useDocumentTitle } from '../../../components/use-document-title';
import { usePeopleNames } from '../../../components/vessel-people';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { fetchOrderPdf, pdfFileName, saveBlob } from '../api/order-pdf';
import { formatMoney, priceColumns } from '../api/prices';
import {
  isReceivable,
  orderMoves,
  orderName,
  SET_PURCHASE_ORDER_STATUS,
  RECEIVE_PURCHASE_ORDER,
  usePurchasing,
  useSuppliers,
  type OrderLine,
  type PurchaseOrder,
} from '../api/purchasing';
import { checkReceipt, receiveArgs, receiveDefaults, STRAIGHT_TO_JOB, type ReceiveValues } from '../api/receive-form';
import { useVesselName } from '../api/vessels';
import { NotYours } from './purchasing-page';
import { ORDER_STATUS_LABEL, PendingWrites, PriceFacts, StatusBadge, withUnit } from './purchasing-labels';

const MOVE_LABEL = { sent: 'Send', shipped: 'Mark shipped', cancelled: 'Cancel order' } as const;

/** The page. */
export function OrderPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const data = usePurchasing();
  const order = data?.orders.find((o) => o.id === id.toLowerCase());
  useDocumentTitle(order?.number ? `Purchase order ${order.number}` : 'Purchase order');
  if (!may(user.role, 'parts.read')) return <NotYours title="Purchase order" />;
  if (data === undefined) {
    return (
      <p className="notice" role="status">
        Loading the order…
      </p>
    );
  }
  if (!order) {
    return <NotYours title="Purchase order" text="This device does not hold that order: it arrives with a sync, if it is for a vessel you reach." />;
  }
  return <OrderDetail order={order} />;
}

function OrderDetail({ order: o }: { order: PurchaseOrder }) {
  const user = useSignedInUser();
  const suppliers = useSuppliers();
  const vesselName = useVesselName(o.vesselId);
  const people = usePeopleNames();
  const locationRows = useEntityRows(ENTITY.stockLocation);
  const writes = usePendingWrites();
  const locations = locationRows && writes ? vesselLocations(o.vesselId, locationRows, writes).filter((l) => l.pending?.state !== 'rejected') : [];
  const titleId = useId();
  // Said after the form closes, and still when the receipt completed the order (no form then).
  const [received, setReceived] = useState<string | null>(null);
  const supplier = suppliers?.find((s) => s.id === o.supplierId);
  const columns = priceColumns(o.lines.map((l) => l.prices));
  const me = user.id.toLowerCase();
  const who = (id: string | null) => (id === null || id === me ? `${user.name} (you)` : (people.get(id) ?? 'A shipmate'));
  const statusWaiting = o.pending.some((w) => w.name === SET_PURCHASE_ORDER_STATUS && w.state !== 'rejected');
  const moves = may(user.role, 'parts.manage') && !o.refused && !statusWaiting ? orderMoves(o.status) : [];
  const receives = may(user.role, 'stock.move') && !o.refused && isReceivable(o.status) && o.lines.some((l) => l.outstanding > 0n);
  const locationPath = (id: string | null) =>
    id === null ? 'Straight to the job' : (locations.find((l) => l.id === id)?.path ?? 'A stock location not on this device');
  return (
    <section className="buy" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(o.vesselId)}/purchase-orders`}>Purchase orders{vesselName ? ` for ${vesselName}` : ''}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        {o.number ? `Purchase order ${o.number}` : orderName(o)}
      </h1>
      <StatusBadge status={o.status} label={o.refused ? 'Not accepted by the server' : ORDER_STATUS_LABEL[o.status]} />
      <PendingWrites writes={o.pending} label="Changes to the order not yet accepted" />
      <section className="card" aria-label="Order">
        <dl className="facts">
          <div>
            <dt>Supplier</dt>
            <dd>{supplier?.name ?? 'A supplier not on this device'}</dd>
          </div>
          <div>
            <dt>For</dt>
            <dd>{vesselName ?? 'A vessel'}</dd>
          </div>
          <div>
            <dt>Currency</dt>
            <dd>{o.currency}</dd>
          </div>
          {o.expectedOn ? (
            <div>
              <dt>Expected</dt>
              <dd>{formatDate(o.expectedOn)}</dd>
            </div>
          ) : null}
          {o.note ? (
            <div>
              <dt>Note</dt>
              <dd className="buy-address">{o.note}</dd>
            </div>
          ) : null}
          <div>
            <dt>Made by</dt>
            <dd>{who(o.createdBy)}</dd>
          </div>
          {o.supplierTotal !== undefined ? (
            <div>
              <dt>Supplier total</dt>
              <dd className="buy-number">{formatMoney(o.supplierTotal, o.currency)}</dd>
            </div>
          ) : null}
          {o.customerTotal !== undefined ? (
            <div>
              <dt>Customer total</dt>
              <dd className="buy-number">{formatMoney(o.customerTotal, o.currency)}</dd>
            </div>
          ) : null}
        </dl>
        {moves.length > 0 ? <Moves order={o} moves={moves} /> : null}
        {may(user.role, 'price.supplier.read') && o.number !== null ? <PdfButton orderId={o.id} number={o.number} /> : null}
      </section>
      <section className="card" aria-labelledby={`${titleId}-lines`}>
        <h2 id={`${titleId}-lines`} className="card__title">
          Lines
        </h2>
        <ul className="buy-lines" aria-labelledby={`${titleId}-lines`}>
          {o.lines.map((l) => (
            <li key={l.id} className="buy-line">
              <h3 className="buy-item__title">
                {l.position}. {l.partNumber ? `${l.partNumber} ` : ''}
                {l.partName}
                {l.partId === null ? ' (not in the catalogue)' : ''}
              </h3>
              <dl className="buy-item__facts">
                <div>
                  <dt>Ordered</dt>
                  <dd className="buy-number">{withUnit(l.ordered, l.unit)}</dd>
                </div>
                <div>
                  <dt>Received</dt>
                  <dd className="buy-number">{withUnit(l.received, l.unit)}</dd>
                </div>
                <div>
                  <dt>Outstanding</dt>
                  <dd className="buy-number">{withUnit(l.outstanding, l.unit)}</dd>
                </div>
                <PriceFacts prices={l.prices} columns={columns} />
              </dl>
              {l.requisitionId ? (
                <p>
                  <Link to={`/requisitions/${encodeURIComponent(l.requisitionId)}`}>
                    Its requisition<span className="visually-hidden"> ({l.partName})</span>
                  </Link>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
        {received ? (
          <p className="notice notice--success" role="status">
            {received}
          </p>
        ) : null}
        {receives ? (
          <ReceiveSection
            order={o}
            locations={locations}
            onReceived={setReceived}
          />
        ) : null}
      </section>
      <section className="card" aria-labelledby={`${titleId}-receipts`}>
        <h2 id={`${titleId}-receipts`} className="card__title">
          Receipts
        </h2>
        {o.receipts.length === 0 ? (
          <p className="notice">Nothing received yet.</p>
        ) : (
          <ul className="buy-lines" aria-labelledby={`${titleId}-receipts`}>
            {o.receipts.map((r) => (
              <li key={r.id} className="buy-line">
                <p>
                  <strong>{locationPath(r.locationId)}</strong> · {who(r.receivedBy)} ·{' '}
                  <time dateTime={r.receivedAt}>{formatDateTime(r.receivedAt)}</time>
                  {r.pending ? (
                    <>
                      {' '}
                      <PendingMark write={r.pending} />
                    </>
                  ) : null}
                </p>
                <ul>
                  {r.lines.map((rl) => {
                    const line = o.lines.find((l) => l.id === rl.lineId);
                    return (
                      <li key={rl.lineId}>
                        {line ? line.partName : 'A line'}: <span className="buy-number">{withUnit(rl.quantity, line?.unit ?? '')}</span>
                      </li>
                    );
                  })}
                </ul>
                {r.note ? <p className="buy-address">{r.note}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

function Moves({ order, moves }: { order: PurchaseOrder; moves: ('sent' | 'shipped' | 'cancelled')[] }) {
  const enqueue = useEnqueue();
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  async function move(status: 'sent' | 'shipped' | 'cancelled') {
    setFailure(null);
    try {
      await enqueue(SET_PURCHASE_ORDER_STATUS, { purchase_order_id: order.id, status }, null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The change could not be kept on this device.');
    }
    setConfirming(false);
  }
  return (
    <>
      <p className="button-row buy-actions">
        {moves.map((m) =>
          m === 'cancelled' && !confirming ? (
            <button
              key={m}
              className="button button--danger"
              type="button"
              onClick={() => {
                setConfirming(true);
              }}
            >
              {MOVE_LABEL[m]}
            </button>
          ) : m === 'cancelled' ? null : (
            <button key={m} className={`button${m === 'sent' ? ' button--primary' : ''}`} type="button" onClick={() => void move(m)}>
              {MOVE_LABEL[m]}
            </button>
          ),
        )}
      </p>
      {confirming ? (
        <div className="notice notice--warning" role="group" aria-label="Cancel the order?">
          <p>Cancel this order? Its requisitions go back to approved.</p>
          <p className="button-row">
            <button className="button button--danger" type="button" onClick={() => void move('cancelled')}>
              Yes, cancel the order
            </button>
            <button
              className="button"
              type="button"
              onClick={() => {
                setConfirming(false);
              }}
            >
              Keep it
            </button>
          </p>
        </div>
      ) : null}
      {failure ? <p role="alert">{failure}</p> : null}
    </>
  );
}

function PdfButton({ orderId, number }: { orderId: string; number: string }) {
  const online = useBrowserOnline();
  const noteId = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  async function download() {
    setFailure(null);
    setBusy(true);
    try {
      saveBlob(await fetchOrderPdf(api, orderId), pdfFileName(number));
    } catch (e) {
      setFailure(
        e instanceof ApiError && e.isNetworkError ? 'The PDF needs the connection.' : e instanceof Error ? e.message : 'The PDF could not be downloaded.',
      );
    } finally {
      setBusy(false);
    }
  }
  return (
    <p className="button-row buy-actions">
      <button
        className="button"
        type="button"
        disabled={!online || busy}
        aria-describedby={online ? undefined : noteId}
        onClick={() => void download()}
      >
        Print / PDF<span className="visually-hidden"> of {number}</span>
      </button>
      {online ? null : (
        <span id={noteId} className="field__hint">
          The PDF needs the connection.
        </span>
      )}
      {failure ? <span role="alert">{failure}</span> : null}
    </p>
  );
}

function ReceiveSection({
  order,
  locations,
  onReceived,
}: {
  order: PurchaseOrder;
  locations: StockLocation[];
  onReceived: (text: string | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const formId = useId();
  return (
    <>
      <p className="button-row buy-actions">
        <button
          className="button"
          type="button"
          aria-expanded={open}
          aria-controls={formId}
          onClick={() => {
            setOpen(!open);
            onReceived(null);
          }}
        >
          Receive
        </button>
      </p>
      <div id={formId} hidden={!open}>
        {open ? (
          <ReceiveForm
            order={order}
            locations={locations}
            onDone={(text) => {
              onReceived(text);
              setOpen(false);
            }}
          />
        ) : null}
      </div>
    </>
  );
}

function ReceiveForm({ order, locations, onDone }: { order: PurchaseOrder; locations: StockLocation[]; onDone: (text: string) => void }) {
  const enqueue = useEnqueue();
  const lines: OrderLine[] = order.lines.filter((l) => l.outstanding > 0n);
  const [receiptId] = useState(newRowId);
  const [values, setValues] = useState<ReceiveValues>(() => receiveDefaults(lines));
  const [lineErrors, setLineErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const whereId = useId();
  const noteId = useId();
  async function submit() {
    const checked = checkReceipt(lines, values);
    if (!checked.ok) {
      setLineErrors(checked.lineErrors);
      setFormError(checked.formError ?? 'Some lines need another look.');
      return;
    }
    setLineErrors({});
    setFormError(null);
    setBusy(true);
    try {
      await enqueue(RECEIVE_PURCHASE_ORDER, receiveArgs(order.id, receiptId, values, checked.lines, newRowId), null);
    } catch (e) {
      setFormError(e instanceof Error ? e.message : 'The receipt could not be kept on this device.');
      setBusy(false);
      return;
    }
    onDone(
      `Received ${checked.count.toString()} ${checked.count === 1 ? 'line' : 'lines'} ${
        values.locationId === STRAIGHT_TO_JOB ? 'straight to the job' : `into ${locations.find((l) => l.id === values.locationId)?.path ?? 'stock'}`
      }. It is kept on this device and sent as soon as there is a connection.`,
    );
  }
  return (
    <form
      className="buy-form"
      aria-label="Receive goods"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="field">
        <label htmlFor={whereId}>Where the goods go</label>
        <select
          id={whereId}
          value={values.locationId}
          onChange={(e) => {
            setValues({ ...values, locationId: e.target.value });
          }}
        >
          <option value={STRAIGHT_TO_JOB}>Straight to the job (not into stock)</option>
          {locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.path}
            </option>
          ))}
        </select>
        <p className="field__hint">Parts not in the catalogue go straight to the job.</p>
      </div>
      {lines.map((l) => {
        const error = lineErrors[l.id];
        const id = `receive-${l.id}`;
        return (
          <div key={l.id} className="field">
            <label htmlFor={id}>
              {l.partName} ({l.unit})
            </label>
            <input
              id={id}
              inputMode="decimal"
              autoComplete="off"
              value={values.quantities[l.id] ?? ''}
              aria-invalid={error !== undefined}
              aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
              onChange={(e) => {
                setValues({ ...values, quantities: { ...values.quantities, [l.id]: e.target.value } });
              }}
            />
            <p id={`${id}-hint`} className="field__hint">
              {withUnit(l.outstanding, l.unit)} still to come; 0 or empty if none arrived.
            </p>
            {error ? (
              <p id={`${id}-error`} className="field__error">
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="field">
        <label htmlFor={noteId}>Note (optional)</label>
        <textarea
          id={noteId}
          rows={2}
          maxLength={1000}
          value={values.note}
          onChange={(e) => {
            setValues({ ...values, note: e.target.value });
          }}
        />
        <p className="field__hint">Delivery note number, damage, anything to say.</p>
      </div>
      {formError ? <p role="alert">{formError}</p> : null}
      <button className="button button--primary" type="submit" disabled={busy}>
        Record receipt
      </button>
    </form>
  );
}

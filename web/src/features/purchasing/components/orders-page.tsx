/**
 * `/vessels/:id/purchase-orders`: a vessel's purchase orders, newest first, open ones before
 * those received or cancelled: number, supplier, status, lines, what is still to come and the
 * totals the reader's role sees; "New purchase order" for managers. From the replica and the
 * outbox, so it opens offline (an order made here shows "on this device" until numbered).
 */
import '../../../components/maintenance.css';
import './purchasing.css';
import { useId } from 'react';
import { Link, useParams } from 'react-router';

import { formatDate } from '../../../components/date-time';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { formatMoney } from '../api/prices';
import { orderName, usePurchasing, useSuppliers, type PurchaseOrder } from '../api/purchasing';
import { useVesselName } from '../api/vessels';
import { NotYours } from './purchasing-page';
import { ORDER_STATUS_LABEL, StatusBadge } from './purchasing-labels';

const CLOSED = new Set(['received', 'cancelled']);

/** The page. */
export function OrdersPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const vesselName = useVesselName(vesselId);
  useDocumentTitle(vesselName ? `Purchase orders for ${vesselName}` : 'Purchase orders');
  const titleId = useId();
  const data = usePurchasing();
  if (!may(user.role, 'parts.read')) return <NotYours title="Purchase orders" />;
  const shown = data?.orders
    .filter((o) => o.vesselId === vesselId)
    .sort((a, b) => Number(CLOSED.has(a.status)) - Number(CLOSED.has(b.status)));
  return (
    <section className="buy" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/purchasing">Purchasing</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Purchase orders{vesselName ? ` for ${vesselName}` : ''}
      </h1>
      <p className="buy-links">
        {may(user.role, 'parts.manage') ? (
          <Link className="button button--primary" to={`/vessels/${encodeURIComponent(vesselId)}/purchase-orders/new`}>
            New purchase order
          </Link>
        ) : null}
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/requisitions`}>Requisitions</Link>
      </p>
      {shown === undefined ? (
        <p className="notice" role="status">
          Loading purchase orders…
        </p>
      ) : shown.length === 0 ? (
        <p className="notice">No purchase orders for this vessel.</p>
      ) : (
        <ul className="buy-list" aria-label="Purchase orders">
          {shown.map((o) => (
            <OrderItem key={o.id} order={o} />
          ))}
        </ul>
      )}
    </section>
  );
}

function OrderItem({ order: o }: { order: PurchaseOrder }) {
  const suppliers = useSuppliers();
  const titleId = useId();
  const supplier = suppliers?.find((s) => s.id === o.supplierId);
  const outstanding = o.lines.filter((l) => l.outstanding > 0n).length;
  const last = o.pending.at(-1);
  return (
    <li className={`buy-item${CLOSED.has(o.status) ? '' : ' buy-item--waiting'}`} aria-labelledby={titleId}>
      <h2 id={titleId} className="buy-item__title">
        <Link to={`/purchase-orders/${encodeURIComponent(o.id)}`}>{orderName(o)}</Link>
      </h2>
      <StatusBadge status={o.refused ? 'rejected' : o.status} label={o.refused ? 'Not accepted' : ORDER_STATUS_LABEL[o.status]} />
      <dl className="buy-item__facts">
        <div>
          <dt>Supplier</dt>
          <dd>{supplier?.name ?? 'A supplier not on this device'}</dd>
        </div>
        <div>
          <dt>Lines</dt>
          <dd className="buy-number">
            {o.lines.length}
            {outstanding > 0 && o.status !== 'draft' && o.status !== 'cancelled' ? ` (${outstanding.toString()} to come)` : ''}
          </dd>
        </div>
        {o.expectedOn ? (
          <div>
            <dt>Expected</dt>
            <dd>{formatDate(o.expectedOn)}</dd>
          </div>
        ) : null}
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
      {last ? (
        <p>
          <PendingMark write={last} />
        </p>
      ) : null}
    </li>
  );
}

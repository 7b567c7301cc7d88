/**
 * Parts orders as a list: part, quantity, supplier, status, the prices the replica holds for
 * this person (the server leaves out those their role may not see), and for `parts.manage` the
 * next moves, queued as `set_parts_order_status.v1` on the order's version.
 */
import { useState } from 'react';

import { useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import { formatMoney, orderMoves, type OrderStatus, type PartsOrderItem } from '../api/parts-orders';
import { PendingMark } from '../../../components/pending-mark';

const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  requested: 'Requested',
  approved: 'Approved',
  ordered: 'Ordered',
  shipped: 'Shipped',
  received: 'Received',
  cancelled: 'Cancelled',
};

const MOVE_LABEL: Record<OrderStatus, string> = {
  requested: 'Request',
  approved: 'Approve',
  ordered: 'Mark ordered',
  shipped: 'Mark shipped',
  received: 'Mark received',
  cancelled: 'Cancel',
};

function LatestMark({ order }: { order: PartsOrderItem }) {
  const latest = order.pending.at(-1);
  return latest ? <PendingMark write={latest} /> : null;
}

/** The list. */
export function PartsOrderList({ orders, label }: { orders: PartsOrderItem[]; label: string }) {
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const [failure, setFailure] = useState<string | null>(null);
  const manage = may(user.role, 'parts.manage');
  return (
    <>
      <ul className="parts-orders" aria-label={label}>
        {orders.map((o) => (
          <li key={o.id} className="parts-order">
            <p className="parts-order__part">
              <strong>{o.partName}</strong>
              {o.partNumber ? ` (${o.partNumber})` : ''} × {o.quantity}
            </p>
            <p>
              {o.supplier} · {ORDER_STATUS_LABEL[o.status]}
              {o.customerUnitPriceMinor !== null ? ` · ${formatMoney(o.customerUnitPriceMinor, o.currency)} each` : ''}
              {o.supplierUnitPriceMinor !== null ? ` · supplier ${formatMoney(o.supplierUnitPriceMinor, o.currency)} each` : ''}
            </p>
            {o.pending.length > 0 ? (
              <p>
                <LatestMark order={o} />
              </p>
            ) : null}
            {manage && o.version !== null ? (
              <div className="button-row">
                {orderMoves(o.status).map((to) => (
                  <button
                    key={to}
                    type="button"
                    className={to === 'cancelled' ? 'button button--danger' : 'button'}
                    onClick={() => {
                      setFailure(null);
                      enqueue('set_parts_order_status.v1', { order_id: o.id, status: to }, o.version).catch((e: unknown) => { setFailure(e instanceof Error ? e.message : 'The change could not be kept on this device.'); },
                      );
                    }}
                  >
                    {MOVE_LABEL[to]} <span className="visually-hidden">{o.partName}</span>
                  </button>
                ))}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {failure ? <p role="alert">{failure}</p> : null}
    </>
  );
}

/**
 * Words for purchasing: statuses, quantities with their unit, prices as far as the reader's
 * role sees them, the writes still on this device and what a refusal means for them.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import type { PendingWrite } from '../../../components/local-writes';
import { PendingWrites as SharedPendingWrites } from '../../../components/pending-writes';
import { quantityWithUnit } from '../../../components/quantity';
import { formatMoney, type PriceColumns, type Prices } from '../api/prices';
import {
  APPROVE_REQUISITION,
  CANCEL_REQUISITION,
  CREATE_PURCHASE_ORDER,
  CREATE_SUPPLIER,
  RAISE_REQUISITION,
  RECEIVE_PURCHASE_ORDER,
  REJECT_REQUISITION,
  SET_PURCHASE_ORDER_STATUS,
  UPDATE_SUPPLIER,
  type OrderStatus,
  type Requisition,
  type RequisitionStatus,
} from '../api/purchasing';

export const REQUISITION_STATUS_LABEL: Record<RequisitionStatus, string> = {
  requested: 'Requested',
  approved: 'Approved',
  ordered: 'Ordered',
  partially_received: 'Partly received',
  received: 'Received',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  draft: 'Draft',
  sent: 'Sent',
  shipped: 'Shipped',
  partially_received: 'Partly received',
  received: 'Received',
  cancelled: 'Cancelled',
};

const WAITING = new Set(['requested', 'approved', 'draft', 'sent', 'shipped', 'ordered', 'partially_received']);
const CLOSED = new Set(['rejected', 'cancelled']);

/** A status as a badge: the word carries the meaning, the colour underlines it. */
export function StatusBadge({ status, label }: { status: string; label: string }) {
  const tone = CLOSED.has(status) ? ' buy-status--closed' : WAITING.has(status) ? ' buy-status--waiting' : '';
  return <span className={`buy-status${tone}`}>{label}</span>;
}

/** "2.5 pcs", thousands set apart by a narrow space (shared with the handover). */
export const withUnit = quantityWithUnit;

/**
 * The prices a row carries, each only when present: the reader's role decides what arrives
 * (crew see none, engineers the customer prices), so nothing is said of what is absent.
 */
export function PriceFacts({ prices, columns }: { prices: Prices | null; columns: PriceColumns }): ReactNode {
  if (prices === null || prices.currency === null) return null;
  const currency = prices.currency;
  const facts: [string, number][] = [];
  if (columns.supplier && prices.supplierUnit !== undefined) facts.push(['Supplier price', prices.supplierUnit]);
  if (columns.supplier && prices.supplierTotal !== undefined) facts.push(['Supplier total', prices.supplierTotal]);
  if (columns.customer && prices.customerUnit !== undefined) facts.push(['Customer price', prices.customerUnit]);
  if (columns.customer && prices.customerTotal !== undefined) facts.push(['Customer total', prices.customerTotal]);
  return facts.map(([label, minor]) => (
    <div key={label}>
      <dt>{label}</dt>
      <dd className="buy-number">{formatMoney(minor, currency)}</dd>
    </div>
  ));
}

/** What the purchasing refusals mean for the person (the server's own sentence shows beside it). */
export const PURCHASING_REFUSAL: Record<string, string> = {
  self_approval: 'Someone other than the person who asked approves or rejects a requisition.',
  not_approved: 'Only approved requisitions go on an order; this one is not (any more).',
  not_receivable: 'The order cannot take goods in its status (a draft is sent first; a cancelled or received one takes none).',
  over_receipt: 'That is more than is still to come on the line; the receipt was not recorded.',
  supplier_name_taken: 'Another supplier already has that name.',
  not_in_catalogue: 'An unlisted part cannot go into a stock location: receive it straight to the job.',
  invalid_transition: 'It has moved on meanwhile; this change no longer applies.',
  version_conflict: 'Someone changed it meanwhile; open it again and redo the change.',
};

/** What a waiting purchasing write does, in words. */
export function describePurchasingWrite(write: PendingWrite): string {
  switch (write.name) {
    case CREATE_SUPPLIER:
      return 'New supplier';
    case UPDATE_SUPPLIER:
      return 'Supplier edited';
    case RAISE_REQUISITION:
      return 'Part requested';
    case APPROVE_REQUISITION:
      return 'Approved';
    case REJECT_REQUISITION:
      return 'Rejected';
    case CANCEL_REQUISITION:
      return 'Cancelled';
    case CREATE_PURCHASE_ORDER:
      return 'Order made';
    case SET_PURCHASE_ORDER_STATUS: {
      const status = write.args.status;
      return status === 'sent' ? 'Marked sent' : status === 'shipped' ? 'Marked shipped' : status === 'cancelled' ? 'Order cancelled' : 'Status changed';
    }
    case RECEIVE_PURCHASE_ORDER:
      return 'Goods received';
    default:
      return write.name;
  }
}

/** Purchasing writes not yet accepted, as a short list, refusals with their reason. */
export function PendingWrites({ writes, label }: { writes: readonly PendingWrite[]; label?: string }) {
  return <SharedPendingWrites writes={writes} describe={describePurchasingWrite} meanings={PURCHASING_REFUSAL} label={label} />;
}

/** A requisition's part, its number first, linked to the requisition's page. */
export function RequisitionLink({ requisition: r }: { requisition: Pick<Requisition, 'id' | 'partNumber' | 'partName'> }) {
  return (
    <Link to={`/requisitions/${encodeURIComponent(r.id)}`}>
      {r.partNumber ? `${r.partNumber} ` : ''}
      {r.partName}
    </Link>
  );
}

/** A requisition's status in a list, or "Not accepted" once the server refused its write. */
export function RequisitionBadge({ requisition: r }: { requisition: Pick<Requisition, 'status' | 'refused'> }) {
  return <StatusBadge status={r.refused ? 'rejected' : r.status} label={r.refused ? 'Not accepted' : REQUISITION_STATUS_LABEL[r.status]} />;
}

/**
 * Purchasing as the device knows it, all from the replica and the outbox so it works with the
 * network off: the company's suppliers (`supplier`, company scope), and per vessel its
 * requisitions (`requisition`), purchase orders (`purchase_order`), their lines
 * (`purchase_order_line`) and receipts (`po_receipt`), with this person's writes still in the
 * outbox laid over them:
 *
 * - `create_supplier.v1` / `update_supplier.v1`: a supplier added or edited here shows at once;
 * - `raise_requisition.v1`: a requisition raised here is listed "requested", on this device;
 *   `approve_`, `reject_`, `cancel_requisition.v1` move it at once;
 * - `create_purchase_order.v1`: the order shows as a draft without its number (the server gives
 *   it), its requisitions "ordered"; `set_purchase_order_status.v1` moves it;
 * - `receive_purchase_order.v1`: the receipt is listed and its lines count as received, the
 *   order partially received or received; a receipt the replica holds already is not added again.
 *
 * A refused write changes nothing shown and stays listed with its refusal until dismissed.
 * Quantities are exact (`quantity.ts`), prices as the reader's role lets them arrive (`prices.ts`).
 */
import { useMemo } from 'react';

import { fieldsOf, numberOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import { useParts, type PartItem } from '../../../components/parts-catalogue';
import { quantityOf, ZERO, type Thousandths } from '../../../components/quantity';
import { RECEIVE_PURCHASE_ORDER } from '../../../components/stock-levels';
import type { JsonValue } from '../../../sync/checksum';
import type { StoredRow } from '../../../sync/database';
import { ENTITY } from '../../../sync/entities';
import { lineTotal, pricesOf, type Prices } from './prices';

export const CREATE_SUPPLIER = 'create_supplier.v1';
export const UPDATE_SUPPLIER = 'update_supplier.v1';
export const RAISE_REQUISITION = 'raise_requisition.v1';
export const APPROVE_REQUISITION = 'approve_requisition.v1';
export const REJECT_REQUISITION = 'reject_requisition.v1';
export const CANCEL_REQUISITION = 'cancel_requisition.v1';
export const CREATE_PURCHASE_ORDER = 'create_purchase_order.v1';
export const SET_PURCHASE_ORDER_STATUS = 'set_purchase_order_status.v1';
export { RECEIVE_PURCHASE_ORDER };

/** Every purchasing mutator. */
export const PURCHASING_WRITES: ReadonlySet<string> = new Set([
  CREATE_SUPPLIER,
  UPDATE_SUPPLIER,
  RAISE_REQUISITION,
  APPROVE_REQUISITION,
  REJECT_REQUISITION,
  CANCEL_REQUISITION,
  CREATE_PURCHASE_ORDER,
  SET_PURCHASE_ORDER_STATUS,
  RECEIVE_PURCHASE_ORDER,
]);

export const REQUISITION_STATUSES = ['requested', 'approved', 'ordered', 'partially_received', 'received', 'rejected', 'cancelled'] as const;
/** Where a requisition stands. */
export type RequisitionStatus = (typeof REQUISITION_STATUSES)[number];

export const ORDER_STATUSES = ['draft', 'sent', 'shipped', 'partially_received', 'received', 'cancelled'] as const;
/** Where a purchase order stands. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;
const argText = (w: PendingWrite, name: string): string | null => {
  const v = w.args[name];
  return typeof v === 'string' ? v : null;
};
const argNumber = (w: PendingWrite, name: string): number | null => {
  const v = w.args[name];
  return typeof v === 'number' ? v : null;
};
const asStatus = <T extends string>(all: readonly T[], v: string | null, fallback: T): T =>
  (all as readonly string[]).includes(v ?? '') ? (v as T) : fallback;
/** A write that still counts towards what is shown: not refused. */
const counts = (w: PendingWrite) => w.state !== 'rejected';

// ---------------------------------------------------------------------------------------------
// Suppliers

/** A supplier, confirmed or only on this device. */
export interface Supplier {
  /** Lowercase. */
  id: string;
  name: string;
  contact: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  currency: string;
  /** The replica's version (an edit's base); null while only its creation waits. */
  version: number | null;
  pending: PendingWrite[];
  /** Only on this device, and the server refused to create it. */
  refused: boolean;
}

function supplierFrom(id: string, f: Record<string, JsonValue>, version: number | null): Supplier {
  return {
    id,
    name: textOf(f, 'name') ?? '',
    contact: textOf(f, 'contact'),
    email: textOf(f, 'email'),
    phone: textOf(f, 'phone'),
    address: textOf(f, 'address'),
    currency: textOf(f, 'currency') ?? 'EUR',
    version,
    pending: [],
    refused: false,
  };
}

/** The company's suppliers by name, with the waiting additions and edits. */
export function allSuppliers(rows: readonly StoredRow[], writes: readonly PendingWrite[]): Supplier[] {
  const byId = new Map<string, Supplier>();
  for (const row of rows) byId.set(row.id, supplierFrom(row.id, fieldsOf(row), row.version));
  for (const w of writes) {
    if (w.name === CREATE_SUPPLIER) {
      const id = lower(argText(w, 'id'));
      if (id === null) continue;
      const known = byId.get(id);
      if (known) known.pending.push(w);
      else byId.set(id, { ...supplierFrom(id, w.args, null), pending: [w], refused: w.state === 'rejected' });
    } else if (w.name === UPDATE_SUPPLIER) {
      const id = lower(argText(w, 'supplier_id'));
      const known = id === null ? undefined : byId.get(id);
      if (!known || id === null) continue;
      const edited = counts(w) ? { ...supplierFrom(id, w.args, known.version), refused: known.refused } : known;
      edited.pending = [...known.pending, w];
      byId.set(id, edited);
    }
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id));
}

/** A supplier name as the server compares them: case and spacing do not count. */
export const supplierNameKey = (name: string) => name.toLowerCase().replace(/\s+/g, ' ').trim();

/** Every supplier the device knows; undefined while loading. */
export function useSuppliers(): Supplier[] | undefined {
  const rows = useEntityRows(ENTITY.supplier);
  const writes = usePendingWrites();
  return useMemo(() => (rows && writes ? allSuppliers(rows, writes) : undefined), [rows, writes]);
}

// ---------------------------------------------------------------------------------------------
// Requisitions

/** One requisition, confirmed or only on this device. */
export interface Requisition {
  /** Lowercase. */
  id: string;
  vesselId: string;
  partId: string | null;
  partName: string;
  partNumber: string | null;
  unit: string;
  quantity: Thousandths;
  received: Thousandths;
  workOrderId: string | null;
  faultId: string | null;
  supplierId: string | null;
  neededBy: string | null;
  note: string | null;
  status: RequisitionStatus;
  /** A user id (lowercase); null for one raised on this device and not yet accepted. */
  requestedBy: string | null;
  decidedBy: string | null;
  decisionComment: string | null;
  purchaseOrderId: string | null;
  /** When it was asked for or last moved. */
  statusChangedAt: string;
  /** Null when it carries no price (none given, or none the reader sees). */
  prices: Prices | null;
  version: number | null;
  /** Its writes not yet accepted, oldest first, refused ones included. */
  pending: PendingWrite[];
  /** Raised only on this device, and the server refused it. */
  refused: boolean;
}

/** Whether a prices object carries anything the reader sees. */
const anyPrice = (p: Prices) =>
  p.supplierUnit !== undefined || p.supplierTotal !== undefined || p.customerUnit !== undefined || p.customerTotal !== undefined;

function requisitionFromRow(row: StoredRow): Requisition {
  const f = fieldsOf(row);
  const prices = pricesOf(f);
  return {
    id: row.id,
    vesselId: lower(textOf(f, 'vessel_id')) ?? '',
    partId: lower(textOf(f, 'part_id')),
    partName: textOf(f, 'part_name') ?? '',
    partNumber: textOf(f, 'part_number'),
    unit: textOf(f, 'unit') ?? '',
    quantity: quantityOf(f.quantity) ?? ZERO,
    received: quantityOf(f.received) ?? ZERO,
    workOrderId: lower(textOf(f, 'work_order_id')),
    faultId: lower(textOf(f, 'fault_id')),
    supplierId: lower(textOf(f, 'supplier_id')),
    neededBy: textOf(f, 'needed_by'),
    note: textOf(f, 'note'),
    status: asStatus(REQUISITION_STATUSES, textOf(f, 'status'), 'requested'),
    requestedBy: lower(textOf(f, 'requested_by')),
    decidedBy: lower(textOf(f, 'decided_by')),
    decisionComment: textOf(f, 'decision_comment'),
    purchaseOrderId: lower(textOf(f, 'purchase_order_id')),
    statusChangedAt: textOf(f, 'status_changed_at') ?? '',
    prices: anyPrice(prices) ? prices : null,
    version: row.version,
    pending: [],
    refused: false,
  };
}

function requisitionFromWrite(w: PendingWrite, id: string, parts: ReadonlyMap<string, PartItem>): Requisition {
  const partId = lower(argText(w, 'part_id'));
  const part = partId === null ? undefined : parts.get(partId);
  const unitPrice = argNumber(w, 'supplier_unit_price_minor');
  const quantity = quantityOf(w.args.quantity) ?? ZERO;
  const currency = argText(w, 'currency');
  return {
    id,
    vesselId: lower(argText(w, 'vessel_id')) ?? '',
    partId,
    partName: part?.name ?? argText(w, 'part_name') ?? (partId === null ? '' : 'A part not yet on this device'),
    partNumber: part?.number ?? argText(w, 'part_number'),
    unit: part?.unit ?? argText(w, 'unit') ?? 'pcs',
    quantity,
    received: ZERO,
    workOrderId: lower(argText(w, 'work_order_id')),
    faultId: lower(argText(w, 'fault_id')),
    supplierId: lower(argText(w, 'supplier_id')),
    neededBy: argText(w, 'needed_by'),
    note: argText(w, 'note'),
    status: 'requested',
    requestedBy: null,
    decidedBy: null,
    decisionComment: null,
    purchaseOrderId: null,
    statusChangedAt: new Date(w.queuedAt).toISOString(),
    prices: unitPrice === null ? null : { currency, supplierUnit: unitPrice, supplierTotal: lineTotal(unitPrice, quantity) },
    version: null,
    pending: [w],
    refused: w.state === 'rejected',
  };
}

/** The requisitions an order made on this device takes, by id (its lines naming one). */
function requisitionsOnWaitingOrders(writes: readonly PendingWrite[]): Map<string, string> {
  const taken = new Map<string, string>();
  for (const w of writes) {
    if (w.name !== CREATE_PURCHASE_ORDER || !counts(w)) continue;
    const order = lower(argText(w, 'id'));
    const lines = w.args.lines;
    if (order === null || !Array.isArray(lines)) continue;
    for (const line of lines) {
      if (line === null || typeof line !== 'object' || Array.isArray(line)) continue;
      const r = line.requisition_id;
      if (typeof r === 'string') taken.set(r.toLowerCase(), order);
    }
  }
  return taken;
}

/**
 * Every requisition the device knows, with the waiting writes over them: newest first. `parts`
 * names a catalogue part raised here (its name and unit).
 */
export function allRequisitions(
  rows: readonly StoredRow[],
  writes: readonly PendingWrite[],
  parts: ReadonlyMap<string, PartItem>,
): Requisition[] {
  const byId = new Map<string, Requisition>();
  for (const row of rows) byId.set(row.id, requisitionFromRow(row));
  for (const w of writes) {
    if (w.name === RAISE_REQUISITION) {
      const id = lower(argText(w, 'id'));
      if (id === null) continue;
      const known = byId.get(id);
      if (known) known.pending.push(w);
      else byId.set(id, requisitionFromWrite(w, id, parts));
      continue;
    }
    const decision =
      w.name === APPROVE_REQUISITION ? 'approved' : w.name === REJECT_REQUISITION ? 'rejected' : w.name === CANCEL_REQUISITION ? 'cancelled' : null;
    if (decision === null) continue;
    const r = byId.get(lower(argText(w, 'requisition_id')) ?? '');
    if (!r) continue;
    r.pending.push(w);
    // Only a requisition still asked for is decided; the server refuses the rest.
    const open = r.status === 'requested' || (decision === 'cancelled' && r.status === 'approved');
    if (!counts(w) || !open) continue;
    r.status = decision;
    r.statusChangedAt = new Date(w.queuedAt).toISOString();
    if (decision !== 'cancelled') r.decisionComment = argText(w, 'comment');
  }
  for (const [requisition, order] of requisitionsOnWaitingOrders(writes)) {
    const r = byId.get(requisition);
    if (r?.status !== 'approved') continue;
    r.status = 'ordered';
    r.purchaseOrderId = order;
  }
  const time = (r: Requisition) => Date.parse(r.statusChangedAt) || 0;
  return [...byId.values()].sort((a, b) => b.id.localeCompare(a.id) || time(b) - time(a));
}

/** Every requisition the device knows; undefined while loading. */
export function useRequisitions(): Requisition[] | undefined {
  const rows = useEntityRows(ENTITY.requisition);
  const writes = usePendingWrites();
  const parts = useParts();
  return useMemo(
    () => (rows && writes && parts ? allRequisitions(rows, writes, new Map(parts.map((p) => [p.id, p]))) : undefined),
    [rows, writes, parts],
  );
}

/** Whether `status` is among those a status filter asks for (`?status=requested,approved`). */
export function matchesStatuses(status: string, filter: readonly string[]): boolean {
  return filter.length === 0 || filter.includes(status);
}

/** Whether someone may still cancel a requisition: asked for or approved, not ordered. */
export const isCancellable = (r: Pick<Requisition, 'status'>) => r.status === 'requested' || r.status === 'approved';

// ---------------------------------------------------------------------------------------------
// Purchase orders

/** One line of an order. */
export interface OrderLine {
  /** Lowercase. */
  id: string;
  position: number;
  requisitionId: string | null;
  partId: string | null;
  partName: string;
  partNumber: string | null;
  unit: string;
  ordered: Thousandths;
  /** Received so far, waiting receipts included. */
  received: Thousandths;
  /** Still to come (never below 0). */
  outstanding: Thousandths;
  prices: Prices;
}

/** One receipt of an order. */
export interface Receipt {
  /** Lowercase. */
  id: string;
  /** Null: straight to the job. */
  locationId: string | null;
  lines: { lineId: string; quantity: Thousandths }[];
  note: string | null;
  /** A user id; null for one recorded on this device and not yet accepted. */
  receivedBy: string | null;
  receivedAt: string;
  /** Its write, while the server has not accepted it. */
  pending: PendingWrite | null;
}

/** One purchase order, confirmed or only on this device. */
export interface PurchaseOrder {
  /** Lowercase. */
  id: string;
  /** "PO-000042"; null until the server has given it one. */
  number: string | null;
  vesselId: string;
  supplierId: string;
  currency: string;
  expectedOn: string | null;
  note: string | null;
  status: OrderStatus;
  createdBy: string | null;
  statusChangedAt: string;
  /** The totals the reader sees (absent: their role does not read that price). */
  supplierTotal?: number;
  customerTotal?: number;
  lines: OrderLine[];
  receipts: Receipt[];
  version: number | null;
  /** Its writes not yet accepted, oldest first, refused ones included. */
  pending: PendingWrite[];
  /** Made only on this device, and the server refused it. */
  refused: boolean;
}

const objectOf = (v: JsonValue | undefined): Record<string, JsonValue> | null =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : null;

function lineFromRow(row: StoredRow): OrderLine & { orderId: string } {
  const f = fieldsOf(row);
  const ordered = quantityOf(f.ordered) ?? ZERO;
  const received = quantityOf(f.received) ?? ZERO;
  return {
    orderId: lower(textOf(f, 'purchase_order_id')) ?? '',
    id: row.id,
    position: numberOf(f, 'position') ?? 0,
    requisitionId: lower(textOf(f, 'requisition_id')),
    partId: lower(textOf(f, 'part_id')),
    partName: textOf(f, 'part_name') ?? '',
    partNumber: textOf(f, 'part_number'),
    unit: textOf(f, 'unit') ?? '',
    ordered,
    received,
    outstanding: ordered > received ? ordered - received : ZERO,
    prices: pricesOf(f),
  };
}

function receiptLines(v: JsonValue | undefined): Receipt['lines'] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((l) => {
    const o = objectOf(l);
    const lineId = o ? lower(textOf(o, 'line_id')) : null;
    const quantity = o ? quantityOf(o.quantity) : null;
    return lineId === null || quantity === null ? [] : [{ lineId, quantity }];
  });
}

function receiptFromRow(row: StoredRow): Receipt & { orderId: string } {
  const f = fieldsOf(row);
  return {
    orderId: lower(textOf(f, 'purchase_order_id')) ?? '',
    id: row.id,
    locationId: lower(textOf(f, 'location_id')),
    lines: receiptLines(f.lines),
    note: textOf(f, 'note'),
    receivedBy: lower(textOf(f, 'received_by')),
    receivedAt: textOf(f, 'received_at') ?? '',
    pending: null,
  };
}

/** The lines of an order made on this device, from its write: each a requisition's part or a part named. */
function linesFromWrite(
  w: PendingWrite,
  currency: string,
  requisitions: ReadonlyMap<string, Requisition>,
  parts: ReadonlyMap<string, PartItem>,
): OrderLine[] {
  const lines = Array.isArray(w.args.lines) ? w.args.lines : [];
  return lines.flatMap((l, i): OrderLine[] => {
    const o = objectOf(l);
    const id = o ? lower(textOf(o, 'id')) : null;
    if (!o || id === null) return [];
    const requisition = requisitions.get(lower(textOf(o, 'requisition_id')) ?? '');
    const partId = lower(textOf(o, 'part_id')) ?? requisition?.partId ?? null;
    const part = partId === null ? undefined : parts.get(partId);
    const ordered = quantityOf(o.quantity) ?? requisition?.quantity ?? ZERO;
    const unitPrice = numberOf(o, 'supplier_unit_price_minor');
    const prices: Prices = { currency };
    if (unitPrice !== null) {
      prices.supplierUnit = unitPrice;
      prices.supplierTotal = lineTotal(unitPrice, ordered);
    }
    return [
      {
        id,
        position: i + 1,
        requisitionId: requisition?.id ?? null,
        partId,
        partName: part?.name ?? textOf(o, 'part_name') ?? requisition?.partName ?? '',
        partNumber: part?.number ?? textOf(o, 'part_number') ?? requisition?.partNumber ?? null,
        unit: part?.unit ?? textOf(o, 'unit') ?? requisition?.unit ?? 'pcs',
        ordered,
        received: ZERO,
        outstanding: ordered,
        prices,
      },
    ];
  });
}

/**
 * An order's number as people read it, "PO-000042". The API answers it as that text; the change
 * log's row carries the bare sequence number (`42`, `order_json` in crates/app), written here the
 * way the API writes it (six digits at least).
 */
export function orderNumberOf(value: JsonValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return `PO-${value.toString().padStart(6, '0')}`;
  return null;
}

/** An order's status from its lines once goods have arrived (the server's rule). */
export function statusAfterReceipts(status: OrderStatus, lines: readonly Pick<OrderLine, 'ordered' | 'received'>[]): OrderStatus {
  if (status === 'cancelled' || status === 'draft') return status;
  if (lines.length > 0 && lines.every((l) => l.received >= l.ordered)) return 'received';
  if (lines.some((l) => l.received > ZERO)) return 'partially_received';
  return status;
}

/** The moves a person may ask for on an order in `status`: Send, Mark shipped, Cancel. */
export function orderMoves(status: OrderStatus): ('sent' | 'shipped' | 'cancelled')[] {
  switch (status) {
    case 'draft':
      return ['sent', 'cancelled'];
    case 'sent':
      return ['shipped', 'cancelled'];
    default:
      return [];
  }
}

/** Whether goods may be received against an order in `status`. */
export const isReceivable = (status: OrderStatus) => status === 'sent' || status === 'shipped' || status === 'partially_received';

/**
 * Every purchase order the device knows, with its lines and receipts and the waiting writes over
 * them: newest first. `requisitions` and `parts` name the lines of an order made here.
 */
export function allOrders(
  sources: { orders: readonly StoredRow[]; lines: readonly StoredRow[]; receipts: readonly StoredRow[] },
  writes: readonly PendingWrite[],
  requisitions: ReadonlyMap<string, Requisition>,
  parts: ReadonlyMap<string, PartItem>,
): PurchaseOrder[] {
  const byId = new Map<string, PurchaseOrder>();
  for (const row of sources.orders) {
    const f = fieldsOf(row);
    const order: PurchaseOrder = {
      id: row.id,
      number: orderNumberOf(f.number),
      vesselId: lower(textOf(f, 'vessel_id')) ?? '',
      supplierId: lower(textOf(f, 'supplier_id')) ?? '',
      currency: textOf(f, 'currency') ?? 'EUR',
      expectedOn: textOf(f, 'expected_on'),
      note: textOf(f, 'note'),
      status: asStatus(ORDER_STATUSES, textOf(f, 'status'), 'draft'),
      createdBy: lower(textOf(f, 'created_by')),
      statusChangedAt: textOf(f, 'status_changed_at') ?? '',
      lines: [],
      receipts: [],
      version: row.version,
      pending: [],
      refused: false,
    };
    const supplierTotal = numberOf(f, 'supplier_total_minor');
    const customerTotal = numberOf(f, 'customer_total_minor');
    if (supplierTotal !== null) order.supplierTotal = supplierTotal;
    if (customerTotal !== null) order.customerTotal = customerTotal;
    byId.set(row.id, order);
  }
  for (const row of sources.lines) {
    const { orderId, ...line } = lineFromRow(row);
    byId.get(orderId)?.lines.push(line);
  }
  const knownReceipts = new Set<string>();
  for (const row of sources.receipts) {
    const { orderId, ...receipt } = receiptFromRow(row);
    knownReceipts.add(receipt.id);
    byId.get(orderId)?.receipts.push(receipt);
  }
  for (const w of writes) {
    if (w.name === CREATE_PURCHASE_ORDER) {
      const id = lower(argText(w, 'id'));
      if (id === null) continue;
      const known = byId.get(id);
      if (known) {
        known.pending.push(w);
        continue;
      }
      const currency = argText(w, 'currency') ?? 'EUR';
      const lines = linesFromWrite(w, currency, requisitions, parts);
      const supplierTotal = lines.every((l) => l.prices.supplierTotal !== undefined)
        ? lines.reduce((sum, l) => sum + (l.prices.supplierTotal ?? 0), 0)
        : undefined;
      byId.set(id, {
        id,
        number: null,
        vesselId: lower(argText(w, 'vessel_id')) ?? '',
        supplierId: lower(argText(w, 'supplier_id')) ?? '',
        currency,
        expectedOn: argText(w, 'expected_on'),
        note: argText(w, 'note'),
        status: 'draft',
        createdBy: null,
        statusChangedAt: new Date(w.queuedAt).toISOString(),
        ...(supplierTotal === undefined ? {} : { supplierTotal }),
        lines,
        receipts: [],
        version: null,
        pending: [w],
        refused: w.state === 'rejected',
      });
    } else if (w.name === SET_PURCHASE_ORDER_STATUS) {
      const order = byId.get(lower(argText(w, 'purchase_order_id')) ?? '');
      if (!order) continue;
      order.pending.push(w);
      const to = argText(w, 'status');
      if (!counts(w) || (to !== 'sent' && to !== 'shipped' && to !== 'cancelled')) continue;
      if (!orderMoves(order.status).includes(to)) continue;
      order.status = to;
      order.statusChangedAt = new Date(w.queuedAt).toISOString();
    } else if (w.name === RECEIVE_PURCHASE_ORDER) {
      const order = byId.get(lower(argText(w, 'purchase_order_id')) ?? '');
      const id = lower(argText(w, 'id'));
      if (!order || id === null) continue;
      order.pending.push(w);
      // The receipt the replica holds is in its lines already.
      if (knownReceipts.has(id)) continue;
      const lines = receiptLines(w.args.lines);
      order.receipts.push({
        id,
        locationId: lower(argText(w, 'location_id')),
        lines,
        note: argText(w, 'note'),
        receivedBy: null,
        receivedAt: new Date(w.queuedAt).toISOString(),
        pending: w,
      });
      if (!counts(w)) continue;
      for (const { lineId, quantity } of lines) {
        const line = order.lines.find((l) => l.id === lineId);
        if (!line) continue;
        line.received += quantity;
        line.outstanding = line.ordered > line.received ? line.ordered - line.received : ZERO;
      }
      order.status = statusAfterReceipts(order.status, order.lines);
    }
  }
  for (const order of byId.values()) {
    order.lines.sort((a, b) => a.position - b.position);
    order.receipts.sort((a, b) => (Date.parse(a.receivedAt) || 0) - (Date.parse(b.receivedAt) || 0));
  }
  return [...byId.values()].sort((a, b) => b.id.localeCompare(a.id));
}

/** Every purchase order the device knows, and the requisitions by id; undefined while loading. */
export function usePurchasing(): { orders: PurchaseOrder[]; requisitions: Requisition[] } | undefined {
  const orderRows = useEntityRows(ENTITY.purchaseOrder);
  const lineRows = useEntityRows(ENTITY.purchaseOrderLine);
  const receiptRows = useEntityRows(ENTITY.poReceipt);
  const writes = usePendingWrites();
  const parts = useParts();
  const requisitions = useRequisitions();
  return useMemo(() => {
    if (!orderRows || !lineRows || !receiptRows || !writes || !parts || !requisitions) return undefined;
    const orders = allOrders(
      { orders: orderRows, lines: lineRows, receipts: receiptRows },
      writes,
      new Map(requisitions.map((r) => [r.id, r])),
      new Map(parts.map((p) => [p.id, p])),
    );
    return { orders, requisitions };
  }, [orderRows, lineRows, receiptRows, writes, parts, requisitions]);
}

/** An order's name: its number, or what it is until the server numbers it. */
export const orderName = (o: Pick<PurchaseOrder, 'number'>) => o.number ?? 'New order (numbered once the server has it)';

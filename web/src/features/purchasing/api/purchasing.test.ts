/**
 * Purchasing from the replica with the waiting writes laid over it: requisitions raised and
 * decided offline, an order made from them (its requisitions ordered), moved and received in
 * parts (a receipt the replica holds never counted twice, a refused one never at all), and
 * suppliers added and edited.
 */
import { describe, expect, it } from 'vitest';

import type { PendingWrite } from '../../../components/local-writes';
import type { PartItem } from '../../../components/parts-catalogue';
import type { MutationState } from '../../../sync/database';
import { replicaRow } from '../../../test/sync-page';
import {
  allOrders,
  allRequisitions,
  allSuppliers,
  APPROVE_REQUISITION,
  CANCEL_REQUISITION,
  CREATE_PURCHASE_ORDER,
  CREATE_SUPPLIER,
  orderMoves,
  orderNumberOf,
  RAISE_REQUISITION,
  RECEIVE_PURCHASE_ORDER,
  REJECT_REQUISITION,
  SET_PURCHASE_ORDER_STATUS,
  statusAfterReceipts,
  UPDATE_SUPPLIER,
} from './purchasing';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const SCOPE = `vessel:${VESSEL}`;
const FILTER = '01900000-0000-7000-8000-000000000021';
const ENGINEER = '01900000-0000-7000-8000-0000000000e1';

let nextWrite = 1;
const write = (name: string, args: PendingWrite['args'], state: MutationState = 'queued'): PendingWrite => ({
  id: nextWrite++,
  name,
  args,
  hlc: '',
  base_version: null,
  state,
  queuedAt: Date.parse('2026-03-05T10:00:00Z') + nextWrite,
  label: state === 'queued' ? 'on this device' : state,
});

const filterPart: PartItem = {
  id: FILTER,
  number: 'HF-6553',
  name: 'Oil filter',
  maker: null,
  unit: 'pcs',
  critical: false,
  equivalents: [],
  version: 1,
  pending: [],
  refused: false,
};
const parts = new Map([[FILTER, filterPart]]);

const requisitionRow = (id: string, status: string, more: Record<string, unknown> = {}) =>
  replicaRow(SCOPE, 'requisition', id, {
    vessel_id: VESSEL,
    part_id: FILTER,
    part_name: 'Oil filter',
    part_number: 'HF-6553',
    unit: 'pcs',
    quantity: '4',
    received: '0',
    status,
    requested_by: ENGINEER,
    status_changed_at: '2026-03-01T08:00:00Z',
    ...more,
  });

describe('requisitions', () => {
  it('shows one raised on this device at once, named from the catalogue, then the server’s row once it arrives', () => {
    const raise = write(RAISE_REQUISITION, { id: 'R-NEW', vessel_id: VESSEL, part_id: FILTER, quantity: '2.5', note: 'Spares low' });
    const [waiting] = allRequisitions([], [raise], parts);
    expect(waiting).toMatchObject({ id: 'r-new', partName: 'Oil filter', unit: 'pcs', quantity: 2500n, status: 'requested', requestedBy: null });
    expect(waiting?.pending).toEqual([raise]);
    const [arrived] = allRequisitions([requisitionRow('r-new', 'requested')], [raise], parts);
    expect(arrived?.requestedBy).toBe(ENGINEER.toLowerCase());
    expect(arrived?.quantity).toBe(4000n);
  });

  it('names an unlisted part from the write, `pcs` by default', () => {
    const [r] = allRequisitions([], [write(RAISE_REQUISITION, { id: 'x', vessel_id: VESSEL, part_name: 'Gasket set', quantity: '1' })], parts);
    expect(r).toMatchObject({ partId: null, partName: 'Gasket set', unit: 'pcs' });
  });

  it('moves with a waiting approval, rejection or cancellation; a refused one changes nothing', () => {
    const rows = [requisitionRow('a', 'requested'), requisitionRow('b', 'requested'), requisitionRow('c', 'approved'), requisitionRow('d', 'requested')];
    const list = allRequisitions(
      rows,
      [
        write(APPROVE_REQUISITION, { requisition_id: 'A' }),
        write(REJECT_REQUISITION, { requisition_id: 'b', comment: 'We have two on board' }),
        write(CANCEL_REQUISITION, { requisition_id: 'c' }),
        write(APPROVE_REQUISITION, { requisition_id: 'd' }, 'rejected'),
      ],
      parts,
    );
    const byId = new Map(list.map((r) => [r.id, r]));
    expect(byId.get('a')?.status).toBe('approved');
    expect(byId.get('b')).toMatchObject({ status: 'rejected', decisionComment: 'We have two on board' });
    expect(byId.get('c')?.status).toBe('cancelled');
    expect(byId.get('d')?.status).toBe('requested');
    expect(byId.get('d')?.pending).toHaveLength(1);
  });

  it('shows the prices a row carries and none when the role sees none', () => {
    const [manager] = allRequisitions([requisitionRow('m', 'requested', { currency: 'EUR', supplier_unit_price_minor: 1000, customer_unit_price_minor: 1200 })], [], parts);
    expect(manager?.prices).toMatchObject({ supplierUnit: 1000, customerUnit: 1200 });
    const [crew] = allRequisitions([requisitionRow('c', 'requested', { currency: 'EUR' })], [], parts);
    expect(crew?.prices).toBeNull();
  });
});

const orderRow = (status: string) =>
  replicaRow(SCOPE, 'purchase_order', 'po', {
    number: 'PO-000042',
    vessel_id: VESSEL,
    supplier_id: 'sup',
    currency: 'EUR',
    status,
    created_by: 'manager',
    supplier_total_minor: 9000,
    status_changed_at: '2026-03-02T08:00:00Z',
  });
const lineRow = (id: string, position: number, ordered: string, received: string, partId: string | null = FILTER) =>
  replicaRow(SCOPE, 'purchase_order_line', id, {
    purchase_order_id: 'po',
    vessel_id: VESSEL,
    position,
    part_id: partId,
    part_name: partId ? 'Oil filter' : 'Gasket set',
    unit: 'pcs',
    ordered,
    received,
    currency: 'EUR',
    customer_unit_price_minor: 1200,
  });

describe('purchase orders', () => {
  it('shows an order made here as a draft without its number, its requisitions ordered', () => {
    const make = write(CREATE_PURCHASE_ORDER, {
      id: 'NEW-PO',
      vessel_id: VESSEL,
      supplier_id: 'sup',
      currency: 'EUR',
      lines: [
        { id: 'l1', requisition_id: 'r1', supplier_unit_price_minor: 1250 },
        { id: 'l2', part_name: 'Gasket set', quantity: '2.5', supplier_unit_price_minor: 99 },
      ],
    });
    const requisitions = allRequisitions([requisitionRow('r1', 'approved')], [make], parts);
    expect(requisitions[0]).toMatchObject({ status: 'ordered', purchaseOrderId: 'new-po' });
    const [order] = allOrders({ orders: [], lines: [], receipts: [] }, [make], new Map(requisitions.map((r) => [r.id, r])), parts);
    expect(order).toMatchObject({ id: 'new-po', number: null, status: 'draft', supplierTotal: 5248 });
    expect(order?.lines.map((l) => [l.partName, l.ordered, l.outstanding])).toEqual([
      ['Oil filter', 4000n, 4000n],
      ['Gasket set', 2500n, 2500n],
    ]);
  });

  it('receives in parts: a waiting receipt counts at once, never again once the replica holds it', () => {
    const rows = { orders: [orderRow('shipped')], lines: [lineRow('l1', 1, '4', '0'), lineRow('l2', 2, '1', '0', null)], receipts: [] };
    const first = write(RECEIVE_PURCHASE_ORDER, { id: 'rc1', purchase_order_id: 'po', location_id: 'loc', lines: [{ line_id: 'l1', quantity: '3', entry_id: 'e1' }] });
    const [partly] = allOrders(rows, [first], new Map(), parts);
    expect(partly?.status).toBe('partially_received');
    expect(partly?.lines[0]).toMatchObject({ received: 3000n, outstanding: 1000n });
    expect(partly?.receipts).toHaveLength(1);
    expect(partly?.receipts[0]?.pending).toBe(first);

    const second = write(RECEIVE_PURCHASE_ORDER, {
      id: 'rc2',
      purchase_order_id: 'po',
      lines: [
        { line_id: 'l1', quantity: '1' },
        { line_id: 'l2', quantity: '1' },
      ],
    });
    const synced = {
      orders: [orderRow('partially_received')],
      lines: [lineRow('l1', 1, '4', '3'), lineRow('l2', 2, '1', '0', null)],
      receipts: [replicaRow(SCOPE, 'po_receipt', 'rc1', { purchase_order_id: 'po', location_id: 'loc', lines: [{ line_id: 'l1', quantity: '3' }], received_at: '2026-03-03T08:00:00Z', received_by: ENGINEER })],
    };
    const [all] = allOrders(synced, [first, second], new Map(), parts);
    expect(all?.status).toBe('received');
    expect(all?.lines.map((l) => l.received)).toEqual([4000n, 1000n]);
    expect(all?.receipts.map((r) => [r.id, r.locationId])).toEqual([
      ['rc1', 'loc'],
      ['rc2', null],
    ]);
  });

  it('counts a refused receipt for nothing', () => {
    const rows = { orders: [orderRow('sent')], lines: [lineRow('l1', 1, '4', '0')], receipts: [] };
    const refused = write(RECEIVE_PURCHASE_ORDER, { id: 'rc', purchase_order_id: 'po', lines: [{ line_id: 'l1', quantity: '5' }] }, 'rejected');
    const [order] = allOrders(rows, [refused], new Map(), parts);
    expect(order?.status).toBe('sent');
    expect(order?.lines[0]?.received).toBe(0n);
  });

  it('moves by the waiting status write only where the move is allowed', () => {
    const rows = { orders: [orderRow('draft')], lines: [lineRow('l1', 1, '4', '0')], receipts: [] };
    const [sent] = allOrders(rows, [write(SET_PURCHASE_ORDER_STATUS, { purchase_order_id: 'po', status: 'sent' })], new Map(), parts);
    expect(sent?.status).toBe('sent');
    const [still] = allOrders(rows, [write(SET_PURCHASE_ORDER_STATUS, { purchase_order_id: 'po', status: 'shipped' })], new Map(), parts);
    expect(still?.status).toBe('draft');
  });

  it('keeps the totals the row carries, and only those', () => {
    const [order] = allOrders({ orders: [orderRow('sent')], lines: [lineRow('l1', 1, '4', '0')], receipts: [] }, [], new Map(), parts);
    expect(order?.supplierTotal).toBe(9000);
    expect(order?.customerTotal).toBeUndefined();
    expect(order?.lines[0]?.prices).toEqual({ currency: 'EUR', customerUnit: 1200 });
  });

  it('names an order PO-000042 whether the row carries the text or the bare number', () => {
    expect(orderNumberOf('PO-000042')).toBe('PO-000042');
    expect(orderNumberOf(42)).toBe('PO-000042');
    expect(orderNumberOf(1234567)).toBe('PO-1234567');
    expect(orderNumberOf(null)).toBeNull();
  });

  it('offers the moves of each status', () => {
    expect(orderMoves('draft')).toEqual(['sent', 'cancelled']);
    expect(orderMoves('sent')).toEqual(['shipped', 'cancelled']);
    expect(orderMoves('shipped')).toEqual([]);
    expect(statusAfterReceipts('shipped', [{ ordered: 1000n, received: 0n }])).toBe('shipped');
  });
});

describe('suppliers', () => {
  it('lists those added and edited here by name, a refused edit changing nothing', () => {
    const rows = [replicaRow('company:c', 'supplier', 's1', { name: 'Nordic Marine Supply', currency: 'NOK', address: 'Kai 1\n5003 Bergen' }, 7)];
    const list = allSuppliers(rows, [
      write(CREATE_SUPPLIER, { id: 'S2', name: 'Atlantic Spares', currency: 'EUR' }),
      write(UPDATE_SUPPLIER, { supplier_id: 's1', name: 'Nordic Marine', currency: 'EUR' }, 'rejected'),
    ]);
    expect(list.map((s) => [s.id, s.name, s.currency, s.version])).toEqual([
      ['s2', 'Atlantic Spares', 'EUR', null],
      ['s1', 'Nordic Marine Supply', 'NOK', 7],
    ]);
    expect(list[1]?.pending).toHaveLength(1);
    const edited = allSuppliers(rows, [write(UPDATE_SUPPLIER, { supplier_id: 's1', name: 'Nordic Marine', currency: 'EUR' })]);
    expect(edited[0]).toMatchObject({ name: 'Nordic Marine', currency: 'EUR', address: null, version: 7 });
  });
});

/**
 * Requisitions seen from the stock page and from a fault's or a work order's page: a part is
 * "already requested" on a vessel while a requisition for it is open there (or waiting on this
 * device, not refused); a reorder's args; the requisitions of one fault or one work order.
 */
import { describe, expect, it } from 'vitest';

import type { PendingWrite } from '../../../components/local-writes';
import type { MutationState } from '../../../sync/database';
import { replicaRow } from '../../../test/sync-page';
import { allRequisitions, CANCEL_REQUISITION, RAISE_REQUISITION, type RequisitionStatus } from './purchasing';
import { isOpenRequisition, REORDER_NOTE, reorderArgs, requestedParts, requisitionsFor } from './reorders';

const SPIRIT = '01900000-0000-7000-8000-000000000001';
const STAR = '01900000-0000-7000-8000-000000000002';
const FILTER = '01900000-0000-7000-8000-000000000021';
const GREASE = '01900000-0000-7000-8000-000000000022';
const IMPELLER = '01900000-0000-7000-8000-000000000023';
const FAULT = '01900000-0000-7000-8000-0000000000f1';
const ORDER = '01900000-0000-7000-8000-0000000000a1';

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
let nextRow = 0x100;
const requisition = (vessel: string, part: string | null, status: RequisitionStatus, more: Record<string, unknown> = {}) =>
  replicaRow(`vessel:${vessel}`, 'requisition', `01900000-0000-7000-8000-000000000${(nextRow++).toString(16)}`, {
    vessel_id: vessel, part_id: part, part_name: part === null ? 'Seal kit' : 'A part', quantity: '2', received: '0', status,
    status_changed_at: '2026-03-01T08:00:00Z', ...more,
  });

describe('a part already requested on a vessel', () => {
  it('is one with a requisition requested, approved, ordered or partly received there', () => {
    for (const status of ['requested', 'approved', 'ordered', 'partially_received'] as const) {
      expect(requestedParts(allRequisitions([requisition(SPIRIT, FILTER, status)], [], new Map()), SPIRIT)).toEqual(new Set([FILTER]));
    }
  });

  it('is not one whose requisitions were received, rejected or cancelled', () => {
    const rows = (['received', 'rejected', 'cancelled'] as const).map((s) => requisition(SPIRIT, FILTER, s));
    expect(requestedParts(allRequisitions(rows, [], new Map()), SPIRIT).size).toBe(0);
  });

  it('counts only the vessel asked about, and only catalogue parts', () => {
    const rows = [requisition(STAR, FILTER, 'requested'), requisition(SPIRIT, null, 'requested'), requisition(SPIRIT, GREASE, 'approved')];
    expect(requestedParts(allRequisitions(rows, [], new Map()), SPIRIT.toUpperCase())).toEqual(new Set([GREASE]));
  });

  it('counts a requisition waiting in the outbox, but not one the server refused', () => {
    const writes = [
      write(RAISE_REQUISITION, reorderArgs('01900000-0000-7000-8000-0000000001a1', SPIRIT, FILTER, 5_500n)),
      write(RAISE_REQUISITION, reorderArgs('01900000-0000-7000-8000-0000000001a2', SPIRIT, GREASE, 3_000n), 'rejected'),
    ];
    expect(requestedParts(allRequisitions([], writes, new Map()), SPIRIT)).toEqual(new Set([FILTER]));
  });

  it('is no longer one once its requisition is cancelled on this device', () => {
    const row = requisition(SPIRIT, IMPELLER, 'requested');
    const cancelled = allRequisitions([row], [write(CANCEL_REQUISITION, { requisition_id: row.id })], new Map());
    expect(cancelled.map(isOpenRequisition)).toEqual([false]);
    expect(requestedParts(cancelled, SPIRIT).size).toBe(0);
  });
});

describe('a reorder', () => {
  it('raises the part on the vessel with the suggested quantity as decimal text and the reorder note', () => {
    expect(reorderArgs('01900000-0000-7000-8000-0000000001b1', SPIRIT.toUpperCase(), FILTER, 5_500n)).toEqual({
      id: '01900000-0000-7000-8000-0000000001b1',
      vessel_id: SPIRIT,
      part_id: FILTER,
      quantity: '5.5',
      note: REORDER_NOTE,
    });
    expect(reorderArgs('x', SPIRIT, FILTER, 4_000n).quantity).toBe('4');
    expect(REORDER_NOTE).toBe('Reorder: below minimum');
  });
});

describe('the requisitions of a fault or a work order', () => {
  it('are those naming it, whatever their status, waiting ones included', () => {
    const forFault = requisition(SPIRIT, FILTER, 'approved', { fault_id: FAULT });
    const forOrder = requisition(SPIRIT, GREASE, 'received', { work_order_id: ORDER });
    const forBoth = requisition(SPIRIT, IMPELLER, 'cancelled', { fault_id: FAULT, work_order_id: ORDER });
    const other = requisition(SPIRIT, FILTER, 'requested');
    const waiting = write(RAISE_REQUISITION, {
      id: '01900000-0000-7000-8000-0000000001c1', vessel_id: SPIRIT, part_name: 'Seal kit', quantity: '1', fault_id: FAULT.toUpperCase(),
    });
    const all = allRequisitions([forFault, forOrder, forBoth, other], [waiting], new Map());
    expect(requisitionsFor(all, { faultId: FAULT.toUpperCase() }).map((r) => r.id).sort()).toEqual(
      [forFault.id, forBoth.id, '01900000-0000-7000-8000-0000000001c1'].sort(),
    );
    expect(requisitionsFor(all, { workOrderId: ORDER }).map((r) => r.id).sort()).toEqual([forOrder.id, forBoth.id].sort());
    expect(requisitionsFor(all, { workOrderId: '01900000-0000-7000-8000-0000000000ff' })).toEqual([]);
  });
});

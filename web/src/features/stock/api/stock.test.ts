/**
 * A vessel's stock computed from the replica and the outbox: balances plus the waiting
 * movements (never twice once the ledger row has arrived, never a refused one), the rule's
 * minimum and the order it suggests, and the ledger newest first; the catalogue with its
 * waiting creations and edits, and part numbers compared as the server compares them.
 */
import { describe, expect, it } from 'vitest';

import type { PendingWrite } from '../../../components/local-writes';
import type { MutationState } from '../../../sync/database';
import { replicaRow } from '../../../test/sync-page';
import { catalogue, partMatches, partNumberKey, partWithNumber } from '../../../components/parts-catalogue';
import { formatQuantity } from '../../../components/quantity';
import { vesselLocations, vesselStock, type StockSources } from '../../../components/stock-levels';
import { partLedger } from './stock';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const OTHER_VESSEL = '01900000-0000-7000-8000-000000000002';
const STORE = '01900000-0000-7000-8000-000000000011';
const SHELF = '01900000-0000-7000-8000-000000000012';
const ABROAD = '01900000-0000-7000-8000-000000000013';
const FILTER = '01900000-0000-7000-8000-000000000021';
const SCOPE = `vessel:${VESSEL}`;

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

const location = (id: string, name: string, parent: string | null = null, vessel = VESSEL) =>
  replicaRow(`vessel:${vessel}`, 'stock_location', id, { vessel_id: vessel, name, parent_id: parent });
const balance = (id: string, locationId: string, onHand: string) =>
  replicaRow(SCOPE, 'stock_balance', id, { vessel_id: VESSEL, location_id: locationId, part_id: FILTER, on_hand: onHand });
const entry = (id: string, movement: string, delta: string, at: string, locationId = STORE) =>
  replicaRow(SCOPE, 'stock_entry', id, {
    vessel_id: VESSEL, location_id: locationId, part_id: FILTER, movement, delta, reason: null, work_order_id: null,
    transfer_id: null, recorded_by: '01900000-0000-7000-8000-0000000000b1', recorded_at: at,
  });

function sources(writes: PendingWrite[], more: Partial<StockSources> = {}): StockSources {
  const locationRows = [location(STORE, 'Engine room store'), location(SHELF, 'Shelf A', STORE), location(ABROAD, 'Deck locker', null, OTHER_VESSEL)];
  return {
    locations: vesselLocations(VESSEL, locationRows, writes),
    balances: [balance('b1', STORE, '3'), balance('b2', SHELF, '1.5')],
    entries: [],
    rules: [],
    writes,
    ...more,
  };
}

describe('a vessel’s locations', () => {
  it('are its own, each named under its parents, those created here included', () => {
    const created = write('create_stock_location.v1', { id: '01900000-0000-7000-8000-0000000000f1', vessel_id: VESSEL, name: 'Bin 3', parent_id: SHELF });
    const locations = vesselLocations(VESSEL, [location(STORE, 'Engine room store'), location(SHELF, 'Shelf A', STORE), location(ABROAD, 'Deck locker', null, OTHER_VESSEL)], [created]);
    expect(locations.map((l) => l.path)).toEqual(['Engine room store', 'Engine room store › Shelf A', 'Engine room store › Shelf A › Bin 3']);
    expect(locations.at(-1)?.pending).toBe(created);
  });
});

describe('on hand', () => {
  it('adds the waiting receipts and adjustments to the balances, exactly', () => {
    const stock = vesselStock(VESSEL, sources([
      write('receive_stock.v1', { id: 'e1', location_id: STORE, part_id: FILTER, quantity: '0.1' }),
      write('adjust_stock.v1', { id: 'e2', location_id: SHELF, part_id: FILTER, delta: '-1.5', reason: 'Counted' }, 'sent'),
      write('receive_stock.v1', { id: 'e3', location_id: STORE, part_id: FILTER, quantity: '0.2' }),
    ])).get(FILTER);
    expect(formatQuantity(stock?.total ?? -1n)).toBe('3.3');
    expect(formatQuantity(stock?.byLocation.get(STORE) ?? -1n)).toBe('3.3');
    expect(formatQuantity(stock?.byLocation.get(SHELF) ?? -1n)).toBe('0');
    expect(stock?.pending.map((w) => w.args.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('does not count a refused movement, nor one whose ledger row the replica holds, nor another vessel’s', () => {
    const stock = vesselStock(VESSEL, sources(
      [
        write('adjust_stock.v1', { id: 'e1', location_id: STORE, part_id: FILTER, delta: '-3', reason: 'Used' }, 'rejected'),
        write('receive_stock.v1', { id: 'e2', location_id: STORE, part_id: FILTER, quantity: '5' }, 'sent'),
        write('receive_stock.v1', { id: 'e3', location_id: ABROAD, part_id: FILTER, quantity: '7' }),
      ],
      { entries: [entry('e2', 'receive', '5', '2026-03-05T10:00:00Z')] },
    )).get(FILTER);
    expect(formatQuantity(stock?.total ?? -1n)).toBe('4.5');
    // The refused one stays listed, to be seen and dismissed.
    expect(stock?.pending.map((w) => w.args.id)).toEqual(['e1']);
  });

  it('takes away a part used on a work order still on this device, and lists it as issued', () => {
    const used = write('issue_part.v1', { id: 'e4', work_order_id: '01900000-0000-7000-8000-0000000000a9', location_id: SHELF, part_id: FILTER, quantity: '0.5' });
    const all = sources([used]);
    const stock = vesselStock(VESSEL, all).get(FILTER);
    expect(formatQuantity(stock?.byLocation.get(SHELF) ?? -1n)).toBe('1');
    expect(formatQuantity(stock?.total ?? -1n)).toBe('4');
    expect(partLedger(VESSEL, FILTER, all).map((e) => [e.movement, formatQuantity(e.delta)])).toEqual([['issue', '-0.5']]);
  });

  it('is low below the rule’s minimum, and suggests the reorder quantity or what brings it back to the minimum', () => {
    const rule = (minimum: string, reorder: string) =>
      sources([], { rules: [replicaRow(SCOPE, 'stock_rule', 'r1', { vessel_id: VESSEL, part_id: FILTER, minimum, reorder }, 9)] });
    const suggested = (minimum: string, reorder: string) => {
      const s = vesselStock(VESSEL, rule(minimum, reorder)).get(FILTER);
      return s?.low ? formatQuantity(s.suggestedOrder ?? -1n) : null;
    };
    // 4.5 on hand.
    expect(suggested('10', '20')).toBe('20');
    expect(suggested('10', '4')).toBe('5.5');
    expect(suggested('4.5', '4')).toBeNull();
    expect(suggested('4.501', '1')).toBe('1');
    expect(suggested('0', '4')).toBeNull();
  });

  it('counts what is on its way to the vessel towards the minimum, not what has arrived or goes elsewhere', () => {
    const transfer = (id: string, to: string, sent: string, status: string) =>
      replicaRow(`company:c1`, 'stock_transfer', id, { part_id: FILTER, to_vessel_id: to, sent, status });
    const rules = [replicaRow(SCOPE, 'stock_rule', 'r1', { vessel_id: VESSEL, part_id: FILTER, minimum: '10', reorder: '2' }, 9)];
    const transfers = [
      transfer('t1', VESSEL, '4', 'in_transit'),
      transfer('t2', VESSEL, '1', 'in_transit'),
      transfer('t3', VESSEL, '7', 'received'),
      transfer('t4', OTHER_VESSEL, '9', 'in_transit'),
    ];
    const stock = vesselStock(VESSEL, sources([], { rules, transfers })).get(FILTER);
    // 4.5 on hand and 5 coming: 0.5 short of ten, so the reorder quantity.
    expect(stock).toMatchObject({ total: 4_500n, incoming: 5_000n, low: true, suggestedOrder: 2_000n });
    const enough = vesselStock(VESSEL, sources([], { rules, transfers: [...transfers, transfer('t5', VESSEL, '0.5', 'in_transit')] }));
    expect(enough.get(FILTER)).toMatchObject({ incoming: 5_500n, low: false, suggestedOrder: null });
  });

  it('takes the person’s waiting rule, and lists a part that has only a rule', () => {
    const other = '01900000-0000-7000-8000-000000000022';
    const stock = vesselStock(VESSEL, sources([write('set_stock_rule.v1', { vessel_id: VESSEL, part_id: other, minimum: '2', reorder: '6' })]));
    expect(stock.get(other)).toMatchObject({ total: 0n, low: true, suggestedOrder: 6_000n });
    expect(stock.get(FILTER)?.low).toBe(false);
  });
});

describe('the ledger', () => {
  it('lists the part’s movements newest first, those waiting with them', () => {
    const waiting = write('adjust_stock.v1', { id: '01900000-0000-7000-8000-0000000000f9', location_id: SHELF, part_id: FILTER, delta: '-0.5', reason: 'Found damaged' });
    const ledger = partLedger(VESSEL, FILTER, sources([waiting], {
      entries: [
        entry('01900000-0000-7000-8000-0000000000e1', 'receive', '5', '2026-03-01T08:00:00Z'),
        entry('01900000-0000-7000-8000-0000000000e3', 'transfer_out', '-2', '2026-03-03T08:00:00Z'),
        entry('01900000-0000-7000-8000-0000000000e2', 'issue', '-1', '2026-03-02T08:00:00Z'),
      ],
    }));
    expect(ledger.map((e) => [e.movement, formatQuantity(e.delta), e.pending !== null])).toEqual([
      ['adjust', '-0.5', true],
      ['transfer_out', '-2', false],
      ['issue', '-1', false],
      ['receive', '5', false],
    ]);
    expect(ledger[0]?.reason).toBe('Found damaged');
  });
});

describe('the catalogue', () => {
  const part = (id: string, number: string, name: string) =>
    replicaRow('company:c1', 'part', id, { number, name, maker: 'Fleetguard', unit: 'pcs', critical: false, equivalents: [] }, 4);

  it('compares part numbers ignoring case, spaces, -, . and /', () => {
    expect(partNumberKey(' HF-6553 ')).toBe('hf6553');
    expect(partNumberKey('hf.65/53')).toBe('hf6553');
    const parts = catalogue([part(FILTER, 'HF-6553', 'Oil filter')], []);
    expect(partWithNumber(parts, 'hf 6553')?.name).toBe('Oil filter');
    expect(partWithNumber(parts, 'hf 6553', FILTER)).toBeNull();
    expect(partWithNumber(parts, 'HF-6554')).toBeNull();
  });

  it('shows a part created here at once, an edit over its part, and a refused creation as refused', () => {
    const created = write('create_part.v1', { id: 'p2', number: 'J-1', name: 'Impeller', maker: null, unit: 'pcs', critical: true });
    const edited = write('update_part.v1', { part_id: FILTER, number: 'HF-6553', name: 'Lube oil filter', maker: null, unit: 'pcs', critical: true, equivalents: [] });
    const refused = write('create_part.v1', { id: 'p3', number: 'hf6553', name: 'Copy', unit: 'pcs' }, 'rejected');
    const parts = catalogue([part(FILTER, 'HF-6553', 'Oil filter')], [created, edited, refused]);
    expect(parts.map((p) => [p.number, p.name, p.version, p.refused])).toEqual([
      ['HF-6553', 'Lube oil filter', 4, false],
      ['hf6553', 'Copy', null, true],
      ['J-1', 'Impeller', null, false],
    ]);
    expect(partWithNumber(parts, 'HF 6553', FILTER)).toBeNull();
  });

  it('finds parts by every word of number, name and maker', () => {
    const filter = { number: 'HF-6553', name: 'Oil filter', maker: 'Fleetguard' };
    expect(partMatches(filter, 'oil fleet')).toBe(true);
    expect(partMatches(filter, 'hf6553')).toBe(true);
    expect(partMatches(filter, 'oil impeller')).toBe(false);
  });
});

describe('a purchase order received into a location, still on this device', () => {
  const orderLine = (id: string, partId: string | null) =>
    replicaRow(SCOPE, 'purchase_order_line', id, { purchase_order_id: 'po', vessel_id: VESSEL, part_id: partId, ordered: '5', received: '0' });
  const receipt = (state: MutationState = 'queued', location: string | null = STORE) =>
    write(
      'receive_purchase_order.v1',
      {
        id: 'rc',
        purchase_order_id: 'po',
        ...(location === null ? {} : { location_id: location }),
        lines: [
          { line_id: 'L1', quantity: '2.5', entry_id: 'E1' },
          { line_id: 'l2', quantity: '1', entry_id: 'e2' },
        ],
      },
      state,
    );
  const lines = [orderLine('l1', FILTER), orderLine('l2', null)];

  it('adds each catalogue line at the location at once, the unlisted one nowhere', () => {
    const stock = vesselStock(VESSEL, sources([receipt()], { orderLines: lines })).get(FILTER);
    expect(formatQuantity(stock?.byLocation.get(STORE) ?? 0n)).toBe('5.5');
    expect(partLedger(VESSEL, FILTER, sources([receipt()], { orderLines: lines }))[0]).toMatchObject({ id: 'e1', movement: 'receive', delta: 2500n });
  });

  it('counts nothing straight to the job, refused, or once its ledger row has arrived', () => {
    expect(vesselStock(VESSEL, sources([receipt('queued', null)], { orderLines: lines })).get(FILTER)?.byLocation.get(STORE)).toBe(3000n);
    expect(vesselStock(VESSEL, sources([receipt('rejected')], { orderLines: lines })).get(FILTER)?.byLocation.get(STORE)).toBe(3000n);
    const arrived = [entry('e1', 'receive', '2.5', '2026-03-05T11:00:00Z')];
    expect(vesselStock(VESSEL, sources([receipt()], { orderLines: lines, entries: arrived })).get(FILTER)?.byLocation.get(STORE)).toBe(3000n);
  });
});

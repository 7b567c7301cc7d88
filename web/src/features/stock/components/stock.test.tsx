/**
 * Stock and the catalogue over the local replica with the network off: a vessel's stock with the
 * person's waiting movements added, low parts and what to order, filters; a part's page with its
 * ledger, receiving and adjusting (checked before queueing), a refusal shown and dismissed, the
 * stock rule; the catalogue with new parts (a number already taken refused here) and edits; and
 * what each role is offered.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Role } from '../../../api/types';
import { ReordersContext, type ReorderLine, type Reorders } from '../../../components/reorders';
import type { SyncDatabase } from '../../../sync/database';
import { SyncEngine } from '../../../sync/engine';
import { ScriptedTransport } from '../../../sync/test-support';
import { userOf } from '../../../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { CataloguePage } from './catalogue-page';
import { PartFormPage } from './part-form-page';
import { PartStockPage } from './part-stock-page';
import { displayQuantity } from './stock-labels';
import { StockPage } from './stock-page';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const VESSEL = '01900000-0000-7000-8000-000000000001';
const STORE = '01900000-0000-7000-8000-000000000011';
const SHELF = '01900000-0000-7000-8000-000000000012';
const FILTER = '01900000-0000-7000-8000-000000000021';
const GREASE = '01900000-0000-7000-8000-000000000022';
const IMPELLER = '01900000-0000-7000-8000-000000000023';
const SAM = '01900000-0000-7000-8000-0000000000b1';
const ME = userOf('engineer').id;
const SCOPE = `vessel:${VESSEL}`;
const CATALOGUE = `company:${COMPANY}`;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const part = (id: string, number: string, name: string, maker: string | null, unit: string, critical: boolean, equivalents: string[] = []) =>
  replicaRow(CATALOGUE, 'part', id, { number, name, maker, unit, critical, equivalents }, 40);
const balance = (id: string, location: string, partId: string, onHand: string) =>
  replicaRow(SCOPE, 'stock_balance', id, { vessel_id: VESSEL, location_id: location, part_id: partId, on_hand: onHand }, 50);
const entry = (id: string, movement: string, delta: string, at: string, more: Record<string, unknown> = {}) =>
  replicaRow(SCOPE, 'stock_entry', id, {
    vessel_id: VESSEL, location_id: STORE, part_id: FILTER, movement, delta, reason: null, work_order_id: null,
    transfer_id: null, recorded_by: SAM, recorded_at: at, ...more,
  }, 60);

/**
 * Northwind Spirit: an engine room store with a shelf in it; the oil filter (a critical spare,
 * 3 in the store and 1.5 on the shelf, minimum 10, reorder 4: low, order 5.5) and grease (20 l,
 * minimum 10: not low); the impeller is in the catalogue with none on board.
 */
function seed({ locations = true }: { locations?: boolean } = {}): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { name: 'Northwind Spirit' }),
    replicaRow(CATALOGUE, 'membership', 'm1', { user_id: SAM, name: 'Sam Stores' }),
    part(FILTER, 'HF-6553', 'Oil filter', 'Fleetguard', 'pcs', true, [IMPELLER]),
    part(GREASE, 'SG-2', 'Grease', 'Shell', 'l', false),
    part(IMPELLER, 'J-1', 'Impeller', 'Jabsco', 'pcs', false),
    ...(locations
      ? [
          replicaRow(SCOPE, 'stock_location', STORE, { vessel_id: VESSEL, name: 'Engine room store', parent_id: null }),
          replicaRow(SCOPE, 'stock_location', SHELF, { vessel_id: VESSEL, name: 'Shelf A', parent_id: STORE }),
          balance('01900000-0000-7000-8000-000000000031', STORE, FILTER, '3'),
          balance('01900000-0000-7000-8000-000000000032', SHELF, FILTER, '1.500'),
          balance('01900000-0000-7000-8000-000000000033', STORE, GREASE, '20'),
          replicaRow(SCOPE, 'stock_rule', '01900000-0000-7000-8000-000000000041', { vessel_id: VESSEL, part_id: FILTER, minimum: '10', reorder: '4' }, 70),
          replicaRow(SCOPE, 'stock_rule', '01900000-0000-7000-8000-000000000042', { vessel_id: VESSEL, part_id: GREASE, minimum: '10', reorder: '20' }, 71),
          entry('01900000-0000-7000-8000-0000000000e1', 'receive', '5', '2026-03-01T08:00:00Z'),
          entry('01900000-0000-7000-8000-0000000000e2', 'issue', '-1', '2026-03-02T08:00:00Z', { work_order_id: '01900000-0000-7000-8000-0000000000w1' }),
          entry('01900000-0000-7000-8000-0000000000e3', 'adjust', '-0.5', '2026-03-03T08:00:00Z', { reason: 'Found one damaged', recorded_by: ME }),
        ]
      : []),
  ]);
}

const routes = [
  { path: '/stock', element: <StockPage /> },
  { path: '/vessels/:id/stock', element: <StockPage /> },
  { path: '/vessels/:id/stock/parts/:partId', element: <PartStockPage /> },
  { path: '/catalogue', element: <CataloguePage /> },
  { path: '/catalogue/new', element: <PartFormPage /> },
  { path: '/catalogue/:partId/edit', element: <PartFormPage /> },
];

const queued = (db: SyncDatabase) => db.outbox.toArray();
const enqueue = (db: SyncDatabase, name: string, args: Record<string, string>) => new SyncEngine(db, new ScriptedTransport()).enqueue(name, args, null);
const stockItem = async (name: RegExp) => within(await screen.findByRole('list', { name: 'Stock' })).getByRole('listitem', { name });

describe('quantities as shown', () => {
  it('set thousands apart by a narrow space and keep the point for decimals', () => {
    expect(displayQuantity('-1234567.125')).toBe('-1\u202f234\u202f567.125');
    expect(displayQuantity('+1000')).toBe('+1\u202f000');
    expect(displayQuantity('999.5')).toBe('999.5');
  });
});

describe('a vessel’s stock', () => {
  it('lists the parts held, on hand per location and in all with the unit', async () => {
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/stock`, 'viewer');
    expect(await screen.findByRole('heading', { level: 1, name: 'Stock on Northwind Spirit' })).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Stock' });
    expect(within(list).getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(['HF-6553 Oil filter', 'SG-2 Grease']);
    const filter = within(list).getByRole('listitem', { name: /Oil filter/ });
    expect(within(filter).getByText('4.5 pcs')).toBeInTheDocument();
    const places = within(filter).getByRole('list', { name: 'By location' });
    expect(within(places).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Engine room store 3 pcs',
      'Engine room store › Shelf A 1.5 pcs',
    ]);
    expect(within(filter).getByRole('link', { name: 'HF-6553 Oil filter' })).toHaveAttribute('href', `/vessels/${VESSEL}/stock/parts/${FILTER}`);
  });

  it('adds the person’s receipts and adjustments still in the outbox, marked, and leaves out refused ones', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/vessels/${VESSEL}/stock`, 'engineer');
    await screen.findByRole('list', { name: 'Stock' });
    await enqueue(db, 'receive_stock.v1', { id: '01900000-0000-7000-8000-0000000000f1', location_id: STORE, part_id: FILTER, quantity: '2.25' });
    const refused = await enqueue(db, 'adjust_stock.v1', { id: '01900000-0000-7000-8000-0000000000f2', location_id: STORE, part_id: GREASE, delta: '-25', reason: 'Used' });
    await db.outbox.update(refused, { state: 'rejected', code: 'insufficient_stock', detail: 'only 20 on hand' });

    const filter = await stockItem(/Oil filter/);
    await waitFor(() => {
      expect(within(filter).getByText('On hand').nextElementSibling).toHaveTextContent('6.75 pcs');
    });
    expect(within(filter).getByText('on this device')).toBeInTheDocument();
    expect(within(filter).getByRole('list', { name: 'By location' })).toHaveTextContent('Engine room store 5.25 pcs');
    const grease = await stockItem(/Grease/);
    await waitFor(() => {
      expect(within(grease).getByText('rejected: insufficient_stock')).toBeInTheDocument();
    });
    expect(within(grease).getByText('On hand').nextElementSibling).toHaveTextContent('20 l');
  });

  it('marks a low part with the quantity to order, and critical spares', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/stock`, 'crew');
    const filter = await stockItem(/Oil filter/);
    expect(within(filter).getByText('Low')).toBeInTheDocument();
    expect(within(filter).getByText('Critical spare')).toBeInTheDocument();
    // 4.5 on hand against a minimum of 10: the reorder quantity (4) would not be enough.
    expect(within(filter).getByText('To order').nextElementSibling).toHaveTextContent('5.5 pcs');
    const grease = await stockItem(/Grease/);
    expect(within(grease).queryByText('Low')).not.toBeInTheDocument();
    expect(within(grease).queryByText('Critical spare')).not.toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'Low only' }));
    expect(within(screen.getByRole('list', { name: 'Stock' })).getAllByRole('listitem', { name: /./ }).map((li) => li.querySelector('h2')?.textContent)).toEqual([
      'HF-6553 Oil filter',
    ]);
  });

  it('filters by number, name or maker, and finds catalogue parts with none on board', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/stock`, 'engineer');
    await screen.findByRole('list', { name: 'Stock' });
    await user.type(screen.getByLabelText('Search parts'), 'shell');
    expect(within(screen.getByRole('list', { name: 'Stock' })).getAllByRole('heading').map((h) => h.textContent)).toEqual(['SG-2 Grease']);
    await user.clear(screen.getByLabelText('Search parts'));
    await user.type(screen.getByLabelText('Search parts'), 'j1');
    expect(screen.getByText('No parts held here match.')).toBeInTheDocument();
    const elsewhere = screen.getByRole('list', { name: 'In the catalogue, none on board' });
    expect(within(elsewhere).getByRole('link', { name: 'J-1 Impeller' })).toHaveAttribute('href', `/vessels/${VESSEL}/stock/parts/${IMPELLER}`);
  });

  it('says what to do with no locations, and lets a manager add one, queued at once', async () => {
    const db = await seed({ locations: false });
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/vessels/${VESSEL}/stock`, 'manager');
    expect(await screen.findByText(/No stock locations on this vessel yet\. Add the first one/)).toBeInTheDocument();
    expect(screen.getByText(/No parts are held on this vessel yet/)).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Add a location' });
    await user.click(within(form).getByRole('button', { name: 'Add location' }));
    expect(await within(form).findByText('Name the location, e.g. Engine room store.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Name'), 'Bosun’s locker');
    await user.click(within(form).getByRole('button', { name: 'Add location' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([{ name: 'create_stock_location.v1', base_version: null, args: { vessel_id: VESSEL, name: 'Bosun’s locker' } }]);
    });
    const [added] = await queued(db);
    expect(added?.args.id).toMatch(UUID_V7);
    expect(added?.args).not.toHaveProperty('parent_id');
    const locations = await screen.findByRole('list', { name: 'Stock locations' });
    expect(locations).toHaveTextContent('Bosun’s locker on this device');
    // Now it can hold another.
    await user.type(within(form).getByLabelText('Name'), 'Top shelf');
    await user.selectOptions(within(form).getByLabelText('Inside (optional)'), 'Bosun’s locker');
    await user.click(within(form).getByRole('button', { name: 'Add location' }));
    await waitFor(async () => {
      expect((await queued(db)).at(-1)?.args).toMatchObject({ name: 'Top shelf', parent_id: added?.args.id });
    });
  });

  it('tells those who do not add locations who does', async () => {
    renderSyncPage(await seed({ locations: false }), routes, `/vessels/${VESSEL}/stock`, 'engineer');
    expect(await screen.findByText(/No stock locations on this vessel yet\. An owner, admin or manager adds them; stock is received/)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Add a location' })).not.toBeInTheDocument();
  });

  it('`/stock` goes to the device’s only vessel', async () => {
    const { router } = renderSyncPage(await seed(), routes, '/stock', 'crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'Stock on Northwind Spirit' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/vessels/${VESSEL}/stock`);
  });
});

/** Reorders as purchasing provides them: `requested` parts already asked for, each request kept. */
function fakeReorders(requested: string[]): Reorders & { asked: ReorderLine[][] } {
  const asked: ReorderLine[][] = [];
  return {
    asked,
    requested: (partId) => requested.includes(partId),
    request: (lines) => {
      asked.push([...lines]);
      return Promise.resolve();
    },
  };
}

const withReorders = (reorders: Reorders) => [
  {
    path: '/vessels/:id/stock',
    element: (
      <ReordersContext value={reorders}>
        <StockPage />
      </ReordersContext>
    ),
  },
];

describe('reorders on a vessel’s stock', () => {
  it('offers "Request reorder" on a low line with the quantity to order, and "Request all reorders"', async () => {
    const user = userEvent.setup();
    const reorders = fakeReorders([]);
    renderSyncPage(await seed(), withReorders(reorders), `/vessels/${VESSEL}/stock`, 'engineer');
    const filter = await stockItem(/Oil filter/);
    await user.click(within(filter).getByRole('button', { name: 'Request reorder of Oil filter' }));
    expect(reorders.asked).toEqual([[{ partId: FILTER, quantity: 5_500n }]]);
    // Grease is not low: nothing to reorder.
    expect(within(await stockItem(/Grease/)).queryByRole('button')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Request all reorders (1)' }));
    expect(reorders.asked).toHaveLength(2);
    expect(reorders.asked[1]).toEqual([{ partId: FILTER, quantity: 5_500n }]);
  });

  it('shows "Requested" for a part already asked for, and no "Request all"', async () => {
    renderSyncPage(await seed(), withReorders(fakeReorders([FILTER])), `/vessels/${VESSEL}/stock`, 'engineer');
    const filter = await stockItem(/Oil filter/);
    expect(within(filter).getByText('Requested')).toBeInTheDocument();
    expect(within(filter).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Request all reorders/ })).not.toBeInTheDocument();
  });

  it('offers no reorder without them (roles that do not request parts)', async () => {
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/stock`, 'crew');
    await stockItem(/Oil filter/);
    expect(screen.queryByRole('button', { name: /Request/ })).not.toBeInTheDocument();
    expect(screen.queryByText('Requested')).not.toBeInTheDocument();
  });
});

describe('a part on a vessel', () => {
  const page = `/vessels/${VESSEL}/stock/parts/${FILTER}`;

  it('shows its fields, its stock by location and its ledger newest first', async () => {
    renderSyncPage(await seed(), routes, page, 'viewer');
    expect(await screen.findByRole('heading', { level: 1, name: 'Oil filter' })).toBeInTheDocument();
    expect(screen.getByText('Fleetguard')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'J-1 Impeller' })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'On hand by location' });
    expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'LocationOn hand',
      'Engine room store3 pcs',
      'Engine room store › Shelf A1.5 pcs',
      'Total4.5 pcs',
    ]);
    expect(screen.getByText('Low: below the minimum of 10 pcs. Order 5.5 pcs.')).toBeInTheDocument();
    const ledger = screen.getByRole('list', { name: 'Movements' });
    const lines = within(ledger).getAllByRole('listitem');
    expect(lines.map((li) => li.querySelector('.stock-ledger__what')?.textContent)).toEqual([
      'Adjusted -0.5 pcs · Engine room store',
      'Issued -1 pcs · Engine room store',
      'Received +5 pcs · Engine room store',
    ]);
    expect(lines[0]).toHaveTextContent('Found one damaged');
    expect(lines[0]).toHaveTextContent('Erin Engineer (you)');
    await waitFor(() => {
      expect(lines[2]).toHaveTextContent('Sam Stores');
    });
  });

  it('receives: queues exactly `receive_stock.v1` and shows it at once, on this device', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, page, 'engineer');
    await user.click(await screen.findByRole('button', { name: 'Receive' }));
    const form = screen.getByRole('form', { name: 'Receive' });
    await user.click(within(form).getByRole('button', { name: 'Record receipt' }));
    expect(await within(form).findByText('Choose the location.')).toBeInTheDocument();
    expect(within(form).getByText('Enter the quantity received.')).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Location'), 'Engine room store › Shelf A');
    await user.type(within(form).getByLabelText('Quantity received (pcs)'), '12.3456');
    await user.click(within(form).getByRole('button', { name: 'Record receipt' }));
    expect(await within(form).findByText('Enter a number with at most 3 decimals, e.g. 12.5.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Quantity received (pcs)'));
    await user.type(within(form).getByLabelText('Quantity received (pcs)'), '12.500');
    await user.click(within(form).getByRole('button', { name: 'Record receipt' }));

    expect(await within(form).findByRole('status')).toHaveTextContent('12.5 pcs received into Engine room store › Shelf A.');
    const entries = await queued(db);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ name: 'receive_stock.v1', base_version: null, state: 'queued' });
    const args = entries[0]?.args ?? {};
    expect(Object.keys(args).sort()).toEqual(['id', 'location_id', 'part_id', 'quantity']);
    expect(args).toMatchObject({ location_id: SHELF, part_id: FILTER, quantity: '12.5' });
    expect(args.id).toMatch(UUID_V7);

    const ledger = screen.getByRole('list', { name: 'Movements' });
    await waitFor(() => {
      expect(within(ledger).getAllByRole('listitem')[0]).toHaveTextContent('Received +12.5 pcs · Engine room store › Shelf A');
    });
    expect(within(ledger).getAllByRole('listitem')[0]).toHaveTextContent('on this device');
    expect(within(screen.getByRole('table', { name: 'On hand by location' })).getByText('17 pcs')).toBeInTheDocument();
  });

  it('adjusts only with a change other than 0 and a reason', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, page, 'engineer');
    await user.click(await screen.findByRole('button', { name: 'Adjust' }));
    const form = screen.getByRole('form', { name: 'Adjust' });
    await user.selectOptions(within(form).getByLabelText('Location'), 'Engine room store');
    await user.click(within(form).getByRole('button', { name: 'Record adjustment' }));
    expect(await within(form).findByText('Enter the change: + adds, - takes away, e.g. -2.')).toBeInTheDocument();
    expect(within(form).getByText('Say why the count changes.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Change (pcs)'), '-0');
    await user.type(within(form).getByLabelText('Reason'), '   ');
    await user.click(within(form).getByRole('button', { name: 'Record adjustment' }));
    expect(await within(form).findByText('Enter a change other than 0: + adds, - takes away.')).toBeInTheDocument();
    expect(within(form).getByText('Say why the count changes.')).toBeInTheDocument();
    expect(await queued(db)).toEqual([]);

    await user.clear(within(form).getByLabelText('Change (pcs)'));
    await user.type(within(form).getByLabelText('Change (pcs)'), '-4');
    // More than the device counts there: said, not refused (the server's count may be newer).
    expect(within(form).getByText(/This device counts 3 pcs here\. That is more than this device counts here/)).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Reason'));
    await user.type(within(form).getByLabelText('Reason'), 'Counted at the monthly check');
    await user.click(within(form).getByRole('button', { name: 'Record adjustment' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([
        { name: 'adjust_stock.v1', base_version: null, args: { location_id: STORE, part_id: FILTER, delta: '-4', reason: 'Counted at the monthly check' } },
      ]);
    });
    expect(Object.keys((await queued(db))[0]?.args ?? {}).sort()).toEqual(['delta', 'id', 'location_id', 'part_id', 'reason']);
  });

  it('shows an adjustment the server refused (`insufficient_stock`) with why, uncounted, until dismissed', async () => {
    const db = await seed();
    const user = userEvent.setup();
    const id = await enqueue(db, 'adjust_stock.v1', { id: '01900000-0000-7000-8000-0000000000f3', location_id: STORE, part_id: FILTER, delta: '-9', reason: 'Used on the main engine' });
    await db.outbox.update(id, { state: 'rejected', code: 'insufficient_stock', detail: 'only 3 on hand at Engine room store' });
    renderSyncPage(db, routes, page, 'engineer');
    const ledger = await screen.findByRole('list', { name: 'Movements' });
    const refused = (await within(ledger).findAllByRole('listitem'))[0];
    if (!refused) throw new Error('no ledger line');
    expect(refused).toHaveTextContent('Adjusted -9 pcs');
    expect(refused).toHaveTextContent('rejected: insufficient_stock');
    expect(refused).toHaveTextContent('only 3 on hand at Engine room store');
    expect(refused).toHaveTextContent('There is not that much at this location');
    expect(within(screen.getByRole('table', { name: 'On hand by location' })).getByText('4.5 pcs')).toBeInTheDocument();
    await user.click(within(refused).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => {
      expect(within(ledger).getAllByRole('listitem')).toHaveLength(3);
    });
    expect(await queued(db)).toEqual([]);
  });

  it('lets a manager set the stock rule, on the rule’s version', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, page, 'manager');
    expect(await screen.findByText('Keep at least 10 pcs on board; reorder 4 pcs at a time.')).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Set the stock rule' });
    await user.clear(within(form).getByLabelText('Minimum on board (pcs)'));
    await user.type(within(form).getByLabelText('Minimum on board (pcs)'), '-1');
    await user.click(within(form).getByRole('button', { name: 'Save rule' }));
    expect(await within(form).findByText('It cannot be below 0.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Minimum on board (pcs)'));
    await user.type(within(form).getByLabelText('Minimum on board (pcs)'), '4');
    await user.clear(within(form).getByLabelText('Reorder quantity (pcs)'));
    await user.type(within(form).getByLabelText('Reorder quantity (pcs)'), '6.0');
    await user.click(within(form).getByRole('button', { name: 'Save rule' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([
        { name: 'set_stock_rule.v1', base_version: 70, args: { vessel_id: VESSEL, part_id: FILTER, minimum: '4', reorder: '6' } },
      ]);
    });
    // 4.5 on hand is no longer below the minimum.
    expect(await screen.findByText('Keep at least 4 pcs on board; reorder 6 pcs at a time.')).toBeInTheDocument();
    expect(screen.queryByText(/^Low: below the minimum/)).not.toBeInTheDocument();
  });

  it.each<[Role, boolean, boolean]>([
    ['owner', true, true],
    ['manager', true, true],
    ['engineer', true, false],
    ['crew', false, false],
    ['viewer', false, false],
  ])('as %s: Receive and Adjust %s, Edit part and the rule form %s', async (role, move, write) => {
    renderSyncPage(await seed(), routes, page, role);
    expect(await screen.findByRole('heading', { level: 1, name: 'Oil filter' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Receive' }) !== null).toBe(move);
    expect(screen.queryByRole('button', { name: 'Adjust' }) !== null).toBe(move);
    expect(screen.queryByRole('link', { name: 'Edit part' }) !== null).toBe(write);
    expect(screen.queryByRole('form', { name: 'Set the stock rule' }) !== null).toBe(write);
  });
});

describe('the catalogue', () => {
  it('lists every part; a manager adds one, queued as `create_part.v1` and shown at once', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/catalogue', 'manager');
    const list = await screen.findByRole('list', { name: 'Parts' });
    expect(within(list).getAllByRole('heading').map((h) => h.textContent)).toEqual(['HF-6553 Oil filter', 'J-1 Impeller', 'SG-2 Grease']);
    await user.click(screen.getByRole('link', { name: 'New part' }));

    const form = await screen.findByRole('form', { name: 'New part' });
    await user.click(within(form).getByRole('button', { name: 'Add part' }));
    expect(await within(form).findByText('Give the part number.')).toBeInTheDocument();
    expect(within(form).getByText('Name the part.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Part number'), 'V-220 ');
    await user.type(within(form).getByLabelText('Name'), 'Valve seat');
    await user.clear(within(form).getByLabelText('Unit'));
    await user.type(within(form).getByLabelText('Unit'), 'pcs');
    await user.click(within(form).getByRole('checkbox', { name: /Critical spare/ }));
    await user.click(within(form).getByRole('button', { name: 'Add part' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('V-220 Valve seat is added to the catalogue.');
    const [created] = await queued(db);
    expect(created).toMatchObject({
      name: 'create_part.v1',
      base_version: null,
      args: { number: 'V-220', name: 'Valve seat', maker: null, unit: 'pcs', critical: true },
    });
    expect(Object.keys(created?.args ?? {}).sort()).toEqual(['critical', 'id', 'maker', 'name', 'number', 'unit']);
    expect(created?.args.id).toMatch(UUID_V7);

    await user.click(screen.getByRole('link', { name: 'Catalogue' }));
    const item = within(await screen.findByRole('list', { name: 'Parts' })).getByRole('listitem', { name: /Valve seat/ });
    expect(within(item).getByText('on this device')).toBeInTheDocument();
    expect(within(item).getByText('Critical spare')).toBeInTheDocument();
  });

  it('refuses a part number the catalogue already has, ignoring case, spaces, - . and /', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/catalogue/new', 'admin');
    const form = await screen.findByRole('form', { name: 'New part' });
    await user.type(within(form).getByLabelText('Part number'), 'hf 65.53');
    await user.type(within(form).getByLabelText('Name'), 'Filter again');
    await user.click(within(form).getByRole('button', { name: 'Add part' }));
    expect(await within(form).findByText('The catalogue already has this number: HF-6553 Oil filter.')).toBeInTheDocument();
    expect(within(form).getByLabelText('Part number')).toHaveAttribute('aria-invalid', 'true');
    expect(await queued(db)).toEqual([]);
  });

  it('edits a part whole, keeping its equivalents, on its version', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/catalogue/${FILTER}/edit?vessel=${VESSEL}`, 'manager');
    const form = await screen.findByRole('form', { name: 'Edit part' });
    expect(within(form).getByLabelText('Part number')).toHaveValue('HF-6553');
    // Its own number is not "taken"; another part's is.
    await user.clear(within(form).getByLabelText('Part number'));
    await user.type(within(form).getByLabelText('Part number'), 'sg2');
    await user.click(within(form).getByRole('button', { name: 'Save part' }));
    expect(await within(form).findByText('The catalogue already has this number: SG-2 Grease.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Part number'));
    await user.type(within(form).getByLabelText('Part number'), 'hf-6553');
    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'Lube oil filter');
    await user.clear(within(form).getByLabelText('Maker (optional)'));
    await user.click(within(form).getByRole('button', { name: 'Save part' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([
        {
          name: 'update_part.v1',
          base_version: 40,
          args: { part_id: FILTER, number: 'hf-6553', name: 'Lube oil filter', maker: null, unit: 'pcs', critical: true, equivalents: [IMPELLER] },
        },
      ]);
    });
    expect(screen.getByRole('link', { name: 'Back to the part' })).toHaveAttribute('href', `/vessels/${VESSEL}/stock/parts/${FILTER}`);
  });

  it('keeps the version and equivalents the form opened with, though a sync brings newer ones while it is open', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/catalogue/${FILTER}/edit`, 'manager');
    const form = await screen.findByRole('form', { name: 'Edit part' });
    // Someone else's edit arrives while the form is open: another maker and no equivalents, at version 41.
    const [row] = await db.rows.where('[entity+id]').equals(['part', FILTER]).toArray();
    if (!row) throw new Error('no row');
    await db.rows.put({ ...row, version: 41, fields: { ...(row.fields as Record<string, unknown>), maker: 'Donaldson', equivalents: [] } });
    await screen.findByRole('heading', { level: 1, name: 'Edit HF-6553 Oil filter' });
    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'Lube oil filter');
    await user.click(within(form).getByRole('button', { name: 'Save part' }));
    // On the opening version with the opening values: the server sees the maker and the
    // equivalents unchanged from that base and keeps the other person's.
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([
        {
          name: 'update_part.v1',
          base_version: 40,
          args: { part_id: FILTER, number: 'HF-6553', name: 'Lube oil filter', maker: 'Fleetguard', equivalents: [IMPELLER] },
        },
      ]);
    });
  });

  it('offers a crew member no New part and no Edit', async () => {
    renderSyncPage(await seed(), routes, '/catalogue', 'crew');
    const list = await screen.findByRole('list', { name: 'Parts' });
    expect(screen.queryByRole('link', { name: 'New part' })).not.toBeInTheDocument();
    expect(within(list).queryByRole('link', { name: /^Edit/ })).not.toBeInTheDocument();
  });

  it('offers a crew member on the vessel’s stock no way to add a location', async () => {
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/stock`, 'crew');
    expect(await screen.findByRole('list', { name: 'Stock locations' })).toHaveTextContent('Engine room store › Shelf A');
    expect(screen.queryByRole('form', { name: 'Add a location' })).not.toBeInTheDocument();
  });

  it('tells a crew member who opens the new-part form that they do not change the catalogue', async () => {
    renderSyncPage(await seed(), routes, '/catalogue/new', 'crew');
    expect(await screen.findByText('Your role reads the catalogue but does not change it.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'New part' })).not.toBeInTheDocument();
  });
});

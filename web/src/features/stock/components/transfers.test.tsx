/**
 * Stock transfers over the local replica with the network off: sending from a location line
 * (checked as the server checks: a quantity above 0 with at most 3 decimals, not more than this
 * device counts at the source, waiting writes included, not to the same location), the source's
 * on hand dropping at once; a vessel's Transfers page from `stock_transfer` rows (in transit
 * first, Receive only on this vessel's incoming) and the receipt's checks.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { SyncDatabase } from '../../../sync/database';
import { SyncEngine } from '../../../sync/engine';
import { ScriptedTransport } from '../../../sync/test-support';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { PartStockPage } from './part-stock-page';
import { StockPage } from './stock-page';
import { TransfersPage } from './transfers-page';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const SPIRIT = '01900000-0000-7000-8000-000000000001';
const ATLAS = '01900000-0000-7000-8000-000000000002';
const STORE = '01900000-0000-7000-8000-000000000011';
const SHELF = '01900000-0000-7000-8000-000000000012';
const ATLAS_STORE = '01900000-0000-7000-8000-000000000013';
const FILTER = '01900000-0000-7000-8000-000000000021';
const SAM = '01900000-0000-7000-8000-0000000000b1';
const T_COMING = '01900000-0000-7000-8000-0000000000a1';
const T_ARRIVED = '01900000-0000-7000-8000-0000000000a2';
const T_LEAVING = '01900000-0000-7000-8000-0000000000a3';
const T_ELSEWHERE = '01900000-0000-7000-8000-0000000000a4';
const UNSEEN = '01900000-0000-7000-8000-000000000009';
const CATALOGUE = `company:${COMPANY}`;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const transfer = (id: string, from: [string, string], to: [string, string], sent: string, received: string | null, at: string) =>
  replicaRow(CATALOGUE, 'stock_transfer', id, {
    part_id: FILTER, from_vessel_id: from[0], from_location_id: from[1], to_vessel_id: to[0], to_location_id: to[1], sent,
    received, shortfall: received === null ? null : String(Number(sent) - Number(received)),
    status: received === null ? 'in_transit' : 'received', dispatched_by: SAM, dispatched_at: at,
    received_by: received === null ? null : SAM, received_at: received === null ? null : at,
  }, 80);

/**
 * Northwind Spirit (an engine room store with a shelf: 3 and 1.5 oil filters) and Northwind
 * Atlas (a main store); transfers: 4 coming from the Atlas in transit, 2 that arrived as 1
 * earlier, 1 leaving for the Atlas, and one between the Atlas and a vessel this device does not
 * see.
 */
function seed(): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(`vessel:${SPIRIT}`, 'vessel', SPIRIT, { name: 'Northwind Spirit' }),
    replicaRow(`vessel:${ATLAS}`, 'vessel', ATLAS, { name: 'Northwind Atlas' }),
    replicaRow(CATALOGUE, 'membership', 'm1', { user_id: SAM, name: 'Sam Stores' }),
    replicaRow(CATALOGUE, 'part', FILTER, { number: 'HF-6553', name: 'Oil filter', maker: 'Fleetguard', unit: 'pcs', critical: true, equivalents: [] }, 40),
    replicaRow(`vessel:${SPIRIT}`, 'stock_location', STORE, { vessel_id: SPIRIT, name: 'Engine room store', parent_id: null }),
    replicaRow(`vessel:${SPIRIT}`, 'stock_location', SHELF, { vessel_id: SPIRIT, name: 'Shelf A', parent_id: STORE }),
    replicaRow(`vessel:${ATLAS}`, 'stock_location', ATLAS_STORE, { vessel_id: ATLAS, name: 'Main store', parent_id: null }),
    replicaRow(`vessel:${SPIRIT}`, 'stock_balance', 'b1', { vessel_id: SPIRIT, location_id: STORE, part_id: FILTER, on_hand: '3' }, 50),
    replicaRow(`vessel:${SPIRIT}`, 'stock_balance', 'b2', { vessel_id: SPIRIT, location_id: SHELF, part_id: FILTER, on_hand: '1.500' }, 50),
    transfer(T_ARRIVED, [ATLAS, ATLAS_STORE], [SPIRIT, SHELF], '2', '1', '2026-03-01T08:00:00Z'),
    transfer(T_COMING, [ATLAS, ATLAS_STORE], [SPIRIT, STORE], '4', null, '2026-02-01T08:00:00Z'),
    transfer(T_LEAVING, [SPIRIT, STORE], [ATLAS, ATLAS_STORE], '1', null, '2026-03-02T08:00:00Z'),
    transfer(T_ELSEWHERE, [ATLAS, ATLAS_STORE], [UNSEEN, '01900000-0000-7000-8000-000000000099'], '1', null, '2026-03-02T08:00:00Z'),
  ]);
}

const routes = [
  { path: '/vessels/:id/stock', element: <StockPage /> },
  { path: '/vessels/:id/stock/parts/:partId', element: <PartStockPage /> },
  { path: '/vessels/:id/stock/transfers', element: <TransfersPage /> },
];
const partPage = `/vessels/${SPIRIT}/stock/parts/${FILTER}`;
const transfersPage = `/vessels/${SPIRIT}/stock/transfers`;
const queued = (db: SyncDatabase) => db.outbox.toArray();
const onHandAt = (place: string) => within(screen.getByRole('table', { name: 'On hand by location' })).getByRole('row', { name: new RegExp(`^${place}`) });

async function openSendForm(from: string) {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: `Send to another location from ${from}` }));
  return { user, form: await screen.findByRole('form', { name: 'Send to another location' }) };
}

describe('sending parts to another location', () => {
  it('checks the destination and quantity as the server would, then queues exactly `transfer_stock.v1`', async () => {
    const db = await seed();
    renderSyncPage(db, routes, partPage, 'engineer');
    const { user, form } = await openSendForm('Engine room store');
    const send = within(form).getByRole('button', { name: 'Send' });
    await user.click(send);
    expect(await within(form).findByText('Choose the location it goes to.')).toBeInTheDocument();
    expect(within(form).getByText('Enter the quantity to send.')).toBeInTheDocument();

    // The vessel it leaves is chosen first; its own location is refused, as is more than is there.
    expect(within(form).getByLabelText('Vessel it goes to')).toHaveValue(SPIRIT);
    await user.selectOptions(within(form).getByLabelText('Location it goes to'), 'Engine room store');
    await user.type(within(form).getByLabelText('Quantity to send (pcs)'), '3.5');
    await user.click(send);
    expect(await within(form).findByText('Send the parts to another location than the one they leave.')).toBeInTheDocument();
    expect(within(form).getByText('Only 3 pcs here on this device’s count, waiting changes included.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Quantity to send (pcs)'));
    await user.type(within(form).getByLabelText('Quantity to send (pcs)'), '1.2345');
    await user.click(send);
    expect(await within(form).findByText('Enter a number with at most 3 decimals, e.g. 12.5.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Quantity to send (pcs)'));
    await user.type(within(form).getByLabelText('Quantity to send (pcs)'), '0');
    await user.click(send);
    expect(await within(form).findByText('Enter a quantity above 0.')).toBeInTheDocument();

    // Another vessel's location: its list follows the vessel chosen.
    await user.selectOptions(within(form).getByLabelText('Vessel it goes to'), 'Northwind Atlas');
    expect(within(within(form).getByLabelText('Location it goes to')).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Choose a location',
      'Main store',
    ]);
    await user.selectOptions(within(form).getByLabelText('Location it goes to'), 'Main store');
    await user.clear(within(form).getByLabelText('Quantity to send (pcs)'));
    await user.type(within(form).getByLabelText('Quantity to send (pcs)'), '1.500');
    await user.click(send);

    expect(await within(form).findByRole('status')).toHaveTextContent(
      '1.5 pcs sent from Engine room store to Main store on Northwind Atlas.',
    );
    const entries = await queued(db);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ name: 'transfer_stock.v1', base_version: null, state: 'queued' });
    const args = entries[0]?.args ?? {};
    expect(Object.keys(args).sort()).toEqual(['entry_id', 'from_location_id', 'id', 'part_id', 'quantity', 'to_location_id']);
    expect(args).toMatchObject({ from_location_id: STORE, to_location_id: ATLAS_STORE, part_id: FILTER, quantity: '1.5' });
    expect(args.id).toMatch(UUID_V7);
    expect(args.entry_id).toMatch(UUID_V7);
    expect(args.id).not.toBe(args.entry_id);

    // The source drops at once, and the ledger shows the transfer out, on this device.
    await waitFor(() => {
      expect(onHandAt('Engine room store \\d')).toHaveTextContent('1.5 pcs');
    });
    expect(within(screen.getByRole('table', { name: 'On hand by location' })).getByRole('row', { name: /^Total/ })).toHaveTextContent('3 pcs');
    const ledger = screen.getByRole('list', { name: 'Movements' });
    expect(within(ledger).getAllByRole('listitem')[0]).toHaveTextContent('Transferred out -1.5 pcs · Engine room store');
    expect(within(ledger).getAllByRole('listitem')[0]).toHaveTextContent('on this device');
  });

  it('makes the ids once per transfer: the next one sent from the same form is another transfer', async () => {
    const db = await seed();
    renderSyncPage(db, routes, partPage, 'engineer');
    const { user, form } = await openSendForm('Engine room store');
    for (const [i, n] of ['1', '0.5'].entries()) {
      await user.selectOptions(within(form).getByLabelText('Location it goes to'), 'Engine room store › Shelf A');
      await user.type(within(form).getByLabelText('Quantity to send (pcs)'), n);
      await user.click(within(form).getByRole('button', { name: 'Send' }));
      await waitFor(async () => {
        expect(await queued(db)).toHaveLength(i + 1);
      });
    }
    const [first, second] = (await queued(db)).map((e) => e.args);
    expect(first?.quantity).toBe('1');
    expect(second?.quantity).toBe('0.5');
    expect(new Set([first?.id, first?.entry_id, second?.id, second?.entry_id]).size).toBe(4);
    // Both leave the store at once; they reach the shelf only when someone receives them there.
    await waitFor(() => {
      expect(onHandAt('Engine room store \\d')).toHaveTextContent('1.5 pcs');
    });
    expect(onHandAt('Engine room store ›')).toHaveTextContent('1.5 pcs');
  });

  it('counts the writes still waiting at the source, as the server will', async () => {
    const db = await seed();
    await new SyncEngine(db, new ScriptedTransport()).enqueue(
      'adjust_stock.v1',
      { id: '01900000-0000-7000-8000-0000000000f1', location_id: STORE, part_id: FILTER, delta: '-2', reason: 'Damaged' },
      null,
    );
    renderSyncPage(db, routes, partPage, 'engineer');
    const { user, form } = await openSendForm('Engine room store');
    expect(within(form).getByText('This device counts 1 pcs here, waiting changes included.')).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Vessel it goes to'), 'Northwind Atlas');
    await user.selectOptions(within(form).getByLabelText('Location it goes to'), 'Main store');
    await user.type(within(form).getByLabelText('Quantity to send (pcs)'), '1.001');
    await user.click(within(form).getByRole('button', { name: 'Send' }));
    expect(await within(form).findByText('Only 1 pcs here on this device’s count, waiting changes included.')).toBeInTheDocument();
    expect(await queued(db)).toHaveLength(1);
  });

  it('says a vessel this device does not see is picked by someone who sees it', async () => {
    renderSyncPage(await seed(), routes, partPage, 'engineer');
    const { form } = await openSendForm('Engine room store');
    expect(within(within(form).getByLabelText('Vessel it goes to')).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Choose a vessel',
      'Northwind Atlas',
      'Northwind Spirit',
    ]);
    expect(within(form).getByText(/a transfer to it is sent by someone who sees that vessel/)).toBeInTheDocument();
  });

  it('is not offered to a crew member', async () => {
    renderSyncPage(await seed(), routes, partPage, 'crew');
    await screen.findByRole('table', { name: 'On hand by location' });
    expect(screen.queryByRole('button', { name: /Send to another location/ })).not.toBeInTheDocument();
  });
});

describe('a vessel’s transfers', () => {
  it('lists those reaching and leaving the vessel, in transit first, Receive only on its incoming', async () => {
    renderSyncPage(await seed(), routes, transfersPage, 'engineer');
    expect(await screen.findByRole('heading', { level: 1, name: 'Transfers on Northwind Spirit' })).toBeInTheDocument();
    const coming = await screen.findByRole('list', { name: 'Coming to Northwind Spirit' });
    const items = within(coming).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const [inTransit, arrived] = items as [HTMLElement, HTMLElement];
    expect(inTransit).toHaveTextContent('In transit');
    expect(inTransit).toHaveTextContent('Sent4 pcs');
    expect(inTransit).toHaveTextContent('FromNorthwind Atlas · Main store');
    expect(inTransit).toHaveTextContent('ToNorthwind Spirit · Engine room store');
    expect(within(inTransit).getByRole('button', { name: 'Receive HF-6553 Oil filter' })).toBeInTheDocument();
    expect(arrived).toHaveTextContent('Received');
    expect(arrived).toHaveTextContent('Arrived1 pcs');
    expect(arrived).toHaveTextContent('Shortfall1 pcs');
    expect(within(arrived).queryByRole('button', { name: /Receive/ })).not.toBeInTheDocument();

    const leaving = screen.getByRole('list', { name: 'Leaving Northwind Spirit' });
    expect(within(leaving).getAllByRole('listitem')).toHaveLength(1);
    expect(within(leaving).getByRole('listitem')).toHaveTextContent('In transit');
    expect(within(leaving).queryByRole('button', { name: /Receive/ })).not.toBeInTheDocument();
  });

  it('receives at most what was sent, prefilled, queued as `receive_transfer.v1` and shown at once with the shortfall', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, transfersPage, 'engineer');
    await user.click(await screen.findByRole('button', { name: 'Receive HF-6553 Oil filter' }));
    const form = screen.getByRole('form', { name: 'Receive transfer' });
    const quantity = within(form).getByLabelText('Quantity that arrived (pcs)');
    expect(quantity).toHaveValue('4');
    await user.clear(quantity);
    await user.type(quantity, '4.001');
    await user.click(within(form).getByRole('button', { name: 'Record receipt' }));
    expect(await within(form).findByText('At most the 4 pcs sent; what did not arrive is the shortfall.')).toBeInTheDocument();
    await user.clear(quantity);
    await user.type(quantity, '0');
    await user.click(within(form).getByRole('button', { name: 'Record receipt' }));
    expect(await within(form).findByText('Enter a quantity above 0.')).toBeInTheDocument();
    await user.clear(quantity);
    await user.type(quantity, '3.0');
    await user.click(within(form).getByRole('button', { name: 'Record receipt' }));

    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [entry] = await queued(db);
    expect(entry).toMatchObject({ name: 'receive_transfer.v1', base_version: null, args: { transfer_id: T_COMING, quantity: '3' } });
    expect(Object.keys(entry?.args ?? {}).sort()).toEqual(['entry_id', 'quantity', 'transfer_id']);
    expect(entry?.args.entry_id).toMatch(UUID_V7);

    const coming = screen.getByRole('list', { name: 'Coming to Northwind Spirit' });
    const item = within(coming).getAllByRole('listitem').find((li) => li.textContent.includes('Sent4 pcs'));
    await waitFor(() => {
      expect(item).toHaveTextContent('Shortfall1 pcs');
    });
    expect(item).toHaveTextContent('Arrived3 pcs');
    expect(item).toHaveTextContent('on this device');
    expect(within(item as HTMLElement).queryByRole('button', { name: /^Receive/ })).not.toBeInTheDocument();
  });

  it('counts a receipt waiting on this device at the destination', async () => {
    const db = await seed();
    await new SyncEngine(db, new ScriptedTransport()).enqueue(
      'receive_transfer.v1',
      { transfer_id: T_COMING, entry_id: '01900000-0000-7000-8000-0000000000f2', quantity: '3' },
      null,
    );
    renderSyncPage(db, routes, partPage, 'viewer');
    await waitFor(() => {
      expect(onHandAt('Engine room store \\d')).toHaveTextContent('6 pcs');
    });
  });

  it('offers a viewer no Receive', async () => {
    renderSyncPage(await seed(), routes, transfersPage, 'viewer');
    await screen.findByRole('list', { name: 'Coming to Northwind Spirit' });
    expect(screen.queryByRole('button', { name: /Receive/ })).not.toBeInTheDocument();
  });

  it('is linked from the vessel’s stock', async () => {
    renderSyncPage(await seed(), routes, `/vessels/${SPIRIT}/stock`, 'crew');
    expect(await screen.findByRole('link', { name: 'Transfers' })).toHaveAttribute('href', transfersPage);
  });
});

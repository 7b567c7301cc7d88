/**
 * The purchasing pages over the local replica with the network off: a requisition decided by a
 * manager (a rejection needs its reason) and cancelled by its requester, never approved by them;
 * a requisition raised offline, queued with its quantity as decimal text; an order's receipt with
 * the outstanding quantities prefilled, an unlisted part kept out of stock, queued exactly as
 * `receive_purchase_order.v1` and counted at once; prices shown only as far as the rows carry them.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { SyncDatabase } from '../../../sync/database';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { OrderPage } from './order-page';
import { RequisitionFormPage } from './requisition-form-page';
import { RequisitionPage } from './requisition-page';
import { RequisitionsPage } from './requisitions-page';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const SPIRIT = '01900000-0000-7000-8000-000000000001';
const STORE = '01900000-0000-7000-8000-000000000011';
const FILTER = '01900000-0000-7000-8000-000000000021';
const ME = '01900000-0000-7000-8000-0000000000a1';
const SAM = '01900000-0000-7000-8000-0000000000b1';
const REQ = '01900000-0000-7000-8000-0000000000d1';
const PO = '01900000-0000-7000-8000-0000000000e1';
const LINE_FILTER = '01900000-0000-7000-8000-0000000000e2';
const LINE_SEAL = '01900000-0000-7000-8000-0000000000e3';
const SUPPLIER = '01900000-0000-7000-8000-0000000000f1';
const VESSEL_SCOPE = `vessel:${SPIRIT}`;
const CATALOGUE = `company:${COMPANY}`;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function seed({ requestedBy = SAM, prices = {} }: { requestedBy?: string; prices?: Record<string, number> } = {}): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(VESSEL_SCOPE, 'vessel', SPIRIT, { name: 'Northwind Spirit' }),
    replicaRow(CATALOGUE, 'membership', 'm1', { user_id: SAM, name: 'Sam Stores' }),
    replicaRow(CATALOGUE, 'part', FILTER, { number: 'HF-6553', name: 'Oil filter', maker: null, unit: 'pcs', critical: false, equivalents: [] }, 40),
    replicaRow(CATALOGUE, 'supplier', SUPPLIER, { name: 'Fjord Marine Supply', currency: 'NOK', address: 'Strandkaien 4\n5013 Bergen' }, 41),
    replicaRow(VESSEL_SCOPE, 'stock_location', STORE, { vessel_id: SPIRIT, name: 'Engine room store', parent_id: null }),
    replicaRow(VESSEL_SCOPE, 'requisition', REQ, {
      vessel_id: SPIRIT, part_id: FILTER, part_name: 'Oil filter', part_number: 'HF-6553', unit: 'pcs', quantity: '4', received: '0',
      status: 'requested', requested_by: requestedBy, status_changed_at: '2026-03-01T08:00:00Z', note: 'Spares low', currency: 'NOK', ...prices,
    }, 60),
    replicaRow(VESSEL_SCOPE, 'purchase_order', PO, {
      number: 'PO-000042', vessel_id: SPIRIT, supplier_id: SUPPLIER, currency: 'NOK', status: 'shipped', created_by: SAM,
      status_changed_at: '2026-03-02T08:00:00Z', ...('customer_unit_price_minor' in prices ? { customer_total_minor: 5000 } : {}),
    }, 70),
    replicaRow(VESSEL_SCOPE, 'purchase_order_line', LINE_FILTER, {
      purchase_order_id: PO, vessel_id: SPIRIT, position: 1, part_id: FILTER, part_name: 'Oil filter', unit: 'pcs', ordered: '4', received: '1', currency: 'NOK', ...prices,
    }, 70),
    replicaRow(VESSEL_SCOPE, 'purchase_order_line', LINE_SEAL, {
      purchase_order_id: PO, vessel_id: SPIRIT, position: 2, part_id: null, part_name: 'Seal kit', unit: 'set', ordered: '2', received: '0', currency: 'NOK',
    }, 70),
  ]);
}

const routes = [
  { path: '/requisitions/:id', element: <RequisitionPage /> },
  { path: '/vessels/:id/requisitions', element: <RequisitionsPage /> },
  { path: '/vessels/:id/requisitions/new', element: <RequisitionFormPage /> },
  { path: '/purchase-orders/:id', element: <OrderPage /> },
];

describe('a requisition', () => {
  it('is approved by a manager, and rejected only with a reason', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/requisitions/${REQ}`, 'manager');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('Say why it is rejected: the requester reads it.')).toBeInTheDocument();
    expect(await db.outbox.count()).toBe(0);
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect((await db.outbox.toArray()).map((e) => [e.name, e.args])).toEqual([['approve_requisition.v1', { requisition_id: REQ }]]);
    expect(await screen.findByText('Approved', { selector: '.buy-status' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
  });

  it('is never decided by the person who asked, who may cancel it', async () => {
    const db = await seed({ requestedBy: ME });
    renderSyncPage(db, routes, `/requisitions/${REQ}`, 'manager');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Cancel requisition' }));
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    expect(screen.getByText('Someone other than you approves or rejects your own requisition.')).toBeInTheDocument();
    expect((await db.outbox.toArray()).map((e) => e.name)).toEqual(['cancel_requisition.v1']);
  });

  it('shows the customer prices an engineer’s rows carry, and no supplier price', async () => {
    const db = await seed({ prices: { customer_unit_price_minor: 1250, customer_total_minor: 5000 } });
    renderSyncPage(db, routes, `/requisitions/${REQ}`, 'engineer');
    expect(await screen.findByText('Customer price')).toBeInTheDocument();
    expect(screen.queryByText('Supplier price')).not.toBeInTheDocument();
  });

  it('shows no price at all to crew, whose rows carry none', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/requisitions/${REQ}`, 'crew');
    await screen.findByText('Spares low');
    expect(screen.queryByText(/price|total/i)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Approve|Cancel/ })).not.toBeInTheDocument();
  });

  it('is raised offline as `raise_requisition.v1`, its quantity decimal text, and listed at once', async () => {
    const db = await seed();
    const { router } = renderSyncPage(db, routes, `/vessels/${SPIRIT}/requisitions/new?work_order=WO-1`, 'engineer');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: /Request a part/ });
    expect(within(form).queryByLabelText(/Supplier price/)).not.toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Request' }));
    expect(await within(form).findByText('Choose a part, or “Not in the catalogue”.')).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Part', { exact: true }), 'unlisted');
    await user.type(within(form).getByLabelText('Name', { exact: true }), 'Seal kit');
    await user.type(within(form).getByLabelText('Quantity'), '2.50');
    await user.click(within(form).getByRole('button', { name: 'Request' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Seal kit' })).toBeInTheDocument();
    const [entry] = await db.outbox.toArray();
    expect(entry?.name).toBe('raise_requisition.v1');
    expect(entry?.args).toEqual({ id: expect.stringMatching(UUID_V7) as unknown, vessel_id: SPIRIT, part_name: 'Seal kit', quantity: '2.5', work_order_id: 'wo-1' });
    expect(router.state.location.pathname).toBe(`/requisitions/${typeof entry?.args.id === 'string' ? entry.args.id : ''}`);
    expect(screen.getAllByText('on this device').length).toBeGreaterThan(0);
  });
});

describe('receiving an order', () => {
  it('prefills what is still to come, keeps an unlisted part out of stock, and counts the receipt at once', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/purchase-orders/${PO}`, 'engineer');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Receive' }));
    const form = await screen.findByRole('form', { name: 'Receive goods' });
    const filters = within(form).getByLabelText('Oil filter (pcs)');
    const seals = within(form).getByLabelText('Seal kit (set)');
    expect(filters).toHaveValue('3');
    expect(seals).toHaveValue('2');
    await user.selectOptions(within(form).getByLabelText('Where the goods go'), STORE);
    await user.click(within(form).getByRole('button', { name: 'Record receipt' }));
    expect(await within(form).findByText(/cannot go into a stock location/)).toBeInTheDocument();
    await user.clear(seals);
    await user.clear(filters);
    await user.type(filters, '2');
    await user.click(within(form).getByRole('button', { name: 'Record receipt' }));
    const [entry] = await db.outbox.toArray();
    expect(entry?.name).toBe('receive_purchase_order.v1');
    expect(entry?.args).toEqual({
      id: expect.stringMatching(UUID_V7) as unknown,
      purchase_order_id: PO,
      location_id: STORE,
      lines: [{ line_id: LINE_FILTER, quantity: '2', entry_id: expect.stringMatching(UUID_V7) as unknown }],
    });
    expect(await screen.findByText('Partly received', { selector: '.buy-status' })).toBeInTheDocument();
    expect(screen.getByRole('status', { name: '' })).toHaveTextContent('Received 1 line into Engine room store');
  });

  it('offers no receipt to crew, nor the moves and the PDF that are managers’', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/purchase-orders/${PO}`, 'crew');
    await screen.findByRole('heading', { level: 1, name: 'Purchase order PO-000042' });
    expect(screen.queryByRole('button', { name: /Receive|Send|Cancel|PDF/ })).not.toBeInTheDocument();
    expect(screen.queryByText(/total/i)).not.toBeInTheDocument();
  });
});

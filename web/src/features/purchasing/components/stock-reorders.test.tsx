/**
 * Purchasing's side of the stock page's reorders and of a fault's or work order's requisitions,
 * over the local replica with the network off: a reorder is queued as `raise_requisition.v1`
 * (the suggested quantity as decimal text, "Reorder: below minimum") and its part is requested
 * at once; a part with an open requisition is never asked for again; roles without
 * `parts.request` get no reorders; the requisitions of one fault or one order are listed with
 * part, quantity, status and a link.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { useReorders } from '../../../components/reorders';
import type { SyncDatabase } from '../../../sync/database';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { FaultRequisitions, WorkOrderRequisitions } from './linked-requisitions';
import { StockReorders } from './stock-reorders';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const SPIRIT = '01900000-0000-7000-8000-000000000001';
const FILTER = '01900000-0000-7000-8000-000000000021';
const GREASE = '01900000-0000-7000-8000-000000000022';
const IMPELLER = '01900000-0000-7000-8000-000000000023';
const FAULT = '01900000-0000-7000-8000-0000000000f1';
const ORDER = '01900000-0000-7000-8000-0000000000a1';
const REQ_FILTER = '01900000-0000-7000-8000-0000000000d1';
const REQ_SEAL = '01900000-0000-7000-8000-0000000000d2';
const REQ_DONE = '01900000-0000-7000-8000-0000000000d3';
const SCOPE = `vessel:${SPIRIT}`;
const CATALOGUE = `company:${COMPANY}`;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const part = (id: string, number: string, name: string) =>
  replicaRow(CATALOGUE, 'part', id, { number, name, maker: null, unit: 'pcs', critical: false, equivalents: [] }, 40);
const requisition = (id: string, fields: Record<string, unknown>) =>
  replicaRow(SCOPE, 'requisition', id, { vessel_id: SPIRIT, quantity: '2', received: '0', unit: 'pcs', status_changed_at: '2026-03-01T08:00:00Z', ...fields }, 60);

/** The oil filter asked for on the fault (approved); a seal kit for the work order; grease received long ago. */
function seed(): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', SPIRIT, { name: 'Northwind Spirit' }),
    part(FILTER, 'HF-6553', 'Oil filter'),
    part(GREASE, 'SG-2', 'Grease'),
    part(IMPELLER, 'J-1', 'Impeller'),
    replicaRow(SCOPE, 'fault', FAULT, { vessel_id: SPIRIT, title: 'Oil leak' }),
    replicaRow(SCOPE, 'work_order', ORDER, { vessel_id: SPIRIT, title: 'Change filters' }),
    requisition(REQ_FILTER, { part_id: FILTER, part_name: 'Oil filter', part_number: 'HF-6553', status: 'approved', fault_id: FAULT, quantity: '4' }),
    requisition(REQ_SEAL, { part_id: null, part_name: 'Seal kit', unit: 'set', status: 'ordered', work_order_id: ORDER }),
    requisition(REQ_DONE, { part_id: GREASE, part_name: 'Grease', status: 'received', work_order_id: ORDER }),
  ]);
}

/** What the stock page does with the reorders: a line per low part. */
function LowLines() {
  const reorders = useReorders();
  if (!reorders) return <p>No reorders</p>;
  const low = [
    { partId: FILTER, quantity: 5_500n, name: 'Oil filter' },
    { partId: GREASE, quantity: 10_000n, name: 'Grease' },
    { partId: IMPELLER, quantity: 2_000n, name: 'Impeller' },
  ];
  const open = low.filter((l) => !reorders.requested(l.partId));
  return (
    <>
      <ul aria-label="Low">
        {low.map((l) => (
          <li key={l.partId} aria-label={l.name}>
            {reorders.requested(l.partId) ? (
              'Requested'
            ) : (
              <button type="button" onClick={() => void reorders.request([l])}>
                Request reorder
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void reorders.request(open)}>
        Request all reorders
      </button>
    </>
  );
}

const routes = [
  {
    path: '/vessels/:id/stock',
    element: (
      <StockReorders>
        <LowLines />
      </StockReorders>
    ),
  },
  {
    path: '/faults/:id',
    element: <FaultRequisitions />,
  },
  {
    path: '/work-orders/:id',
    element: <WorkOrderRequisitions />,
  },
];

const line = async (name: string) => within(await screen.findByRole('list', { name: 'Low' })).getByRole('listitem', { name });

describe('reorders from the stock page', () => {
  it('queue one `raise_requisition.v1` per part, and show it requested at once', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/vessels/${SPIRIT}/stock`, 'engineer');
    const user = userEvent.setup();
    // The oil filter's requisition is approved: not asked for again.
    expect(await line('Oil filter')).toHaveTextContent('Requested');
    await user.click(within(await line('Grease')).getByRole('button', { name: 'Request reorder' }));
    expect(await within(await line('Grease')).findByText('Requested')).toBeInTheDocument();
    const [entry] = await db.outbox.toArray();
    expect(entry?.name).toBe('raise_requisition.v1');
    expect(entry?.args).toEqual({
      id: expect.stringMatching(UUID_V7) as unknown,
      vessel_id: SPIRIT,
      part_id: GREASE,
      quantity: '10',
      note: 'Reorder: below minimum',
    });
  });

  it('ask for every part not yet requested with "Request all", and never twice', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/vessels/${SPIRIT}/stock`, 'manager');
    const user = userEvent.setup();
    await line('Impeller');
    await user.click(screen.getByRole('button', { name: 'Request all reorders' }));
    expect(await within(await line('Impeller')).findByText('Requested')).toBeInTheDocument();
    expect(within(await line('Grease')).getByText('Requested')).toBeInTheDocument();
    expect((await db.outbox.toArray()).map((e) => [e.args.part_id, e.args.quantity])).toEqual([
      [GREASE, '10'],
      [IMPELLER, '2'],
    ]);
    await user.click(screen.getByRole('button', { name: 'Request all reorders' }));
    expect(await db.outbox.count()).toBe(2);
  });

  it('are not offered to crew, who do not request parts', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/vessels/${SPIRIT}/stock`, 'crew');
    expect(await screen.findByText('No reorders')).toBeInTheDocument();
  });
});

describe('the requisitions of a fault or a work order', () => {
  it('lists those raised for the fault with part, quantity, status and a link', async () => {
    renderSyncPage(await seed(), routes, `/faults/${FAULT}`, 'crew');
    const list = await screen.findByRole('list', { name: 'Requisitions for this fault' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(within(list).getByRole('link', { name: 'HF-6553 Oil filter' })).toHaveAttribute('href', `/requisitions/${REQ_FILTER}`);
    expect(items[0]).toHaveTextContent('4 pcs');
    expect(items[0]).toHaveTextContent('Approved');
  });

  it('lists those raised for the work order, whatever their status', async () => {
    renderSyncPage(await seed(), routes, `/work-orders/${ORDER.toUpperCase()}`, 'engineer');
    const list = await screen.findByRole('list', { name: 'Requisitions for this work order' });
    expect(within(list).getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Grease', `/requisitions/${REQ_DONE}`],
      ['Seal kit', `/requisitions/${REQ_SEAL}`],
    ]);
    expect(list).toHaveTextContent('Ordered');
    expect(list).toHaveTextContent('Received');
    expect(list).toHaveTextContent('2 set');
  });

  it('shows nothing for a fault with none', async () => {
    renderSyncPage(await seed(), [{ path: '/faults/:id', element: <><p>Fault</p><FaultRequisitions /></> }], '/faults/01900000-0000-7000-8000-0000000000f9');
    await screen.findByText('Fault');
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });
});

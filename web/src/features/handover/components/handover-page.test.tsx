/**
 * The handover assembled on the device with the network off: open faults and the parts still to
 * come for them (the vessel's open requisitions with a fault: requested, approved, ordered or
 * partly received; the parts orders of old are such requisitions, with the same ids), with notes
 * per item (`fault:{id}`, `parts_order:{requisition id}`), the draft saved on its version,
 * completing, acknowledging another person's handover; and who may do which.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { SyncDatabase } from '../../../sync/database';
import { userOf } from '../../../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { HandoverPage } from './handover-page';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const FAULT = '01900000-0000-7000-8000-00000000000a';
const ORDER = '01900000-0000-7000-8000-00000000000c';
const PARTLY = '01900000-0000-7000-8000-000000000010';
const REORDER = '01900000-0000-7000-8000-000000000011';
const RECEIVED = '01900000-0000-7000-8000-000000000012';
const REJECTED = '01900000-0000-7000-8000-000000000013';
const ELSEWHERE = '01900000-0000-7000-8000-000000000014';
const OTHER_VESSEL = '01900000-0000-7000-8000-000000000002';
const THEIRS = '01900000-0000-7000-8000-00000000000d';
const MINE = '01900000-0000-7000-8000-00000000000e';
const OTHER_PERSON = '01900000-0000-7000-8000-0000000000b2';
const SCOPE = `vessel:${VESSEL}`;
const ME = userOf('engineer').id;

const requisition = (id: string, fields: Record<string, unknown>, vessel = VESSEL) =>
  replicaRow(`vessel:${vessel}`, 'requisition', id, {
    vessel_id: vessel, part_id: null, unit: 'pcs', received: '0', status_changed_at: '2026-11-02T08:00:00Z', ...fields,
  }, 30);

function seed({ onRotation = true } = {}): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { name: 'Northwind Spirit' }),
    ...(onRotation
      ? [replicaRow(SCOPE, 'vessel_member', ME, { vessel_id: VESSEL, user_id: ME, department_id: null, rotation_start: '2026-11-01', rotation_end: '2026-12-20' })]
      : []),
    replicaRow(SCOPE, 'fault', FAULT, { vessel_id: VESSEL, equipment_id: VESSEL, title: 'Oil leak at the seal', severity: 'high', status: 'in_progress', reported_by: ME }),
    // A parts order of old, now a requisition with its id; one partly received; then the ones
    // the handover leaves out: not for a fault, done, refused, on another vessel.
    requisition(ORDER, { fault_id: FAULT, part_name: 'Seal kit', part_number: 'SK-12', quantity: '2', unit: 'set', status: 'ordered' }),
    requisition(PARTLY, { fault_id: FAULT, part_name: 'Hose', quantity: '12.5', unit: 'm', received: '5', status: 'partially_received' }),
    requisition(REORDER, { fault_id: null, part_name: 'Oil filter', quantity: '4', status: 'requested' }),
    requisition(RECEIVED, { fault_id: FAULT, part_name: 'Gasket', quantity: '1', status: 'received' }),
    requisition(REJECTED, { fault_id: FAULT, part_name: 'Gold-plated bolt', quantity: '1', status: 'rejected' }),
    requisition(ELSEWHERE, { fault_id: FAULT, part_name: 'Impeller', quantity: '1', status: 'approved' }, OTHER_VESSEL),
    replicaRow(SCOPE, 'handover_draft', ME, { vessel_id: VESSEL, user_id: ME, notes: 'Watch the stern tube', item_notes: {} }, 21),
    replicaRow(SCOPE, 'handover', THEIRS, {
      vessel_id: VESSEL, outgoing_user_id: OTHER_PERSON, rotation_end: '2026-11-01', completed_at: '2026-11-01T10:00:00Z', acknowledged_by: null, acknowledged_at: null,
    }, 17),
    replicaRow(SCOPE, 'handover', MINE, {
      vessel_id: VESSEL, outgoing_user_id: ME, rotation_end: '2026-10-01', completed_at: '2026-10-01T10:00:00Z', acknowledged_by: null, acknowledged_at: null,
    }, 12),
  ]);
}

const routes = [
  { path: '/handover', element: <HandoverPage /> },
  { path: '/vessels/:id/handover', element: <HandoverPage /> },
];

describe('the handover', () => {
  it('is assembled from the replica; notes are saved as a draft on its version, then completed', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/handover', 'engineer');
    // One vessel: straight to its handover.
    expect(await screen.findByRole('heading', { level: 1, name: 'Handover on Northwind Spirit' })).toBeInTheDocument();
    const faults = screen.getByRole('list', { name: 'Open faults' });
    expect(faults).toHaveTextContent('Oil leak at the seal');
    expect(faults).toHaveTextContent('yours');
    const parts = screen.getByRole('list', { name: 'Parts on order' });
    expect(within(parts).getAllByRole('listitem').map((li) => li.querySelector('p')?.textContent)).toEqual([
      'SK-12 Seal kit × 2 set · ordered',
      'Hose × 12.5 m · partly received',
    ]);
    expect(within(parts).getByRole('link', { name: 'SK-12 Seal kit' })).toHaveAttribute('href', `/requisitions/${ORDER}`);
    expect(screen.getByLabelText('Notes for your relief')).toHaveValue('Watch the stern tube');

    await user.type(screen.getByLabelText('Note on Oil leak at the seal'), 'New seal fitted, check daily');
    await user.type(screen.getByLabelText('Note on Seal kit'), 'Due in Bergen on Friday');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(async () => {
      expect(await db.outbox.toArray()).toMatchObject([
        {
          name: 'save_handover_notes.v1',
          base_version: 21,
          args: {
            vessel_id: VESSEL,
            notes: 'Watch the stern tube',
            // A requisition's note keeps the key parts orders had: the server takes it for the requisition's id.
            item_notes: { [`fault:${FAULT}`]: 'New seal fitted, check daily', [`parts_order:${ORDER}`]: 'Due in Bergen on Friday' },
          },
        },
      ]);
    });
    // The draft still shows what was typed, from the outbox.
    expect(screen.getByLabelText('Note on Oil leak at the seal')).toHaveValue('New seal fitted, check daily');
    expect(await screen.findByText('on this device')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Complete handover' }));
    await waitFor(async () => {
      expect((await db.outbox.toArray()).at(-1)).toMatchObject({
        name: 'complete_handover.v1',
        base_version: null,
        args: { vessel_id: VESSEL, rotation_end: '2026-12-20' },
      });
    });
  });

  it('acknowledges another person’s handover on its version, never one’s own', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/vessels/${VESSEL}/handover`, 'engineer');
    const history = await screen.findByRole('list', { name: 'Handover history' });
    const buttons = within(history).getAllByRole('button', { name: 'Acknowledge handover' });
    expect(buttons).toHaveLength(1);
    expect(within(history).getAllByRole('listitem')[0]).toContainElement(buttons[0] ?? null);
    await user.click(buttons[0] as HTMLElement);
    await waitFor(async () => {
      expect(await db.outbox.toArray()).toMatchObject([{ name: 'acknowledge_handover.v1', args: { handover_id: THEIRS }, base_version: 17 }]);
    });
    expect(await within(history).findByText('on this device')).toBeInTheDocument();
    expect(within(history).queryByRole('button', { name: 'Acknowledge handover' })).not.toBeInTheDocument();
  });

  it('is prepared only by people on the rotation', async () => {
    renderSyncPage(await seed({ onRotation: false }), routes, `/vessels/${VESSEL}/handover`, 'manager');
    expect(await screen.findByText('Only people on this vessel’s rotation prepare its handover.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Current handover' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge handover' })).not.toBeInTheDocument();
  });

  it('is read, not prepared, by a viewer', async () => {
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/handover`, 'viewer');
    expect(await screen.findByText('Your role reads handovers but does not prepare them.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge handover' })).not.toBeInTheDocument();
  });
});

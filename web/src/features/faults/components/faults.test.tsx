/**
 * Faults over the local replica with the network off: reporting in three steps (checked before
 * queueing), the report shown at once "on this device", the vessel's list and its filters, a
 * fault's actions by role, each queued with the fault's version as its base. The parts a fault
 * needs are requisitions, listed and requested under its page by the purchasing feature
 * (`src/app/fault-requisitions.test.tsx`): the page itself orders none.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Role } from '../../../api/types';
import type { SyncDatabase } from '../../../sync/database';
import { SyncEngine } from '../../../sync/engine';
import { ScriptedTransport } from '../../../sync/test-support';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { FaultPage } from './fault-page';
import { ReportFaultLink } from './report-fault-link';
import { ReportFaultPage } from './report-fault-page';
import { VesselFaultsPage } from './vessel-faults-page';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const PUMP = '01900000-0000-7000-8000-000000000002';
const LEAK = '01900000-0000-7000-8000-00000000000a';
const NOISE = '01900000-0000-7000-8000-00000000000b';
const SCOPE = `vessel:${VESSEL}`;

const fault = (id: string, title: string, severity: string, status: string, version: number) =>
  replicaRow(SCOPE, 'fault', id, {
    vessel_id: VESSEL, equipment_id: PUMP, severity, status, title, description: '', reported_by: null,
    observed_at: '2026-03-03T12:00:00Z', acknowledged_at: null, assignee_id: null, resolved_at: null,
    resolved_by: null, root_cause: null, resolution: null, closed_at: null,
  }, version);

function seed(): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { name: 'Northwind Spirit' }),
    replicaRow(SCOPE, 'equipment', PUMP, { vessel_id: VESSEL, name: 'Bilge pump', status: 'operational' }),
    fault(LEAK, 'Oil leak at the seal', 'critical', 'open', 7),
    fault(NOISE, 'Bearing noise', 'low', 'in_progress', 9),
  ]);
}

const routes = [
  { path: '/equipment/:id', element: <ReportFaultLink /> },
  { path: '/equipment/:id/report-fault', element: <ReportFaultPage /> },
  { path: '/vessels/:id/faults', element: <VesselFaultsPage /> },
  { path: '/faults/:id', element: <FaultPage /> },
];

const queued = (db: SyncDatabase) => db.outbox.toArray();

describe('reporting a fault', () => {
  it('takes three steps, checks each, and shows the report at once, on this device', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/equipment/${PUMP}/report-fault`, 'crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'Report a fault on Bilge pump' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose how bad it is.');
    await user.click(screen.getByRole('radio', { name: /High/ }));
    await user.click(screen.getByRole('button', { name: 'Next' }));

    expect(screen.getByText('Step 2 of 3: What is wrong?')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Say in a few words what is wrong.');
    await user.type(screen.getByLabelText('What is wrong?'), 'Pump cavitates');
    await user.type(screen.getByLabelText('What did you see? (optional)'), 'Rattling at full load');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(screen.getByRole('button', { name: 'Report fault' }));

    expect(await screen.findByRole('status')).toHaveTextContent('“Pump cavitates” is reported');
    const [entry] = await queued(db);
    expect(entry).toMatchObject({
      name: 'report_fault.v1',
      base_version: null,
      state: 'queued',
      args: { equipment_id: PUMP, severity: 'high', title: 'Pump cavitates', description: 'Rattling at full load' },
    });
    expect(entry?.args.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const list = screen.getByRole('list', { name: 'Faults on this item' });
    const reported = within(list).getByRole('listitem', { name: 'Pump cavitates' });
    expect(within(reported).getByText('on this device')).toBeInTheDocument();
    expect(within(list).getByRole('listitem', { name: 'Oil leak at the seal' })).toBeInTheDocument();
  });

  it('is offered under an item’s page to roles that report faults', async () => {
    renderSyncPage(await seed(), routes, `/equipment/${PUMP}`, 'crew');
    expect(await screen.findByRole('link', { name: 'Report a fault' })).toHaveAttribute('href', `/equipment/${PUMP}/report-fault`);
  });

  it('is not offered to a viewer', async () => {
    renderSyncPage(await seed(), routes, `/equipment/${PUMP}`, 'viewer');
    expect(screen.queryByRole('link', { name: 'Report a fault' })).not.toBeInTheDocument();
  });

  it('tells a viewer who opens the form that they do not report faults', async () => {
    renderSyncPage(await seed(), routes, `/equipment/${PUMP}/report-fault`, 'viewer');
    expect(await screen.findByText('Your role reads faults but does not report them.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Report a fault' })).not.toBeInTheDocument();
  });
});

describe('a vessel’s faults', () => {
  it('lists the unresolved ones worst first and filters by severity', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/faults`, 'viewer');
    const list = await screen.findByRole('list', { name: 'Faults' });
    await waitFor(() => {
      expect(within(list).getAllByRole('link').map((a) => a.textContent)).toEqual(['Oil leak at the seal', 'Bearing noise']);
    });
    await user.selectOptions(screen.getByLabelText('Severity'), 'low');
    expect(within(screen.getByRole('list', { name: 'Faults' })).getAllByRole('link').map((a) => a.textContent)).toEqual(['Bearing noise']);
    await user.selectOptions(screen.getByLabelText('Status'), 'resolved');
    expect(screen.getByText('No faults match.')).toBeInTheDocument();
  });

  it('links to the vessel’s requisitions, where its parts orders of old are now', async () => {
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/faults`, 'crew');
    expect(await screen.findByRole('link', { name: 'Requisitions' })).toHaveAttribute('href', `/vessels/${VESSEL}/requisitions`);
    expect(screen.queryByRole('link', { name: 'Parts orders' })).not.toBeInTheDocument();
  });
});

describe('a report still on this device', () => {
  it('shows in its vessel’s list (the vessel from its item) and opens its page, where moves wait for the server', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/vessels/${VESSEL}/faults`, 'engineer');
    await screen.findByRole('list', { name: 'Faults' });
    const report = '01900000-0000-7000-8000-0000000000f1';
    await new SyncEngine(db, new ScriptedTransport()).enqueue(
      'report_fault.v1',
      { id: report, equipment_id: PUMP, severity: 'critical', title: 'Fire pump will not start', description: '' },
      null,
    );
    const item = await screen.findByRole('listitem', { name: 'Fire pump will not start' });
    expect(within(item).getByText('on this device')).toBeInTheDocument();
    await user.click(within(item).getByRole('link', { name: 'Fire pump will not start' }));
    expect(await screen.findByText('The report is still on this device; it can be moved along once the server has it.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Add a comment' })).toBeInTheDocument();
  });
});

describe('a fault’s page', () => {
  it('lets an engineer acknowledge, on the fault’s version, and shows it waiting', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/faults/${LEAK}`, 'engineer');
    await user.click(await screen.findByRole('button', { name: 'Acknowledge' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([{ name: 'acknowledge_fault.v1', args: { fault_id: LEAK }, base_version: 7 }]);
    });
    const waiting = await screen.findByRole('list', { name: 'Changes not yet accepted' });
    expect(waiting).toHaveTextContent('Acknowledged: on this device');
    // The move is not offered again; the next ones are, from where it leaves the fault.
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
    expect(screen.getByText('Open → Acknowledged (on this device)')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Mark in progress' }));
    await waitFor(async () => {
      expect((await queued(db)).at(-1)).toMatchObject({ name: 'set_fault_status.v1', args: { fault_id: LEAK, status: 'in_progress' }, base_version: 7 });
    });
  });

  it('checks a resolution before queueing it', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/faults/${NOISE}`, 'manager');
    const form = await screen.findByRole('form', { name: 'Resolve' });
    await user.click(within(form).getByRole('button', { name: 'Resolve fault' }));
    expect(await within(form).findByText('Write the root cause.')).toBeInTheDocument();
    expect(within(form).getByText('Write the resolution.')).toBeInTheDocument();
    expect(await queued(db)).toEqual([]);

    await user.type(within(form).getByLabelText('Root cause'), 'Worn bearing');
    await user.type(within(form).getByLabelText('What was done'), 'Replaced it');
    await user.click(within(form).getByRole('button', { name: 'Resolve fault' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([
        { name: 'resolve_fault.v1', args: { fault_id: NOISE, root_cause: 'Worn bearing', resolution: 'Replaced it' }, base_version: 9 },
      ]);
    });
  });

  it.each<[Role, boolean, boolean]>([
    ['engineer', true, true],
    ['crew', false, true],
    ['viewer', false, false],
  ])('as %s: lifecycle actions %s, comments %s', async (role, manage, comment) => {
    renderSyncPage(await seed(), routes, `/faults/${LEAK}`, role);
    expect(await screen.findByRole('heading', { level: 1, name: 'Oil leak at the seal' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' }) !== null).toBe(manage);
    expect(screen.queryByRole('form', { name: 'Add a comment' }) !== null).toBe(comment);
  });

  it('queues a comment and shows it as the person’s, on this device', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/faults/${LEAK}`, 'crew');
    const form = await screen.findByRole('form', { name: 'Add a comment' });
    await user.click(within(form).getByRole('button', { name: 'Add comment' }));
    expect(await within(form).findByText('Write the comment.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Comment'), 'Drip tray half full');
    await user.click(within(form).getByRole('button', { name: 'Add comment' }));
    const comments = await screen.findByRole('list', { name: 'Comments' });
    expect(comments).toHaveTextContent('Drip tray half full');
    expect(comments).toHaveTextContent('on this device');
    expect(await queued(db)).toMatchObject([{ name: 'comment_fault.v1', args: { fault_id: LEAK, body: 'Drip tray half full' }, base_version: null }]);
  });
});

describe('a refused change', () => {
  it('says why on the fault’s page, and goes once dismissed', async () => {
    const db = await seed();
    const user = userEvent.setup();
    const id = await new SyncEngine(db, new ScriptedTransport()).enqueue('set_fault_status.v1', { fault_id: NOISE, status: 'awaiting_parts' }, 9);
    await db.outbox.update(id, { state: 'rejected', code: 'invalid_transition', detail: 'fault is already awaiting parts' });
    renderSyncPage(db, routes, `/faults/${NOISE}`, 'engineer');
    const waiting = await screen.findByRole('list', { name: 'Changes not yet accepted' });
    expect(waiting).toHaveTextContent('Status to Awaiting parts: rejected: invalid_transition fault is already awaiting parts');
    // A refused move counts for nothing: the moves offered are the confirmed status's.
    expect(screen.getByRole('button', { name: 'Mark awaiting parts' })).toBeInTheDocument();
    await user.click(within(waiting).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => {
      expect(screen.queryByRole('list', { name: 'Changes not yet accepted' })).not.toBeInTheDocument();
    });
    expect(await queued(db)).toEqual([]);
  });
});

describe('parts for a fault', () => {
  it('are not ordered on the fault’s page any more: they are requisitions, the purchasing feature’s', async () => {
    renderSyncPage(await seed(), routes, `/faults/${NOISE}`, 'manager');
    expect(await screen.findByRole('heading', { level: 1, name: 'Bearing noise' })).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Order parts' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Parts orders' })).not.toBeInTheDocument();
  });

  it('an order queued before the update, and a requisition raised for the fault, show among its waiting changes', async () => {
    const db = await seed();
    const engine = new SyncEngine(db, new ScriptedTransport());
    await engine.enqueue(
      'order_parts.v1',
      { id: '01900000-0000-7000-8000-0000000000c1', fault_id: NOISE, part_name: 'Bearing', part_number: null, quantity: 2, supplier: 'SKF', supplier_unit_price_minor: 1000, currency: 'EUR' },
      null,
    );
    await engine.enqueue('raise_requisition.v1', { id: '01900000-0000-7000-8000-0000000000c2', vessel_id: VESSEL, fault_id: NOISE, part_name: 'Seal', quantity: '1' }, null);
    renderSyncPage(db, routes, `/faults/${NOISE}`, 'engineer');
    const waiting = await screen.findByRole('list', { name: 'Changes not yet accepted' });
    expect(waiting).toHaveTextContent('Parts ordered: on this device');
    expect(waiting).toHaveTextContent('Part requested: on this device');
  });
});

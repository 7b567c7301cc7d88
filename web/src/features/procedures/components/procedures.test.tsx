/**
 * Procedures over the local replica with the network off: the list from the replica's rows and
 * the procedures created here still in the outbox (marked, refusals with their reason), what
 * each role is offered, a new procedure checked and queued as `create_procedure.v1`, and an edit
 * queued as `update_procedure.v1` on the version the form opened at, its steps keeping their ids.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { SyncDatabase } from '../../../sync/database';
import { SyncEngine } from '../../../sync/engine';
import { ScriptedTransport } from '../../../sync/test-support';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { EditProcedurePage, NewProcedurePage } from './procedure-form-page';
import { ProceduresPage } from './procedures-page';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const CATALOGUE = `company:${COMPANY}`;
const PUMP_CHECK = '01900000-0000-7000-8000-0000000000a1';
const WINCH_CHECK = '01900000-0000-7000-8000-0000000000a2';
const OFFLINE_ONE = '01900000-0000-7000-8000-0000000000a3';
const STEP_A = '01900000-0000-7000-8000-0000000000b1';
const STEP_B = '01900000-0000-7000-8000-0000000000b2';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const none = { min: null, max: null, unit: null, options: [], rule: null };
const pumpSteps = [
  { id: STEP_A, title: 'Suction strainer clean', kind: 'pass_fail', required: true, ...none, rule: { kind: 'open_fault', severity: 'medium' } },
  { id: STEP_B, title: 'Discharge pressure', kind: 'number', required: true, ...none, min: '2.5', max: '4', unit: 'bar' },
];

function seed(): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(CATALOGUE, 'procedure', PUMP_CHECK, {
      title: 'Bilge pump monthly check', description: 'Run it dry for no more than a minute.', steps: pumpSteps,
      created_by: null, updated_at: '2026-03-01T08:00:00Z',
    }, 30),
    replicaRow(CATALOGUE, 'procedure', WINCH_CHECK, { title: 'Anchor winch before departure', description: '', steps: [], created_by: null, updated_at: '2026-03-01T08:00:00Z' }, 31),
  ]);
}

const routes = [
  { path: '/procedures', element: <ProceduresPage /> },
  { path: '/procedures/new', element: <NewProcedurePage /> },
  { path: '/procedures/:id/edit', element: <EditProcedurePage /> },
];

const queued = (db: SyncDatabase) => db.outbox.toArray();
const enqueue = (db: SyncDatabase, name: string, args: Record<string, string | never[]>) => new SyncEngine(db, new ScriptedTransport()).enqueue(name, args, null);

describe('the procedures', () => {
  it('lists the replica’s procedures and those made here by title, each with its steps, marked while waiting', async () => {
    const db = await seed();
    await enqueue(db, 'create_procedure.v1', { id: OFFLINE_ONE, title: 'Change the impeller', description: '', steps: [] });
    renderSyncPage(db, routes, '/procedures', 'engineer');
    const list = await screen.findByRole('list', { name: 'Procedures' });
    expect(within(list).getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Anchor winch before departure',
      'Bilge pump monthly check',
      'Change the impeller',
    ]);
    const pump = within(list).getByRole('listitem', { name: 'Bilge pump monthly check' });
    expect(pump).toHaveTextContent('2 steps');
    expect(pump).toHaveTextContent('Run it dry for no more than a minute.');
    expect(within(pump).getByRole('list', { name: 'Steps of Bilge pump monthly check' })).toHaveTextContent('Discharge pressure (Measured number, required)');
    expect(within(pump).getByRole('link', { name: 'Edit Bilge pump monthly check' })).toHaveAttribute('href', `/procedures/${PUMP_CHECK}/edit`);
    const mine = within(list).getByRole('listitem', { name: 'Change the impeller' });
    expect(mine).toHaveTextContent('0 steps · on this device');
    // Edited once the server has it.
    expect(within(mine).queryByRole('link', { name: /^Edit/ })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'New procedure' })).toHaveAttribute('href', '/procedures/new');
  });

  it('shows a refused creation with its reason until dismissed', async () => {
    const db = await seed();
    const id = await enqueue(db, 'create_procedure.v1', { id: OFFLINE_ONE, title: 'Change the impeller', description: '', steps: [] });
    await db.outbox.update(id, { state: 'rejected', code: 'id_taken', detail: 'already made with other content' });
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/procedures', 'engineer');
    const mine = await screen.findByRole('listitem', { name: 'Change the impeller' });
    expect(mine).toHaveTextContent('already made with other content');
    expect(mine).toHaveTextContent('Another procedure was already made with this id');
    await user.click(within(mine).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => {
      expect(screen.queryByRole('listitem', { name: 'Change the impeller' })).not.toBeInTheDocument();
    });
  });

  it('offers crew and viewers the procedures to read, and nothing to write', async () => {
    const db = await seed();
    renderSyncPage(db, routes, '/procedures', 'crew');
    const list = await screen.findByRole('list', { name: 'Procedures' });
    expect(screen.queryByRole('link', { name: 'New procedure' })).not.toBeInTheDocument();
    expect(within(list).queryByRole('link', { name: /^Edit/ })).not.toBeInTheDocument();
  });

  it('tells a crew member who opens the form that they do not write procedures', async () => {
    renderSyncPage(await seed(), routes, '/procedures/new', 'crew');
    expect(await screen.findByText(/Your role does not write procedures/)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'New procedure' })).not.toBeInTheDocument();
  });
});

describe('a new procedure', () => {
  it('is checked as the server checks it, queued as `create_procedure.v1` with its steps and listed at once', async () => {
    const db = await seed();
    const user = userEvent.setup();
    const { router } = renderSyncPage(db, routes, '/procedures/new', 'engineer');
    const form = await screen.findByRole('form', { name: 'New procedure' });
    await user.click(within(form).getByRole('button', { name: 'Create the procedure' }));
    expect(await within(form).findByText('Say in a few words what the procedure is for.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Title'), 'x'.repeat(201));
    await user.click(within(form).getByRole('button', { name: 'Create the procedure' }));
    expect(await within(form).findByText('Keep the title to 200 characters.')).toBeInTheDocument();
    expect(await queued(db)).toEqual([]);

    await user.clear(within(form).getByLabelText('Title'));
    await user.type(within(form).getByLabelText('Title'), '  Fuel purifier weekly  ');
    await user.type(within(form).getByLabelText('Description (optional)'), 'Stop the purifier first.');
    await user.click(within(form).getByRole('button', { name: 'Add a step' }));
    const first = within(form).getByRole('group', { name: 'Step 1' });
    await user.type(within(first).getByLabelText('What to do or check'), 'Bowl cleaned');
    await user.click(within(form).getByRole('button', { name: 'Add a step' }));
    const second = within(form).getByRole('group', { name: 'Step 2' });
    await user.type(within(second).getByLabelText('What to do or check'), 'Remarks');
    await user.selectOptions(within(second).getByLabelText('Answer'), 'text');
    await user.click(within(form).getByRole('button', { name: 'Create the procedure' }));

    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/procedures');
    });
    const [entry, ...rest] = await queued(db);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ name: 'create_procedure.v1', base_version: null });
    const args = entry?.args as { id: string; steps: { id: string }[] };
    expect(args.id).toMatch(UUID_V7);
    expect(entry?.args).toEqual({
      id: args.id,
      title: 'Fuel purifier weekly',
      description: 'Stop the purifier first.',
      steps: [
        { id: args.steps[0]?.id, title: 'Bowl cleaned', kind: 'pass_fail', required: true, min: null, max: null, unit: null, options: [], rule: null },
        { id: args.steps[1]?.id, title: 'Remarks', kind: 'text', required: true, min: null, max: null, unit: null, options: [], rule: null },
      ],
    });
    expect(args.steps[0]?.id).toMatch(UUID_V7);
    expect(args.steps[0]?.id).not.toBe(args.steps[1]?.id);
    const shown = await screen.findByRole('listitem', { name: 'Fuel purifier weekly' });
    expect(shown).toHaveTextContent('2 steps · on this device');
  });
});

describe('editing a procedure', () => {
  it('starts from the procedure and queues `update_procedure.v1` on the version it opened at, its steps keeping their ids', async () => {
    const db = await seed();
    const user = userEvent.setup();
    const { router } = renderSyncPage(db, routes, `/procedures/${PUMP_CHECK}/edit`, 'manager');
    const form = await screen.findByRole('form', { name: 'Edit procedure' });
    expect(within(form).getByLabelText('Title')).toHaveValue('Bilge pump monthly check');
    expect(within(within(form).getByRole('group', { name: 'Step 2' })).getByLabelText('Unit')).toHaveValue('bar');

    // Someone else's edit arrives while the form is open: a new description, at version 35.
    const [row] = await db.rows.where('[entity+id]').equals(['procedure', PUMP_CHECK]).toArray();
    if (!row) throw new Error('no row');
    await db.rows.put({ ...row, version: 35, fields: { ...(row.fields as Record<string, unknown>), description: 'Never run it dry.' } });

    await user.clear(within(form).getByLabelText('Title'));
    await user.type(within(form).getByLabelText('Title'), 'Bilge pump check (monthly)');
    await user.click(within(form).getByRole('button', { name: 'Save the procedure' }));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/procedures');
    });
    const [entry] = await queued(db);
    expect(entry).toMatchObject({ name: 'update_procedure.v1', base_version: 30 });
    expect(entry?.args).toMatchObject({
      procedure_id: PUMP_CHECK,
      title: 'Bilge pump check (monthly)',
      description: 'Run it dry for no more than a minute.',
      steps: [
        { id: STEP_A, title: 'Suction strainer clean', kind: 'pass_fail', rule: { kind: 'open_fault', severity: 'medium' } },
        { id: STEP_B, title: 'Discharge pressure', kind: 'number', min: '2.5', max: '4', unit: 'bar' },
      ],
    });
    const shown = await screen.findByRole('listitem', { name: 'Bilge pump check (monthly)' });
    expect(shown).toHaveTextContent('on this device');
  });
});

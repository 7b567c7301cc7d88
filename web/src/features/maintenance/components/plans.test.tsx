/**
 * Maintenance plans over the local replica with the network off: a vessel's plans with their
 * due state (by the calendar against today, by hours against the item's readings) and the
 * filter; a plan's page with its postponements and history; postponing (never approving one's
 * own request) with exactly the mutation the server takes; a new plan and an edit, checked as
 * the server checks them; the plan's record of occurrences, read from the server (fetch mocked)
 * and a note offline; and the calendar.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { SyncDatabase } from '../../../sync/database';
import { json, mockApi, problem, userOf } from '../../../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { addInterval } from '../api/criteria';
import { localToday } from '../api/due-state';
import { CalendarPage } from './calendar-page';
import { MaintenancePage } from './maintenance-page';
import { EditPlanPage, NewPlanPage } from './plan-form-page';
import { PlanPage } from './plan-page';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const VESSEL = '01900000-0000-7000-8000-000000000001';
const ENGINE = '01900000-0000-7000-8000-000000000002';
const PUMP = '01900000-0000-7000-8000-000000000003';
const ME = userOf('manager').id;
const SAM = '01900000-0000-7000-8000-0000000000b1';
/** By the calendar, overdue. */
const OIL = '01900000-0000-7000-8000-0000000000d1';
/** By the calendar or hours: due soon by the engine's hours. */
const INJECTORS = '01900000-0000-7000-8000-0000000000d2';
/** Not due for months. */
const PAINT = '01900000-0000-7000-8000-0000000000d3';
const SCOPE = `vessel:${VESSEL}`;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const today = localToday();
const daysFromToday = (n: number) => addInterval(today, n, 'days') ?? today;
const monthly = { kind: 'calendar', every: 1, unit: 'months', basis: 'from_schedule', early: 7, late: 3 };

const plan = (id: string, title: string, fields: Record<string, unknown>, version = 10) =>
  replicaRow(SCOPE, 'maintenance_plan', id, {
    vessel_id: VESSEL, equipment_id: ENGINE, title, description: '', priority: 'normal', criteria: [monthly],
    starts_on: '2026-01-01', start_hours: null, lead_days: 14, steps: [], signature_required: false, estimated_minutes: null,
    assignees: [], occurrence: 0, last_done_on: null, last_done_hours: null, due_on: null, due_hours: null,
    created_by: ME, created_at: '2026-01-01T08:00:00Z', updated_at: '2026-01-01T08:00:00Z', ...fields,
  }, version);

function seed(extra: ReturnType<typeof replicaRow>[] = []): Promise<SyncDatabase> {
  return syncedDatabase([
    ...extra,
    replicaRow(SCOPE, 'vessel', VESSEL, { name: 'Northwind Spirit' }),
    replicaRow(SCOPE, 'equipment', ENGINE, { vessel_id: VESSEL, name: 'Main engine', status: 'operational' }),
    replicaRow(SCOPE, 'equipment', PUMP, { vessel_id: VESSEL, name: 'Bilge pump', status: 'operational' }),
    replicaRow(`company:${COMPANY}`, 'membership', 'm1', { user_id: SAM, name: 'Sam Stores' }),
    replicaRow(SCOPE, 'vessel_member', ME, { vessel_id: VESSEL, user_id: ME, department_id: null }),
    replicaRow(SCOPE, 'vessel_member', SAM, { vessel_id: VESSEL, user_id: SAM, department_id: null }),
    replicaRow(SCOPE, 'meter_reading', '01900000-0000-7000-8000-000000000r01'.replace('r', 'e'), {
      equipment_id: ENGINE, hours: 1460, meter_replaced: false, read_at: '2026-02-01T08:00:00Z',
    }),
    plan(OIL, 'Change the lube oil', { due_on: daysFromToday(-5), occurrence: 3, last_done_on: '2026-01-01' }),
    plan(INJECTORS, 'Overhaul the injectors', {
      criteria: [{ ...monthly, every: 6 }, { kind: 'running_hours', every: 500, early: 50, late: 25 }],
      start_hours: 1000, due_on: daysFromToday(60), due_hours: 1500,
    }, 11),
    plan(PAINT, 'Paint the pump casing', { equipment_id: PUMP, criteria: [{ ...monthly, every: 1, unit: 'years' }], due_on: daysFromToday(200) }, 12),
    replicaRow(SCOPE, 'plan_postponement', '01900000-0000-7000-8000-0000000000f1', {
      plan_id: OIL, vessel_id: VESSEL, occurrence: 2, new_date: '2026-02-20', extra_hours: null, reason: 'In port for bunkering',
      requested_by: SAM, approved_by: ME, approved_at: '2026-02-10T09:00:00Z',
    }),
    replicaRow(SCOPE, 'work_order', '01900000-0000-7000-8000-0000000000a7', {
      vessel_id: VESSEL, equipment_id: ENGINE, origin: { kind: 'plan', plan_id: OIL, occurrence: 2 }, title: 'Change the lube oil',
      status: 'done', due_on: '2026-02-20', completed_at: '2026-02-19T10:00:00Z',
    }),
    replicaRow(SCOPE, 'work_order', '01900000-0000-7000-8000-0000000000a8', {
      vessel_id: VESSEL, equipment_id: PUMP, origin: { kind: 'manual' }, title: 'Fix the float switch', status: 'open', due_on: daysFromToday(1),
    }),
  ]);
}

const routes = [
  { path: '/maintenance', element: <MaintenancePage /> },
  { path: '/vessels/:id/maintenance', element: <MaintenancePage /> },
  { path: '/vessels/:id/maintenance/calendar', element: <CalendarPage /> },
  { path: '/vessels/:id/maintenance/new', element: <NewPlanPage /> },
  { path: '/maintenance-plans/:id', element: <PlanPage /> },
  { path: '/maintenance-plans/:id/edit', element: <EditPlanPage /> },
];

const queued = (db: SyncDatabase) => db.outbox.toArray();
const titles = (list: HTMLElement) => within(list).getAllByRole('heading', { level: 2 }).map((h) => h.textContent);

describe('a vessel’s plans', () => {
  it('lists each plan with its item, criteria, next due and due state, most pressing first', async () => {
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/maintenance`, 'crew');
    const list = await screen.findByRole('list', { name: 'Plans' });
    expect(titles(list)).toEqual(['Change the lube oil', 'Overhaul the injectors', 'Paint the pump casing']);
    const oil = within(list).getByRole('listitem', { name: 'Change the lube oil' });
    expect(within(oil).getByText('Main engine')).toBeInTheDocument();
    expect(within(oil).getByText('every month')).toBeInTheDocument();
    expect(within(oil).getByText('Overdue')).toBeInTheDocument();
    expect(within(oil).getByRole('link', { name: 'Change the lube oil' })).toHaveAttribute('href', `/maintenance-plans/${OIL}`);
    // 1460 h read, due at 1500 h with 50 h early: due soon by hours, though not by the calendar.
    const injectors = within(list).getByRole('listitem', { name: 'Overhaul the injectors' });
    expect(within(injectors).getByText('every 6 months or 500 h, whichever first')).toBeInTheDocument();
    expect(within(injectors).getByText('Due soon')).toBeInTheDocument();
    expect(within(injectors).getByText('1,500 h')).toBeInTheDocument();
    expect(within(list).getByRole('listitem', { name: 'Paint the pump casing' })).toHaveTextContent('Not due');
    // Crew read plans; they do not write them.
    expect(screen.queryByRole('link', { name: 'New plan' })).not.toBeInTheDocument();
  });

  it('filters the overdue and the due or due soon', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/maintenance?due=overdue`, 'engineer');
    expect(titles(await screen.findByRole('list', { name: 'Plans' }))).toEqual(['Change the lube oil']);
    await user.selectOptions(screen.getByLabelText('Show'), 'soon');
    expect(titles(screen.getByRole('list', { name: 'Plans' }))).toEqual(['Change the lube oil', 'Overhaul the injectors']);
    expect(screen.getByRole('link', { name: 'New plan' })).toHaveAttribute('href', `/vessels/${VESSEL}/maintenance/new`);
  });

  it('goes straight to the only vessel, keeping the filter', async () => {
    const { router } = renderSyncPage(await seed(), routes, '/maintenance?due=overdue', 'engineer');
    await screen.findByRole('list', { name: 'Plans' });
    expect(router.state.location.pathname).toBe(`/vessels/${VESSEL}/maintenance`);
    expect(router.state.location.search).toBe('?due=overdue');
  });
});

describe('a plan', () => {
  it('shows its schedule, postponements and history', async () => {
    renderSyncPage(await seed(), routes, `/maintenance-plans/${OIL}`, 'crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'Change the lube oil' })).toBeInTheDocument();
    expect(screen.getByText('Overdue')).toBeInTheDocument();
    expect(screen.getByText('Every month, on the schedule · early 7 days, late 3 days')).toBeInTheDocument();
    const postponements = await screen.findByRole('list', { name: 'Postponements' });
    expect(postponements).toHaveTextContent('Occurrence 3 put off to');
    expect(postponements).toHaveTextContent('“In port for bunkering”');
    expect(postponements).toHaveTextContent('Asked by Sam Stores; approved by Erin Engineer');
    const history = screen.getByRole('list', { name: 'Work orders of this plan' });
    expect(within(history).getByRole('link', { name: 'Change the lube oil' })).toHaveAttribute('href', '/work-orders/01900000-0000-7000-8000-0000000000a7');
    expect(history).toHaveTextContent('occurrence 3 · Done');
    // Crew neither edit nor postpone.
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Postpone' })).not.toBeInTheDocument();
  });

  it('shows its record of occurrences from the server, newest first: done in the window, late, skipped, missed', async () => {
    const WO = (n: number) => `01900000-0000-7000-8000-0000000000c${n}`;
    const api = mockApi({
      [`GET /api/v1/maintenance-plans/${OIL}`]: () =>
        json(200, {
          plan: {}, state: 'overdue', criteria: [], postponements: [],
          // Oldest first, as the server sends them.
          completions: [
            { occurrence: 0, outcome: 'done', work_order_id: WO(0), done_on: '2026-01-30', done_hours: 1200.5, due_on: '2026-02-01', due_hours: null, in_window: true },
            { occurrence: 1, outcome: 'missed', work_order_id: null, done_on: '2026-03-20', done_hours: null, due_on: '2026-03-01', due_hours: null, in_window: false },
            { occurrence: 2, outcome: 'done', work_order_id: WO(2), done_on: '2026-03-20', done_hours: null, due_on: '2026-03-10', due_hours: null, in_window: false },
            { occurrence: 3, outcome: 'skipped', work_order_id: WO(3), done_on: '2026-04-02', done_hours: null, due_on: '2026-04-01', due_hours: null, in_window: false },
          ],
        }),
    });
    renderSyncPage(await seed(), routes, `/maintenance-plans/${OIL}`, 'crew', userOf('crew'), { online: true });
    const record = await screen.findByRole('list', { name: 'Occurrences' });
    const entries = within(record).getAllByRole('listitem');
    expect(entries.map((e) => e.querySelector('.plan-due')?.textContent)).toEqual(['Skipped', 'Done late', 'Missed', 'Done in its window']);
    expect(entries[0]).toHaveTextContent(/^Occurrence 4 Skipped on .*: its work order was cancelled/);
    expect(entries[1]).toHaveTextContent(/^Occurrence 3 Done late on /);
    expect(entries[2]).toHaveTextContent(/^Occurrence 2 Missed passed over on .*, when a later occurrence was done/);
    expect(entries[2]).not.toHaveTextContent('Its work order');
    expect(entries[3]).toHaveTextContent(/Done in its window on .* · 1,200\.5 h/);
    expect(within(entries[3] as HTMLElement).getByRole('link', { name: 'Its work order for occurrence 1' })).toHaveAttribute('href', `/work-orders/${WO(0)}`);
    expect(api.to(`GET /api/v1/maintenance-plans/${OIL}`)).toHaveLength(1);
  });

  it('says its record needs a connection while offline, and asks the server nothing', async () => {
    renderSyncPage(await seed(), routes, `/maintenance-plans/${OIL}`, 'crew');
    const title = await screen.findByRole('heading', { level: 2, name: 'Record' });
    expect(title.closest('section')).toHaveTextContent('The plan’s record needs a connection to the server. It opens by itself when the connection returns.');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('says when nothing has ended yet, after a failed read tried again', async () => {
    const user = userEvent.setup();
    mockApi({
      [`GET /api/v1/maintenance-plans/${PAINT}`]: [
        () => problem(503, 'unavailable', 'Service unavailable'),
        () => json(200, { plan: {}, state: 'not_due', criteria: [], postponements: [], completions: [] }),
      ],
    });
    renderSyncPage(await seed(), routes, `/maintenance-plans/${PAINT}`, 'crew', userOf('crew'), { online: true });
    const alert = await screen.findByRole('alert');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No occurrence has ended yet.')).toBeInTheDocument();
  });

  it('offers engineers Edit but not Postpone', async () => {
    renderSyncPage(await seed(), routes, `/maintenance-plans/${OIL}`, 'engineer');
    expect(await screen.findByRole('link', { name: 'Edit' })).toHaveAttribute('href', `/maintenance-plans/${OIL}/edit`);
    expect(screen.queryByRole('button', { name: 'Postpone' })).not.toBeInTheDocument();
  });

  it('is postponed by a manager for someone else who asked: `postpone_plan.v1`, never self-approved', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/maintenance-plans/${OIL}`, 'manager');
    await user.click(await screen.findByRole('button', { name: 'Postpone' }));
    const form = screen.getByRole('form', { name: 'Postpone this occurrence' });
    // The plan is by the calendar only: no hours to add.
    expect(within(form).queryByLabelText('Extra running hours')).not.toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Postpone' }));
    expect(within(form).getByText(/Give a new due day or extra hours/)).toBeInTheDocument();

    const newDate = daysFromToday(10);
    await user.type(within(form).getByLabelText('New due day'), newDate);
    await user.type(within(form).getByLabelText('Reason'), 'Waiting for the oil to be delivered');
    await user.selectOptions(within(form).getByLabelText('Asked for by'), ME);
    await user.click(within(form).getByRole('button', { name: 'Postpone' }));
    expect(within(form).getByText('You approve this postponement, so someone else must have asked for it.')).toBeInTheDocument();
    expect(await queued(db)).toEqual([]);

    await user.selectOptions(within(form).getByLabelText('Asked for by'), SAM);
    await user.click(within(form).getByRole('button', { name: 'Postpone' }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [write] = await queued(db);
    expect(write).toMatchObject({ name: 'postpone_plan.v1', base_version: 10 });
    expect(write?.args).toEqual({
      id: expect.stringMatching(UUID_V7) as string,
      plan_id: OIL,
      occurrence: 3,
      new_date: newDate,
      extra_hours: null,
      reason: 'Waiting for the oil to be delivered',
      requested_by: SAM,
    });
    // The plan is due on the new day at once, and the postponement is listed, waiting.
    const postponements = await screen.findByRole('list', { name: 'Postponements' });
    expect(await within(postponements).findByText('on this device')).toBeInTheDocument();
    expect(postponements).toHaveTextContent('approved by you, on this device');
    expect(screen.getByText('Not due')).toBeInTheDocument();
  });

  it('refuses a postponement beyond the next occurrence', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/maintenance-plans/${OIL}`, 'manager');
    await user.click(await screen.findByRole('button', { name: 'Postpone' }));
    const form = screen.getByRole('form', { name: 'Postpone this occurrence' });
    await user.type(within(form).getByLabelText('New due day'), daysFromToday(60));
    await user.type(within(form).getByLabelText('Reason'), 'Dry dock');
    await user.selectOptions(within(form).getByLabelText('Asked for by'), SAM);
    await user.click(within(form).getByRole('button', { name: 'Postpone' }));
    expect(within(form).getByText(/Before the next occurrence’s due day/)).toBeInTheDocument();
    expect(await queued(db)).toEqual([]);
  });
});

describe('a new plan', () => {
  it('is checked as the server checks it, then queued as `create_maintenance_plan.v1` and shown at once', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/vessels/${VESSEL}/maintenance/new`, 'engineer');
    const form = await screen.findByRole('form', { name: 'New maintenance plan' });
    expect(within(form).getByLabelText('Starts on')).toHaveValue(today);
    expect(within(form).getByLabelText('Lead days')).toHaveValue('14');
    await user.click(within(form).getByRole('button', { name: 'Create the plan' }));
    expect(within(form).getByText('Choose the item the plan looks after.')).toBeInTheDocument();
    expect(within(form).getByText('Say in a few words what is to be done.')).toBeInTheDocument();

    await user.selectOptions(within(form).getByLabelText('Item'), ENGINE);
    await user.type(within(form).getByLabelText('Title'), 'Clean the air filter');
    // A second criterion by running hours: the start hours are asked for, filled with the item's hours.
    await user.click(within(form).getByRole('button', { name: 'Add a criterion' }));
    const second = within(form).getByRole('group', { name: 'Criterion 2' });
    expect(within(second).getByLabelText('By')).toHaveValue('running_hours');
    expect(await within(form).findByLabelText('Start hours')).toHaveValue('1460');
    // A third one by hours too is refused: at most one.
    await user.click(within(form).getByRole('button', { name: 'Add a criterion' }));
    await user.selectOptions(within(within(form).getByRole('group', { name: 'Criterion 3' })).getByLabelText('By'), 'running_hours');
    expect(within(form).getByRole('button', { name: 'Add a criterion' })).toBeDisabled();
    await user.click(within(form).getByRole('button', { name: 'Create the plan' }));
    expect(await within(form).findByText('At most one criterion by running hours.')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Remove criterion 3' }));
    await user.clear(within(second).getByLabelText('Every (hours)'));
    await user.type(within(second).getByLabelText('Every (hours)'), '250');
    await user.click(within(form).getByRole('button', { name: 'Add a step' }));
    await user.type(within(form).getByLabelText('What to do or check'), 'Filter element replaced');
    await user.click(within(form).getByRole('button', { name: 'Create the plan' }));

    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [write] = await queued(db);
    expect(write?.name).toBe('create_maintenance_plan.v1');
    expect(write?.base_version).toBeNull();
    const args = write?.args as Record<string, unknown>;
    expect(args).toMatchObject({
      equipment_id: ENGINE,
      title: 'Clean the air filter',
      description: '',
      priority: 'normal',
      criteria: [
        { kind: 'calendar', every: 1, unit: 'months', basis: 'from_schedule', early: 7, late: 7 },
        { kind: 'running_hours', every: 250, early: 25, late: 25 },
      ],
      starts_on: today,
      start_hours: 1460,
      lead_days: 14,
      signature_required: false,
      estimated_minutes: null,
      assignees: [],
    });
    expect(args.id).toMatch(UUID_V7);
    expect(args.steps).toEqual([expect.objectContaining({ title: 'Filter element replaced', kind: 'pass_fail', required: true })]);

    // Its page opens, "on this device", due one interval after the start.
    expect(await screen.findByRole('heading', { level: 1, name: 'Clean the air filter' })).toBeInTheDocument();
    expect(screen.getByText('on this device')).toBeInTheDocument();
    expect(screen.getByText('1,710 h')).toBeInTheDocument();
    expect(screen.getByText(/worked out on this device/)).toBeInTheDocument();
  });

  it('starts from a procedure: its steps copied with ids of their own', async () => {
    const db = await seed();
    const STEP = '01900000-0000-7000-8000-0000000000b9';
    await db.rows.put(replicaRow(`company:${COMPANY}`, 'procedure', '01900000-0000-7000-8000-0000000000a9', {
      title: 'Air filter change', description: '', created_by: ME, updated_at: '2026-03-01T08:00:00Z',
      steps: [{ id: STEP, title: 'Filter element replaced', kind: 'pass_fail', required: true, min: null, max: null, unit: null, options: [], rule: null }],
    }, 60));
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/vessels/${VESSEL}/maintenance/new?equipment=${ENGINE}`, 'engineer');
    const form = await screen.findByRole('form', { name: 'New maintenance plan' });
    await user.type(within(form).getByLabelText('Title'), 'Change the air filter');
    await user.selectOptions(within(form).getByLabelText('Procedure'), 'Air filter change (1 step)');
    await user.click(within(form).getByRole('button', { name: 'Copy its steps' }));
    expect(await within(form).findByText(/1 step copied from “Air filter change”: they are this plan’s own/)).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Create the plan' }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [write] = await queued(db);
    const steps = (write?.args.steps ?? []) as { id: string; title: string }[];
    expect(steps).toMatchObject([{ title: 'Filter element replaced', kind: 'pass_fail', required: true }]);
    expect(steps[0]?.id).toMatch(UUID_V7);
    expect(steps[0]?.id).not.toBe(STEP);
  });

  it('is not offered to crew', async () => {
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/maintenance/new`, 'crew');
    expect(await screen.findByText(/Your role does not plan maintenance/)).toBeInTheDocument();
  });
});

describe('editing a plan', () => {
  it('starts from the plan and sends `update_maintenance_plan.v1` on its version, its item unchanged', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/maintenance-plans/${INJECTORS}/edit`, 'engineer');
    const form = await screen.findByRole('form', { name: 'Edit maintenance plan' });
    expect(form).toHaveTextContent('Item: Main engine');
    expect(within(form).queryByLabelText('Item')).not.toBeInTheDocument();
    expect(within(form).getByLabelText('Start hours')).toHaveValue('1000');
    const title = within(form).getByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'Overhaul and test the injectors');
    await user.click(within(form).getByRole('button', { name: 'Save the plan' }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [write] = await queued(db);
    expect(write).toMatchObject({ name: 'update_maintenance_plan.v1', base_version: 11 });
    expect(write?.args).toMatchObject({ plan_id: INJECTORS, title: 'Overhaul and test the injectors', start_hours: 1000 });
    expect(Object.keys(write?.args ?? {})).not.toContain('equipment_id');
    expect(await screen.findByRole('heading', { level: 1, name: 'Overhaul and test the injectors' })).toBeInTheDocument();
    expect(screen.getByText(/Edited/)).toBeInTheDocument();
  });

  it('keeps the version the form opened at as the base, though a sync brings a newer one while it is open', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/maintenance-plans/${INJECTORS}/edit`, 'engineer');
    const form = await screen.findByRole('form', { name: 'Edit maintenance plan' });
    // Someone else's edit arrives while the form is open: a description, at version 15.
    const [row] = await db.rows.where('[entity+id]').equals(['maintenance_plan', INJECTORS]).toArray();
    if (!row) throw new Error('no row');
    await db.rows.put({ ...row, version: 15, fields: { ...(row.fields as Record<string, unknown>), description: 'Use the new kit.' } });
    await user.selectOptions(within(form).getByLabelText('Priority'), 'high');
    await user.click(within(form).getByRole('button', { name: 'Save the plan' }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [write] = await queued(db);
    // The base is the opening version: the server takes the form's description, unchanged from
    // that base, as untouched, and keeps the other person's.
    expect(write).toMatchObject({ name: 'update_maintenance_plan.v1', base_version: 11 });
    expect(write?.args).toMatchObject({ plan_id: INJECTORS, priority: 'high', description: '' });
  });
});

describe('the calendar', () => {
  it('shows a plan whose occurrence has its open work order once, as that order', async () => {
    const order = '01900000-0000-7000-8000-0000000000a9';
    const raised = replicaRow(SCOPE, 'work_order', order, {
      vessel_id: VESSEL, equipment_id: ENGINE, origin: { kind: 'plan', plan_id: INJECTORS, occurrence: 0 },
      title: 'Overhaul the injectors', status: 'open', due_on: daysFromToday(60),
    });
    renderSyncPage(await seed([raised]), routes, `/vessels/${VESSEL}/maintenance/calendar?month=${daysFromToday(60).slice(0, 7)}`, 'crew');
    const grid = await screen.findByRole('table');
    const links = await within(grid).findAllByRole('link', { name: 'Overhaul the injectors' });
    expect(links.map((l) => l.getAttribute('href'))).toEqual([`/work-orders/${order}`]);
  });


  it('shows the plans’ and the open work orders’ due days in the month, today marked', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/maintenance/calendar?month=${daysFromToday(60).slice(0, 7)}`, 'crew');
    const grid = await screen.findByRole('table');
    expect(within(grid).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(within(grid).getByRole('link', { name: 'Overhaul the injectors' })).toHaveAttribute('href', `/maintenance-plans/${INJECTORS}`);

    await user.click(screen.getByRole('button', { name: 'This month' }));
    const month = await screen.findByRole('table');
    expect(within(month).getByRole('cell', { current: 'date' })).toHaveTextContent(String(Number(today.slice(8))));
    // The agenda a phone shows: a heading per day with something due.
    const dueNextDay = daysFromToday(1);
    if (dueNextDay.slice(0, 7) === today.slice(0, 7)) {
      const agenda = screen.getByRole('list', { name: /^Due in / });
      expect(within(agenda).getByRole('link', { name: 'Fix the float switch' })).toHaveAttribute('href', '/work-orders/01900000-0000-7000-8000-0000000000a8');
    }
  });
});

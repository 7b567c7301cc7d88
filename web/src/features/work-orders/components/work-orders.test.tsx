/**
 * Work orders over the local replica with the network off: the work list ("My work" by person
 * and department first), a work order's moves by status and role, its checklist answered and
 * judged at once (the latest answer counting, a waiting one too) with exactly the mutation the
 * server takes, completion held back by missing answers and a missing signature, labour, parts
 * used, a new work order with its checklist, and an order edited: offered by role and status,
 * queued as `update_work_order.v1` on the version it was opened at and shown at once.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import type { Role } from '../../../api/types';
import type { SyncDatabase } from '../../../sync/database';
import { SyncEngine } from '../../../sync/engine';
import { ScriptedTransport } from '../../../sync/test-support';
import { userOf } from '../../../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { today } from '../api/work-orders';
import { FaultWorkOrderLink, NewWorkOrderLink } from './new-work-order-link';
import { NewWorkOrderPage } from './new-work-order-page';
import { EditWorkOrderPage } from './edit-work-order-page';
import { WorkOrderPage } from './work-order-page';
import { WorkOrdersPage } from './work-orders-page';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const VESSEL = '01900000-0000-7000-8000-000000000001';
const PUMP = '01900000-0000-7000-8000-000000000002';
const WINCH = '01900000-0000-7000-8000-000000000003';
const ENGINE = '01900000-0000-7000-8000-0000000000e1';
const DECK = '01900000-0000-7000-8000-0000000000e2';
const ME = userOf('engineer').id;
const SAM = '01900000-0000-7000-8000-0000000000b1';
const LEAK = '01900000-0000-7000-8000-0000000000f1';
const STORE = '01900000-0000-7000-8000-000000000011';
const FILTER = '01900000-0000-7000-8000-000000000021';
/** Assigned to me: open, high, overdue. */
const IMPELLER = '01900000-0000-7000-8000-0000000000d1';
/** Assigned to my department (engine): in progress, urgent, with a checklist and a signature. */
const STEERING = '01900000-0000-7000-8000-0000000000d2';
/** Assigned to the deck department: someone else's. */
const PAINT = '01900000-0000-7000-8000-0000000000d3';
/** Done by me. */
const FILTERS_DONE = '01900000-0000-7000-8000-0000000000d4';
/** Done by Sam. */
const BELTS_DONE = '01900000-0000-7000-8000-0000000000d5';
/** In progress, two required steps, no signature. */
const GREASE = '01900000-0000-7000-8000-0000000000d6';
const SCOPE = `vessel:${VESSEL}`;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const OIL = '01900000-0000-7000-8000-000000000a01';
const PRESSURE = '01900000-0000-7000-8000-000000000a02';
const SEAL = '01900000-0000-7000-8000-000000000a03';
const NOTES = '01900000-0000-7000-8000-000000000a04';

const none = { min: null, max: null, unit: null, options: [], rule: null };
const steeringSteps = [
  { id: OIL, title: 'Oil level between the marks', kind: 'pass_fail', required: true, ...none, rule: { kind: 'open_fault', severity: 'high' } },
  { id: PRESSURE, title: 'Lube oil pressure at idle', kind: 'number', required: true, ...none, min: '3.5', max: '5', unit: 'bar', rule: { kind: 'follow_up_work_order', priority: 'high' } },
  { id: SEAL, title: 'Shaft seal', kind: 'choice', required: true, ...none, options: [{ label: 'Dry', fails: false }, { label: 'Leaking', fails: true }] },
  { id: NOTES, title: 'Notes', kind: 'text', required: false, ...none },
];

const order = (id: string, title: string, fields: Record<string, unknown>, version = 12) =>
  replicaRow(SCOPE, 'work_order', id, {
    vessel_id: VESSEL, equipment_id: PUMP, origin: { kind: 'manual' }, title, description: '', priority: 'normal', assignees: [],
    due_on: null, estimated_minutes: null, steps: [], signature_required: false, status: 'open', started_at: null,
    completed_at: null, completed_by: null, signature: null, verified_at: null, verified_by: null, cancelled_at: null,
    cancel_reason: null, created_at: '2026-03-01T08:00:00Z', ...fields,
  }, version);

function seed(): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { name: 'Northwind Spirit' }),
    replicaRow(SCOPE, 'equipment', PUMP, { vessel_id: VESSEL, name: 'Bilge pump', status: 'operational' }),
    replicaRow(SCOPE, 'equipment', WINCH, { vessel_id: VESSEL, name: 'Deck winch', status: 'operational' }),
    // A membership row's id is its person's user id, as the server writes it (accounts/users.rs).
    replicaRow(`company:${COMPANY}`, 'membership', SAM, { user_id: SAM, name: 'Sam Stores' }),
    replicaRow(SCOPE, 'department', ENGINE, { vessel_id: VESSEL, name: 'engine' }),
    replicaRow(SCOPE, 'department', DECK, { vessel_id: VESSEL, name: 'deck' }),
    replicaRow(SCOPE, 'vessel_member', ME, { vessel_id: VESSEL, user_id: ME, department_id: ENGINE, rotation_start: '2026-01-01', rotation_end: null }),
    replicaRow(SCOPE, 'vessel_member', SAM, { vessel_id: VESSEL, user_id: SAM, department_id: DECK, rotation_start: '2026-01-01', rotation_end: null }),
    replicaRow(SCOPE, 'fault', LEAK, { vessel_id: VESSEL, equipment_id: PUMP, severity: 'critical', status: 'open', title: 'Oil leak at the seal' }),
    order(IMPELLER, 'Change the impeller', { priority: 'high', due_on: '2026-01-10', assignees: [{ kind: 'person', user_id: ME }] }),
    order(STEERING, 'Check the steering gear', {
      priority: 'urgent', status: 'in_progress', started_at: '2026-03-02T08:00:00Z', assignees: [{ kind: 'department', department_id: ENGINE }],
      steps: steeringSteps, signature_required: true, origin: { kind: 'fault', fault_id: LEAK },
    }, 20),
    order(PAINT, 'Paint the deck winch', { equipment_id: WINCH, priority: 'low', assignees: [{ kind: 'department', department_id: DECK }] }),
    order(FILTERS_DONE, 'Change the fuel filters', { status: 'done', completed_by: ME, completed_at: '2026-03-03T08:00:00Z', assignees: [{ kind: 'person', user_id: ME }] }),
    order(BELTS_DONE, 'Tension the belts', { status: 'done', completed_by: SAM, completed_at: '2026-03-03T09:00:00Z' }, 30),
    order(GREASE, 'Grease the bearings', {
      status: 'in_progress',
      steps: [
        { id: OIL, title: 'Bearings greased', kind: 'pass_fail', required: true, ...none },
        { id: PRESSURE, title: 'Bearing temperature', kind: 'number', required: true, ...none, max: '80', unit: '°C' },
      ],
    }, 40),
    replicaRow(SCOPE, 'stock_location', STORE, { vessel_id: VESSEL, name: 'Engine room store', parent_id: null }),
    replicaRow(`company:${COMPANY}`, 'part', FILTER, { number: 'HF-6553', name: 'Oil filter', maker: 'Fleetguard', unit: 'pcs', critical: false, equivalents: [] }),
    replicaRow(SCOPE, 'stock_balance', '01900000-0000-7000-8000-000000000031', { vessel_id: VESSEL, location_id: STORE, part_id: FILTER, on_hand: '3' }),
  ]);
}

const routes = [
  { path: '/work-orders', element: <WorkOrdersPage /> },
  { path: '/work-orders/new', element: <NewWorkOrderPage /> },
  { path: '/work-orders/:id', element: <WorkOrderPage /> },
  { path: '/work-orders/:id/edit', element: <EditWorkOrderPage /> },
  { path: '/equipment/:id', element: <NewWorkOrderLink /> },
  { path: '/faults/:id', element: <FaultWorkOrderLink /> },
];

const queued = (db: SyncDatabase) => db.outbox.toArray();
const enqueue = (db: SyncDatabase, name: string, args: Record<string, unknown>, queuedAt: number) =>
  new SyncEngine(db, new ScriptedTransport(), () => queuedAt).enqueue(name, args as never, null);
const stepItem = async (name: RegExp) => within(await screen.findByRole('list', { name: 'Checklist' })).getByRole('listitem', { name });
const titles = (list: HTMLElement) => within(list).getAllByRole('heading', { level: 3 }).map((h) => h.textContent);

/**
 * jsdom draws nothing: a 2D context that takes the strokes, and PNGs of a few bytes (jsdom's
 * Blob has no `arrayBuffer`, so the bytes are given as a browser's Blob gives them).
 */
function stubCanvas() {
  const context = { fillRect: vi.fn(), beginPath: vi.fn(), moveTo: vi.fn(), lineTo: vi.fn(), stroke: vi.fn(), drawImage: vi.fn() };
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as never);
  vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation(function (this: HTMLCanvasElement, done: BlobCallback) {
    // Bytes of the test's own realm, which WebCrypto takes (jsdom's typed arrays it does not).
    const bytes = new TextEncoder().encode(`PNG ${this.width}`);
    done(Object.assign(new Blob([bytes], { type: 'image/png' }), { arrayBuffer: () => Promise.resolve(bytes.buffer) }));
  });
}

function sign(canvas: HTMLElement) {
  fireEvent.pointerDown(canvas, { clientX: 10, clientY: 10, pointerId: 1 });
  fireEvent.pointerMove(canvas, { clientX: 60, clientY: 30, pointerId: 1 });
  fireEvent.pointerUp(canvas, { pointerId: 1 });
}

describe('the work list', () => {
  it('puts my work first — assigned to me or my department — then the rest, most pressing first', async () => {
    renderSyncPage(await seed(), routes, '/work-orders', 'engineer');
    const mine = await screen.findByRole('list', { name: 'My work' });
    expect(titles(mine)).toEqual(['Check the steering gear', 'Change the impeller']);
    expect(titles(screen.getByRole('list', { name: 'Other work on board' }))).toEqual(['Grease the bearings', 'Paint the deck winch']);

    const impeller = within(mine).getByRole('listitem', { name: 'Change the impeller' });
    expect(within(impeller).getByText('Bilge pump')).toBeInTheDocument();
    expect(within(impeller).getByText('High')).toBeInTheDocument();
    expect(within(impeller).getByText('Open')).toBeInTheDocument();
    expect(within(impeller).getByText('Overdue')).toBeInTheDocument();
    expect(within(mine).getByRole('link', { name: 'Check the steering gear' })).toHaveAttribute('href', `/work-orders/${STEERING}`);
    // The company's procedures are a link away, for every role that reads work.
    expect(screen.getByRole('link', { name: 'Procedures' })).toHaveAttribute('href', '/procedures');
  });

  it('filters by status and priority, and marks an order with writes still on this device', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/work-orders', 'engineer');
    await screen.findByRole('list', { name: 'My work' });
    await enqueue(db, 'start_work_order.v1', { work_order_id: IMPELLER }, Date.now());
    const impeller = within(screen.getByRole('list', { name: 'My work' })).getByRole('listitem', { name: 'Change the impeller' });
    expect(await within(impeller).findByText('on this device')).toBeInTheDocument();
    expect(within(impeller).getByText('In progress')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Status'), 'done');
    expect(titles(screen.getByRole('list', { name: 'My work' }))).toEqual(['Change the fuel filters']);
    expect(titles(screen.getByRole('list', { name: 'Other work on board' }))).toEqual(['Tension the belts']);
    await user.selectOptions(screen.getByLabelText('Status'), 'all');
    await user.selectOptions(screen.getByLabelText('Priority'), 'urgent');
    expect(titles(screen.getByRole('list', { name: 'My work' }))).toEqual(['Check the steering gear']);
    expect(screen.getByText('No other work matches these filters.')).toBeInTheDocument();
  });

  it('says what to do when there is no work at all', async () => {
    renderSyncPage(await syncedDatabase([]), routes, '/work-orders', 'engineer');
    expect(await screen.findByText(/No work orders on this device yet\. Open an item/)).toBeInTheDocument();
  });

  it('offers a crew member no New work order', async () => {
    renderSyncPage(await seed(), routes, '/work-orders', 'crew');
    await screen.findByRole('list', { name: 'My work' });
    expect(screen.queryByRole('link', { name: 'New work order' })).not.toBeInTheDocument();
  });
});

describe('a work order', () => {
  it('shows what it is, where it came from, and starts: `start_work_order.v1` on its version', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}`, 'crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'Change the impeller' })).toBeInTheDocument();
    expect(screen.getByText('Overdue')).toBeInTheDocument();
    expect(screen.getByText('Erin Engineer (you)')).toBeInTheDocument();
    expect(screen.getByText('Created by hand')).toBeInTheDocument();
    expect(await screen.findByText('This work order has no checklist: its description says what to do.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([{ name: 'start_work_order.v1', base_version: 12, args: { work_order_id: IMPELLER } }]);
    });
    expect(Object.keys((await queued(db))[0]?.args ?? {})).toEqual(['work_order_id']);
    expect(await screen.findByText('Open → In progress (on this device)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Hold' })).toBeInTheDocument();
  });

  it('links the fault it was raised from', async () => {
    renderSyncPage(await seed(), routes, `/work-orders/${STEERING}`, 'engineer');
    expect(await screen.findByRole('link', { name: 'Oil leak at the seal' })).toHaveAttribute('href', `/faults/${LEAK}`);
    expect(await screen.findByText('Engine department')).toBeInTheDocument();
  });

  it('judges a number outside its limits at once, failed, and queues exactly `record_step_result.v1` with a follow-up id', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'engineer');
    const pressure = await stepItem(/Lube oil pressure/);
    expect(within(pressure).getByText(/Limits: 3\.5 to 5 bar/, { selector: '.wo-step__meta' })).toBeInTheDocument();
    expect(within(pressure).getByText('Not answered yet.')).toBeInTheDocument();
    expect(within(pressure).getByText('If it fails, a high follow-up work order is opened.')).toBeInTheDocument();
    await user.click(within(pressure).getByRole('button', { name: 'Save' }));
    expect(await within(pressure).findByText('Enter the value you measured.')).toBeInTheDocument();
    await user.type(within(pressure).getByLabelText('Value (bar)'), '3.2');
    await user.click(within(pressure).getByRole('button', { name: 'Save' }));

    expect(await within(pressure).findByText('Below limit')).toHaveClass('wo-badge--failed');
    expect(within(pressure).getByText('3.2 bar')).toBeInTheDocument();
    expect(within(pressure).getByText('This answer fails the step: a high follow-up work order is opened once the server has it.')).toBeInTheDocument();
    expect(within(pressure).getByText('on this device')).toBeInTheDocument();
    const [entry, ...rest] = await queued(db);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      name: 'record_step_result.v1',
      base_version: null,
      args: { work_order_id: STEERING, step_id: PRESSURE, answer: { kind: 'number', value: '3.2' } },
    });
    expect(Object.keys(entry?.args ?? {}).sort()).toEqual(['answer', 'follow_up_id', 'id', 'step_id', 'work_order_id']);
    expect(entry?.args.id).toMatch(UUID_V7);
    expect(entry?.args.follow_up_id).toMatch(UUID_V7);
    expect(entry?.args.follow_up_id).not.toBe(entry?.args.id);

    // Above the upper limit, then within.
    await user.type(within(pressure).getByLabelText('Value (bar)'), '5.01');
    await user.click(within(pressure).getByRole('button', { name: 'Save' }));
    expect(await within(pressure).findByText('Above limit')).toHaveClass('wo-badge--failed');
    await user.type(within(pressure).getByLabelText('Value (bar)'), '4.2');
    await user.click(within(pressure).getByRole('button', { name: 'Save' }));
    expect(await within(pressure).findByText('Passed')).not.toHaveClass('wo-badge--failed');
    const follow = (await queued(db)).map((e) => e.args.follow_up_id);
    expect(new Set(follow).size).toBe(3);
  });

  it('fails a failed check and a failing choice at once', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'engineer');
    const oil = await stepItem(/Oil level/);
    await user.click(within(oil).getByRole('button', { name: 'Fail' }));
    expect(await within(oil).findByText('Failed')).toHaveClass('wo-badge--failed');
    expect(within(oil).getByRole('button', { name: 'Fail' })).toHaveAttribute('aria-pressed', 'true');
    const seal = await stepItem(/Shaft seal/);
    await user.click(within(seal).getByRole('button', { name: 'Leaking' }));
    expect(await within(seal).findByText('Failed')).toBeInTheDocument();
    // Answering again replaces the shown answer.
    await user.click(within(seal).getByRole('button', { name: 'Dry' }));
    expect(await within(seal).findByText('Passed')).toBeInTheDocument();
    expect(within(seal).queryByText('Failed')).not.toBeInTheDocument();
    expect((await queued(db)).map((e) => e.args.answer)).toEqual([
      { kind: 'pass_fail', passed: false },
      { kind: 'choice', label: 'Leaking' },
      { kind: 'choice', label: 'Dry' },
    ]);
  });

  it('shows the latest answer: a newer one from the replica, then the person’s own waiting one', async () => {
    const db = await seed();
    const result = (id: string, value: string, at: string, outcome: string) =>
      replicaRow(SCOPE, 'step_result', id, {
        work_order_id: STEERING, vessel_id: VESSEL, step_id: PRESSURE, answer: { kind: 'number', value }, outcome, recorded_by: SAM, recorded_at: at,
      });
    await db.rows.bulkPut([
      result('01900000-0000-7000-8000-000000000b02', '4.4', '2026-03-02T10:00:00Z', 'passed'),
      result('01900000-0000-7000-8000-000000000b01', '6', '2026-03-02T09:00:00Z', 'above_limit'),
    ]);
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'engineer');
    const pressure = await stepItem(/Lube oil pressure/);
    expect(await within(pressure).findByText('4.4 bar')).toBeInTheDocument();
    expect(within(pressure).getByText('Passed')).toBeInTheDocument();
    expect(within(pressure).getByText(/Sam Stores/)).toBeInTheDocument();
    await enqueue(db, 'record_step_result.v1', {
      id: '01900000-0000-7000-8000-000000000b03', work_order_id: STEERING, step_id: PRESSURE, answer: { kind: 'number', value: '2.5' }, follow_up_id: '01900000-0000-7000-8000-000000000b04',
    }, Date.parse('2026-03-02T11:00:00Z'));
    expect(await within(pressure).findByText('2.5 bar')).toBeInTheDocument();
    expect(within(pressure).getByText('Below limit')).toBeInTheDocument();
    expect(within(pressure).getByText('on this device')).toBeInTheDocument();
    expect(within(pressure).queryByText('4.4 bar')).not.toBeInTheDocument();
  });

  it('keeps Complete disabled, listing the required steps without an answer, until they are answered', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${GREASE}`, 'crew');
    const complete = await screen.findByRole('button', { name: 'Complete work order' });
    expect(complete).toBeDisabled();
    const missing = screen.getByRole('list', { name: 'Required steps without an answer' });
    expect(within(missing).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1. Bearings greased', '2. Bearing temperature']);

    await user.click(within(await stepItem(/Bearings greased/)).getByRole('button', { name: 'Pass' }));
    await waitFor(() => {
      expect(within(screen.getByRole('list', { name: 'Required steps without an answer' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
        '2. Bearing temperature',
      ]);
    });
    expect(screen.getByRole('button', { name: 'Complete work order' })).toBeDisabled();
    const temperature = await stepItem(/Bearing temperature/);
    await user.type(within(temperature).getByLabelText('Value (°C)'), '65');
    await user.click(within(temperature).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Every required step is answered.')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Required steps without an answer' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Complete work order' }));
    await waitFor(async () => {
      expect((await queued(db)).at(-1)).toMatchObject({ name: 'complete_work_order.v1', base_version: 40, args: { work_order_id: GREASE } });
    });
    expect(Object.keys((await queued(db)).at(-1)?.args ?? {})).toEqual(['work_order_id']);
    expect(await screen.findByText('In progress → Done (on this device)')).toBeInTheDocument();
  });

  it('does not complete an order that must be signed without a signature; signed, it sends the name and the image’s attachment id', async () => {
    stubCanvas();
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'engineer');
    await user.click(within(await stepItem(/Oil level/)).getByRole('button', { name: 'Pass' }));
    await user.type(within(await stepItem(/Lube oil pressure/)).getByLabelText('Value (bar)'), '4');
    await user.click(within(await stepItem(/Lube oil pressure/)).getByRole('button', { name: 'Save' }));
    await user.click(within(await stepItem(/Shaft seal/)).getByRole('button', { name: 'Dry' }));
    expect(await screen.findByText('Every required step is answered.')).toBeInTheDocument();

    const section = screen.getByRole('group', { name: 'Signature for completion' });
    expect(within(section).getByText('This work order must be signed to be completed.')).toBeInTheDocument();
    expect(screen.getByText('Sign above to complete.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Complete work order' })).toBeDisabled();
    expect(within(section).getByLabelText('Name of the signer')).toHaveValue('Erin Engineer');

    sign(within(section).getByRole('img', { name: 'Signature' }));
    const complete = screen.getByRole('button', { name: 'Complete work order' });
    expect(complete).toBeEnabled();
    // A name is part of the signature.
    await user.clear(within(section).getByLabelText('Name of the signer'));
    expect(complete).toBeDisabled();
    await user.type(within(section).getByLabelText('Name of the signer'), 'E. Engineer');
    await user.click(complete);

    await waitFor(async () => {
      expect((await queued(db)).at(-1)?.name).toBe('complete_work_order.v1');
    });
    const completion = (await queued(db)).at(-1);
    expect(completion).toMatchObject({ base_version: 20, args: { work_order_id: STEERING, signature: { name: 'E. Engineer' } } });
    const imageId = (completion?.args.signature as { image_id: string }).image_id;
    expect(imageId).toMatch(UUID_V7);
    // Kept as a photo of the order's item, uploaded like any photo.
    expect(await db.photos.get(imageId)).toMatchObject({ parentKind: 'equipment', parentId: PUMP, vesselId: VESSEL, contentType: 'image/png', state: 'queued' });
    expect(await db.photoFiles.get(imageId)).toBeDefined();
  });

  it.each<[Role, string[], string[]]>([
    ['engineer', ['Hold', 'Cancel work order'], []],
    ['crew', ['Hold'], ['Cancel work order']],
    ['viewer', [], ['Hold', 'Cancel work order', 'Pass', 'Fail', 'Save', 'Log time', 'Use a part', 'Complete work order']],
  ])('offers %s the moves its role takes on an order in progress', async (role, shown, hidden) => {
    renderSyncPage(await seed(), routes, `/work-orders/${STEERING}`, role);
    expect(await screen.findByRole('heading', { level: 1, name: 'Check the steering gear' })).toBeInTheDocument();
    await screen.findByRole('list', { name: 'Checklist' });
    for (const name of shown) expect(screen.getByRole('button', { name }), name).toBeInTheDocument();
    for (const name of hidden) expect(screen.queryByRole('button', { name }), name).not.toBeInTheDocument();
  });

  it('tells a viewer they do not answer the checklist', async () => {
    renderSyncPage(await seed(), routes, `/work-orders/${STEERING}`, 'viewer');
    expect(await screen.findByText('Your role reads work orders but does not record work on them.')).toBeInTheDocument();
    expect(within(await stepItem(/Lube oil pressure/)).queryByLabelText('Value (bar)')).not.toBeInTheDocument();
  });

  it('offers Verify to an engineer on work someone else completed: `verify_work_order.v1` on its version', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${BELTS_DONE}`, 'engineer');
    await user.click(await screen.findByRole('button', { name: 'Verify' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([{ name: 'verify_work_order.v1', base_version: 30, args: { work_order_id: BELTS_DONE } }]);
    });
  });

  it('hides Verify from the person who completed the work', async () => {
    renderSyncPage(await seed(), routes, `/work-orders/${FILTERS_DONE}`, 'engineer');
    expect(await screen.findByText('You completed this work: someone else verifies it.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Verify' })).not.toBeInTheDocument();
  });

  it('hides Verify and Cancel from crew', async () => {
    renderSyncPage(await seed(), routes, `/work-orders/${BELTS_DONE}`, 'crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'Tension the belts' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Verify' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel work order' })).not.toBeInTheDocument();
  });

  it('cancels with a reason', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}`, 'manager');
    await user.click(await screen.findByRole('button', { name: 'Cancel work order' }));
    await user.click(screen.getByRole('button', { name: 'Confirm cancellation' }));
    expect(await screen.findByText('Say why the work is cancelled.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Why is it cancelled?'), 'Pump replaced under warranty');
    await user.click(screen.getByRole('button', { name: 'Confirm cancellation' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([
        { name: 'cancel_work_order.v1', base_version: 12, args: { work_order_id: IMPELLER, reason: 'Pump replaced under warranty' } },
      ]);
    });
    expect(await screen.findByText('Open → Cancelled (on this device)')).toBeInTheDocument();
  });

  it('logs time as hours and minutes, sent as whole minutes', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'crew');
    expect(await screen.findByText(/No time logged yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Log time' }));
    const form = screen.getByRole('form', { name: 'Log time' });
    expect(within(form).getByLabelText('Day worked')).toHaveValue(today());
    await user.click(within(form).getByRole('button', { name: 'Save time' }));
    expect(await within(form).findByText('Enter the time worked: at least one minute.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Hours'), '25');
    await user.click(within(form).getByRole('button', { name: 'Save time' }));
    expect(await within(form).findByText('Enter whole hours, 0 to 24.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Hours'));
    await user.type(within(form).getByLabelText('Hours'), '1');
    await user.type(within(form).getByLabelText('Minutes'), '30');
    await user.click(within(form).getByRole('button', { name: 'Save time' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('1 h 30 min logged.');
    const [entry] = await queued(db);
    expect(entry).toMatchObject({ name: 'log_labour.v1', base_version: null, args: { work_order_id: STEERING, worked_on: today(), minutes: 90 } });
    expect(Object.keys(entry?.args ?? {}).sort()).toEqual(['id', 'minutes', 'work_order_id', 'worked_on']);
    expect(entry?.args.id).toMatch(UUID_V7);
    expect(await screen.findByText('Total: 1 h 30 min')).toBeInTheDocument();
  });

  it('lets a manager give an hourly rate, sent with the entry as minor units and currency, and shows its cost', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'manager');
    await user.click(await screen.findByRole('button', { name: 'Log time' }));
    const form = screen.getByRole('form', { name: 'Log time' });
    expect(within(form).getByLabelText('Currency')).toHaveValue('EUR');
    await user.type(within(form).getByLabelText('Hours'), '1');
    await user.type(within(form).getByLabelText('Minutes'), '30');
    await user.type(within(form).getByLabelText('Rate per hour (optional)'), '85.505');
    await user.click(within(form).getByRole('button', { name: 'Save time' }));
    expect(await within(form).findByText('Enter the rate as a number with at most 2 decimals, such as 85.00.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Currency'));
    await user.type(within(form).getByLabelText('Currency'), 'eu');
    await user.clear(within(form).getByLabelText('Rate per hour (optional)'));
    await user.type(within(form).getByLabelText('Rate per hour (optional)'), '85');
    await user.click(within(form).getByRole('button', { name: 'Save time' }));
    expect(await within(form).findByText('Three letters, such as EUR.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Currency'), 'r');
    await user.click(within(form).getByRole('button', { name: 'Save time' }));
    expect(await within(form).findByRole('status')).toHaveTextContent(/1 h 30 min logged at €85\.00 an hour\./);
    const [entry] = await queued(db);
    expect(entry).toMatchObject({
      name: 'log_labour.v1',
      base_version: null,
      args: { work_order_id: STEERING, worked_on: today(), minutes: 90, rate_minor: 8_500, currency: 'EUR' },
    });
    const list = await screen.findByRole('list', { name: 'Labour' });
    await waitFor(() => {
      expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent(/1 h 30 min · .* · €85\.00 an hour · cost €127\.50/);
    });
    expect(screen.getByText('Labour cost: €127.50')).toBeInTheDocument();
  }, 15_000);

  it('sends no rate when a manager leaves it empty', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'manager');
    await user.click(await screen.findByRole('button', { name: 'Log time' }));
    const form = screen.getByRole('form', { name: 'Log time' });
    await user.type(within(form).getByLabelText('Minutes'), '45');
    await user.click(within(form).getByRole('button', { name: 'Save time' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('45 min logged.');
    const [entry] = await queued(db);
    expect(Object.keys(entry?.args ?? {}).sort()).toEqual(['id', 'minutes', 'work_order_id', 'worked_on']);
    expect(await screen.findByText('Total: 45 min')).toBeInTheDocument();
    expect(screen.queryByText(/Labour cost/)).not.toBeInTheDocument();
  });

  it('shows the rates and labour cost the replica holds, in their currency, and defaults a new rate to it', async () => {
    const db = await seed();
    await db.rows.bulkPut([
      replicaRow(SCOPE, 'labour_entry', '01900000-0000-7000-8000-000000000e51', {
        work_order_id: STEERING, vessel_id: VESSEL, person_id: SAM, worked_on: '2026-03-04', minutes: 60, recorded_by: SAM,
        rate_minor: 95_000, currency: 'NOK', cost_minor: 95_000,
      }),
      replicaRow(SCOPE, 'labour_entry', '01900000-0000-7000-8000-000000000e52', {
        work_order_id: STEERING, vessel_id: VESSEL, person_id: SAM, worked_on: '2026-03-03', minutes: 30, recorded_by: SAM,
        rate_minor: null, currency: null,
      }),
    ]);
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'admin');
    expect(await screen.findByText(/Labour cost: NOK\s950\.00 \(the 1 entry with a rate\)/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Log time' }));
    expect(within(screen.getByRole('form', { name: 'Log time' })).getByLabelText('Currency')).toHaveValue('NOK');
  });

  it.each<Role>(['engineer', 'crew'])('shows %s no rate field and no cost', async (role) => {
    const db = await seed();
    // The server leaves the rate and cost out of their copies; the currency stays.
    await db.rows.put(
      replicaRow(SCOPE, 'labour_entry', '01900000-0000-7000-8000-000000000e51', {
        work_order_id: STEERING, vessel_id: VESSEL, person_id: SAM, worked_on: '2026-03-04', minutes: 60, recorded_by: SAM, currency: 'EUR',
      }),
    );
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, role);
    expect(await screen.findByText('Total: 1 h')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Log time' }));
    const form = screen.getByRole('form', { name: 'Log time' });
    expect(within(form).queryByLabelText(/Rate per hour/)).not.toBeInTheDocument();
    expect(within(form).queryByLabelText('Currency')).not.toBeInTheDocument();
    expect(screen.queryByText(/an hour|Labour cost|Rates and costs|€/)).not.toBeInTheDocument();
  });

  it('uses a part: the stock on hand shown, `issue_part.v1` queued and listed at once', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'engineer');
    expect(await screen.findByText(/No parts used yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Use a part' }));
    const form = await screen.findByRole('form', { name: 'Use a part' });
    await user.click(within(form).getByRole('button', { name: 'Use part' }));
    expect(await within(form).findByText('Choose the part.')).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Part'), 'HF-6553 Oil filter — 3 pcs on board');
    await user.selectOptions(within(form).getByLabelText('Taken from'), 'Engine room store — 3 pcs');
    await user.type(within(form).getByLabelText('Quantity used (pcs)'), '4');
    expect(within(form).getByText(/This device counts 3 pcs here\. That is more than this device counts here/)).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Quantity used (pcs)'));
    await user.type(within(form).getByLabelText('Quantity used (pcs)'), '2.50');
    await user.click(within(form).getByRole('button', { name: 'Use part' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('2.5 pcs HF-6553 Oil filter recorded as used.');
    const [entry] = await queued(db);
    expect(entry).toMatchObject({
      name: 'issue_part.v1',
      base_version: null,
      args: { work_order_id: STEERING, location_id: STORE, part_id: FILTER, quantity: '2.5' },
    });
    expect(Object.keys(entry?.args ?? {}).sort()).toEqual(['id', 'location_id', 'part_id', 'quantity', 'work_order_id']);
    const used = await screen.findByRole('list', { name: 'Parts used' });
    expect(within(used).getByRole('listitem')).toHaveTextContent('2.5 pcs HF-6553 Oil filter · from Engine room store');
    expect(within(used).getByText('on this device')).toBeInTheDocument();
    // The device's count takes it away at once.
    expect(await within(form).findByRole('option', { name: 'HF-6553 Oil filter — 0.5 pcs on board' })).toBeInTheDocument();
  });
});

describe('a new work order', () => {
  it('is offered under an item and a fault to the roles that create work orders', async () => {
    renderSyncPage(await seed(), routes, `/equipment/${PUMP}`, 'engineer');
    expect(await screen.findByRole('link', { name: 'New work order' })).toHaveAttribute('href', `/work-orders/new?equipment=${PUMP}`);
  });

  it('is offered under a fault', async () => {
    renderSyncPage(await seed(), routes, `/faults/${LEAK}`, 'engineer');
    expect(await screen.findByRole('link', { name: 'New work order from this fault' })).toHaveAttribute('href', `/work-orders/new?fault=${LEAK}`);
  });

  it('is not offered to crew, who are told they do not create work orders', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/equipment/${PUMP}`, 'crew');
    await waitFor(() => {
      expect(screen.queryByRole('link', { name: 'New work order' })).not.toBeInTheDocument();
    });
    renderSyncPage(db, routes, '/work-orders/new', 'crew');
    expect(await screen.findByText(/Your role does not create work orders/)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'New work order' })).not.toBeInTheDocument();
  });

  it('checks the form and its steps, queues `create_work_order.v1` and opens the new order', async () => {
    const db = await seed();
    const user = userEvent.setup();
    const { router } = renderSyncPage(db, routes, `/work-orders/new?equipment=${PUMP}`, 'engineer');
    const form = await screen.findByRole('form', { name: 'New work order' });
    expect(within(form).getByText('Bilge pump')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Create work order' }));
    expect(await within(form).findByText('Say in a few words what is to be done.')).toBeInTheDocument();

    await user.type(within(form).getByLabelText('Title'), 'Overhaul the bilge pump');
    await user.selectOptions(within(form).getByLabelText('Priority'), 'high');
    await user.type(within(form).getByLabelText('Due (optional)'), '2026-12-24');
    await user.type(within(form).getByLabelText('Estimate in hours (optional)'), '1.5');
    await user.click(within(form).getByRole('checkbox', { name: 'Engine department' }));
    await user.click(within(form).getByRole('checkbox', { name: 'Sam Stores' }));
    await user.click(within(form).getByRole('checkbox', { name: 'Completion needs a signature' }));

    // Two steps: a measured number with limits and a rule, and a text moved above it.
    await user.click(within(form).getByRole('button', { name: 'Add a step' }));
    const first = within(form).getByRole('group', { name: 'Step 1' });
    await user.type(within(first).getByLabelText('What to do or check'), 'Discharge pressure');
    await user.selectOptions(within(first).getByLabelText('Answer'), 'number');
    await user.type(within(first).getByLabelText('Lower limit (optional)'), '2.50');
    await user.type(within(first).getByLabelText('Upper limit (optional)'), '1');
    await user.selectOptions(within(first).getByLabelText('If it fails'), 'open_fault');
    await user.selectOptions(within(first).getByLabelText('Severity of the fault'), 'high');
    await user.click(within(form).getByRole('button', { name: 'Add a step' }));
    const second = within(form).getByRole('group', { name: 'Step 2' });
    await user.type(within(second).getByLabelText('What to do or check'), 'Remarks');
    await user.selectOptions(within(second).getByLabelText('Answer'), 'text');
    await user.click(within(second).getByRole('checkbox', { name: /Required/ }));
    await user.click(within(form).getByRole('button', { name: 'Create work order' }));
    expect(await within(first).findByText('Give the unit, e.g. bar, °C or mm (up to 20 characters).')).toBeInTheDocument();
    expect(within(first).getByText('The upper limit is below the lower one.')).toBeInTheDocument();
    expect(await queued(db)).toEqual([]);

    await user.clear(within(first).getByLabelText('Upper limit (optional)'));
    await user.type(within(first).getByLabelText('Upper limit (optional)'), '4');
    await user.type(within(first).getByLabelText('Unit'), 'bar');
    await user.click(within(second).getByRole('button', { name: 'Move up step 2' }));
    await user.click(within(form).getByRole('button', { name: 'Create work order' }));

    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [created] = await queued(db);
    expect(created).toMatchObject({ name: 'create_work_order.v1', base_version: null });
    const args = created?.args ?? {};
    expect(Object.keys(args).sort()).toEqual([
      'assignees', 'description', 'due_on', 'equipment_id', 'estimated_minutes', 'id', 'priority', 'signature_required', 'steps', 'title',
    ]);
    expect(args).toMatchObject({
      equipment_id: PUMP,
      title: 'Overhaul the bilge pump',
      description: '',
      priority: 'high',
      due_on: '2026-12-24',
      estimated_minutes: 90,
      signature_required: true,
      assignees: [
        { kind: 'department', department_id: ENGINE },
        { kind: 'person', user_id: SAM },
      ],
      steps: [
        { title: 'Remarks', kind: 'text', required: false, min: null, max: null, unit: null, options: [], rule: null },
        { title: 'Discharge pressure', kind: 'number', required: true, min: '2.5', max: '4', unit: 'bar', options: [], rule: { kind: 'open_fault', severity: 'high' } },
      ],
    });
    expect(args.id).toMatch(UUID_V7);
    const steps = args.steps as { id: string }[];
    expect(steps.map((s) => s.id)).toEqual([expect.stringMatching(UUID_V7), expect.stringMatching(UUID_V7)]);
    expect(steps[0]?.id).not.toBe(steps[1]?.id);

    expect(await screen.findByRole('heading', { level: 1, name: 'Overhaul the bilge pump' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/work-orders/${args.id as string}`);
    expect(screen.getByText('Created:', { exact: false })).toBeInTheDocument();
  });

  it('raised from a fault, names it and starts from its title, item and severity', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/new?fault=${LEAK}`, 'engineer');
    const form = await screen.findByRole('form', { name: 'New work order' });
    expect(within(form).getByLabelText('Title')).toHaveValue('Oil leak at the seal');
    expect(within(form).getByLabelText('Priority')).toHaveValue('urgent');
    expect(within(form).queryByRole('button', { name: 'Choose another item' })).not.toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Create work order' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([
        { name: 'create_work_order.v1', args: { equipment_id: PUMP, fault_id: LEAK, title: 'Oil leak at the seal', priority: 'urgent', steps: [], assignees: [] } },
      ]);
    });
    expect(await screen.findByRole('link', { name: 'Oil leak at the seal' })).toHaveAttribute('href', `/faults/${LEAK}`);
  });

  it('finds the item by name when none is given', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/work-orders/new', 'engineer');
    const form = await screen.findByRole('form', { name: 'New work order' });
    await user.type(within(form).getByLabelText('Title'), 'Service');
    await user.click(within(form).getByRole('button', { name: 'Create work order' }));
    expect(await within(form).findByText('Choose the item to work on.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Item'), 'winch');
    await user.click(within(form).getByRole('button', { name: 'Deck winch · Northwind Spirit' }));
    expect(within(form).getByText('Deck winch')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Create work order' }));
    await waitFor(async () => {
      expect(await queued(db)).toMatchObject([{ name: 'create_work_order.v1', args: { equipment_id: WINCH, title: 'Service' } }]);
    });
  });
});

describe('a new work order from a procedure', () => {
  const PROCEDURE = '01900000-0000-7000-8000-0000000000a9';
  const procedure = replicaRow(`company:${COMPANY}`, 'procedure', PROCEDURE, {
    title: 'Steering gear check', description: '', steps: steeringSteps, created_by: SAM, updated_at: '2026-03-01T08:00:00Z',
  }, 50);

  it('copies the procedure’s steps into the checklist with ids of their own, after the steps already written', async () => {
    const db = await seed();
    await db.rows.put(procedure);
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/new?equipment=${PUMP}`, 'engineer');
    const form = await screen.findByRole('form', { name: 'New work order' });
    await user.type(within(form).getByLabelText('Title'), 'Check the steering gear');
    await user.click(within(form).getByRole('button', { name: 'Add a step' }));
    await user.type(within(within(form).getByRole('group', { name: 'Step 1' })).getByLabelText('What to do or check'), 'Isolate the pump');

    await user.click(within(form).getByRole('button', { name: 'Copy its steps' }));
    expect(await within(form).findByText('Choose a procedure first.')).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Procedure'), 'Steering gear check (4 steps)');
    await user.click(within(form).getByRole('button', { name: 'Copy its steps' }));
    expect(await within(form).findByText(/4 steps copied from “Steering gear check”/)).toBeInTheDocument();
    expect(within(within(form).getByRole('group', { name: 'Step 3' })).getByLabelText('What to do or check')).toHaveValue('Lube oil pressure at idle');
    await user.click(within(form).getByRole('button', { name: 'Create work order' }));

    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [created] = await queued(db);
    const steps = (created?.args.steps ?? []) as { id: string; title: string }[];
    expect(steps.map((s) => s.title)).toEqual(['Isolate the pump', ...steeringSteps.map((s) => s.title)]);
    // The same content as the procedure's, each step with an id of its own.
    expect(steps.slice(1).map((s) => ({ ...s, id: '' }))).toEqual(steeringSteps.map((s) => ({ ...s, id: '' })));
    for (const step of steps) expect(step.id).toMatch(UUID_V7);
    expect(steps.some((step) => steeringSteps.some((p) => p.id === step.id))).toBe(false);
    expect(new Set(steps.map((step) => step.id)).size).toBe(5);
  });

  it('says so when the device holds no procedure', async () => {
    renderSyncPage(await seed(), routes, `/work-orders/new?equipment=${PUMP}`, 'engineer');
    const form = await screen.findByRole('form', { name: 'New work order' });
    expect(await within(form).findByText(/No procedures on this device yet/)).toBeInTheDocument();
  });
});

describe('editing a work order', () => {
  const header = async (title: string) => (await screen.findByRole('heading', { level: 1, name: title })).closest('.wo-header') as HTMLElement;

  it('is offered to roles that manage work orders while the order is open, in progress or on hold', async () => {
    const db = await seed();
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}`, 'engineer');
    expect(await screen.findByRole('link', { name: 'Edit' })).toHaveAttribute('href', `/work-orders/${IMPELLER}/edit`);
    cleanup();
    renderSyncPage(db, routes, `/work-orders/${STEERING}`, 'engineer');
    expect(await screen.findByRole('link', { name: 'Edit' })).toBeInTheDocument();
    cleanup();
    renderSyncPage(db, routes, `/work-orders/${BELTS_DONE}`, 'engineer');
    await screen.findByRole('button', { name: 'Verify' });
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
    cleanup();
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}`, 'crew');
    await screen.findByRole('button', { name: 'Start' });
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
  });

  it('is no longer offered once a cancellation waits on this device, and its page says why', async () => {
    const db = await seed();
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}`, 'engineer');
    await screen.findByRole('link', { name: 'Edit' });
    await user.click(screen.getByRole('button', { name: 'Cancel work order' }));
    await user.type(screen.getByLabelText('Why is it cancelled?'), 'Not needed');
    await user.click(screen.getByRole('button', { name: 'Confirm cancellation' }));
    await waitFor(() => {
      expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
    });
    cleanup();
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}/edit`, 'engineer');
    expect(await screen.findByText('This work order is cancelled: it is no longer edited.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Edit work order' })).not.toBeInTheDocument();
    cleanup();
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}/edit`, 'crew');
    expect(await screen.findByText(/Your role does not edit work orders/)).toBeInTheDocument();
  });

  it('starts from the order, checks it, queues `update_work_order.v1` with every field on the version it opened at, and shows it at once', async () => {
    const db = await seed();
    const user = userEvent.setup();
    const { router } = renderSyncPage(db, routes, `/work-orders/${IMPELLER}/edit`, 'engineer');
    const form = await screen.findByRole('form', { name: 'Edit work order' });
    // The item's name and the people arrive from the replica after the form itself.
    expect(await within(form).findByText('Bilge pump')).toBeInTheDocument();
    await within(form).findByRole('checkbox', { name: 'Erin Engineer (you)' });
    expect(within(form).getByLabelText('Title')).toHaveValue('Change the impeller');
    expect(within(form).getByLabelText('Priority')).toHaveValue('high');
    expect(within(form).getByLabelText('Due (optional)')).toHaveValue('2026-01-10');
    expect(within(form).getByRole('checkbox', { name: 'Erin Engineer (you)' })).toBeChecked();
    // No checklist here: the item, origin and steps never change.
    expect(within(form).queryByRole('button', { name: 'Add a step' })).not.toBeInTheDocument();

    await user.clear(within(form).getByLabelText('Title'));
    await user.type(within(form).getByLabelText('Estimate in hours (optional)'), '1001');
    await user.click(within(form).getByRole('button', { name: 'Save the work order' }));
    expect(await within(form).findByText('Say in a few words what is to be done.')).toBeInTheDocument();
    expect(within(form).getByText('Enter the hours it should take, e.g. 1.5 (a minute to 1,000 hours).')).toBeInTheDocument();
    expect(await queued(db)).toEqual([]);

    // A sync brings a newer version while the form is open: the edit is still made on the one it opened at.
    const [row] = await db.rows.where('[entity+id]').equals(['work_order', IMPELLER]).toArray();
    if (!row) throw new Error('no row');
    await db.rows.put({ ...row, version: 13 });

    await user.type(within(form).getByLabelText('Title'), 'Change the impeller and the seal');
    await user.clear(within(form).getByLabelText('Estimate in hours (optional)'));
    await user.type(within(form).getByLabelText('Estimate in hours (optional)'), '2');
    await user.selectOptions(within(form).getByLabelText('Priority'), 'urgent');
    await user.click(within(form).getByRole('checkbox', { name: 'Engine department' }));
    await user.click(within(form).getByRole('button', { name: 'Save the work order' }));

    await waitFor(() => {
      expect(router.state.location.pathname).toBe(`/work-orders/${IMPELLER}`);
    });
    const [entry, ...rest] = await queued(db);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ name: 'update_work_order.v1', base_version: 12 });
    expect(entry?.args).toEqual({
      work_order_id: IMPELLER,
      title: 'Change the impeller and the seal',
      description: '',
      priority: 'urgent',
      assignees: [
        { kind: 'person', user_id: ME },
        { kind: 'department', department_id: ENGINE },
      ],
      due_on: '2026-01-10',
      estimated_minutes: 120,
      signature_required: false,
    });

    const shown = await header('Change the impeller and the seal');
    expect(within(shown).getByText('Urgent')).toBeInTheDocument();
    expect(await within(shown).findByText('Erin Engineer (you), Engine department')).toBeInTheDocument();
    expect(within(shown).getByText('2 h')).toBeInTheDocument();
    const waiting = within(shown).getByRole('list', { name: 'Changes not yet accepted' });
    expect(waiting).toHaveTextContent('Edited: on this device');
  });

  it('opens again with the waiting edit, and lists a refused one with what it means, the order as the replica has it', async () => {
    const db = await seed();
    const user = userEvent.setup();
    const id = await enqueue(db, 'update_work_order.v1', {
      work_order_id: IMPELLER, title: 'Change the impeller today', description: 'Bring the kit.', priority: 'urgent', assignees: [],
      due_on: null, estimated_minutes: null, signature_required: true,
    }, Date.now());
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}/edit`, 'engineer');
    const form = await screen.findByRole('form', { name: 'Edit work order' });
    expect(within(form).getByLabelText('Title')).toHaveValue('Change the impeller today');
    expect(within(form).getByLabelText('Description (optional)')).toHaveValue('Bring the kit.');
    expect(within(form).getByLabelText('Priority')).toHaveValue('urgent');
    expect(within(form).getByLabelText('Due (optional)')).toHaveValue('');
    expect(within(form).getByRole('checkbox', { name: 'Completion needs a signature' })).toBeChecked();

    await db.outbox.update(id, { state: 'rejected', code: 'not_found', detail: 'assignee not found' });
    cleanup();
    renderSyncPage(db, routes, `/work-orders/${IMPELLER}`, 'engineer');
    const shown = await header('Change the impeller');
    expect(within(shown).getByText('High')).toBeInTheDocument();
    const refused = within(shown).getByRole('list', { name: 'Changes not yet accepted' });
    expect(refused).toHaveTextContent('Edited');
    expect(refused).toHaveTextContent('assignee not found');
    expect(refused).toHaveTextContent('Someone chosen to do it is out of reach');
    await user.click(within(refused).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => {
      expect(screen.queryByRole('list', { name: 'Changes not yet accepted' })).not.toBeInTheDocument();
    });
  });
});

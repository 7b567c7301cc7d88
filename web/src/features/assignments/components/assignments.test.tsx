/**
 * Equipment assignments and daily reports over the local replica with the network off: a site's
 * bookings per item and cancelling one; the booking form (checked as the server checks it,
 * double booking refused naming the booking in the way, the operator's other machine only a
 * warning) queuing exactly `assign_equipment.v1`; the operator's assignments, answered at once;
 * the daily report form queuing `submit_daily_report.v1` (a correction: the same report, a new
 * revision); a site's daily reports, submitted first; and the engineer's validation and return
 * on the revision read, hidden on their own report.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { StoredRow, SyncDatabase } from '../../../sync/database';
import { userOf } from '../../../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { localDay, localToday } from '../api/assignments';
import { AssignPage } from './assign-page';
import { MyAssignmentsPage } from './my-assignments-page';
import { CorrectReportPage, NewReportPage } from './report-form-page';
import { ReportPage } from './report-page';
import { SiteAssignmentsPage } from './site-assignments-page';
import { SiteReportsPage } from './site-reports-page';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const SITE = '01900000-0000-7000-8000-000000000001';
const DIGGER = '01900000-0000-7000-8000-000000000011';
const LOADER = '01900000-0000-7000-8000-000000000012';
const CRANE = '01900000-0000-7000-8000-000000000013';
/** The person signed in: the operator in the operator's tests, the engineer or planner elsewhere. */
const ME = userOf('crew').id;
const ANDERS = '01900000-0000-7000-8000-0000000000b1';
const HANNE = '01900000-0000-7000-8000-0000000000b2';
const SCOPE = `vessel:${SITE}`;
const A_NOW = '01900000-0000-7000-8000-0000000000a1';
const A_SOON = '01900000-0000-7000-8000-0000000000a2';
const A_DECLINED = '01900000-0000-7000-8000-0000000000a3';
const R_SUBMITTED = '01900000-0000-7000-8000-0000000000d1';
const R_RETURNED = '01900000-0000-7000-8000-0000000000d2';
const R_VALIDATED = '01900000-0000-7000-8000-0000000000d3';
const REV = (n: number) => `01900000-0000-7000-8000-0000000000e${n}`;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const midnight = (offset: number) => {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + offset);
};
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const dayOf = (offset: number) => localDay(midnight(offset));
const today = localToday();

const booking = (id: string, item: string, operator: string, from: number, to: number, status: string, extra: Record<string, unknown> = {}) =>
  replicaRow(SCOPE, 'assignment', id, {
    vessel_id: SITE, equipment_id: item, operator_id: operator, starts_at: iso(midnight(from)), ends_at: iso(midnight(to)), note: '',
    status, decline_reason: null, assigned_by: HANNE, answered_at: null, cancelled_by: null, updated_at: iso(midnight(-10)), ...extra,
  }, 30);

const report = (id: string, operator: string, day: string, status: string, revision: number, extra: Record<string, unknown> = {}) =>
  replicaRow(SCOPE, 'daily_report', id, {
    vessel_id: SITE, equipment_id: DIGGER, operator_id: operator, assignment_id: A_NOW, day, status, revision_id: REV(revision), revision,
    hours_worked: 8, hours_idle: 1, fuel_litres: 110, meter_hours: null, odometer_km: null, notes: 'Trenching, north side',
    latitude: null, longitude: null, photo_ids: [], submitted_at: `${day}T16:00:00Z`, comment: null, validated_by: null,
    validated_at: null, returned_by: null, returned_at: null, reading_id: null, updated_at: `${day}T16:00:00Z`, ...extra,
  }, 50);

/**
 * Fjordbyen quay extension (a project) with an excavator, a wheel loader and a crane; `operator`
 * holds the excavator accepted from two days ago to three days on, the loader proposed from five
 * days on, and a declined crane; the excavator's reports: yesterday's submitted, one returned
 * with a comment, one validated.
 */
function seed(operator: string, extra: StoredRow[] = []): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', SITE, { name: 'Fjordbyen quay extension', kind: 'project' }),
    replicaRow(SCOPE, 'equipment', DIGGER, { vessel_id: SITE, name: 'Excavator CAT 336', status: 'operational' }),
    replicaRow(SCOPE, 'equipment', LOADER, { vessel_id: SITE, name: 'Wheel loader Volvo L120H', status: 'operational' }),
    replicaRow(SCOPE, 'equipment', CRANE, { vessel_id: SITE, name: 'Mobile crane Liebherr LTM 1090', status: 'operational' }),
    replicaRow(SCOPE, 'meter_reading', '01900000-0000-7000-8000-0000000000f1', { equipment_id: DIGGER, hours: 4210, meter_replaced: false, read_at: iso(midnight(-5)) }),
    replicaRow(`company:${COMPANY}`, 'membership', ANDERS, { user_id: ANDERS, name: 'Anders Moen', role: 'crew', active: true }),
    replicaRow(`company:${COMPANY}`, 'membership', HANNE, { user_id: HANNE, name: 'Hanne Vik', role: 'engineer', active: true }),
    replicaRow(`company:${COMPANY}`, 'membership', ME, { user_id: ME, name: 'Erin Engineer', role: 'manager', active: true }),
    replicaRow(SCOPE, 'vessel_member', ANDERS, { vessel_id: SITE, user_id: ANDERS }),
    replicaRow(SCOPE, 'vessel_member', HANNE, { vessel_id: SITE, user_id: HANNE }),
    booking(A_NOW, DIGGER, operator, -2, 3, 'accepted', { note: 'Trenching for the quay wall' }),
    booking(A_SOON, LOADER, operator, 5, 8, 'proposed'),
    booking(A_DECLINED, CRANE, operator, 1, 2, 'declined', { decline_reason: 'No crane ticket', answered_at: iso(midnight(-1)) }),
    report(R_SUBMITTED, operator, dayOf(-1), 'submitted', 1),
    report(R_RETURNED, operator, dayOf(-2), 'returned', 1, { comment: 'Idle hours are missing', returned_by: HANNE, returned_at: iso(midnight(-1)) }),
    report(R_VALIDATED, operator, dayOf(-5), 'validated', 2, { validated_by: HANNE, validated_at: iso(midnight(-4)), reading_id: '01900000-0000-7000-8000-0000000000f2' }),
    replicaRow(SCOPE, 'daily_report_revision', REV(1), {
      report_id: R_SUBMITTED, vessel_id: SITE, number: 1, day: dayOf(-1), hours_worked: 8, hours_idle: 1, fuel_litres: 110, meter_hours: null,
      odometer_km: null, notes: 'Trenching, north side', latitude: null, longitude: null, photo_ids: [], submitted_by: operator, submitted_at: `${dayOf(-1)}T16:00:00Z`,
    }),
    ...extra,
  ]);
}

const routes = [
  { path: '/assignments', element: <MyAssignmentsPage /> },
  { path: '/vessels/:id/assignments', element: <SiteAssignmentsPage /> },
  { path: '/vessels/:id/assignments/new', element: <AssignPage /> },
  { path: '/vessels/:id/daily-reports', element: <SiteReportsPage /> },
  { path: '/assignments/:id/report', element: <NewReportPage /> },
  { path: '/daily-reports/:id', element: <ReportPage /> },
  { path: '/daily-reports/:id/correct', element: <CorrectReportPage /> },
];
const queued = (db: SyncDatabase) => db.outbox.toArray();

describe('a site’s bookings', () => {
  it('lists the bookings under way and to come per item, status in words, cancelled on the booking’s version', async () => {
    const db = await seed(ANDERS);
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/vessels/${SITE}/assignments`, 'manager');
    expect(await screen.findByRole('heading', { level: 1, name: 'Assignments on Fjordbyen quay extension' })).toBeInTheDocument();
    const digger = await screen.findByRole('list', { name: 'Bookings of Excavator CAT 336' });
    expect(within(digger).getByRole('listitem')).toHaveTextContent('Accepted');
    expect(within(digger).getByRole('listitem')).toHaveTextContent('Trenching for the quay wall');
    expect(await within(digger).findByRole('heading', { level: 3, name: 'Anders Moen' })).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Bookings of Wheel loader Volvo L120H' })).toHaveTextContent('Waiting for the operator');
    // The declined one releases the crane: shown under "All" only.
    expect(screen.queryByRole('list', { name: 'Bookings of Mobile crane Liebherr LTM 1090' })).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Show'), 'all');
    const crane = await screen.findByRole('list', { name: 'Bookings of Mobile crane Liebherr LTM 1090' });
    expect(crane).toHaveTextContent('Declined');
    expect(crane).toHaveTextContent('Reason given: No crane ticket');
    expect(within(crane).queryByRole('button', { name: /Cancel booking/ })).not.toBeInTheDocument();

    await user.click(within(digger).getByRole('button', { name: /^Cancel booking/ }));
    await user.click(within(digger).getByRole('button', { name: 'Yes, cancel it' }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    const [entry] = await queued(db);
    expect(entry).toMatchObject({ name: 'cancel_assignment.v1', args: { assignment_id: A_NOW }, base_version: 30 });
    const cancelled = within(digger).getByRole('listitem', { name: 'Anders Moen' });
    await waitFor(() => {
      expect(cancelled).toHaveTextContent('Cancelled');
    });
    expect(cancelled).toHaveTextContent('Cancelled: on this device');
  }, 20_000);

  it('offers neither booking nor cancelling to an engineer', async () => {
    renderSyncPage(await seed(ANDERS), routes, `/vessels/${SITE}/assignments`, 'engineer');
    await screen.findByRole('list', { name: 'Bookings of Excavator CAT 336' });
    expect(screen.queryByRole('link', { name: 'Assign equipment' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Cancel booking/ })).not.toBeInTheDocument();
  });
});

describe('assigning equipment', () => {
  const open = async (db: SyncDatabase, path = `/vessels/${SITE}/assignments/new`) => {
    const rendered = renderSyncPage(db, routes, path, 'manager');
    return { ...rendered, form: await screen.findByRole('form', { name: 'Assign equipment' }), user: userEvent.setup() };
  };

  it('offers the site’s items and the people who reach it, its rotation first', async () => {
    const { form } = await open(await seed(ANDERS));
    expect(within(within(form).getByLabelText('Item')).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Choose an item',
      'Excavator CAT 336',
      'Mobile crane Liebherr LTM 1090',
      'Wheel loader Volvo L120H',
    ]);
    expect(within(within(form).getByLabelText('Operator')).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Choose the operator',
      'Anders Moen',
      'Hanne Vik',
      'Erin Engineer (not on the site’s rotation)',
    ]);
    expect(within(form).getByLabelText('Whole days')).toBeChecked();
    expect(within(form).getByLabelText('First day')).toHaveValue(today);
  });

  it('says what is missing, and refuses a period the item is held for, naming the booking', async () => {
    const db = await seed(ANDERS);
    const { form, user } = await open(db);
    await user.click(within(form).getByRole('button', { name: 'Assign' }));
    expect(await within(form).findByText('Choose the item.')).toBeInTheDocument();
    expect(within(form).getByText('Choose the operator.')).toBeInTheDocument();

    await user.selectOptions(within(form).getByLabelText('Item'), 'Wheel loader Volvo L120H');
    await user.selectOptions(within(form).getByLabelText('Operator'), 'Hanne Vik');
    await user.clear(within(form).getByLabelText('First day'));
    await user.type(within(form).getByLabelText('First day'), dayOf(6));
    await user.clear(within(form).getByLabelText('Last day'));
    await user.type(within(form).getByLabelText('Last day'), dayOf(4));
    await user.click(within(form).getByRole('button', { name: 'Assign' }));
    expect(await within(form).findByText('The last day is on or after the first.')).toBeInTheDocument();

    await user.clear(within(form).getByLabelText('Last day'));
    await user.type(within(form).getByLabelText('Last day'), dayOf(9));
    // Said as soon as the period is chosen, and refused when sent.
    expect(await within(form).findByText(/Wheel loader Volvo L120H is booked for Anders Moen, .* \(waiting for the operator\)\. Choose another period or another item\./)).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Assign' }));
    await waitFor(() => {
      expect(within(form).getByLabelText('Item')).toHaveAttribute('aria-invalid', 'true');
    });
    expect(await queued(db)).toEqual([]);

    // Back to back with the held booking is free.
    await user.clear(within(form).getByLabelText('First day'));
    await user.type(within(form).getByLabelText('First day'), dayOf(8));
    await waitFor(() => {
      expect(within(form).queryByText(/is booked for/)).not.toBeInTheDocument();
    });
    expect(within(form).getByLabelText('Item')).toHaveAttribute('aria-invalid', 'false');
  }, 30_000);

  it('warns of the operator’s other machine, queues exactly `assign_equipment.v1` and shows it at once', async () => {
    const db = await seed(ANDERS);
    const { form, user, router } = await open(db, `/vessels/${SITE}/assignments/new?equipment=${CRANE}`);
    expect(within(form).getByLabelText('Item')).toHaveValue(CRANE);
    await user.selectOptions(within(form).getByLabelText('Operator'), 'Anders Moen');
    await user.clear(within(form).getByLabelText('Last day'));
    await user.type(within(form).getByLabelText('Last day'), dayOf(1));
    expect(await within(form).findByText(/Anders Moen also has Excavator CAT 336 \(.*\) in that period\. One operator may mind two machines/)).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Note (optional)'), '  Lift the formwork  ');
    await user.click(within(form).getByRole('button', { name: 'Assign' }));

    await waitFor(() => {
      expect(router.state.location.pathname).toBe(`/vessels/${SITE}/assignments`);
    });
    const [entry] = await queued(db);
    expect(entry).toMatchObject({ name: 'assign_equipment.v1', base_version: null, state: 'queued' });
    expect(entry?.args).toEqual({
      id: entry?.args.id, equipment_id: CRANE, operator_id: ANDERS, starts_at: iso(midnight(0)), ends_at: iso(midnight(2)), note: 'Lift the formwork',
    });
    expect(entry?.args.id).toMatch(UUID_V7);
    expect(await screen.findByRole('status')).toHaveTextContent(/Mobile crane Liebherr LTM 1090 booked for Anders Moen/);
    const crane = await screen.findByRole('list', { name: 'Bookings of Mobile crane Liebherr LTM 1090' });
    expect(crane).toHaveTextContent('Waiting for the operator');
    expect(crane).toHaveTextContent('on this device');
  }, 20_000);

  it('is not for an engineer', async () => {
    renderSyncPage(await seed(ANDERS), routes, `/vessels/${SITE}/assignments/new`, 'engineer');
    expect(await screen.findByText(/Your role does not assign equipment/)).toBeInTheDocument();
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
  });
});

describe('the operator’s assignments', () => {
  it('puts those waiting for an answer first, then those under way and to come, with their reports', async () => {
    renderSyncPage(await seed(ME), routes, '/assignments', 'crew');
    const waiting = await screen.findByRole('list', { name: 'Waiting for your answer' });
    expect(within(waiting).getAllByRole('listitem')).toHaveLength(1);
    expect(within(waiting).getByRole('listitem')).toHaveTextContent('Wheel loader Volvo L120H');
    expect(within(waiting).getByRole('listitem')).toHaveTextContent('Waiting for your answer');
    await waitFor(() => {
      expect(within(waiting).getByRole('listitem')).toHaveTextContent('Booked byHanne Vik');
    });
    const ahead = screen.getByRole('list', { name: 'Under way and to come' });
    expect(within(ahead).getByRole('link', { name: 'Report today on Excavator CAT 336' })).toHaveAttribute('href', `/assignments/${A_NOW}/report`);
    const reports = screen.getByRole('list', { name: 'My daily reports' });
    expect(within(reports).getAllByRole('listitem').map((li) => li.querySelector('.status-mark')?.textContent)).toEqual([
      'Waiting for validation',
      'Returned for correction',
      'Validated',
    ]);
    expect(reports).toHaveTextContent('Returned: Idle hours are missing');
    expect(screen.getByRole('list', { name: 'Earlier' })).toHaveTextContent('Reason given: No crane ticket');
    expect(screen.getByRole('link', { name: 'Bookings on Fjordbyen quay extension' })).toHaveAttribute('href', `/vessels/${SITE}/assignments`);
  });

  it('accepts at once, on the assignment’s version', async () => {
    const db = await seed(ME);
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/assignments', 'crew');
    await user.click(await screen.findByRole('button', { name: /^Accept Wheel loader/ }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    expect((await queued(db))[0]).toMatchObject({ name: 'answer_assignment.v1', args: { assignment_id: A_SOON, accept: true }, base_version: 30 });
    expect(await screen.findByText('Nothing is waiting for your answer.')).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Under way and to come' })).getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'Excavator CAT 336',
      'Wheel loader Volvo L120H',
    ]);
  });

  it('declines with a reason', async () => {
    const db = await seed(ME);
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/assignments', 'crew');
    await user.click(await screen.findByRole('button', { name: /^Decline Wheel loader/ }));
    const form = screen.getByRole('form', { name: /^Decline Wheel loader/ });
    await user.type(within(form).getByLabelText('Reason (optional)'), 'On a course that week');
    await user.click(within(form).getByRole('button', { name: 'Decline the assignment' }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    expect((await queued(db))[0]?.args).toEqual({ assignment_id: A_SOON, accept: false, reason: 'On a course that week' });
    await waitFor(() => {
      expect(screen.getByRole('list', { name: 'Earlier' })).toHaveTextContent('Reason given: On a course that week');
    });
  });
});

describe('the daily report', () => {
  it('is checked as the server checks it, then queued as `submit_daily_report.v1` and shown at once', async () => {
    const db = await seed(ME);
    const user = userEvent.setup();
    const { router } = renderSyncPage(db, routes, `/assignments/${A_NOW}/report`, 'crew');
    const form = await screen.findByRole('form', { name: 'Daily report' });
    expect(within(form).getByLabelText('Day')).toHaveValue(today);
    expect(within(form).getByLabelText('Hours idle')).toHaveValue('0');
    expect(await within(form).findByText(/The item’s running hours on this device: 4,210 h\./)).toBeInTheDocument();
    expect(within(form).getByLabelText('Add my position')).not.toBeChecked();

    await user.click(within(form).getByRole('button', { name: 'Submit the report' }));
    expect(await within(form).findByText('Enter the hours worked.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Hours worked'), '23');
    await user.clear(within(form).getByLabelText('Hours idle'));
    await user.type(within(form).getByLabelText('Hours idle'), '1,5');
    await user.type(within(form).getByLabelText('Hour meter at the end of the day (optional)'), '4200');
    expect(await within(form).findByText(/The meter reads below the item’s running hours/)).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Day'));
    await user.type(within(form).getByLabelText('Day'), dayOf(-1));
    await user.click(within(form).getByRole('button', { name: 'Submit the report' }));
    expect(await within(form).findByText('Worked and idle hours add up to at most 24 (24.5 now).')).toBeInTheDocument();
    expect(within(form).getByText('You have reported this item for that day already: correct that report instead.')).toBeInTheDocument();
    expect(within(form).getByRole('link', { name: 'Open that day’s report' })).toHaveAttribute('href', `/daily-reports/${R_SUBMITTED}`);

    await user.clear(within(form).getByLabelText('Day'));
    await user.type(within(form).getByLabelText('Day'), today);
    await user.clear(within(form).getByLabelText('Hours worked'));
    await user.type(within(form).getByLabelText('Hours worked'), '7.5');
    await user.clear(within(form).getByLabelText('Hour meter at the end of the day (optional)'));
    await user.type(within(form).getByLabelText('Hour meter at the end of the day (optional)'), '4217.5');
    await user.type(within(form).getByLabelText('Fuel added (litres, optional)'), '95');
    await user.type(within(form).getByLabelText('Notes (optional)'), 'Backfill behind the wall');
    await user.click(within(form).getByRole('button', { name: 'Submit the report' }));

    await waitFor(() => {
      expect(router.state.location.pathname).toMatch(/^\/daily-reports\//);
    });
    const [entry] = await queued(db);
    expect(entry).toMatchObject({ name: 'submit_daily_report.v1', base_version: null });
    const id = entry?.args.id as string;
    expect(id).toMatch(UUID_V7);
    expect(entry?.args).toEqual({
      id, revision_id: entry?.args.revision_id, equipment_id: DIGGER, day: today, hours_worked: 7.5, hours_idle: 1.5, fuel_litres: 95,
      meter_hours: 4217.5, notes: 'Backfill behind the wall', photo_ids: [],
    });
    expect(entry?.args.revision_id).toMatch(UUID_V7);
    expect(entry?.args.revision_id).not.toBe(id);
    expect(router.state.location.pathname).toBe(`/daily-reports/${id}`);
    expect(await screen.findByText('Waiting for validation')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: /^Daily report: / })).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Changes to the report not yet accepted' })).toHaveTextContent('Submitted: on this device');
    expect(await screen.findByRole('list', { name: 'Revisions' })).toHaveTextContent('Revision 1');
  }, 30_000);

  it('is not written on an assignment that is someone else’s', async () => {
    renderSyncPage(await seed(ANDERS), routes, `/assignments/${A_NOW}/report`, 'crew');
    expect(await screen.findByText('Daily reports are written on an accepted assignment of your own.')).toBeInTheDocument();
  });

  it('when returned, shows the comment and is corrected as the next revision of the same report', async () => {
    const db = await seed(ME);
    const user = userEvent.setup();
    const { router } = renderSyncPage(db, routes, `/daily-reports/${R_RETURNED}`, 'crew');
    expect(await screen.findByText('Idle hours are missing')).toBeInTheDocument();
    expect(screen.getByText('Returned for correction')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Validate' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Correct and send again' }));
    const form = await screen.findByRole('form', { name: 'Correct the daily report' });
    expect(within(form).getByLabelText('Hours worked')).toHaveValue('8');
    expect(within(form).queryByLabelText('Day')).not.toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Hours idle'));
    await user.type(within(form).getByLabelText('Hours idle'), '2');
    await user.click(within(form).getByRole('button', { name: 'Send the correction' }));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe(`/daily-reports/${R_RETURNED}`);
    });
    const [entry] = await queued(db);
    expect(entry).toMatchObject({ name: 'submit_daily_report.v1', base_version: 50, args: { id: R_RETURNED, day: dayOf(-2), hours_worked: 8, hours_idle: 2, fuel_litres: 110 } });
    expect(entry?.args.revision_id).not.toBe(REV(1));
    expect(await screen.findByText('Waiting for validation')).toBeInTheDocument();
    expect(screen.getByText('2 h')).toBeInTheDocument();
  });
});

describe('a site’s daily reports and their review', () => {
  it('lists the submitted first and filters by status', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(ANDERS), routes, `/vessels/${SITE}/daily-reports`, 'engineer');
    const list = await screen.findByRole('list', { name: 'Daily reports' });
    expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('.status-mark')?.textContent)).toEqual([
      'Waiting for validation',
      'Returned for correction',
      'Validated',
    ]);
    expect(screen.getByText(/3 of 3 reports · 1 waiting for validation/)).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Status'), 'validated');
    expect(within(screen.getByRole('list', { name: 'Daily reports' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('validates the revision read', async () => {
    const db = await seed(ANDERS);
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/daily-reports/${R_SUBMITTED}`, 'engineer');
    expect(await screen.findByText('Trenching, north side', { selector: 'dd' })).toBeInTheDocument();
    expect(screen.getByText(/the item’s running hours become its hours plus the 8 h worked/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Validate' }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    expect((await queued(db))[0]).toMatchObject({ name: 'validate_daily_report.v1', args: { report_id: R_SUBMITTED, revision_id: REV(1) }, base_version: 50 });
    expect(await screen.findByText('Validated', { selector: '.status-mark' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Validate' })).not.toBeInTheDocument();
  });

  it('returns with a comment, which is required', async () => {
    const db = await seed(ANDERS);
    const user = userEvent.setup();
    renderSyncPage(db, routes, `/daily-reports/${R_SUBMITTED}`, 'engineer');
    await user.click(await screen.findByRole('button', { name: 'Return with a comment' }));
    const form = screen.getByRole('form', { name: 'Return the report' });
    await user.click(within(form).getByRole('button', { name: 'Return the report' }));
    expect(await within(form).findByText('Say what needs correcting.')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Comment'), 'Fuel looks doubled');
    await user.click(within(form).getByRole('button', { name: 'Return the report' }));
    await waitFor(async () => {
      expect(await queued(db)).toHaveLength(1);
    });
    expect((await queued(db))[0]?.args).toEqual({ report_id: R_SUBMITTED, revision_id: REV(1), comment: 'Fuel looks doubled' });
    expect(await screen.findByText('Returned for correction')).toBeInTheDocument();
  });

  it('says so when the operator’s correction arrives while the engineer reads', async () => {
    const db = await seed(ANDERS);
    renderSyncPage(db, routes, `/daily-reports/${R_SUBMITTED}`, 'engineer');
    await screen.findByRole('button', { name: 'Validate' });
    const row = await db.rows.get([SCOPE, 'daily_report', R_SUBMITTED]);
    if (!row) throw new Error('seeded');
    await db.rows.put({ ...row, version: 51, fields: { ...(row.fields as Record<string, never>), revision_id: REV(2), revision: 2, hours_worked: 6 } });
    expect(await screen.findByText(/The operator sent a correction \(revision 2\) while you were reading/)).toBeInTheDocument();
    expect(screen.getByText('6 h')).toBeInTheDocument();
  });

  it('is never offered on one’s own report', async () => {
    renderSyncPage(await seed(ME), routes, `/daily-reports/${R_SUBMITTED}`, 'engineer');
    expect(await screen.findByText('Your own report is validated by someone else on the site.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Validate' })).not.toBeInTheDocument();
  });

  it('is not offered to crew', async () => {
    renderSyncPage(await seed(ANDERS), routes, `/daily-reports/${R_SUBMITTED}`, 'crew', userOf('crew'));
    await screen.findByText('Waiting for validation');
    expect(screen.queryByRole('button', { name: 'Validate' })).not.toBeInTheDocument();
  });
});

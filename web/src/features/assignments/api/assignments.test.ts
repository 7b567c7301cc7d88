/**
 * Assignments on the device: periods (half-open, whole days from the device's midnight), the
 * replica's rows with the waiting writes laid over them (a booking made offline, an answer, a
 * cancellation; refusals count for nothing), the double-booking check the server makes and the
 * operator's overlaps (a warning), what waits for an answer, and who may operate a site's items.
 */
import { describe, expect, it } from 'vitest';

import type { PendingWrite } from '../../../components/local-writes';
import type { MutationState } from '../../../sync/database';
import { replicaRow } from '../../../test/sync-page';
import {
  ANSWER_ASSIGNMENT,
  ASSIGN_EQUIPMENT,
  CANCEL_ASSIGNMENT,
  checkBooking,
  coversUtcDay,
  isHeld,
  isWholeDays,
  lastDayOf,
  localMidnight,
  nextDay,
  overlaps,
  periodDays,
  siteOperators,
  timedPeriod,
  waitingForAnswer,
  wholeDays,
} from './assignments';
import { assignmentsOf } from '../../../components/equipment-assignments';

const SITE = '01900000-0000-7000-8000-000000000001';
const OTHER_SITE = '01900000-0000-7000-8000-000000000002';
const DIGGER = '01900000-0000-7000-8000-000000000011';
const LOADER = '01900000-0000-7000-8000-000000000012';
const ANDERS = '01900000-0000-7000-8000-0000000000b1';
const HANNE = '01900000-0000-7000-8000-0000000000b2';
const SCOPE = `vessel:${SITE}`;

let nextId = 1;
/** A write waiting in the outbox. */
function pending(name: string, args: PendingWrite['args'], state: MutationState = 'queued', code?: string): PendingWrite {
  const id = nextId++;
  return { id, name, args, hlc: '', base_version: null, state, queuedAt: 1_780_000_000_000 + id, label: state, ...(code ? { code } : {}) };
}

const booking = (id: string, item: string, operator: string, starts: string, ends: string, status: string, version = 5) =>
  replicaRow(SCOPE, 'assignment', id, {
    vessel_id: SITE, equipment_id: item, operator_id: operator, starts_at: starts, ends_at: ends, note: '', status,
    decline_reason: null, assigned_by: HANNE, answered_at: null, cancelled_by: null, updated_at: starts,
  }, version);

const A1 = '01900000-0000-7000-8000-0000000000a1';
const A2 = '01900000-0000-7000-8000-0000000000a2';
const A3 = '01900000-0000-7000-8000-0000000000a3';
const A4 = '01900000-0000-7000-8000-0000000000a4';
const NEW = '01900000-0000-7000-8000-0000000000a9';

const rows = [
  booking(A1, DIGGER, ANDERS, '2026-05-04T00:00:00Z', '2026-05-09T00:00:00Z', 'accepted'),
  booking(A2, LOADER, ANDERS, '2026-05-11T06:00:00Z', '2026-05-12T06:00:00Z', 'proposed'),
  booking(A3, DIGGER, HANNE, '2026-05-09T00:00:00Z', '2026-05-10T00:00:00Z', 'declined'),
  booking(A4, LOADER, ANDERS, '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z', 'proposed', 6),
];

describe('periods', () => {
  it('are half-open: back-to-back bookings do not overlap, a shared instant does', () => {
    const a = { startsAt: '2026-05-04T00:00:00Z', endsAt: '2026-05-09T00:00:00Z' };
    expect(overlaps(a, { startsAt: '2026-05-09T00:00:00Z', endsAt: '2026-05-10T00:00:00Z' })).toBe(false);
    expect(overlaps(a, { startsAt: '2026-05-01T00:00:00Z', endsAt: '2026-05-04T00:00:00Z' })).toBe(false);
    expect(overlaps(a, { startsAt: '2026-05-08T23:59:59Z', endsAt: '2026-05-10T00:00:00Z' })).toBe(true);
    expect(overlaps(a, { startsAt: '2026-05-05T00:00:00Z', endsAt: '2026-05-06T00:00:00Z' })).toBe(true);
  });

  it('of whole days run from the device’s midnight to the midnight after the last day', () => {
    const p = wholeDays('2026-05-04', '2026-05-08');
    expect(p).not.toBeNull();
    if (!p) return;
    expect(new Date(p.startsAt).getTime()).toBe(new Date(2026, 4, 4).getTime());
    expect(new Date(p.endsAt).getTime()).toBe(new Date(2026, 4, 9).getTime());
    expect(p.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(isWholeDays(p)).toBe(true);
    expect(lastDayOf(p.endsAt)).toBe('2026-05-08');
    expect(periodDays(p)).toBeCloseTo(5, 1);
    expect(wholeDays('2026-02-30', '2026-03-01')).toBeNull();
    expect(localMidnight('not a day')).toBeNull();
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('with times are not whole days', () => {
    const p = timedPeriod('2026-05-04T07:00', '2026-05-04T17:30');
    expect(p && isWholeDays(p)).toBe(false);
    expect(timedPeriod('2026-05-04', '2026-05-05')).toBeNull();
  });

  it('cover a UTC day when they share part of it (the server’s rule for a report)', () => {
    const p = { startsAt: '2026-05-04T22:00:00Z', endsAt: '2026-05-06T01:00:00Z' };
    expect(coversUtcDay(p, '2026-05-03')).toBe(false);
    expect(coversUtcDay(p, '2026-05-04')).toBe(true);
    expect(coversUtcDay(p, '2026-05-06')).toBe(true);
    expect(coversUtcDay(p, '2026-05-07')).toBe(false);
    expect(coversUtcDay({ startsAt: '2026-05-04T00:00:00Z', endsAt: '2026-05-05T00:00:00Z' }, '2026-05-05')).toBe(false);
  });
});

describe('assignments on the device', () => {
  it('reads the replica’s rows', () => {
    const list = assignmentsOf(rows, []);
    expect(list.map((a) => [a.id, a.status, a.version])).toEqual([
      [A1, 'accepted', 5],
      [A2, 'proposed', 5],
      [A3, 'declined', 5],
      [A4, 'proposed', 6],
    ]);
    expect(list[0]).toMatchObject({ vesselId: SITE, equipmentId: DIGGER, operatorId: ANDERS, assignedBy: HANNE, pending: [], refused: false });
  });

  it('shows a booking made offline at once, on its item’s site, holding the item', () => {
    const made = pending(ASSIGN_EQUIPMENT, { id: NEW, equipment_id: LOADER, operator_id: ANDERS, starts_at: '2026-06-01T00:00:00Z', ends_at: '2026-06-02T00:00:00Z', note: 'North side' });
    const [a] = assignmentsOf([], [made], new Map([[LOADER, SITE]]));
    expect(a).toMatchObject({ id: NEW, vesselId: SITE, status: 'proposed', note: 'North side', assignedBy: null, version: null, refused: false });
    expect(a?.pending).toEqual([made]);
    expect(a && isHeld(a)).toBe(true);
  });

  it('holds nothing with a booking the server refused, which stays with its refusal until dismissed', () => {
    const made = pending(ASSIGN_EQUIPMENT, { id: NEW, equipment_id: LOADER, operator_id: ANDERS, starts_at: '2026-05-11T00:00:00Z', ends_at: '2026-05-12T00:00:00Z' }, 'rejected', 'double_booked');
    const [a] = assignmentsOf([], [made]);
    expect(a?.refused).toBe(true);
    expect(a && isHeld(a)).toBe(false);
  });

  it('lays waiting answers and cancellations over the rows, in order, refusals aside', () => {
    const list = assignmentsOf(rows, [
      pending(ANSWER_ASSIGNMENT, { assignment_id: A2, accept: false, reason: '  On leave that week ' }),
      pending(ANSWER_ASSIGNMENT, { assignment_id: A2, accept: true }),
      pending(CANCEL_ASSIGNMENT, { assignment_id: A1 }),
      pending(ANSWER_ASSIGNMENT, { assignment_id: A4, accept: true }, 'rejected', 'invalid_transition'),
      pending(CANCEL_ASSIGNMENT, { assignment_id: A3 }),
    ]);
    const by = new Map(list.map((a) => [a.id, a]));
    expect(by.get(A2)).toMatchObject({ status: 'declined', declineReason: 'On leave that week' });
    expect(by.get(A2)?.pending).toHaveLength(2);
    expect(by.get(A1)?.status).toBe('cancelled');
    expect(by.get(A4)?.status).toBe('proposed');
    expect(by.get(A3)?.status).toBe('declined');
  });

  it('lists the proposals waiting for one person’s answer, the soonest first', () => {
    const waiting = waitingForAnswer(assignmentsOf(rows, [pending(ANSWER_ASSIGNMENT, { assignment_id: A2, accept: true })]), ANDERS.toUpperCase());
    expect(waiting.map((a) => a.id)).toEqual([A4]);
    expect(waitingForAnswer(assignmentsOf(rows, []), ANDERS).map((a) => a.id)).toEqual([A4, A2]);
    expect(waitingForAnswer(assignmentsOf(rows, []), HANNE)).toEqual([]);
  });
});

describe('checking a booking', () => {
  const all = assignmentsOf(rows, []);

  it('refuses a period the item is held for, naming the booking in the way', () => {
    const check = checkBooking({ equipmentId: DIGGER, operatorId: HANNE, startsAt: '2026-05-08T00:00:00Z', endsAt: '2026-05-10T00:00:00Z' }, all);
    expect(check.clash?.id).toBe(A1);
  });

  it('lets a booking start where another ends, and ignores declined and cancelled ones', () => {
    expect(checkBooking({ equipmentId: DIGGER, operatorId: HANNE, startsAt: '2026-05-09T00:00:00Z', endsAt: '2026-05-10T00:00:00Z' }, all).clash).toBeNull();
    const cancelled = assignmentsOf(rows, [pending(CANCEL_ASSIGNMENT, { assignment_id: A1 })]);
    expect(checkBooking({ equipmentId: DIGGER, operatorId: HANNE, startsAt: '2026-05-05T00:00:00Z', endsAt: '2026-05-06T00:00:00Z' }, cancelled).clash).toBeNull();
  });

  it('counts a booking still waiting on this device, not one refused', () => {
    const made = (state: MutationState) =>
      pending(ASSIGN_EQUIPMENT, { id: NEW, equipment_id: LOADER, operator_id: HANNE, starts_at: '2026-06-01T00:00:00Z', ends_at: '2026-06-03T00:00:00Z' }, state);
    const candidate = { equipmentId: LOADER, operatorId: ANDERS, startsAt: '2026-06-02T00:00:00Z', endsAt: '2026-06-04T00:00:00Z' };
    expect(checkBooking(candidate, assignmentsOf(rows, [made('queued')])).clash?.id).toBe(NEW);
    expect(checkBooking(candidate, assignmentsOf(rows, [made('rejected')])).clash).toBeNull();
  });

  it('only warns of the operator’s other items in the period', () => {
    const check = checkBooking({ equipmentId: LOADER, operatorId: ANDERS, startsAt: '2026-05-05T00:00:00Z', endsAt: '2026-05-06T00:00:00Z' }, all);
    expect(check.clash).toBeNull();
    expect(check.operatorBusy.map((a) => a.id)).toEqual([A1]);
  });
});

describe('who may operate a site’s items', () => {
  const COMPANY = 'company:01900000-0000-7000-8000-0000000000c1';
  const person = (id: string, name: string, role: string, active = true) => replicaRow(COMPANY, 'membership', id, { user_id: id, name, role, active });
  const ids = ['01900000-0000-7000-8000-0000000000e1', '01900000-0000-7000-8000-0000000000e2', '01900000-0000-7000-8000-0000000000e3'] as const;
  const memberships = [
    person(ANDERS, 'Anders Moen', 'crew'),
    person(HANNE, 'Hanne Vik', 'engineer'),
    person(ids[0], 'Mona Manager', 'manager'),
    person(ids[1], 'Vera Viewer', 'viewer'),
    person(ids[2], 'Carl Crew', 'crew'),
    person('01900000-0000-7000-8000-0000000000e4', 'Gone Person', 'owner', false),
  ];
  const members = [
    replicaRow(SCOPE, 'vessel_member', ANDERS, { vessel_id: SITE, user_id: ANDERS }),
    replicaRow(SCOPE, 'vessel_member', HANNE, { vessel_id: SITE, user_id: HANNE }),
    replicaRow(SCOPE, 'vessel_member', ids[1], { vessel_id: SITE, user_id: ids[1] }),
    replicaRow(`vessel:${OTHER_SITE}`, 'vessel_member', ids[2], { vessel_id: OTHER_SITE, user_id: ids[2] }),
  ];

  it('are the active people on its rotation and those who reach every site, never viewers', () => {
    expect(siteOperators(SITE, memberships, members).map((o) => [o.name, o.onSite])).toEqual([
      ['Anders Moen', true],
      ['Hanne Vik', true],
      ['Mona Manager', false],
    ]);
    expect(siteOperators(OTHER_SITE, memberships, members).map((o) => o.name)).toEqual(['Carl Crew', 'Mona Manager']);
  });
});

/**
 * Work orders computed from the replica and the outbox: an order created here shows at once,
 * the status waiting moves lead to, whose work an order is (the person or their department),
 * answers judged as the server judges them with decimals compared exactly, the latest answer
 * counting (a waiting one too), the required steps still unanswered, labour and parts used.
 */
import { describe, expect, it } from 'vitest';

import type { PendingWrite } from '../../../components/local-writes';
import { formatQuantity } from '../../../components/quantity';
import type { JsonValue } from '../../../sync/checksum';
import type { MutationState } from '../../../sync/database';
import { replicaRow } from '../../../test/sync-page';
import { currentResults, judge, stepResultsOf, unansweredRequired, type Answer } from './checklist';
import { formatMinutes, formatMoney, labourCostMinor, labourCosts, labourOf, minutesOf, parseRate, partsUsedOf, totalMinutes } from './work-log';
import { departmentsOf, expectedStatus, isMine, isOverdue, stepsOf, workOrdersOf, type Step } from './work-orders';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const PUMP = '01900000-0000-7000-8000-000000000002';
const ORDER = '01900000-0000-7000-8000-0000000000d1';
const ME = '01900000-0000-7000-8000-0000000000a1';
const SAM = '01900000-0000-7000-8000-0000000000b1';
const ENGINE = '01900000-0000-7000-8000-0000000000e1';
const DECK = '01900000-0000-7000-8000-0000000000e2';
const SCOPE = `vessel:${VESSEL}`;

let nextWrite = 1;
const write = (name: string, args: PendingWrite['args'], state: MutationState = 'queued', queuedAt = Date.parse('2026-03-05T10:00:00Z')): PendingWrite => ({
  id: nextWrite++,
  name,
  args,
  hlc: '',
  base_version: null,
  state,
  queuedAt,
  label: state === 'queued' ? 'on this device' : state,
});

const order = (fields: Record<string, unknown> = {}) =>
  replicaRow(SCOPE, 'work_order', ORDER, {
    vessel_id: VESSEL, equipment_id: PUMP, origin: { kind: 'manual' }, title: 'Change the impeller', description: '',
    priority: 'normal', assignees: [], due_on: null, estimated_minutes: null, steps: [], signature_required: false,
    status: 'open', started_at: null, completed_at: null, completed_by: null, signature: null, verified_at: null,
    verified_by: null, cancelled_at: null, cancel_reason: null, created_at: '2026-03-01T08:00:00Z', ...fields,
  }, 12);
const pump = replicaRow(SCOPE, 'equipment', PUMP, { vessel_id: VESSEL, name: 'Bilge pump' });

const step = (id: string, kind: Step['kind'], more: Record<string, JsonValue> = {}): Step => {
  const [parsed] = stepsOf([{ id, title: `Step ${id}`, kind, required: true, min: null, max: null, unit: null, options: [], rule: null, ...more }]);
  if (!parsed) throw new Error('no step');
  return parsed;
};

describe('work orders', () => {
  it('show one created here at once, open, on the item’s vessel, with its writes', () => {
    const created = write('create_work_order.v1', {
      id: '01900000-0000-7000-8000-0000000000d2', equipment_id: PUMP, title: 'Grease the bearings', priority: 'high',
      assignees: [{ kind: 'department', department_id: ENGINE }], fault_id: '01900000-0000-7000-8000-0000000000f1',
      steps: [{ id: 's1', title: 'Greased', kind: 'pass_fail', required: true, min: null, max: null, unit: null, options: [], rule: null }],
    });
    const started = write('start_work_order.v1', { work_order_id: '01900000-0000-7000-8000-0000000000D2' });
    const [confirmed, mine] = workOrdersOf([order()], [pump], [created, started]);
    expect(confirmed?.version).toBe(12);
    expect(mine).toMatchObject({
      id: '01900000-0000-7000-8000-0000000000d2',
      vesselId: VESSEL,
      status: 'open',
      priority: 'high',
      origin: { kind: 'fault', faultId: '01900000-0000-7000-8000-0000000000f1' },
      assignees: [{ kind: 'department', departmentId: ENGINE }],
      version: null,
    });
    expect(mine?.steps.map((s) => s.kind)).toEqual(['pass_fail']);
    expect(mine?.pending).toEqual([created, started]);
    expect(mine && expectedStatus(mine)).toBe('in_progress');
  });

  it('lead where this device’s waiting moves take them, refused or already made ones aside', () => {
    const moves = (status: string, ...writes: PendingWrite[]) => {
      const [item] = workOrdersOf([order({ status })], [pump], writes);
      return item && expectedStatus(item);
    };
    const args = { work_order_id: ORDER };
    expect(moves('open', write('start_work_order.v1', args), write('hold_work_order.v1', args))).toBe('on_hold');
    expect(moves('open', write('start_work_order.v1', args, 'rejected'))).toBe('open');
    // Applied already (the replica has it): not taken again.
    expect(moves('in_progress', write('start_work_order.v1', args, 'sent'))).toBe('in_progress');
    expect(moves('in_progress', write('complete_work_order.v1', args))).toBe('done');
    expect(moves('done', write('cancel_work_order.v1', { ...args, reason: 'x' }))).toBe('done');
  });

  it('show a waiting edit at once, the later one last; a refused one counts for nothing but stays listed', () => {
    const edit = (fields: Record<string, JsonValue>, state: MutationState = 'queued') =>
      write('update_work_order.v1', {
        work_order_id: ORDER.toUpperCase(), title: 'Change the impeller', description: '', priority: 'normal', assignees: [],
        due_on: null, estimated_minutes: null, signature_required: false, ...fields,
      }, state);
    const first = edit({ title: 'Change the impeller and seal', priority: 'urgent', due_on: '2026-04-01', assignees: [{ kind: 'department', department_id: ENGINE }] });
    const [shown] = workOrdersOf([order({ due_on: '2026-03-20', estimated_minutes: 30 })], [pump], [first]);
    expect(shown).toMatchObject({
      title: 'Change the impeller and seal', priority: 'urgent', dueOn: '2026-04-01', estimatedMinutes: null,
      assignees: [{ kind: 'department', departmentId: ENGINE }], version: 12, status: 'open',
    });
    expect(shown?.pending).toEqual([first]);

    const second = edit({ title: 'Change the seal', estimated_minutes: 45, signature_required: true }, 'sent');
    const refused = edit({ title: 'Refused title', priority: 'low' }, 'rejected');
    const [latest] = workOrdersOf([order()], [pump], [first, second, refused]);
    expect(latest).toMatchObject({ title: 'Change the seal', priority: 'normal', dueOn: null, estimatedMinutes: 45, signatureRequired: true });
    expect(latest?.pending).toEqual([first, second, refused]);
  });

  it('show an edit of an order made here over its creation', () => {
    const id = '01900000-0000-7000-8000-0000000000d2';
    const created = write('create_work_order.v1', { id, equipment_id: PUMP, title: 'Grease the bearings', priority: 'high', assignees: [], steps: [] });
    const edited = write('update_work_order.v1', { work_order_id: id, title: 'Grease both bearings', priority: 'high', assignees: [], due_on: '2026-04-02' });
    const [, mine] = workOrdersOf([order()], [pump], [created, edited]);
    expect(mine).toMatchObject({ title: 'Grease both bearings', dueOn: '2026-04-02', version: null, vesselId: VESSEL });
    expect(mine?.pending).toEqual([created, edited]);
  });

  it('are the person’s when assigned to them or to one of their departments', () => {
    const members = [
      replicaRow(SCOPE, 'vessel_member', ME, { vessel_id: VESSEL, user_id: ME, department_id: ENGINE }),
      replicaRow(SCOPE, 'vessel_member', SAM, { vessel_id: VESSEL, user_id: SAM, department_id: DECK }),
    ];
    const mine = departmentsOf(members, ME.toUpperCase());
    expect([...mine]).toEqual([ENGINE]);
    expect(isMine({ assignees: [{ kind: 'person', userId: ME }] }, ME, mine)).toBe(true);
    expect(isMine({ assignees: [{ kind: 'department', departmentId: ENGINE }] }, ME, mine)).toBe(true);
    expect(isMine({ assignees: [{ kind: 'department', departmentId: DECK }, { kind: 'person', userId: SAM }] }, ME, mine)).toBe(false);
    expect(isMine({ assignees: [] }, ME, mine)).toBe(false);
  });

  it('are overdue past their due day while still to do', () => {
    expect(isOverdue({ dueOn: '2026-03-04' }, 'open', '2026-03-05')).toBe(true);
    expect(isOverdue({ dueOn: '2026-03-05' }, 'in_progress', '2026-03-05')).toBe(false);
    expect(isOverdue({ dueOn: '2026-03-04' }, 'done', '2026-03-05')).toBe(false);
    expect(isOverdue({ dueOn: null }, 'open', '2026-03-05')).toBe(false);
  });
});

describe('answers', () => {
  const pressure = step('p', 'number', { min: '3.5', max: '5', unit: 'bar' });
  const seal = step('c', 'choice', { options: [{ label: 'Dry', fails: false }, { label: 'Leaking', fails: true }] });
  const number = (value: string): Answer => ({ kind: 'number', value });

  it('are judged as the server judges them, limits included, decimals exactly', () => {
    expect(judge(pressure, number('3.5'))).toBe('passed');
    expect(judge(pressure, number('5.000'))).toBe('passed');
    expect(judge(pressure, number('3.499'))).toBe('below_limit');
    expect(judge(pressure, number('5.001'))).toBe('above_limit');
    expect(judge(step('t', 'number', { min: '-10', unit: '°C' }), number('-12'))).toBe('below_limit');
    expect(judge(pressure, { kind: 'pass_fail', passed: true })).toBe('passed');
    expect(judge(pressure, { kind: 'pass_fail', passed: false })).toBe('failed');
    expect(judge(seal, { kind: 'choice', label: 'Leaking' })).toBe('failed');
    expect(judge(seal, { kind: 'choice', label: 'Dry' })).toBe('passed');
    expect(judge(pressure, { kind: 'meter_reading', hours: '1200.5' })).toBe('recorded');
    expect(judge(pressure, { kind: 'text', text: 'ok' })).toBe('recorded');
  });

  it('count the latest, a waiting one included, and the server’s outcome for a confirmed one', () => {
    const result = (id: string, value: string, at: string, outcome: string) =>
      replicaRow(SCOPE, 'step_result', id, {
        work_order_id: ORDER, vessel_id: VESSEL, step_id: 'p', answer: { kind: 'number', value }, outcome, recorded_by: SAM, recorded_at: at,
      });
    const rows = [
      result('01900000-0000-7000-8000-000000000101', '4.1', '2026-03-05T08:00:00Z', 'passed'),
      result('01900000-0000-7000-8000-000000000103', '4.3', '2026-03-05T09:00:00Z', 'passed'),
      // Same time, smaller id: not the one that counts.
      result('01900000-0000-7000-8000-000000000102', '9', '2026-03-05T09:00:00Z', 'above_limit'),
    ];
    const confirmed = currentResults(stepResultsOf(ORDER, [pressure], rows, []).results);
    expect(confirmed.get('p')).toMatchObject({ answer: { value: '4.3' }, outcome: 'passed', pending: null });

    const waiting = write('record_step_result.v1', { id: '01900000-0000-7000-8000-000000000104', work_order_id: ORDER, step_id: 'p', answer: { kind: 'number', value: '2' }, follow_up_id: 'f' });
    const withWaiting = currentResults(stepResultsOf(ORDER, [pressure], rows, [waiting]).results);
    expect(withWaiting.get('p')).toMatchObject({ answer: { value: '2' }, outcome: 'below_limit', pending: waiting });

    // Refused: counts for nothing, listed apart.
    const refused = write('record_step_result.v1', { id: '01900000-0000-7000-8000-000000000105', work_order_id: ORDER, step_id: 'p', answer: { kind: 'number', value: '1' }, follow_up_id: 'g' }, 'rejected');
    const both = stepResultsOf(ORDER, [pressure], rows, [refused]);
    expect(currentResults(both.results).get('p')?.answer).toEqual({ kind: 'number', value: '4.3' });
    expect(both.refused).toEqual([refused]);

    // Arrived in the replica: not counted twice.
    const arrived = stepResultsOf(ORDER, [pressure], [...rows, result('01900000-0000-7000-8000-000000000104', '2', '2026-03-05T10:00:00Z', 'below_limit')], [waiting]);
    expect(arrived.results.filter((r) => r.id === '01900000-0000-7000-8000-000000000104')).toHaveLength(1);
  });

  it('leave the required steps without one listed, in order', () => {
    const optional = step('o', 'text', { required: false });
    const steps = [pressure, optional, seal];
    const answered = stepResultsOf(ORDER, steps, [], [
      write('record_step_result.v1', { id: 'r1', work_order_id: ORDER, step_id: 'c', answer: { kind: 'choice', label: 'Dry' }, follow_up_id: 'f' }),
    ]);
    expect(unansweredRequired(steps, currentResults(answered.results)).map((s) => s.id)).toEqual(['p']);
  });
});

describe('labour and parts', () => {
  it('takes time as hours and minutes, and says it the same way', () => {
    expect(minutesOf(2, 15)).toBe(135);
    expect(minutesOf(0, 45)).toBe(45);
    expect(formatMinutes(135)).toBe('2 h 15 min');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(180)).toBe('3 h');
  });

  it('lists labour, the waiting entries too, and adds up what counts', () => {
    const rows = [replicaRow(SCOPE, 'labour_entry', 'l1', { work_order_id: ORDER, vessel_id: VESSEL, person_id: SAM, worked_on: '2026-03-04', minutes: 90, recorded_by: SAM })];
    const logged = write('log_labour.v1', { id: 'l2', work_order_id: ORDER, worked_on: '2026-03-05', minutes: 30 });
    const refused = write('log_labour.v1', { id: 'l3', work_order_id: ORDER, worked_on: '2026-03-05', minutes: 600 }, 'rejected');
    const items = labourOf(ORDER, rows, [logged, refused, write('log_labour.v1', { id: 'l4', work_order_id: 'other', worked_on: '2026-03-05', minutes: 5 })]);
    expect(items.map((i) => [i.id, i.minutes, i.personId])).toEqual([['l3', 600, null], ['l2', 30, null], ['l1', 90, SAM]]);
    expect(totalMinutes(items)).toBe(120);
  });

  it('reads rates and costs where the row carries them, and works out a waiting entry’s cost as the server does', () => {
    const rows = [
      // A manager's copy: rate and cost.
      replicaRow(SCOPE, 'labour_entry', 'l1', { work_order_id: ORDER, vessel_id: VESSEL, person_id: SAM, worked_on: '2026-03-04', minutes: 90, rate_minor: 8_500, currency: 'EUR', cost_minor: 12_750 }),
      // An engineer's copy of a priced entry: the currency, no rate, no cost.
      replicaRow(SCOPE, 'labour_entry', 'l0', { work_order_id: ORDER, vessel_id: VESSEL, person_id: SAM, worked_on: '2026-03-03', minutes: 60, currency: 'EUR' }),
    ];
    const waiting = write('log_labour.v1', { id: 'l2', work_order_id: ORDER, worked_on: '2026-03-05', minutes: 50, rate_minor: 7_001, currency: 'NOK' });
    const refused = write('log_labour.v1', { id: 'l3', work_order_id: ORDER, worked_on: '2026-03-05', minutes: 60, rate_minor: 100, currency: 'EUR' }, 'rejected');
    const items = labourOf(ORDER, rows, [waiting, refused]);
    expect(items.map((i) => [i.id, i.rateMinor, i.currency, i.costMinor])).toEqual([
      ['l3', 100, 'EUR', 100],
      ['l2', 7_001, 'NOK', 5_834],
      ['l1', 8_500, 'EUR', 12_750],
      ['l0', null, 'EUR', null],
    ]);
    expect(labourCosts(items)).toEqual([
      { currency: 'EUR', minor: 12_750 },
      { currency: 'NOK', minor: 5_834 },
    ]);
  });

  it('rounds a labour cost half away from zero to a whole minor unit', () => {
    expect(labourCostMinor(60, 8_500)).toBe(8_500);
    expect(labourCostMinor(1, 30)).toBe(1); // 0.5 rounds up
    expect(labourCostMinor(1, 29)).toBe(0);
    expect(labourCostMinor(50, 7_001)).toBe(5_834); // 5834.17
    expect(labourCostMinor(24 * 60, 10_000_000)).toBe(240_000_000);
  });

  it('reads a typed rate in the currency’s minor units', () => {
    expect(parseRate('85', 'EUR')).toBe(8_500);
    expect(parseRate('85.5', 'EUR')).toBe(8_550);
    expect(parseRate(' 85,50 ', 'EUR')).toBe(8_550);
    expect(parseRate('0', 'EUR')).toBe(0);
    expect(parseRate('85.505', 'EUR')).toBeNull();
    expect(parseRate('-1', 'EUR')).toBeNull();
    expect(parseRate('abc', 'EUR')).toBeNull();
    expect(parseRate('', 'EUR')).toBeNull();
    expect(parseRate('1200', 'JPY')).toBe(1_200);
    expect(parseRate('1200.5', 'JPY')).toBeNull();
  });

  it('writes money in its currency', () => {
    expect(formatMoney(12_750, 'EUR')).toMatch(/127\.50/);
    expect(formatMoney(12_750, 'EUR')).toMatch(/€|EUR/);
    expect(formatMoney(1_200, 'JPY')).toMatch(/1,200/);
  });

  it('lists the parts issued to the order as what was taken, the waiting ones first', () => {
    const entries = [
      replicaRow(SCOPE, 'stock_entry', 'e1', { vessel_id: VESSEL, location_id: 'loc', part_id: 'filter', movement: 'issue', delta: '-2.5', work_order_id: ORDER, recorded_by: SAM, recorded_at: '2026-03-04T08:00:00Z' }),
      replicaRow(SCOPE, 'stock_entry', 'e2', { vessel_id: VESSEL, location_id: 'loc', part_id: 'filter', movement: 'receive', delta: '5', work_order_id: null, recorded_by: SAM, recorded_at: '2026-03-04T09:00:00Z' }),
    ];
    const taken = write('issue_part.v1', { id: 'e3', work_order_id: ORDER, location_id: 'LOC', part_id: 'filter', quantity: '1' });
    const used = partsUsedOf(ORDER, entries, [taken]);
    expect(used.map((p) => [p.id, formatQuantity(p.quantity), p.locationId, p.pending !== null])).toEqual([
      ['e3', '1', 'loc', true],
      ['e1', '2.5', 'loc', false],
    ]);
  });
});

/**
 * The work order edit's rules, as the server's (`NewWorkOrder::check`, `check_text`, the
 * estimate's 1–60,000 minutes), the form it starts from (the order with its waiting edit) and
 * exactly the arguments `update_work_order.v1` takes: every editable field, each time.
 */
import { describe, expect, it } from 'vitest';

import { replicaRow } from '../../../test/sync-page';
import { workOrdersOf } from '../api/work-orders';
import { assigneesKeptInPlace, editFieldsOf, editSchema, updateArgs, workOrderSchema, type EditFields } from './work-order-form';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const PUMP = '01900000-0000-7000-8000-000000000002';
const ORDER = '01900000-0000-7000-8000-0000000000d1';
const ME = '01900000-0000-7000-8000-0000000000a1';
const ENGINE = '01900000-0000-7000-8000-0000000000e1';

const valid = (over: Partial<EditFields> = {}): EditFields => ({
  title: 'Change the impeller',
  description: '',
  priority: 'normal',
  due_on: '',
  estimate: '',
  assignees: [],
  signature_required: false,
  ...over,
});
const messages = (v: EditFields) => {
  const r = editSchema.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the work order edit', () => {
  it('takes a title of 1–200 characters, counted as the server counts them, trimmed', () => {
    expect(messages(valid())).toEqual([]);
    expect(messages(valid({ title: '   ' }))).toEqual(['title: Say in a few words what is to be done.']);
    expect(messages(valid({ title: `  ${'a'.repeat(200)}  ` }))).toEqual([]);
    expect(messages(valid({ title: 'a'.repeat(201) }))).toEqual(['title: Keep the title to 200 characters.']);
    // 200 characters outside the BMP are 400 UTF-16 units, and still 200 characters.
    expect(messages(valid({ title: '⚓'.repeat(100) + '🛟'.repeat(100) }))).toEqual([]);
    expect(messages(valid({ title: 'Change\nthe impeller' }))).toEqual(['title: Keep the title to one line of plain text.']);
  });

  it('takes a description of at most 10,000 characters, with line breaks and tabs', () => {
    expect(messages(valid({ description: 'Drain first.\n\tThen open the cover.' }))).toEqual([]);
    expect(messages(valid({ description: 'x'.repeat(10_000) }))).toEqual([]);
    expect(messages(valid({ description: 'x'.repeat(10_001) }))).toEqual(['description: Keep the description to 10,000 characters.']);
    expect(messages(valid({ description: 'bell\u0007' }))).toEqual(['description: Keep the description to plain text.']);
  });

  it('takes an estimate from a minute to 1,000 hours (the server’s 1–60,000 minutes), and at most 20 assignees', () => {
    expect(messages(valid({ estimate: '1000' }))).toEqual([]);
    expect(messages(valid({ estimate: '0.017' }))).toEqual([]);
    for (const estimate of ['1000.01', '0', '0.001', 'an hour']) {
      expect(messages(valid({ estimate }))).toEqual(['estimate: Enter the hours it should take, e.g. 1.5 (a minute to 1,000 hours).']);
    }
    const many = Array.from({ length: 21 }, (_, i) => `person:01900000-0000-7000-8000-0000000001${String(i).padStart(2, '0')}`);
    expect(messages(valid({ assignees: many }))).toEqual(['assignees: At most 20 people and departments.']);
    expect(messages(valid({ assignees: many.slice(1) }))).toEqual([]);
  });

  it('checks a new work order’s title the same way', () => {
    const created = { equipment_id: PUMP, ...valid({ title: 'a'.repeat(201) }), steps: [] };
    expect(workOrderSchema.safeParse(created).error?.issues.map((i) => i.message)).toEqual(['Keep the title to 200 characters.']);
  });

  it('sends every editable field each time, empty ones as null, and nothing else', () => {
    expect(
      updateArgs(ORDER, valid({ title: '  Change the impeller and seal ', description: ' Bring the kit. ', priority: 'urgent', due_on: '2026-04-01', estimate: '1.5', assignees: [`person:${ME}`, `department:${ENGINE}`], signature_required: true })),
    ).toEqual({
      work_order_id: ORDER,
      title: 'Change the impeller and seal',
      description: 'Bring the kit.',
      priority: 'urgent',
      assignees: [
        { kind: 'person', user_id: ME },
        { kind: 'department', department_id: ENGINE },
      ],
      due_on: '2026-04-01',
      estimated_minutes: 90,
      signature_required: true,
    });
    expect(updateArgs(ORDER, valid())).toEqual({
      work_order_id: ORDER,
      title: 'Change the impeller',
      description: '',
      priority: 'normal',
      assignees: [],
      due_on: null,
      estimated_minutes: null,
      signature_required: false,
    });
  });

  it('keeps the assignees an edit leaves alone in their order, and adds the new ones after them', () => {
    const [person, engine, deck] = [`person:${ME}`, `department:${ENGINE}`, 'department:01900000-0000-7000-8000-0000000000e2'];
    // The form gives the boxes in the order they appeared: here the departments were drawn first.
    expect(assigneesKeptInPlace([person, deck], [engine, deck, person])).toEqual([person, deck, engine]);
    expect(assigneesKeptInPlace([person, deck], [engine, person])).toEqual([person, engine]);
    expect(assigneesKeptInPlace([], [engine, person])).toEqual([engine, person]);
    expect(assigneesKeptInPlace([person], [])).toEqual([]);
  });

  it('starts from the order as the device shows it, a waiting edit included, and sends it back unchanged', () => {
    const row = replicaRow(`vessel:${VESSEL}`, 'work_order', ORDER, {
      vessel_id: VESSEL, equipment_id: PUMP, origin: { kind: 'manual' }, title: 'Change the impeller', description: 'Bring the kit.',
      priority: 'high', assignees: [{ kind: 'person', user_id: ME }], due_on: '2026-03-20', estimated_minutes: 7, steps: [],
      signature_required: false, status: 'open',
    }, 12);
    const [plain] = workOrdersOf([row], [], []);
    if (!plain) throw new Error('no order');
    const fields = editFieldsOf(plain);
    expect(fields).toEqual({
      title: 'Change the impeller', description: 'Bring the kit.', priority: 'high', due_on: '2026-03-20', estimate: '0.117',
      assignees: [`person:${ME}`], signature_required: false,
    });
    expect(messages(fields)).toEqual([]);
    // Untouched, the edit names the values the order has (the estimate's minutes too).
    expect(updateArgs(ORDER, fields)).toMatchObject({ due_on: '2026-03-20', estimated_minutes: 7, assignees: [{ kind: 'person', user_id: ME }] });

    const waiting = {
      id: 1, name: 'update_work_order.v1', args: { ...updateArgs(ORDER, valid({ title: 'Change the impeller now', priority: 'urgent' })) },
      hlc: '', base_version: 12, state: 'queued' as const, queuedAt: 0, label: 'on this device',
    };
    const [edited] = workOrdersOf([row], [], [waiting]);
    if (!edited) throw new Error('no order');
    expect(editFieldsOf(edited)).toEqual(valid({ title: 'Change the impeller now', priority: 'urgent' }));
  });
});

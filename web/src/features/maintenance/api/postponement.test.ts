/** A postponement checked as the server checks `postpone_plan.v1`. */
import { describe, expect, it } from 'vitest';

import type { Criterion } from './criteria';
import { checkPostponement, postponeArgs, type PostponeFields } from './postponement';

const monthly: Criterion = { kind: 'calendar', every: 1, unit: 'months', basis: 'from_schedule', early: 7, late: 3 };
const hours: Criterion = { kind: 'running_hours', every: 500, early: 25, late: 25 };
const plan = { id: 'p1', occurrence: 4, criteria: [monthly, hours], dueOn: '2026-03-10', dueHours: 1500 };
const form = (over: Partial<PostponeFields> = {}): PostponeFields => ({ new_date: '', extra_hours: '', reason: 'Dry dock', requested_by: 'sam', ...over });
const codes = (v: PostponeFields, criteria = plan.criteria) =>
  Object.fromEntries(Object.entries(checkPostponement({ ...plan, criteria }, v, 'me')).map(([field, p]) => [field, p.code]));

describe('a postponement', () => {
  it('puts something off (`nothing_postponed`)', () => {
    expect(codes(form())).toEqual({ form: 'nothing_postponed' });
    // Extra hours mean nothing to a plan by the calendar only.
    expect(codes(form({ extra_hours: '50' }), [monthly])).toEqual({ form: 'nothing_postponed' });
  });

  it('moves later (`not_later`), before the next occurrence (`beyond_next`), each kind put off (`required`)', () => {
    expect(codes(form({ new_date: '2026-03-10' }), [monthly])).toEqual({ new_date: 'not_later' });
    expect(codes(form({ new_date: '2026-03-11' }), [monthly])).toEqual({});
    expect(codes(form({ new_date: '2026-04-09' }), [monthly])).toEqual({});
    expect(codes(form({ new_date: '2026-04-10' }), [monthly])).toEqual({ new_date: 'beyond_next' });
    expect(codes(form({ extra_hours: '0' }), [hours])).toEqual({ extra_hours: 'not_later' });
    expect(codes(form({ extra_hours: '500' }), [hours])).toEqual({});
    expect(codes(form({ extra_hours: '500.5' }), [hours])).toEqual({ extra_hours: 'beyond_next' });
    // A plan counting both is put off on both.
    expect(codes(form({ new_date: '2026-03-20' }))).toEqual({ extra_hours: 'required' });
    expect(codes(form({ extra_hours: '50' }))).toEqual({ new_date: 'required' });
    expect(codes(form({ new_date: '2026-03-20', extra_hours: '50' }))).toEqual({});
  });

  it('is asked for by someone other than the approver (`self_approval`), with a reason', () => {
    const both = { new_date: '2026-03-20', extra_hours: '50' };
    expect(codes(form({ ...both, requested_by: 'ME', reason: ' ' }))).toEqual({ requested_by: 'self_approval', reason: 'validation_failed' });
    expect(codes(form({ ...both, requested_by: '' }))).toEqual({ requested_by: 'validation_failed' });
  });

  it('is sent for the occurrence due now, with what it moves', () => {
    expect(postponeArgs('x1', plan, form({ new_date: '2026-03-20', extra_hours: ' 50 ' }))).toEqual({
      id: 'x1',
      plan_id: 'p1',
      occurrence: 4,
      new_date: '2026-03-20',
      extra_hours: 50,
      reason: 'Dry dock',
      requested_by: 'sam',
    });
  });
});

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

  it('moves later (`not_later`), up to the next occurrence (`beyond_next`), edges allowed', () => {
    expect(codes(form({ new_date: '2026-03-10' }))).toEqual({ new_date: 'not_later' });
    expect(codes(form({ new_date: '2026-03-11' }))).toEqual({});
    expect(codes(form({ new_date: '2026-04-10' }))).toEqual({});
    expect(codes(form({ new_date: '2026-04-11' }))).toEqual({ new_date: 'beyond_next' });
    expect(codes(form({ extra_hours: '0' }))).toEqual({ extra_hours: 'not_later' });
    expect(codes(form({ extra_hours: '500' }))).toEqual({});
    expect(codes(form({ extra_hours: '500.5' }))).toEqual({ extra_hours: 'beyond_next' });
  });

  it('is asked for by someone other than the approver (`self_approval`), with a reason', () => {
    expect(codes(form({ new_date: '2026-03-20', requested_by: 'ME', reason: ' ' }))).toEqual({ requested_by: 'self_approval', reason: 'validation_failed' });
    expect(codes(form({ new_date: '2026-03-20', requested_by: '' }))).toEqual({ requested_by: 'validation_failed' });
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

/** The plan form's rules, as the server's: criteria count and kinds, tolerances, start hours. */
import { describe, expect, it } from 'vitest';

import { blankCriterion, createPlanArgs, hoursIn, newPlanFields, planSchema, updatePlanArgs, wholeIn, type PlanFields } from './plan-form';

const valid = (over: Partial<PlanFields> = {}): PlanFields => ({ ...newPlanFields('engine', '2026-03-10'), title: 'Change the oil', ...over });
const messages = (v: PlanFields) => {
  const r = planSchema.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the plan form', () => {
  it('takes a plan by the calendar', () => {
    expect(messages(valid())).toEqual([]);
  });

  it('wants one to three criteria (`criteria_count`)', () => {
    expect(messages(valid({ criteria: [] }))).toEqual(['criteria: Give 1 to 3 criteria: when the work falls due.']);
    expect(messages(valid({ criteria: [blankCriterion(), blankCriterion(), blankCriterion(), blankCriterion()] }))).toEqual([
      'criteria: Give 1 to 3 criteria: when the work falls due.',
    ]);
  });

  it('takes at most one criterion by running hours (`duplicate_hours`), and then its start hours', () => {
    const hours = blankCriterion('running_hours');
    expect(messages(valid({ criteria: [hours, hours], start_hours: '100' }))).toEqual(['criteria: At most one criterion by running hours.']);
    expect(messages(valid({ criteria: [blankCriterion(), hours] }))).toEqual([
      'start_hours: Give the item’s running hours the schedule starts from, e.g. 1200.',
    ]);
    expect(messages(valid({ criteria: [blankCriterion(), hours], start_hours: '1200.5' }))).toEqual([]);
  });

  it('checks each criterion’s interval and tolerances', () => {
    const calendar = { ...blankCriterion(), every: '0', early: '1.5', late: '-1' };
    expect(messages(valid({ criteria: [calendar] }))).toEqual([
      'criteria.0.every: A whole number from 1 to 1000.',
      'criteria.0.early: Whole days, 0 to 3650.',
      'criteria.0.late: Whole days, 0 to 3650.',
    ]);
    const hours = { ...blankCriterion('running_hours'), every: '0', early: 'soon', late: '12.5' };
    expect(messages(valid({ criteria: [hours], start_hours: '0' }))).toEqual(['criteria.0.every: Hours above 0, e.g. 500.', 'criteria.0.early: Hours, 0 or more, e.g. 25.']);
  });

  it('checks the item, title, start day, lead days and estimate', () => {
    expect(messages(valid({ equipment_id: '', title: ' ', starts_on: '', lead_days: '400', estimate: 'long' }))).toEqual([
      'equipment_id: Choose the item the plan looks after.',
      'title: Say in a few words what is to be done.',
      'starts_on: Choose the day the schedule starts from.',
      'lead_days: Whole days, 0 to 365.',
      'estimate: Enter the hours it should take, e.g. 1.5 (a minute to 1,000 hours).',
    ]);
  });

  it('sends the schedule as numbers, start hours only when hours count', () => {
    const v = valid({ criteria: [{ ...blankCriterion(), every: '6', early: '14', late: '7', basis: 'from_completion' }], start_hours: '999', estimate: '1.5' });
    expect(createPlanArgs('p1', v)).toEqual({
      id: 'p1',
      equipment_id: 'engine',
      title: 'Change the oil',
      description: '',
      priority: 'normal',
      criteria: [{ kind: 'calendar', every: 6, unit: 'months', basis: 'from_completion', early: 14, late: 7 }],
      starts_on: '2026-03-10',
      start_hours: null,
      lead_days: 14,
      steps: [],
      signature_required: false,
      estimated_minutes: 90,
      assignees: [],
    });
    const byHours = valid({ criteria: [{ ...blankCriterion('running_hours'), every: '250,5' }], start_hours: '1200', assignees: ['person:u1', 'department:d1'] });
    expect(updatePlanArgs('p1', byHours)).toMatchObject({
      plan_id: 'p1',
      criteria: [{ kind: 'running_hours', every: 250.5, early: 25, late: 25 }],
      start_hours: 1200,
      assignees: [
        { kind: 'person', user_id: 'u1' },
        { kind: 'department', department_id: 'd1' },
      ],
    });
  });

  it('reads typed numbers strictly', () => {
    expect(wholeIn(' 12 ', 0, 20)).toBe(12);
    expect(wholeIn('1e1', 0, 20)).toBeNull();
    expect(hoursIn('12,25', 0, 20)).toBe(12.25);
    expect(hoursIn('12.255', 0, 20)).toBeNull();
  });
});

/**
 * The due state, as the server judges it: the windows' edges belong to them, and the plan is as
 * far along as its most advanced criterion.
 */
import { describe, expect, it } from 'vitest';

import type { Criterion } from './criteria';
import { criterionStates, daysBetween, dayNumber, dueState, stateOfDelta } from './due-state';

const monthly = (early = 7, late = 3): Criterion => ({ kind: 'calendar', every: 1, unit: 'months', basis: 'from_schedule', early, late });
const hours = (early = 50, late = 25): Criterion => ({ kind: 'running_hours', every: 500, early, late });

describe('the state of one criterion', () => {
  it('is not due before the early window', () => {
    expect(stateOfDelta(-8, 7, 3)).toBe('not_due');
    expect(stateOfDelta(-1000, 7, 3)).toBe('not_due');
  });

  it('is due soon from the early window’s first day (the edge included) until the due point', () => {
    expect(stateOfDelta(-7, 7, 3)).toBe('due_soon');
    expect(stateOfDelta(-1, 7, 3)).toBe('due_soon');
    expect(stateOfDelta(-0.5, 7, 3)).toBe('due_soon');
  });

  it('is due at the due point', () => {
    expect(stateOfDelta(0, 7, 3)).toBe('due');
  });

  it('is late inside the late tolerance, its last day included', () => {
    expect(stateOfDelta(1, 7, 3)).toBe('late');
    expect(stateOfDelta(3, 7, 3)).toBe('late');
  });

  it('is overdue beyond the late tolerance', () => {
    expect(stateOfDelta(4, 7, 3)).toBe('overdue');
    expect(stateOfDelta(3.1, 7, 3)).toBe('overdue');
  });

  it('without tolerances goes from not due straight to due, then overdue', () => {
    expect(stateOfDelta(-1, 0, 0)).toBe('not_due');
    expect(stateOfDelta(0, 0, 0)).toBe('due');
    expect(stateOfDelta(1, 0, 0)).toBe('overdue');
  });
});

describe('days', () => {
  it('counts whole days across months, years and leap days', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
  });

  it('refuses what is not a day', () => {
    expect(dayNumber('2026-02-30')).toBeNull();
    expect(dayNumber('today')).toBeNull();
    expect(daysBetween('2026-01-01', '')).toBeNull();
  });
});

describe('the state of a plan', () => {
  const due = (dueOn: string | null, dueHours: number | null, criteria: Criterion[]) => ({ criteria, dueOn, dueHours });

  it('judges a calendar criterion against today', () => {
    const plan = due('2026-03-10', null, [monthly()]);
    expect(dueState(plan, '2026-03-02', null)).toBe('not_due');
    expect(dueState(plan, '2026-03-03', null)).toBe('due_soon');
    expect(dueState(plan, '2026-03-10', null)).toBe('due');
    expect(dueState(plan, '2026-03-13', null)).toBe('late');
    expect(dueState(plan, '2026-03-14', null)).toBe('overdue');
  });

  it('judges a running-hours criterion against the item’s hours', () => {
    const plan = due(null, 1500, [hours()]);
    expect(dueState(plan, '2026-03-10', 1449)).toBe('not_due');
    expect(dueState(plan, '2026-03-10', 1450)).toBe('due_soon');
    expect(dueState(plan, '2026-03-10', 1500)).toBe('due');
    expect(dueState(plan, '2026-03-10', 1525)).toBe('late');
    expect(dueState(plan, '2026-03-10', 1525.5)).toBe('overdue');
  });

  it('is as far along as its most advanced criterion', () => {
    const plan = due('2026-03-10', 1500, [monthly(), hours()]);
    // By date not due, by hours late.
    expect(dueState(plan, '2026-02-01', 1510)).toBe('late');
    // By date overdue, by hours not due.
    expect(criterionStates(plan, '2026-03-20', 1000)).toEqual(['overdue', 'not_due']);
    expect(dueState(plan, '2026-03-20', 1000)).toBe('overdue');
  });

  it('judges several calendar criteria against the one due day, each with its tolerances', () => {
    const plan = due('2026-03-10', null, [monthly(7, 10), monthly(2, 1)]);
    expect(criterionStates(plan, '2026-03-05', null)).toEqual(['due_soon', 'not_due']);
    expect(dueState(plan, '2026-03-12', null)).toBe('overdue');
  });

  it('leaves out what it cannot judge: no hours read yet, no due day', () => {
    expect(dueState(due('2026-03-10', 1500, [monthly(), hours()]), '2026-03-01', null)).toBe('not_due');
    expect(dueState(due(null, 1500, [monthly(), hours()]), '2026-03-01', 1500)).toBe('due');
    expect(dueState(due(null, null, [monthly()]), '2026-03-01', 10)).toBe('not_due');
  });
});

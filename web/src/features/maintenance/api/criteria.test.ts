/**
 * Criteria read defensively, said in words, and the calendar arithmetic of a plan made offline
 * and of a postponement's bound.
 */
import { describe, expect, it } from 'vitest';

import { addInterval, criteriaOf, describeCriterion, firstDue, latestPostponement, summarizeCriteria, type CalendarCriterion, type Criterion } from './criteria';

const months = (every: number): CalendarCriterion => ({ kind: 'calendar', every, unit: 'months', basis: 'from_schedule', early: 7, late: 7 });
const hours = (every: number): Criterion => ({ kind: 'running_hours', every, early: 50, late: 50 });

describe('criteria in words', () => {
  it('says one criterion plainly', () => {
    expect(summarizeCriteria([months(6)])).toBe('every 6 months');
    expect(summarizeCriteria([months(1)])).toBe('every month');
    expect(summarizeCriteria([hours(500)])).toBe('every 500 h');
  });

  it('says several with “whichever first”', () => {
    expect(summarizeCriteria([months(6), hours(500)])).toBe('every 6 months or 500 h, whichever first');
    expect(summarizeCriteria([{ ...months(2), unit: 'weeks' }, months(6), hours(1250.5)])).toBe('every 2 weeks, 6 months or 1,250.5 h, whichever first');
  });

  it('says none', () => {
    expect(summarizeCriteria([])).toBe('No schedule');
  });

  it('gives one criterion in full', () => {
    expect(describeCriterion({ ...months(1), basis: 'from_completion', early: 1, late: 0 })).toBe('Every month, from the last completion · early 1 day, late none');
    expect(describeCriterion(hours(500))).toBe('Every 500 h of running · early 50 h, late 50 h');
  });
});

describe('criteria from the server', () => {
  it('reads both kinds and leaves out what is malformed', () => {
    expect(
      criteriaOf([
        { kind: 'calendar', every: 6, unit: 'months', basis: 'from_completion', early: 7, late: 14 },
        { kind: 'running_hours', every: 500, early: 25, late: 25 },
        { kind: 'calendar', every: 6, unit: 'fortnights', basis: 'from_schedule', early: 0, late: 0 },
        { kind: 'running_hours', every: -5, early: 0, late: 0 },
        'every day',
      ]),
    ).toEqual([
      { kind: 'calendar', every: 6, unit: 'months', basis: 'from_completion', early: 7, late: 14 },
      { kind: 'running_hours', every: 500, early: 25, late: 25 },
    ]);
    expect(criteriaOf(null)).toEqual([]);
  });
});

describe('calendar arithmetic', () => {
  it('adds days, weeks, months and years, a month’s end kept within the month', () => {
    expect(addInterval('2026-03-10', 10, 'days')).toBe('2026-03-20');
    expect(addInterval('2026-12-28', 1, 'weeks')).toBe('2027-01-04');
    expect(addInterval('2026-01-31', 1, 'months')).toBe('2026-02-28');
    expect(addInterval('2028-01-31', 1, 'months')).toBe('2028-02-29');
    expect(addInterval('2026-11-15', 3, 'months')).toBe('2027-02-15');
    expect(addInterval('2028-02-29', 1, 'years')).toBe('2029-02-28');
    expect(addInterval('soon', 1, 'years')).toBeNull();
  });

  it('puts a new plan’s first due one interval after its start, the earliest calendar one counting', () => {
    expect(firstDue([months(6), { ...months(2), unit: 'weeks' }, hours(500)], '2026-03-10', 1200)).toEqual({ dueOn: '2026-03-24', dueHours: 1700 });
    expect(firstDue([hours(500)], '2026-03-10', null)).toEqual({ dueOn: null, dueHours: null });
  });

  it('bounds a postponement by the next occurrence of the shortest calendar interval', () => {
    expect(latestPostponement([months(6), months(1)], '2026-03-10')).toBe('2026-04-10');
    expect(latestPostponement([hours(500)], '2026-03-10')).toBeNull();
  });
});

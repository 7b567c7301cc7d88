/** The month grid: Monday first, whole weeks, the neighbouring months' days marked. */
import { describe, expect, it } from 'vitest';

import { entriesByDay, isMonth, monthGrid, shiftMonth } from './calendar';

describe('the month grid', () => {
  it('starts on the Monday on or before the first and ends on the Sunday on or after the last', () => {
    // March 2026 starts on a Sunday and ends on a Tuesday.
    const weeks = monthGrid('2026-03');
    expect(weeks).toHaveLength(6);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks[0]?.[0]).toEqual({ day: '2026-02-23', inMonth: false });
    expect(weeks[0]?.[6]).toEqual({ day: '2026-03-01', inMonth: true });
    expect(weeks[5]?.[1]).toEqual({ day: '2026-03-31', inMonth: true });
    expect(weeks[5]?.[6]).toEqual({ day: '2026-04-05', inMonth: false });
    expect(weeks.flat().filter((d) => d.inMonth)).toHaveLength(31);
  });

  it('takes four weeks for a February that starts on a Monday', () => {
    const weeks = monthGrid('2027-02');
    expect(weeks).toHaveLength(4);
    expect(weeks[0]?.[0]?.day).toBe('2027-02-01');
    expect(weeks[3]?.[6]?.day).toBe('2027-02-28');
  });

  it('counts leap days', () => {
    expect(monthGrid('2028-02').flat().filter((d) => d.inMonth)).toHaveLength(29);
  });

  it('draws nothing for what is not a month', () => {
    expect(monthGrid('2026-13')).toEqual([]);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-01')).toBe(true);
  });
});

describe('moving between months', () => {
  it('crosses years both ways', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-05', 0)).toBe('2026-05');
  });
});

describe('the agenda', () => {
  it('keeps the month’s entries by day, in order, each day by title', () => {
    const byDay = entriesByDay(
      [
        { day: '2026-03-10', kind: 'plan', id: 'b', title: 'Oil change' },
        { day: '2026-03-02', kind: 'work_order', id: 'c', title: 'Paint' },
        { day: '2026-03-10', kind: 'work_order', id: 'a', title: 'Bilge alarm test' },
        { day: '2026-04-01', kind: 'plan', id: 'd', title: 'Next month' },
      ],
      '2026-03',
    );
    expect([...byDay.keys()]).toEqual(['2026-03-02', '2026-03-10']);
    expect(byDay.get('2026-03-10')?.map((e) => e.title)).toEqual(['Bilge alarm test', 'Oil change']);
  });
});

/**
 * The maintenance calendar's arithmetic, pure: a month as weeks of days (Monday first, the days
 * of the months either side filling the first and last weeks), moving a month back or on, and
 * the month's due dates grouped by day for the agenda a phone shows.
 */

/** A month: `YYYY-MM`. */
export type Month = string;

/** One day of the grid. */
export interface GridDay {
  /** `YYYY-MM-DD`. */
  day: string;
  /** Whether it belongs to the month shown (else it fills the first or last week). */
  inMonth: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayText = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The month of a `YYYY-MM-DD` day. */
export const monthOf = (day: string): Month => day.slice(0, 7);

/** A `YYYY-MM` month's year and zero-based month; null when it is not one. */
function parseMonth(month: Month): { year: number; index: number } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const index = Number(m[2]) - 1;
  return index >= 0 && index < 12 ? { year: Number(m[1]), index } : null;
}

/** Whether the text is a `YYYY-MM` month. */
export const isMonth = (text: string | null): text is Month => text !== null && parseMonth(text) !== null;

/** The month `by` months after `month` (before, when negative). */
export function shiftMonth(month: Month, by: number): Month {
  const p = parseMonth(month);
  if (!p) return month;
  const d = new Date(Date.UTC(p.year, p.index + by, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** The month's weeks, Monday to Sunday, each of seven days; four to six weeks. */
export function monthGrid(month: Month): GridDay[][] {
  const p = parseMonth(month);
  if (!p) return [];
  const first = new Date(Date.UTC(p.year, p.index, 1));
  // Monday = 0 … Sunday = 6.
  const lead = (first.getUTCDay() + 6) % 7;
  const days = new Date(Date.UTC(p.year, p.index + 1, 0)).getUTCDate();
  const cells = Math.ceil((lead + days) / 7) * 7;
  const weeks: GridDay[][] = [];
  for (let i = 0; i < cells; i += 1) {
    const d = new Date(Date.UTC(p.year, p.index, 1 - lead + i));
    if (i % 7 === 0) weeks.push([]);
    weeks[weeks.length - 1]?.push({ day: dayText(d), inMonth: d.getUTCMonth() === p.index });
  }
  return weeks;
}

/** The month's name and year in the person's language: "March 2026". */
export function monthTitle(month: Month): string {
  const p = parseMonth(month);
  if (!p) return month;
  return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(p.year, p.index, 1)));
}

/** Something due on a day. */
export interface DueEntry {
  /** `YYYY-MM-DD`. */
  day: string;
  kind: 'plan' | 'work_order';
  id: string;
  title: string;
}

/** The entries due in `month`, by day (days in order, each day's entries by title). */
export function entriesByDay<T extends DueEntry>(entries: readonly T[], month: Month): Map<string, T[]> {
  const byDay = new Map<string, T[]>();
  for (const e of [...entries].sort((a, b) => a.day.localeCompare(b.day) || a.title.localeCompare(b.title))) {
    if (monthOf(e.day) !== month) continue;
    byDay.set(e.day, [...(byDay.get(e.day) ?? []), e]);
  }
  return byDay;
}

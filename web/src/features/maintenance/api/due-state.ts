/**
 * How far along a maintenance plan is, judged on the device as the server judges it: for each
 * criterion, `delta` is today − the due day (in days) or the item's running hours − the hours
 * it is due at; below −early it is not due, from −early to just before 0 it is due soon (the
 * early window), at 0 it is due, above 0 up to `late` it is late (inside the late tolerance),
 * beyond that overdue. The window's edges belong to it: −early is "due soon", +late is "late".
 * The plan is as far along as its most advanced criterion.
 *
 * The plan row gives one calendar due day (`due_on`, its earliest calendar criterion's) and one
 * due total of hours (`due_hours`); every calendar criterion is judged against that day with its
 * own tolerances, so the strictest one counts.
 */
import type { Criterion } from './criteria';

/** Where a plan stands, least to most pressing. */
export const DUE_STATES = ['not_due', 'due_soon', 'due', 'late', 'overdue'] as const;
/** Where a plan (or one criterion) stands. */
export type DueState = (typeof DUE_STATES)[number];

/** The state of one criterion whose `delta` (days or hours past due) is known. */
export function stateOfDelta(delta: number, early: number, late: number): DueState {
  if (delta < -early) return 'not_due';
  if (delta < 0) return 'due_soon';
  if (delta === 0) return 'due';
  if (delta <= late) return 'late';
  return 'overdue';
}

const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` day as days since 1970-01-01; null when it is not one. */
export function dayNumber(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(year, month - 1, date);
  const back = new Date(at);
  // 2026-02-30 is no day.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) return null;
  return Math.round(at / DAY_MS);
}

/** `to` − `from` in whole days; null when either is not a day. */
export function daysBetween(from: string, to: string): number | null {
  const a = dayNumber(from);
  const b = dayNumber(to);
  return a === null || b === null ? null : b - a;
}

/** What the judgement needs of a plan. */
export interface DueFacts {
  criteria: readonly Criterion[];
  dueOn: string | null;
  dueHours: number | null;
}

/** How far along each criterion is (null: nothing to judge it by: no due day, or no hours yet). */
export function criterionStates(plan: DueFacts, today: string, hoursNow: number | null): (DueState | null)[] {
  return plan.criteria.map((c) => {
    if (c.kind === 'calendar') {
      const delta = plan.dueOn === null ? null : daysBetween(plan.dueOn, today);
      return delta === null ? null : stateOfDelta(delta, c.early, c.late);
    }
    if (plan.dueHours === null || hoursNow === null) return null;
    return stateOfDelta(hoursNow - plan.dueHours, c.early, c.late);
  });
}

/** The plan's state: its most advanced criterion's ("not due" when none can be judged). */
export function dueState(plan: DueFacts, today: string, hoursNow: number | null): DueState {
  let worst = 0;
  for (const s of criterionStates(plan, today, hoursNow)) {
    if (s !== null) worst = Math.max(worst, DUE_STATES.indexOf(s));
  }
  return DUE_STATES[worst] ?? 'not_due';
}

/** Whether a state asks for the work now or soon (the list's "due soon" filter keeps these). */
export const isComingUp = (s: DueState) => s !== 'not_due';

/** Whether a state is past the due point (the list's "overdue" filter: late or overdue). */
export const isPastDue = (s: DueState) => s === 'late' || s === 'overdue';

/** Today on this device, `YYYY-MM-DD` (due dates are days, not moments). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * A maintenance plan's criteria — when it falls due: every so many days, weeks, months or years
 * (counted from the schedule or from the last completion), or every so many running hours,
 * whichever comes first — read from a row or a queued write, said in words ("every 6 months or
 * 500 h, whichever first"), and the calendar arithmetic the device needs for a plan it created
 * offline (its first due day) and for a postponement's bound (the next occurrence).
 */
import type { JsonValue } from '../../../sync/checksum';

export const CALENDAR_UNITS = ['days', 'weeks', 'months', 'years'] as const;
/** The unit of a calendar interval. */
export type CalendarUnit = (typeof CALENDAR_UNITS)[number];

export const BASES = ['from_schedule', 'from_completion'] as const;
/** What a calendar interval counts from. */
export type Basis = (typeof BASES)[number];

/** Every so many days, weeks, months or years; tolerances in days. */
export interface CalendarCriterion {
  kind: 'calendar';
  every: number;
  unit: CalendarUnit;
  basis: Basis;
  early: number;
  late: number;
}

/** Every so many running hours; tolerances in hours. */
export interface HoursCriterion {
  kind: 'running_hours';
  every: number;
  early: number;
  late: number;
}

/** One criterion of a plan. */
export type Criterion = CalendarCriterion | HoursCriterion;

const isObject = (v: JsonValue | undefined): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The criteria of a row or a queued write; a malformed one is left out. */
export function criteriaOf(v: JsonValue | undefined): Criterion[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((c): Criterion[] => {
    if (!isObject(c)) return [];
    const every = num(c.every);
    if (every === null || every <= 0) return [];
    const early = Math.max(0, num(c.early) ?? 0);
    const late = Math.max(0, num(c.late) ?? 0);
    if (c.kind === 'running_hours') return [{ kind: 'running_hours', every, early, late }];
    if (c.kind === 'calendar' && typeof c.unit === 'string' && (CALENDAR_UNITS as readonly string[]).includes(c.unit)) {
      const basis: Basis = c.basis === 'from_completion' ? 'from_completion' : 'from_schedule';
      return [{ kind: 'calendar', every, unit: c.unit as CalendarUnit, basis, early, late }];
    }
    return [];
  });
}

/** The criteria as the mutators send them. */
export function criteriaArgs(criteria: readonly Criterion[]): JsonValue {
  return criteria.map((c) =>
    c.kind === 'calendar'
      ? { kind: 'calendar', every: c.every, unit: c.unit, basis: c.basis, early: c.early, late: c.late }
      : { kind: 'running_hours', every: c.every, early: c.early, late: c.late },
  );
}

const SINGULAR: Record<CalendarUnit, string> = { days: 'day', weeks: 'week', months: 'month', years: 'year' };

/** Hours as the plans show them: "500 h", "12.5 h". */
export function formatPlanHours(hours: number): string {
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(hours)} h`;
}

/** One criterion's interval in words: "6 months", "month", "500 h". */
function interval(c: Criterion): string {
  if (c.kind === 'running_hours') return formatPlanHours(c.every);
  return c.every === 1 ? SINGULAR[c.unit] : `${c.every} ${c.unit}`;
}

/** The criteria in words: "every 6 months or 500 h, whichever first". */
export function summarizeCriteria(criteria: readonly Criterion[]): string {
  if (criteria.length === 0) return 'No schedule';
  const parts = criteria.map(interval);
  const last = parts.pop() ?? '';
  const joined = parts.length === 0 ? last : `${parts.join(', ')} or ${last}`;
  return criteria.length > 1 ? `every ${joined}, whichever first` : `every ${joined}`;
}

/** One criterion in full: its interval, what it counts from, and its tolerances. */
export function describeCriterion(c: Criterion): string {
  const tolerance = (n: number, unit: string) => (n === 0 ? 'none' : c.kind === 'running_hours' ? formatPlanHours(n) : `${n} ${n === 1 ? unit : `${unit}s`}`);
  if (c.kind === 'running_hours') {
    return `Every ${interval(c)} of running · early ${tolerance(c.early, 'h')}, late ${tolerance(c.late, 'h')}`;
  }
  const from = c.basis === 'from_completion' ? 'from the last completion' : 'on the schedule';
  return `Every ${interval(c)}, ${from} · early ${tolerance(c.early, 'day')}, late ${tolerance(c.late, 'day')}`;
}

/** `YYYY-MM-DD` of a UTC date. */
const dayText = (d: Date) => d.toISOString().slice(0, 10);

/**
 * `day` moved on by `every` `unit`s; a month or a year landing past the month's end stays on its
 * last day (31 January + 1 month = 28 or 29 February). Null when `day` is not a day.
 */
export function addInterval(day: string, every: number, unit: CalendarUnit): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [year, month, date] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  if (unit === 'days' || unit === 'weeks') {
    return dayText(new Date(Date.UTC(year, month, date + every * (unit === 'weeks' ? 7 : 1))));
  }
  const months = unit === 'years' ? every * 12 : every;
  const target = new Date(Date.UTC(year, month + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return dayText(target);
}

/**
 * The first due of a plan not yet on the server: each calendar criterion's interval after
 * `starts_on` (the earliest counts), and the running-hours interval after `start_hours`.
 */
export function firstDue(criteria: readonly Criterion[], startsOn: string, startHours: number | null): { dueOn: string | null; dueHours: number | null } {
  let dueOn: string | null = null;
  let dueHours: number | null = null;
  for (const c of criteria) {
    if (c.kind === 'calendar') {
      const at = addInterval(startsOn, c.every, c.unit);
      if (at !== null && (dueOn === null || at < dueOn)) dueOn = at;
    } else if (startHours !== null) {
      dueHours = startHours + c.every;
    }
  }
  return { dueOn, dueHours };
}

/**
 * The latest day an occurrence due on `dueOn` may be put off to: the next occurrence's due day
 * by the shortest calendar interval (a postponement beyond it is `beyond_next`).
 */
export function latestPostponement(criteria: readonly Criterion[], dueOn: string): string | null {
  let latest: string | null = null;
  for (const c of criteria) {
    if (c.kind !== 'calendar') continue;
    const next = addInterval(dueOn, c.every, c.unit);
    if (next !== null && (latest === null || next < latest)) latest = next;
  }
  return latest;
}

/** The running-hours criterion, if the plan has one. */
export const hoursCriterion = (criteria: readonly Criterion[]): HoursCriterion | null =>
  criteria.find((c): c is HoursCriterion => c.kind === 'running_hours') ?? null;

/** Whether the plan has a calendar criterion. */
export const hasCalendar = (criteria: readonly Criterion[]) => criteria.some((c) => c.kind === 'calendar');

/**
 * Dates and times in the person's own locale.
 */
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "3 Mar 2026"; the text as it is when it is not a date. */
export function formatDate(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : DATE.format(at);
}

/** "3 Mar 2026, 14:05"; the text as it is when it is not a date. */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : DATE_TIME.format(at);
}

/** Whether the moment has passed. */
export function isPast(iso: string, now: number = Date.now()): boolean {
  const at = Date.parse(iso);
  return !Number.isNaN(at) && at <= now;
}

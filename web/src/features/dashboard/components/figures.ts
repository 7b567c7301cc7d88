/**
 * How the dashboard writes its figures: durations in hours or days, money in its currency.
 */

/** "12.5 h" from seconds; "—" when there is nothing to average. */
export function formatHours(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return `${roundTo(seconds / 3600, 1).toLocaleString()} h`;
}

/** Hours from seconds, one decimal, for a chart's axis. */
export function toHours(seconds: number | null | undefined): number {
  return seconds === null || seconds === undefined ? 0 : roundTo(seconds / 3600, 1);
}

/** "3.2 days" from seconds; "—" when there is nothing to average. */
export function formatDays(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const days = roundTo(seconds / 86_400, 1);
  return `${days.toLocaleString()} ${days === 1 ? 'day' : 'days'}`;
}

/** An amount in minor units in its currency: "NOK 1,234.50". */
export function formatMoney(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);
  } catch {
    // An unknown code: say it as it came.
    return `${currency} ${(minor / 100).toFixed(2)}`;
  }
}

/** Major units of an amount, for a chart's axis. */
export function toMajor(minor: number): number {
  return roundTo(minor / 100, 2);
}

function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

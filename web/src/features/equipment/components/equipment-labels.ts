/**
 * Words for the codes the equipment API sends (`engine_room`, `in_progress`, ...), and the
 * formats of its numbers and times.
 */

const WORDS: Record<string, string> = {
  // Levels.
  system: 'System',
  equipment: 'Equipment',
  component: 'Component',
  // Areas.
  engine_room: 'Engine room',
  deck: 'Deck',
  bridge: 'Bridge',
  accommodation: 'Accommodation',
  cargo: 'Cargo',
  electrical: 'Electrical',
  hull: 'Hull',
  other: 'Other',
  // Criticality and severity.
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
  // Equipment status.
  operational: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
  decommissioned: 'Decommissioned',
  // Fault status.
  open: 'Open',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  awaiting_parts: 'Awaiting parts',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** The code in words; a code this version does not know is shown readably as it is. */
export function wordFor(code: string): string {
  const known = WORDS[code];
  if (known !== undefined) return known;
  const spaced = code.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const HOURS = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Running hours, e.g. "12,345.5 h". */
export function formatHours(hours: number): string {
  return `${HOURS.format(hours)} h`;
}

/** A day, e.g. "3 Mar 2026", in the reader's locale. */
export function formatDate(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : DATE.format(at);
}

/** A moment, e.g. "3 Mar 2026, 14:05", in the reader's locale. */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : DATE_TIME.format(at);
}

/** A repair time, coarse as people say it: "45 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const minutes = Math.max(0, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

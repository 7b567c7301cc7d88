/**
 * Fault reports still waiting on this device: the `report_fault.v1` writes in the outbox (queued,
 * sent, or refused and not dismissed), read from their arguments so that every page showing a
 * fault history (the fault lists, an item's page) shows a report made offline at once.
 */
import type { PendingWrite } from './local-writes';

/** The mutator that reports a fault. */
export const REPORT_FAULT = 'report_fault.v1';

/** A fault report not yet accepted by the server, as its arguments say. */
export interface PendingFaultReport {
  /** The client-made id the fault will keep (lowercase). */
  id: string;
  /** The item it is about (lowercase). */
  equipmentId: string;
  /** As typed; the server checks it against its list. */
  severity: string;
  title: string;
  description: string;
  /** When it was seen: the report's own time, else when it was queued. */
  observedAt: string;
  /** The write itself, with how far it has got. */
  write: PendingWrite;
}

const text = (w: PendingWrite, name: string): string => {
  const v = w.args[name];
  return typeof v === 'string' ? v : '';
};

/** The fault reports among `writes`, in the writes' order. */
export function pendingFaultReports(writes: readonly PendingWrite[]): PendingFaultReport[] {
  return writes
    .filter((w) => w.name === REPORT_FAULT)
    .map((w) => ({
      id: text(w, 'id').toLowerCase(),
      equipmentId: text(w, 'equipment_id').toLowerCase(),
      severity: text(w, 'severity'),
      title: text(w, 'title'),
      description: text(w, 'description'),
      observedAt: text(w, 'observed_at') || new Date(w.queuedAt).toISOString(),
      write: w,
    }));
}

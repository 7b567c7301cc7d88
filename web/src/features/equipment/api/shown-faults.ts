/**
 * An item's fault history as the device knows it: the confirmed faults (from the replica or the
 * API) and the reports of faults on it still waiting on this device, marked with how far they
 * have got, as the fault lists show them (`components/fault-reports.ts`).
 */
import { useMemo } from 'react';

import type { EquipmentFaultView } from '../../../api/types';
import { pendingFaultReports } from '../../../components/fault-reports';
import { usePendingWrites, type PendingWrite } from '../../../components/local-writes';

/** A fault as the item's page shows it; `pending` while the server has not accepted its report. */
export type ShownFault = EquipmentFaultView & { pending?: PendingWrite };

const SEVERITIES: readonly string[] = ['low', 'medium', 'high', 'critical'] satisfies EquipmentFaultView['severity'][];

const isSeverity = (s: string): s is EquipmentFaultView['severity'] => SEVERITIES.includes(s);

/**
 * The item's faults, newest first: `confirmed` and the reports about it in `writes`. A report
 * the server has accepted and the confirmed faults already hold shows once, as confirmed.
 */
export function shownFaults(equipmentId: string, confirmed: readonly EquipmentFaultView[], writes: readonly PendingWrite[]): ShownFault[] {
  const id = equipmentId.toLowerCase();
  const held = new Set(confirmed.map((f) => f.id.toLowerCase()));
  const waiting = pendingFaultReports(writes)
    .filter((r) => r.equipmentId === id && !held.has(r.id))
    .map(
      (r): ShownFault => ({
        id: r.id,
        title: r.title,
        severity: isSeverity(r.severity) ? r.severity : 'medium',
        status: 'open',
        observed_at: r.observedAt,
        resolved_at: null,
        pending: r.write,
      }),
    );
  return [...waiting, ...confirmed].sort((a, b) => b.observed_at.localeCompare(a.observed_at) || b.id.localeCompare(a.id));
}

/** The item's faults with the reports still on this device (none before the sync client starts). */
export function useShownFaults(equipmentId: string, confirmed: readonly EquipmentFaultView[]): ShownFault[] {
  const writes = usePendingWrites();
  return useMemo(() => shownFaults(equipmentId, confirmed, writes ?? []), [equipmentId, confirmed, writes]);
}

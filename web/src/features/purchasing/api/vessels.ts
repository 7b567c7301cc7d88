/**
 * The vessels purchasing is done for, from the replica: those the person reaches (their
 * requisitions and orders arrive with the vessel's scope), by name; and the vessel of a fault or
 * a work order a requisition is raised for.
 */
import { useMemo } from 'react';

import { pendingFaultReports } from '../../../components/fault-reports';
import { fieldsOf, textOf, useEntityRows, usePendingWrites } from '../../../components/local-writes';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRow } from '../../../sync/replica-queries';

/** The vessels on this device by name; undefined while loading. */
export function useVessels(): { id: string; name: string }[] | undefined {
  const rows = useEntityRows(ENTITY.vessel);
  return useMemo(
    () => rows?.map((r) => ({ id: r.id, name: textOf(fieldsOf(r), 'name') ?? 'Unnamed vessel' })).sort((a, b) => a.name.localeCompare(b.name)),
    [rows],
  );
}

/** A vessel's name from the replica; null while unknown. */
export function useVesselName(vesselId: string | null): string | null {
  const vessel = useReplicaRow(ENTITY.vessel, vesselId ?? '');
  return vessel ? textOf(fieldsOf(vessel), 'name') : null;
}

/** A field of a replica row, lowercase (a fault's or a work order's `vessel_id`); null when the device does not hold it. */
export function useRowVessel(entity: string, id: string): string | null | undefined {
  const row = useReplicaRow(entity, id);
  if (row === undefined) return undefined;
  return row === null ? null : (textOf(fieldsOf(row), 'vessel_id')?.toLowerCase() ?? null);
}

/** A fault as a requisition raised for it needs it: its vessel, and whether it still needs work. */
export interface FaultToRequestFor {
  /** Lowercase; null when the device cannot tell (a queued report on an item it does not hold). */
  vesselId: string | null;
  /** Neither resolved nor closed, as confirmed (a report still on this device is open). */
  unresolved: boolean;
}

/**
 * The fault `id` from the replica or, while its report is still on this device, from the report
 * (its vessel its item's); null when the device knows no such fault, undefined while loading.
 */
export function useFaultToRequestFor(id: string): FaultToRequestFor | null | undefined {
  const row = useReplicaRow(ENTITY.fault, id);
  const writes = usePendingWrites();
  const report = row === null ? pendingFaultReports(writes ?? []).find((r) => r.id === id.toLowerCase()) : undefined;
  const item = useReplicaRow(ENTITY.equipment, report?.equipmentId ?? '');
  if (row === undefined) return undefined;
  if (row !== null) {
    const f = fieldsOf(row);
    const status = textOf(f, 'status');
    return { vesselId: textOf(f, 'vessel_id')?.toLowerCase() ?? null, unresolved: status !== 'resolved' && status !== 'closed' };
  }
  if (writes === undefined) return undefined;
  if (!report) return null;
  if (item === undefined) return undefined;
  return { vesselId: item ? (textOf(fieldsOf(item), 'vessel_id')?.toLowerCase() ?? null) : null, unresolved: true };
}

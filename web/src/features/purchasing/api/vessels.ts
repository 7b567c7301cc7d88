/**
 * The vessels purchasing is done for, from the replica: those the person reaches (their
 * requisitions and orders arrive with the vessel's scope), by name.
 */
import { useMemo } from 'react';

import { fieldsOf, textOf, useEntityRows } from '../../../components/local-writes';
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

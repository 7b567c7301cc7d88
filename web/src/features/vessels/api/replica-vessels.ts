/**
 * The person's vessels from the local replica (each `vessel:{id}` scope holds its vessel's
 * row), once the first sync has completed: they show with the network off.
 */
import { useMemo } from 'react';

import type { VesselView } from '../../../api/types';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRows } from '../../../sync/replica-queries';
import { useReplicaReady } from '../../../sync/use-sync-state';

/** A vessel row as the change log writes it (`vessel_json`). */
interface VesselRow {
  id: string;
  kind: VesselView['kind'];
  name: string;
  vessel_type?: string | null;
  imo?: string | null;
}

/** The vessels in the replica, by name; undefined until the replica has been synced once. */
export function useReplicaVessels(): VesselView[] | undefined {
  const ready = useReplicaReady() === 'ready';
  const rows = useReplicaRows(ENTITY.vessel, null);
  return useMemo(() => {
    if (!ready || rows === undefined) return undefined;
    return rows
      .map((row): VesselView => {
        const fields = row.fields as unknown as VesselRow;
        return {
          id: fields.id,
          kind: fields.kind,
          name: fields.name,
          vessel_type: fields.vessel_type ?? null,
          imo: fields.imo ?? null,
          specs: {},
          version: row.version,
          // Not in the change log, and not shown.
          created_at: '',
          updated_at: '',
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [ready, rows]);
}

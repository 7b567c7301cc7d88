/**
 * A vessel's equipment, an item, its faults and readings from the local replica (the vessel's
 * scope holds them all) once the first sync has completed, so they can be browsed with the
 * network off. Shaped as the API's views, deriving what the server derives: an item held down
 * by an unresolved critical fault, and running hours from its readings (`effective_status`,
 * `running_hours` in crates/domain/src/equipment.rs).
 */
import { useMemo } from 'react';

import type {
  EquipmentDetailView,
  EquipmentFaultView,
  EquipmentView,
  ReadingView,
} from '../../../api/types';
import { runningHours } from '../../../components/running-hours';
import type { StoredRow } from '../../../sync/database';
import { ENTITY, vesselScope } from '../../../sync/entities';
import { fieldOf, useReplicaRow, useReplicaRows, useReplicaRowsWhere } from '../../../sync/replica-queries';
import { useReplicaReady } from '../../../sync/use-sync-state';
import type { TreeItem } from './equipment-tree';
import { linkFromRow } from './meter-links';

export { runningHours } from '../../../components/running-hours';

/** Fault statuses after the repair. */
const REPAIRED: readonly string[] = ['resolved', 'closed'];

type EquipmentRow = Omit<EquipmentView, 'effective_status' | 'running_hours' | 'qr_url' | 'created_at' | 'updated_at' | 'version'>;

function equipmentView(row: StoredRow, down: boolean, hours: number | null): EquipmentView {
  const item = (row.fields as unknown as EquipmentRow);
  return {
    ...item,
    specs: item.specs,
    effective_status: item.status !== 'decommissioned' && down ? 'down' : item.status,
    running_hours: hours,
    qr_url: `${globalThis.location.origin}/q/${item.qr_code}`,
    version: row.version,
    // Not in the change log, and not shown.
    created_at: '',
    updated_at: '',
  };
}

const isCriticalOpen = (fault: StoredRow) =>
  fieldOf(fault, 'severity') === 'critical' && !REPAIRED.includes(String(fieldOf(fault, 'status')));

/**
 * A vessel's items for its tree, each with how many of its faults are unresolved; undefined
 * before the first sync. Running hours are left out: the tree does not show them, and summing
 * every reading of a large vessel on each change would cost for nothing.
 */
export function useReplicaVesselTreeItems(vesselId: string): TreeItem[] | undefined {
  const ready = useReplicaReady() === 'ready';
  const scope = vesselScope(vesselId);
  const items = useReplicaRows(ENTITY.equipment, scope);
  const faults = useReplicaRows(ENTITY.fault, scope);
  return useMemo(() => {
    if (!ready || items === undefined || faults === undefined) return undefined;
    const down = new Set<string>();
    const open = new Map<string, number>();
    for (const f of faults) {
      const on = String(fieldOf(f, 'equipment_id')).toLowerCase();
      if (isCriticalOpen(f)) down.add(on);
      if (!REPAIRED.includes(String(fieldOf(f, 'status')))) open.set(on, (open.get(on) ?? 0) + 1);
    }
    return items.map((row) => {
      const item = equipmentView(row, down.has(String(fieldOf(row, 'id')).toLowerCase()), null);
      return { ...item, open_faults: open.get(item.id.toLowerCase()) ?? 0 };
    });
  }, [ready, items, faults]);
}

/** The vessel's name from the replica. */
export function useReplicaVesselName(vesselId: string): string | null {
  const vessel = useReplicaRow(ENTITY.vessel, vesselId);
  const name = vessel ? fieldOf(vessel, 'name') : null;
  return typeof name === 'string' ? name : null;
}

/**
 * The item with its faults (newest first), its latest `shown` readings and its link to its
 * parent's meter; undefined before the first sync, null when the replica does not hold it.
 */
export function useReplicaEquipment(id: string, shown: number): EquipmentDetailView | null | undefined {
  const ready = useReplicaReady() === 'ready';
  const row = useReplicaRow(ENTITY.equipment, id);
  const scope = row ? row.scope : null;
  const value = id.toLowerCase();
  const faults = useReplicaRowsWhere(ENTITY.fault, scope, 'equipment_id', value);
  const readings = useReplicaRowsWhere(ENTITY.meterReading, scope, 'equipment_id', value);
  const link = useReplicaRow(ENTITY.meterLink, id);
  return useMemo(() => {
    if (!ready || row === undefined) return undefined;
    if (row === null) return null;
    if (faults === undefined || readings === undefined || link === undefined) return undefined;
    const faultViews = faults
      .map((f): EquipmentFaultView => {
        const fault = (f.fields as unknown as EquipmentFaultView);
        return {
          id: fault.id,
          title: fault.title,
          severity: fault.severity,
          status: fault.status,
          observed_at: fault.observed_at,
          resolved_at: fault.resolved_at ?? null,
        };
      })
      .sort((a, b) => b.observed_at.localeCompare(a.observed_at));
    const readingViews = readings
      .map((r) => (r.fields as unknown as ReadingView))
      .sort((a, b) => b.read_at.localeCompare(a.read_at));
    return {
      ...equipmentView(row, faults.some(isCriticalOpen), runningHours(readingViews)),
      faults: faultViews,
      readings: readingViews.slice(0, shown),
      readings_total: readingViews.length,
      meter_link: link ? linkFromRow(link) : null,
    };
  }, [ready, row, faults, readings, link, shown]);
}

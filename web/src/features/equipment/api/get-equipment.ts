/**
 * One item of equipment with its fault history and latest readings, and the repair times of
 * its resolved faults where the server shows them to the signed-in person.
 */
import { api } from '../../../api/client';
import type { EquipmentDetailView, EquipmentFaultView, FaultPage } from '../../../api/types';
import { useResource, type Resource } from '../../../components/use-resource';

/** Fault statuses after the repair: the only ones with a repair time. */
const REPAIRED = ['resolved', 'closed'];

/** `GET /api/v1/equipment/{id}`. */
export function getEquipment(id: string, signal?: AbortSignal): Promise<EquipmentDetailView> {
  return api.get<EquipmentDetailView>(`/api/v1/equipment/${encodeURIComponent(id)}`, {
    ...(signal ? { signal } : {}),
  });
}

/** The item, loaded again when `id` changes. */
export function useEquipment(id: string): { state: Resource<EquipmentDetailView>; reload: () => void } {
  return useResource(id, (signal) => getEquipment(id, signal), 'Could not load the equipment');
}

/** Whether the fault has been repaired (resolved or closed since). */
export function isRepaired(fault: Pick<EquipmentFaultView, 'status'>): boolean {
  return REPAIRED.includes(fault.status);
}

/**
 * Repair time in seconds by fault id, for the item's repaired faults.
 *
 * The item's own history does not carry repair times; the fault list does, and only for roles
 * allowed to see them (`fault.mttr.read`): for everyone else the field is absent and so is the
 * fault here. Nothing is derived from `resolved_at` on purpose, so the page never shows a repair
 * time the server withholds.
 */
export async function getRepairTimes(equipmentId: string, signal?: AbortSignal): Promise<Map<string, number>> {
  const query = new URLSearchParams({ equipment_id: equipmentId, status: REPAIRED.join(','), limit: '50' });
  const page = await api.get<FaultPage>(`/api/v1/faults/active?${query.toString()}`, {
    ...(signal ? { signal } : {}),
  });
  const times = new Map<string, number>();
  for (const fault of page.items) {
    if (typeof fault.repair_seconds === 'number') times.set(fault.id, fault.repair_seconds);
  }
  return times;
}

const NO_REPAIR_TIMES = new Map<string, number>();

/**
 * Repair times for the item's history; empty while loading, when nothing in the history is
 * repaired (no request then), and when they cannot be had: they add to the page, never block it.
 */
export function useRepairTimes(item: EquipmentDetailView | null): Map<string, number> {
  const key = item?.faults.some(isRepaired) ? item.id : null;
  const { state } = useResource(
    key,
    (signal) => getRepairTimes(key ?? '', signal),
    'Could not load repair times',
  );
  return state.status === 'loaded' ? state.value : NO_REPAIR_TIMES;
}

/**
 * One item of equipment with its fault history and latest readings, and the repair times of
 * its resolved faults where the server shows them to the signed-in person.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api, type ApiError } from '../../../api/client';
import { load } from '../../../api/query';
import type { EquipmentDetailView, EquipmentFaultView } from '../../../api/types';
import { useReplicaReady } from '../../../sync/use-sync-state';
import { useReplicaEquipment } from './replica-equipment';

/** Fault statuses after the repair: the only ones with a repair time. */
const REPAIRED = ['resolved', 'closed'] as const;

/** `GET /api/v1/equipment/{id}`. */
export function getEquipment(id: string, signal?: AbortSignal): Promise<EquipmentDetailView> {
  return answer(api.GET('/api/v1/equipment/{id}', { params: { path: { id } }, ...(signal ? { signal } : {}) }));
}

/** The item in the query cache. */
export const equipmentQuery = (id: string) =>
  queryOptions({
    queryKey: ['equipment', id],
    queryFn: load('Could not load the equipment', (signal) => getEquipment(id, signal)),
  });

/** How many of the latest readings an item's page lists at first (the chart draws them all). */
export const READINGS_SHOWN = 10;

/** The item: loading, failed, or loaded. */
export type EquipmentResult =
  | { status: 'pending' }
  | { status: 'error'; error: ApiError; refetch: () => void }
  | { status: 'success'; data: EquipmentDetailView };

/**
 * The item from the local replica once it has been synced and holds it, else from the API
 * (loaded again when `id` changes).
 */
export function useEquipment(id: string): EquipmentResult {
  // Every reading the replica holds: the running-hours chart draws them all.
  const replica = useReplicaEquipment(id, Number.POSITIVE_INFINITY);
  // An item the replica does not hold (another vessel's, or newer than the last sync): the API.
  const ready = useReplicaReady();
  const query = useQuery({ ...equipmentQuery(id), enabled: ready === 'not-ready' || replica === null });
  if (replica) return { status: 'success', data: replica };
  if (query.isSuccess) return { status: 'success', data: query.data };
  if (query.isError) {
    const { refetch } = query;
    return { status: 'error', error: query.error, refetch: () => void refetch() };
  }
  return { status: 'pending' };
}

/** Whether the fault has been repaired (resolved or closed since). */
export function isRepaired(fault: Pick<EquipmentFaultView, 'status'>): boolean {
  return (REPAIRED as readonly string[]).includes(fault.status);
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
  const page = await answer(
    api.GET('/api/v1/faults/active', {
      params: { query: { equipment_id: equipmentId, status: [...REPAIRED], limit: 50 } },
      ...(signal ? { signal } : {}),
    }),
  );
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
export function useRepairTimes(item: EquipmentDetailView | undefined): Map<string, number> {
  const id = item?.faults.some(isRepaired) ? item.id : null;
  const query = useQuery({
    queryKey: ['equipment', id, 'repair-times'],
    queryFn: load('Could not load repair times', (signal) => getRepairTimes(id ?? '', signal)),
    enabled: id !== null,
  });
  return query.data ?? NO_REPAIR_TIMES;
}

/**
 * A vessel's equipment, all of it, for the tree (built and searched on the device).
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiError, answer, api } from '../../../api/client';
import { fetchAllPages } from '../../../api/pages';
import { load } from '../../../api/query';
import type { EquipmentFlatList } from '../../../api/types';
import { useReplicaReady } from '../../../sync/use-sync-state';
import type { TreeItem } from './equipment-tree';
import { useReplicaVesselName, useReplicaVesselTreeItems } from './replica-equipment';

/** Items per request when the whole list is read from the API (its largest page). */
export const PAGE_SIZE = 200;

/** `GET /api/v1/equipment/by-vessel/{vesselId}?view=flat`: one page, from `cursor` on. */
export async function listVesselEquipment(
  vesselId: string,
  options: { cursor?: string | undefined; signal?: AbortSignal } = {},
): Promise<EquipmentFlatList> {
  const listing = await answer(
    api.GET('/api/v1/equipment/by-vessel/{vesselId}', {
      params: {
        path: { vesselId },
        query: { view: 'flat', limit: PAGE_SIZE, ...(options.cursor ? { cursor: options.cursor } : {}) },
      },
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  if (listing.view !== 'flat') {
    throw new ApiError({ type: 'about:blank', title: 'The server sent the equipment as a tree', status: 0 });
  }
  return listing;
}

/** The vessel's items for its tree: loading, failed, or loaded. */
export type TreeItemsResult =
  | { status: 'loading' }
  | { status: 'failed'; error: ApiError; reload: () => void }
  | { status: 'loaded'; items: TreeItem[] };

/**
 * Every item of the vessel, for the tree: from the replica once it has synced (offline too, with
 * each item's unresolved faults), else every page from the API (where only "down" tells of faults).
 */
export function useVesselTreeItems(vesselId: string): TreeItemsResult {
  const replica = useReplicaVesselTreeItems(vesselId);
  const query = useQuery({
    enabled: useReplicaReady() === 'not-ready',
    queryKey: ['vessel-equipment', vesselId, 'all'],
    queryFn: load('Could not load the equipment', (signal) =>
      fetchAllPages((cursor) => listVesselEquipment(vesselId, { cursor, signal })),
    ),
  });
  const fromApi = useMemo(
    () => query.data?.map((item): TreeItem => ({ ...item, open_faults: 0 })),
    [query.data],
  );
  if (replica) return { status: 'loaded', items: replica };
  if (fromApi) return { status: 'loaded', items: fromApi };
  if (query.isError) {
    const { refetch } = query;
    return { status: 'failed', error: query.error, reload: () => void refetch() };
  }
  return { status: 'loading' };
}

/** `GET /api/v1/vessels/{id}`, for the vessel's name above its list. */
export function useVesselName(vesselId: string): string | null {
  const fromReplica = useReplicaVesselName(vesselId);
  const query = useQuery({
    enabled: useReplicaReady() === 'not-ready',
    queryKey: ['vessel', vesselId],
    queryFn: load('Could not load the vessel', (signal) =>
      answer(api.GET('/api/v1/vessels/{id}', { params: { path: { id: vesselId } }, signal })),
    ),
  });
  return fromReplica ?? query.data?.name ?? null;
}

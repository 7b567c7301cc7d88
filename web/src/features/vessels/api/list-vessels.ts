/**
 * The vessels (and shore sites and projects) the signed-in person can see.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api, type ApiError } from '../../../api/client';
import { fetchAllPages } from '../../../api/pages';
import { load } from '../../../api/query';
import type { VesselView } from '../../../api/types';
import { useReplicaReady } from '../../../sync/use-sync-state';
import { useReplicaVessels } from './replica-vessels';

const PAGE_SIZE = 100;

/** Fetches every page of `GET /api/v1/vessels`, following `next_cursor`. */
export function listAllVessels(signal?: AbortSignal): Promise<VesselView[]> {
  return fetchAllPages((cursor) =>
    answer(
      api.GET('/api/v1/vessels', {
        params: { query: { limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) } },
        ...(signal ? { signal } : {}),
      }),
    ),
  );
}

/** The person's vessels, in the query cache. */
export const vesselsQuery = () =>
  queryOptions({ queryKey: ['vessels'], queryFn: load('Could not load the vessels', listAllVessels) });

/** The vessels: loading (paused while offline), failed, or loaded. */
export type VesselsResult =
  | { status: 'pending'; paused: boolean }
  | { status: 'error'; error: ApiError; refetch: () => void }
  | { status: 'success'; data: VesselView[] };

/**
 * The vessels from the local replica once it has been synced, else from the API (before the
 * first sync, and in a page rendered without the sync client).
 */
export function useVessels(): VesselsResult {
  const replica = useReplicaVessels();
  const query = useQuery({ ...vesselsQuery(), enabled: useReplicaReady() === 'not-ready' });
  if (replica !== undefined) return { status: 'success', data: replica };
  if (query.isSuccess) return { status: 'success', data: query.data };
  if (query.isError) {
    const { refetch } = query;
    return { status: 'error', error: query.error, refetch: () => void refetch() };
  }
  return { status: 'pending', paused: query.isPaused };
}

/**
 * A vessel's equipment as a flat list, a page at a time, optionally narrowed by a search.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { ApiError, answer, api, asApiError } from '../../../api/client';
import { load } from '../../../api/query';
import type { EquipmentFlatList, EquipmentView } from '../../../api/types';
import { useReplicaReady } from '../../../sync/use-sync-state';
import { useReplicaVesselEquipment, useReplicaVesselName } from './replica-equipment';

/** Items per request: a phone screen's worth several times over. */
export const PAGE_SIZE = 50;

/** `GET /api/v1/equipment/by-vessel/{vesselId}?view=flat`: one page, from `cursor` on. */
export async function listVesselEquipment(
  vesselId: string,
  options: { q?: string; cursor?: string | undefined; signal?: AbortSignal } = {},
): Promise<EquipmentFlatList> {
  const listing = await answer(
    api.GET('/api/v1/equipment/by-vessel/{vesselId}', {
      params: {
        path: { vesselId },
        query: {
          view: 'flat',
          limit: PAGE_SIZE,
          ...(options.q ? { q: options.q } : {}),
          ...(options.cursor ? { cursor: options.cursor } : {}),
        },
      },
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  if (listing.view !== 'flat') {
    throw new ApiError({ type: 'about:blank', title: 'The server sent the equipment as a tree', status: 0 });
  }
  return listing;
}

/** The list so far: the pages loaded for one vessel and search. */
export interface EquipmentListState {
  /** The items of every page loaded, in the server's order. */
  items: EquipmentView[];
  /** Where the next page starts; null when the last one is loaded. */
  nextCursor: string | null;
  /** `loading`: the first page; `more`: a further one. */
  status: 'loading' | 'loaded' | 'more' | 'failed';
  error: ApiError | null;
}

const NO_ITEMS: EquipmentView[] = [];

/**
 * The vessel's items matching `q` (all when empty): the first page at once, the next ones on
 * `showMore`. A new vessel or search starts again from the first page (its own cache entry).
 */
export function useVesselEquipment(
  vesselId: string,
  q: string,
): { state: EquipmentListState; showMore: () => void; reload: () => void } {
  // Once the replica has been synced, the whole list is on the device: no network, and pages
  // of the same size as the API's shown one more at a time.
  const replica = useReplicaVesselEquipment(vesselId, q);
  const listKey = `${vesselId}\u0000${q}`;
  const [shown, setShown] = useState({ key: listKey, count: PAGE_SIZE });
  const shownCount = shown.key === listKey ? shown.count : PAGE_SIZE;
  const query = useInfiniteQuery({
    enabled: useReplicaReady() === 'not-ready',
    queryKey: ['vessel-equipment', vesselId, q],
    queryFn: async ({ pageParam, signal }) => {
      try {
        return await listVesselEquipment(vesselId, { q, cursor: pageParam, signal });
      } catch (error) {
        throw asApiError(error, pageParam === undefined ? 'Could not load the equipment' : 'Could not load more equipment');
      }
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  const items = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? NO_ITEMS, [query.data]);
  const state: EquipmentListState =
    replica === undefined
      ? {
          items,
          nextCursor: query.data?.pages.at(-1)?.next_cursor ?? null,
          status: listStatus(query),
          error: query.isError ? query.error : null,
        }
      : {
          items: replica.slice(0, shownCount),
          nextCursor: replica.length > shownCount ? `replica:${shownCount}` : null,
          status: 'loaded',
          error: null,
        };

  const { hasNextPage, isFetchingNextPage, fetchNextPage, refetch } = query;
  const fromReplica = replica !== undefined;
  const showMore = useCallback(() => {
    if (fromReplica) {
      setShown({ key: listKey, count: shownCount + PAGE_SIZE });
      return;
    }
    if (!hasNextPage || isFetchingNextPage) return;
    void fetchNextPage();
  }, [fromReplica, listKey, shownCount, hasNextPage, isFetchingNextPage, fetchNextPage]);
  const reload = useCallback(() => {
    void refetch();
  }, [refetch]);

  return { state, showMore, reload };
}

/** Where the list stands; trying again after a failed first page shows it loading again. */
function listStatus(query: {
  status: 'pending' | 'error' | 'success';
  isFetching: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
}): EquipmentListState['status'] {
  if (query.isFetchingNextPage) return 'more';
  if (query.status === 'pending') return 'loading';
  if (query.status === 'error' && !query.isFetchNextPageError) return query.isFetching ? 'loading' : 'failed';
  return 'loaded';
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

/**
 * A vessel's equipment as a flat list, a page at a time, optionally narrowed by a search.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../../../api/client';
import { api } from '../../../api/client';
import type { EquipmentFlatList, EquipmentView, VesselView } from '../../../api/types';
import { asApiError, useResource } from '../../../components/use-resource';

/** Items per request: a phone screen's worth several times over. */
export const PAGE_SIZE = 50;

/** `GET /api/v1/equipment/by-vessel/{vesselId}?view=flat`: one page, from `cursor` on. */
export function listVesselEquipment(
  vesselId: string,
  options: { q?: string; cursor?: string | null; signal?: AbortSignal } = {},
): Promise<EquipmentFlatList> {
  const query = new URLSearchParams({ view: 'flat', limit: String(PAGE_SIZE) });
  if (options.q) query.set('q', options.q);
  if (options.cursor) query.set('cursor', options.cursor);
  return api.get<EquipmentFlatList>(
    `/api/v1/equipment/by-vessel/${encodeURIComponent(vesselId)}?${query.toString()}`,
    options.signal ? { signal: options.signal } : {},
  );
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

type Keyed = EquipmentListState & { key: string };

const FIRST_LOAD: EquipmentListState = { items: [], nextCursor: null, status: 'loading', error: null };

/**
 * The vessel's items matching `q` (all when empty): the first page at once, the next ones on
 * `showMore`. A new vessel or search starts again from the first page; answers for an earlier
 * one are dropped.
 */
export function useVesselEquipment(
  vesselId: string,
  q: string,
): { state: EquipmentListState; showMore: () => void; reload: () => void } {
  const key = JSON.stringify([vesselId, q]);
  const [list, setList] = useState<Keyed | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listVesselEquipment(vesselId, { q, signal: controller.signal }).then(
      (page) => {
        setList({ key, items: page.items, nextCursor: page.next_cursor ?? null, status: 'loaded', error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = asApiError(error, 'Could not load the equipment');
        setList({ key, ...FIRST_LOAD, status: 'failed', error: failure });
      },
    );
    return () => {
      controller.abort();
    };
  }, [key, vesselId, q, attempt]);

  const current = list?.key === key ? list : null;

  const showMore = useCallback(() => {
    if (current?.nextCursor == null || current.status === 'more') return;
    const cursor = current.nextCursor;
    setList({ ...current, status: 'more', error: null });
    listVesselEquipment(vesselId, { q, cursor }).then(
      (page) => {
        setList((now) =>
          now?.key === key && now.nextCursor === cursor
            ? {
                key,
                items: [...now.items, ...page.items],
                nextCursor: page.next_cursor ?? null,
                status: 'loaded',
                error: null,
              }
            : now,
        );
      },
      (error: unknown) => {
        setList((now) =>
          now?.key === key && now.nextCursor === cursor
            ? { ...now, status: 'loaded', error: asApiError(error, 'Could not load more equipment') }
            : now,
        );
      },
    );
  }, [current, key, vesselId, q]);

  const reload = useCallback(() => {
    setList(null);
    setAttempt((n) => n + 1);
  }, []);

  return { state: current ?? FIRST_LOAD, showMore, reload };
}

/** `GET /api/v1/vessels/{id}`, for the vessel's name above its list. */
export function useVesselName(vesselId: string): string | null {
  const { state } = useResource(
    vesselId,
    (signal) => api.get<VesselView>(`/api/v1/vessels/${encodeURIComponent(vesselId)}`, { signal }),
    'Could not load the vessel',
  );
  return state.status === 'loaded' ? state.value.name : null;
}

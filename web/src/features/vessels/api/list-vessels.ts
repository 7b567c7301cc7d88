/**
 * The vessels (and shore sites and projects) the signed-in person can see.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../api/client';
import { fetchAllPages } from '../../../api/pages';
import { load } from '../../../api/query';
import type { VesselView } from '../../../api/types';

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

/** Loads the vessels. */
export function useVessels() {
  return useQuery(vesselsQuery());
}

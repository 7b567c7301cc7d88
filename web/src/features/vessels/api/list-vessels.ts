/**
 * The vessels (and shore sites and projects) the signed-in person can see.
 */
import { useEffect, useState } from 'react';
import { ApiError, api } from '../../../api/client';
import type { Page, VesselView } from '../../../api/types';

const PAGE_SIZE = 100;
/** A guard against a server that keeps handing out cursors. */
const MAX_PAGES = 100;

/** Fetches every page of `GET /api/v1/vessels`, following `next_cursor`. */
export async function listAllVessels(signal?: AbortSignal): Promise<VesselView[]> {
  const vessels: VesselView[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor !== null) query.set('cursor', cursor);
    const result: Page<VesselView> = await api.get<Page<VesselView>>(`/api/v1/vessels?${query.toString()}`, {
      ...(signal ? { signal } : {}),
    });
    vessels.push(...result.items);
    cursor = result.next_cursor;
    if (cursor === null || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return vessels;
}

/** The vessel list as a page shows it. */
export type VesselsState =
  | { status: 'loading' }
  | { status: 'loaded'; vessels: VesselView[] }
  | { status: 'failed'; error: ApiError };

/** Loads the vessels; `reload` fetches them again. */
export function useVessels(): { state: VesselsState; reload: () => void } {
  const [state, setState] = useState<VesselsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listAllVessels(controller.signal).then(
      (vessels) => {
        setState({ status: 'loaded', vessels });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'failed',
          error:
            error instanceof ApiError
              ? error
              : new ApiError({ type: 'about:blank', title: 'Could not load the vessels', status: 0 }),
        });
      },
    );
    return () => {
      controller.abort();
    };
  }, [attempt]);

  return {
    state,
    reload: () => {
      setState({ status: 'loading' });
      setAttempt((n) => n + 1);
    },
  };
}

/**
 * Reading every page of a cursor-paginated list.
 */
import { api } from './client';

/** One page as list endpoints send it; `next_cursor` may be left out on the last. */
interface ListPage<T> {
  items: T[];
  next_cursor?: string | null;
}

/** A guard against a server that keeps handing out cursors. */
const MAX_PAGES = 100;

/** Fetches every page of `path` (a list endpoint taking `limit` and `cursor`), in order. */
export async function fetchAllPages<T>(path: string, signal?: AbortSignal, pageSize = 200): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (cursor !== null) query.set('cursor', cursor);
    const separator = path.includes('?') ? '&' : '?';
    const result: ListPage<T> = await api.get<ListPage<T>>(`${path}${separator}${query.toString()}`, {
      ...(signal ? { signal } : {}),
    });
    items.push(...result.items);
    cursor = result.next_cursor ?? null;
    if (cursor === null || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return items;
}

/**
 * Reading every page of a cursor-paginated list.
 */

/** One page as list endpoints send it; `next_cursor` may be left out on the last. */
interface ListPage<T> {
  items: T[];
  next_cursor?: string | null;
}

/** A guard against a server that keeps handing out cursors. */
const MAX_PAGES = 100;

/**
 * Every item of a list, in order: `fetchPage` is asked for the first page (cursor `undefined`),
 * then for the page of each `next_cursor` until there is none (or it repeats).
 */
export async function fetchAllPages<T>(fetchPage: (cursor: string | undefined) => Promise<ListPage<T>>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    cursor = result.next_cursor ?? undefined;
    if (cursor === undefined || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return items;
}

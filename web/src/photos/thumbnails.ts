/**
 * The server's thumbnails and images of attachments, fetched with the session's token (the
 * routes need it, so a plain `<img src>` cannot load them) and shown as `data:` URLs (the
 * Content-Security-Policy allows images from `data:`, not `blob:`). Thumbnails are kept in the
 * person's database once fetched, so photos seen once show offline; the newest
 * `THUMBNAILS_KEPT` by fetch time are kept, older ones deleted as new ones arrive. Full images
 * are fetched when opened and not kept.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';

import { answer, api, type ApiClient } from '../api/client';
import { THUMBNAILS_KEPT, type SyncDatabase } from '../sync/database';
import { useSyncClient } from '../sync/sync-context';
import { dataUrlOf } from './resize';

/** Fetches under way, by attachment id: two views of one photo ask once. */
const fetching = new Map<string, Promise<void>>();

/** Fetches an attachment's thumbnail into the database, then deletes the oldest past the bound. */
export function fetchThumbnail(db: SyncDatabase, client: Pick<ApiClient, 'GET'>, id: string, now: () => number = Date.now): Promise<void> {
  const key = `${db.name}:${id}`;
  const held = fetching.get(key);
  if (held) return held;
  const run = (async () => {
    const blob = await answer(client.GET('/api/v1/attachments/{id}/thumbnail', { params: { path: { id } }, parseAs: 'blob' }));
    const url = dataUrlOf(await blob.arrayBuffer(), 'image/jpeg');
    await keepThumbnail(db, id, url, now());
  })().finally(() => fetching.delete(key));
  fetching.set(key, run);
  return run;
}

/** Keeps a thumbnail, and no more than `THUMBNAILS_KEPT` of them (the newest by fetch time). */
export async function keepThumbnail(db: SyncDatabase, id: string, url: string, fetchedAt: number): Promise<void> {
  await db.transaction('rw', db.thumbnails, async () => {
    await db.thumbnails.put({ id: id.toLowerCase(), url, fetchedAt });
    const extra = (await db.thumbnails.count()) - THUMBNAILS_KEPT;
    if (extra > 0) await db.thumbnails.orderBy('fetchedAt').limit(extra).delete();
  });
}

/** An attachment's thumbnail: the kept one, else fetched (online); null when there is none to show. */
export function useThumbnail(id: string, online: boolean): { url: string | null; loading: boolean } {
  const db = useSyncClient()?.db ?? null;
  const kept = useLiveQuery(async () => (db ? ((await db.thumbnails.get(id.toLowerCase()))?.url ?? null) : null), [db, id], 'loading' as const);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!db || kept !== null || !online) return;
    let live = true;
    fetchThumbnail(db, api, id.toLowerCase()).then(
      () => undefined,
      () => {
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [db, kept, online, id]);
  if (kept === 'loading') return { url: null, loading: true };
  return { url: kept, loading: kept === null && online && !failed };
}

/** An attachment's full image as a `data:` URL (online only). */
export async function fetchFullImage(client: Pick<ApiClient, 'GET'>, id: string, contentType: string): Promise<string> {
  const blob = await answer(client.GET('/api/v1/attachments/{id}/content', { params: { path: { id } }, parseAs: 'blob' }));
  return dataUrlOf(await blob.arrayBuffer(), blob.type || contentType);
}

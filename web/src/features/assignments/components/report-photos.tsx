/**
 * A daily report's photos (photos of its item, named by the report's `photo_ids`): each shown
 * from this device while it holds it (taken here, still on its way), else from the server's
 * thumbnail (kept on the device once fetched, so a photo seen once shows offline).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { ReactNode } from 'react';

import { useBrowserOnline } from '../../../components/use-browser-online';
import { useThumbnail } from '../../../photos/thumbnails';
import { useSyncClient } from '../../../sync/sync-context';

/** One photo's thumbnail, or a word for why there is none yet. */
export function ReportPhoto({ id, alt }: { id: string; alt: string }) {
  const db = useSyncClient()?.db ?? null;
  const online = useBrowserOnline();
  const local = useLiveQuery(async () => (db ? ((await db.photos.get(id))?.thumbnailUrl ?? null) : null), [db, id], null);
  const server = useThumbnail(id, online && local === null);
  const url = local ?? server.url;
  return url ? (
    <img className="report-photo" src={url} alt={alt} />
  ) : (
    <span className="report-photo report-photo--none">{server.loading ? 'Loading…' : online ? 'No preview yet' : 'Shown when online'}</span>
  );
}

/** The photos as a grid; `action` adds a control under each (removing it from a correction). */
export function ReportPhotos({ ids, label, action }: { ids: readonly string[]; label: string; action?: (id: string, n: number) => ReactNode }) {
  return (
    <ul className={`report-photos${action ? ' report-photos--editable' : ''}`} aria-label={label}>
      {ids.map((id, i) => (
        <li key={id}>
          <ReportPhoto id={id} alt={`Photo ${i + 1} of the report`} />
          {action?.(id, i + 1)}
        </li>
      ))}
    </ul>
  );
}

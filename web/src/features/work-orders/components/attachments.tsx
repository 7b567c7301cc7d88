/**
 * The pictures a work order's answers name (a photo step, a signature): kept on this device as
 * photos of the order's item (`queuePhoto`, parent `equipment`) and uploaded by the syncing tab
 * like any photo, so they are taken offline; the answer names the attachment's client-made id.
 * Shown from the device while it holds them, else from the server's thumbnail.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback } from 'react';

import { useBrowserOnline } from '../../../components/use-browser-online';
import { queuePhoto, type PreparedPhoto } from '../../../photos/photo-queue';
import { useThumbnail } from '../../../photos/thumbnails';
import { useSyncClient } from '../../../sync/sync-context';
import type { WorkOrderItem } from '../api/work-orders';

/** Keeps a picture as a photo of the order's item; answers its attachment id. */
export function useKeepOnItem(order: Pick<WorkOrderItem, 'equipmentId' | 'vesselId'>): (picture: PreparedPhoto) => Promise<string> {
  const sync = useSyncClient();
  const { equipmentId, vesselId } = order;
  return useCallback(
    async (picture) => {
      if (!sync) throw new Error('Bosun is still starting; try again in a moment.');
      if (vesselId === null) throw new Error('Pictures can be kept once the work order’s item has synced to this device.');
      const id = await queuePhoto(sync.db, picture, { kind: 'equipment', id: equipmentId, vesselId });
      sync.runner.notify('local-write');
      return id;
    },
    [sync, equipmentId, vesselId],
  );
}

/** An answer's picture: its thumbnail on this device, else the server's. */
export function AttachmentPreview({ id, alt }: { id: string; alt: string }) {
  const db = useSyncClient()?.db ?? null;
  const online = useBrowserOnline();
  const local = useLiveQuery(async () => (db ? ((await db.photos.get(id))?.thumbnailUrl ?? null) : null), [db, id], null);
  const server = useThumbnail(id, online && local === null);
  const url = local ?? server.url;
  return url ? (
    <img className="wo-picture" src={url} alt={alt} />
  ) : (
    <span className="wo-picture wo-picture--none">{server.loading ? 'Loading…' : online ? 'No preview yet' : 'Shown when online'}</span>
  );
}

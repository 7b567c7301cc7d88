/**
 * Photos on this device: a picture taken is resized and hashed (`preparePhoto`), then kept in
 * the person's database with what it belongs to (`queuePhoto`), where the syncing tab's
 * uploader finds it (`src/sync/uploader.ts`). A drawing (a signature) is kept the same way
 * (`prepareDrawing`). Pages read them live, with how far each has got.
 */
import { useLiveQuery } from 'dexie-react-hooks';

import { uuidV7, type PhotoEntry, type PhotoParentKind, type SyncDatabase } from '../sync/database';
import { photoStateLabel } from '../sync/change-list';
import { useSyncClient } from '../sync/sync-context';
import { browserImageTools, dataUrlOf, photoFileName, resizePhoto, sha256Hex, type Decoded, type ImageTools } from './resize';

/** A photo resized on the device, not yet kept. */
export interface PreparedPhoto {
  /** A key for lists (the hash: the same picture twice is one). */
  key: string;
  fileName: string;
  full: ArrayBuffer;
  /** A photo is a JPEG; a drawing (a signature) a PNG. */
  contentType: 'image/jpeg' | 'image/png';
  sha256: string;
  thumbnailUrl: string;
}

/** Resizes and hashes a picture; throws a `PhotoError` with the reason in words. */
export async function preparePhoto<D extends Decoded>(file: File, tools: ImageTools<D>): Promise<PreparedPhoto> {
  const resized = await resizePhoto(file, tools);
  const full = await resized.full.arrayBuffer();
  const sha256 = await sha256Hex(full);
  return {
    key: sha256,
    fileName: photoFileName(file.name),
    full,
    contentType: 'image/jpeg',
    sha256,
    thumbnailUrl: dataUrlOf(await resized.thumbnail.arrayBuffer(), 'image/jpeg'),
  };
}

/** The browser's way of preparing a photo. */
export const prepareInBrowser = (file: File) => preparePhoto(file, browserImageTools);

/**
 * A drawing made on the device (a signature), kept as drawn: the PNG, and a smaller PNG as its
 * thumbnail (sent first, as a photo's is). It goes through the same queue and uploader as a
 * photo, so it is attached offline too.
 */
export async function prepareDrawing(png: ArrayBuffer, thumbnail: ArrayBuffer, fileName: string): Promise<PreparedPhoto> {
  const sha256 = await sha256Hex(png);
  return { key: sha256, fileName, full: png, contentType: 'image/png', sha256, thumbnailUrl: dataUrlOf(thumbnail, 'image/png') };
}

/** What a photo is for. */
export interface PhotoParent {
  kind: PhotoParentKind;
  id: string;
  vesselId: string;
}

/** Keeps a prepared photo on the device, waiting to be uploaded; returns its attachment id. */
export async function queuePhoto(db: SyncDatabase, photo: PreparedPhoto, parent: PhotoParent, now: number = Date.now()): Promise<string> {
  const id = uuidV7(now);
  const entry: PhotoEntry = {
    id,
    parentKind: parent.kind,
    parentId: parent.id.toLowerCase(),
    vesselId: parent.vesselId.toLowerCase(),
    fileName: photo.fileName,
    thumbnailUrl: photo.thumbnailUrl,
    contentType: photo.contentType,
    sha256: photo.sha256,
    size: photo.full.byteLength,
    sent: 0,
    state: 'queued',
    queuedAt: now,
  };
  await db.transaction('rw', db.photos, db.photoFiles, async () => {
    await db.photoFiles.add({ id, bytes: photo.full });
    await db.photos.add(entry);
  });
  return id;
}

/** Whether a photo's attach is queued (and not refused): it is the outbox's now, and stays. */
export const isAttached = (photo: Pick<PhotoEntry, 'state' | 'mutationId'>) =>
  photo.state === 'attaching' || (photo.mutationId !== undefined && photo.state !== 'rejected');

/**
 * Removes a photo not yet attached (on this device, part-uploaded, or refused: its refused
 * attach goes with it). One whose attach is queued stays (sent thumbnail first, its full image
 * may still be going).
 */
export async function removePhoto(db: SyncDatabase, id: string): Promise<void> {
  await db.transaction('rw', [db.photos, db.photoFiles, db.outbox], async () => {
    const photo = await db.photos.get(id);
    if (!photo || isAttached(photo)) return;
    if (photo.mutationId !== undefined) {
      const entry = await db.outbox.get(photo.mutationId);
      if (entry?.state === 'rejected') await db.outbox.delete(entry.id);
    }
    await db.photos.delete(id);
    await db.photoFiles.delete(id);
  });
}

/** A photo on this device with its words. */
export type LocalPhoto = PhotoEntry & { label: string };

/** The photos on this device for one record, oldest first (undefined while loading). */
export function useLocalPhotos(kind: PhotoParentKind, parentId: string): LocalPhoto[] | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery(async () => {
    if (!db) return undefined;
    const photos = await db.photos.where('[parentKind+parentId]').equals([kind, parentId.toLowerCase()]).sortBy('queuedAt');
    return withLabels(db, photos);
  }, [db, kind, parentId]);
}

/** Every photo on this device, oldest first, with its words. */
export async function withLabels(db: SyncDatabase, photos: PhotoEntry[]): Promise<LocalPhoto[]> {
  const ids = photos.flatMap((p) => (p.mutationId === undefined ? [] : [p.mutationId]));
  const attaches = new Map((await db.outbox.bulkGet(ids)).flatMap((e) => (e ? [[e.id, e] as const] : [])));
  return photos.map((p) => ({ ...p, label: photoStateLabel(p, p.mutationId === undefined ? undefined : attaches.get(p.mutationId)) }));
}

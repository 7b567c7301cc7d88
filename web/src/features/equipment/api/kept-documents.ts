/**
 * Documents kept on this device, so a manual opened once (or chosen with "Keep offline") opens
 * again after a reload with no network: their bytes in the person's own database (`documents`
 * and `documentFiles`, src/sync/database.ts), which signing out deletes whole.
 *
 * The rules it keeps:
 * - At most `DOCUMENT_BYTES_KEPT` bytes in all. Keeping one more drops others until it fits:
 *   first those only opened, then those chosen, each least recently used first. A single file
 *   larger than the bound is not kept at all, and the person is told so.
 * - A document kept is opened from the device, even online: attachments never change (a new
 *   version is a new attachment), so the bytes kept are the server's.
 * - Keeping never stands between a person and a document: when the device refuses the bytes
 *   (full), the document still opens, with a sentence saying it was not kept.
 */
import { useLiveQuery } from 'dexie-react-hooks';

import { answer, type ApiClient } from '../../../api/client';
import { DOCUMENT_BYTES_KEPT, type KeptDocument, type SyncDatabase } from '../../../sync/database';
import { askPersistentStorage } from '../../../sync/persistent-storage';
import { formatSize, type ItemDocument } from './documents';

/** Why a document could not be kept on this device, in a sentence for the person. */
export class DocumentNotKept extends Error {
  override name = 'DocumentNotKept';
}

/** The sentence for a file over the bound. */
export const tooLargeToKeep = (fileName: string, size: number, limit: number) =>
  `${fileName} (${formatSize(size)}) is larger than the ${formatSize(limit)} this device keeps for documents, so it opens only with the connection.`;

/** The sentence for a device that refused the bytes. */
export const noRoomToKeep = (fileName: string) =>
  `${fileName} could not be kept on this device (its storage may be full), so it opens only with the connection.`;

/** How a document is kept: because it was opened, or because the person chose "Keep offline". */
export type KeepReason = 'opened' | 'chosen';

/**
 * Keeps `bytes` of `document`, then drops others until the total fits `limit`: those only
 * opened before those chosen, each least recently used first. A file over `limit` is not kept
 * (and one kept before under that id is left as it was): `DocumentNotKept` says why.
 */
export async function keepDocument(
  db: SyncDatabase,
  document: ItemDocument,
  bytes: ArrayBuffer,
  reason: KeepReason,
  now: number,
  limit = DOCUMENT_BYTES_KEPT,
): Promise<KeptDocument> {
  if (bytes.byteLength > limit) throw new DocumentNotKept(tooLargeToKeep(document.file_name, bytes.byteLength, limit));
  const id = document.id.toLowerCase();
  return db.transaction('rw', db.documents, db.documentFiles, async () => {
    const held = await db.documents.get(id);
    const kept: KeptDocument = {
      id,
      fileName: document.file_name,
      contentType: document.content_type,
      size: bytes.byteLength,
      chosen: reason === 'chosen' || held?.chosen === true,
      usedAt: now,
    };
    await db.documents.put(kept);
    await db.documentFiles.put({ id, bytes });
    const others = (await db.documents.toArray()).filter((d) => d.id !== id);
    let total = kept.size + others.reduce((sum, d) => sum + d.size, 0);
    const dropFirst = others.sort((a, b) => Number(a.chosen) - Number(b.chosen) || a.usedAt - b.usedAt);
    const dropped: string[] = [];
    for (const other of dropFirst) {
      if (total <= limit) break;
      dropped.push(other.id);
      total -= other.size;
    }
    if (dropped.length > 0) {
      await db.documents.bulkDelete(dropped);
      await db.documentFiles.bulkDelete(dropped);
    }
    return kept;
  });
}

/** The kept bytes of document `id` as a Blob, marked as just used; null when not kept. */
export async function readKeptDocument(db: SyncDatabase, id: string, now: number): Promise<Blob | null> {
  const key = id.toLowerCase();
  return db.transaction('rw', db.documents, db.documentFiles, async () => {
    const kept = await db.documents.get(key);
    const file = await db.documentFiles.get(key);
    if (!kept || !file) {
      // Half of a pair is of no use: the next opening fetches it again.
      if (kept) await db.documents.delete(key);
      if (file) await db.documentFiles.delete(key);
      return null;
    }
    await db.documents.update(key, { usedAt: now });
    return new Blob([file.bytes], { type: kept.contentType });
  });
}

/** Deletes document `id`'s bytes from this device ("Remove from device"). */
export async function forgetKeptDocument(db: SyncDatabase, id: string): Promise<void> {
  const key = id.toLowerCase();
  await db.transaction('rw', db.documents, db.documentFiles, async () => {
    await db.documents.delete(key);
    await db.documentFiles.delete(key);
  });
}

/** `GET /api/v1/attachments/{id}/content` with the session's token. */
export function fetchDocumentBytes(client: Pick<ApiClient, 'GET'>, id: string): Promise<Blob> {
  return answer(client.GET('/api/v1/attachments/{id}/content', { params: { path: { id } }, parseAs: 'blob' }));
}

/** A document's bytes to show, and what the person should know about keeping them. */
export interface OpenedDocument {
  blob: Blob;
  /** Set when the bytes were fetched but could not be kept on this device. */
  notKept: string | null;
}

/**
 * The bytes of `document`: the device's copy when it holds one, else fetched and kept (as
 * opened). Without a database (no sync client) they are fetched and not kept.
 */
export async function openDocument(
  db: SyncDatabase | null,
  client: Pick<ApiClient, 'GET'>,
  document: ItemDocument,
  now: () => number = Date.now,
  limit = DOCUMENT_BYTES_KEPT,
): Promise<OpenedDocument> {
  const held = db ? await readKeptDocument(db, document.id, now()) : null;
  if (held) return { blob: held, notKept: null };
  const blob = await fetchDocumentBytes(client, document.id);
  if (!db) return { blob, notKept: null };
  try {
    await keepDocument(db, document, await blob.arrayBuffer(), 'opened', now(), limit);
    return { blob, notKept: null };
  } catch (e) {
    return { blob, notKept: e instanceof DocumentNotKept ? e.message : noRoomToKeep(document.file_name) };
  }
}

/**
 * "Keep offline": marks a kept document as chosen, or fetches and keeps it; asks the browser to
 * persist the site's storage. Throws `DocumentNotKept` with the sentence when it cannot be kept.
 */
export async function keepDocumentOffline(
  db: SyncDatabase,
  client: Pick<ApiClient, 'GET'>,
  document: ItemDocument,
  now: () => number = Date.now,
  limit = DOCUMENT_BYTES_KEPT,
): Promise<void> {
  askPersistentStorage();
  const id = document.id.toLowerCase();
  const marked = await db.transaction('rw', db.documents, db.documentFiles, async () => {
    const held = await db.documents.get(id);
    // Counted, not read: the bytes may be many megabytes.
    if (!held || (await db.documentFiles.where(':id').equals(id).count()) === 0) return false;
    await db.documents.update(id, { chosen: true, usedAt: now() });
    return true;
  });
  if (marked) return;
  const blob = await fetchDocumentBytes(client, document.id);
  try {
    await keepDocument(db, document, await blob.arrayBuffer(), 'chosen', now(), limit);
  } catch (e) {
    throw e instanceof DocumentNotKept ? e : new DocumentNotKept(noRoomToKeep(document.file_name));
  }
}

/** The documents kept on this device, by id; undefined while loading, empty without a database. */
export function useKeptDocuments(db: SyncDatabase | null): Map<string, KeptDocument> | undefined {
  return useLiveQuery(async () => new Map((db ? await db.documents.toArray() : []).map((d) => [d.id, d])), [db]);
}

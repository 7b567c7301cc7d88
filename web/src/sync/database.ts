/**
 * The device's copy of one person's sync data in one company: an IndexedDB database (Dexie)
 * named by both ids, so a contractor's companies and a shared tablet's people never mix, and
 * deleted whole on sign-out.
 *
 * - `rows`: the confirmed replica, one record per row keyed by `[scope+entity+id]`, indexed by
 *   `[scope+entity]` (a vessel's equipment) and `[entity+id]` (one item wherever it is); from
 *   version 4 also by `[scope+entity+fields.work_order_id]` (`WORK_ORDER_ROWS`: a work order's
 *   step results, labour and parts used, read without the rest of the vessel's). Only rows whose
 *   fields name a work order are in that index: IndexedDB leaves out a record whose key path
 *   gives no valid key.
 * - `outbox`: the mutations queued on this device, by id, with how far each has got.
 * - `meta`: one record, `client`: the client id (made once per device and database), the next
 *   mutation id, the clock, the cookie and walks under way, and what the UI shows of the last
 *   cycle (so every tab sees it through live queries).
 * - `photos` (version 2): photos taken on this device, resized, waiting to be uploaded and
 *   attached, with how far each has got (`uploader.ts`) and their thumbnail; `photoFiles` their
 *   bytes, written once and never updated (so the lists the UI reads live never load them).
 *   Both go once the server accepted the attach.
 * - `thumbnails` (version 2): server thumbnails fetched once, so photos show offline; the
 *   newest `THUMBNAILS_KEPT` by fetch time are kept.
 * - `documents` (version 3): documents (manuals, drawings, certificates) opened on this device or
 *   chosen with "Keep offline", so they open after a reload with no network; `documentFiles`
 *   their bytes, apart for the same reason as `photoFiles`. At most `DOCUMENT_BYTES_KEPT` in all
 *   (src/features/equipment/api/kept-documents.ts keeps the bound); those whose attachment has
 *   left the replica go after a sync (`dropDocumentsOutOfReach`).
 *
 * A pull answer's rows and its cookie are written in one transaction; a write and its outbox
 * record, with the id and clock it takes, in another.
 */
import Dexie, { type DexieOptions, type Table } from 'dexie';

import type { JsonValue } from './checksum';
import { ENTITY } from './entities';
import { HLC_ZERO } from './hlc';
import { NO_PROGRESS, type ReplicaProgress } from './replica';

/** One confirmed row as stored. */
export interface StoredRow {
  scope: string;
  entity: string;
  /** Lowercase. */
  id: string;
  /** The seq of the change that last wrote it: the `base_version` of a write made on it. */
  version: number;
  fields: JsonValue;
}

/** How far a queued mutation has got. */
export type MutationState = 'queued' | 'sent' | 'accepted' | 'rejected';

/** One mutation queued on this device. */
export interface OutboxEntry {
  id: number;
  name: string;
  args: Record<string, JsonValue>;
  hlc: string;
  base_version: number | null;
  state: MutationState;
  /** The rejection's problem code. */
  code?: string;
  /** The rejection's sentence for the person. */
  detail?: string;
  /** Wall time it was queued, ms. */
  queuedAt: number;
}

/**
 * How far a photo has got: `queued` on this device, `uploading` (some bytes on the server: its
 * thumbnail or its full image; once the thumbnail is up and the full upload begun, its
 * `attach_file.v1` is queued as `mutationId` naming the thumbnail as preview), `attaching`
 * (every byte of the full image there, its attach queued), `rejected` (the server refused the
 * upload or the attach: `code`, `detail`). Once the attach is accepted and the full image is
 * up the photo is deleted: the replica's attachment row shows it from then on.
 */
export type PhotoState = 'queued' | 'uploading' | 'attaching' | 'rejected';

/** What a photo is attached to. */
export type PhotoParentKind = 'fault' | 'equipment';

/** One photo taken on this device. */
export interface PhotoEntry {
  /** The attachment's id (a client-made UUIDv7), as `attach_file.v1` names it. */
  id: string;
  parentKind: PhotoParentKind;
  /** Lowercase. */
  parentId: string;
  /** The vessel whose records it is for (the upload names it). */
  vesselId: string;
  fileName: string;
  /** Its thumbnail (JPEG) as a `data:` URL, shown until the server's replaces it. */
  thumbnailUrl: string;
  /** Of the resized image in `photoFiles`. */
  contentType: string;
  /** SHA-256 of `full`, lowercase hex. */
  sha256: string;
  size: number;
  /** Bytes the server holds, as last heard. */
  sent: number;
  state: PhotoState;
  /** The outbox id of its `attach_file.v1`, once queued. */
  mutationId?: number;
  /**
   * Its thumbnail's upload, sent before the full image: the thumbnail's SHA-256 once the server
   * holds it all (the attach names it as `preview`), null when it cannot go (the photo goes the
   * plain way), absent until tried.
   */
  preview?: string | null;
  /** The server accepted the attach (pending) while the full image is still on its way. */
  attachAccepted?: boolean;
  code?: string;
  detail?: string;
  /** Wall time it was taken, ms: photos upload oldest first. */
  queuedAt: number;
}

/**
 * A file's bytes, apart from what describes it. Bytes rather than a Blob: every browser's
 * IndexedDB keeps them.
 */
export interface StoredFile {
  /** The photo's or the attachment's id. */
  id: string;
  bytes: ArrayBuffer;
}

/** A photo's resized image (JPEG). */
export type PhotoFile = StoredFile;

/** A server thumbnail kept on the device. */
export interface CachedThumbnail {
  /** The attachment's id, lowercase. */
  id: string;
  /** As a `data:` URL: the app's Content-Security-Policy lets images come from `data:`, not `blob:`. */
  url: string;
  /** Wall time it was fetched, ms. */
  fetchedAt: number;
}

/** Server thumbnails kept on the device at most. */
export const THUMBNAILS_KEPT = 200;

/**
 * A server document whose bytes are kept on this device (in `documentFiles`): opened here, or
 * chosen with "Keep offline" (those are dropped last when room is needed).
 */
export interface KeptDocument {
  /** The attachment's id, lowercase. */
  id: string;
  fileName: string;
  contentType: string;
  /** Of the bytes kept. */
  size: number;
  /** Chosen with "Keep offline" rather than only opened. */
  chosen: boolean;
  /** Wall time it was last kept or opened, ms: the least recently used go first. */
  usedAt: number;
}

/**
 * Bytes of documents kept on the device at most: room for a vessel's manuals (the server takes
 * files of up to 20 MiB by default) without filling a phone.
 */
export const DOCUMENT_BYTES_KEPT = 200 * 1024 * 1024;

/** The client's own record. */
export interface ClientMeta {
  key: 'client';
  /** A UUIDv7 made once per device and database. */
  clientId: string;
  nextMutationId: number;
  /** The clock's last reading. */
  hlc: string;
  /** The cookie, walks, replays and repairs under way. */
  progress: ReplicaProgress;
  /** Raised by every write of rows, so a tab knows when its copy in memory is stale. */
  generation: number;
  /** Wall time of the last cycle that finished without failure, ms. */
  lastSyncedAt: number | null;
  /** The server says this app is too old to sync. */
  needsUpdate: boolean;
  /** The server refused the credential: sign in again (the outbox is kept). */
  needsSignIn: boolean;
}

/** The database's name for a person in a company (defined beside the context, which needs no Dexie). */
export { syncDatabaseName } from './sync-context';

/**
 * The index of the rows that belong to one work order, by scope, entity and the order's id
 * (lowercase, as the server writes ids): `[vesselScope(v), ENTITY.stepResult, orderId]`.
 */
export const WORK_ORDER_ROWS = '[scope+entity+fields.work_order_id]';

/** One person's sync database. */
export class SyncDatabase extends Dexie {
  rows!: Table<StoredRow, [string, string, string]>;
  outbox!: Table<OutboxEntry, number>;
  meta!: Table<ClientMeta, string>;
  photos!: Table<PhotoEntry, string>;
  photoFiles!: Table<PhotoFile, string>;
  thumbnails!: Table<CachedThumbnail, string>;
  documents!: Table<KeptDocument, string>;
  documentFiles!: Table<StoredFile, string>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({
      rows: '[scope+entity+id], [scope+entity], [entity+id]',
      outbox: 'id, state',
      meta: 'key',
    });
    this.version(2).stores({
      photos: 'id, queuedAt, [parentKind+parentId]',
      photoFiles: 'id',
      thumbnails: 'id, fetchedAt',
    });
    this.version(3).stores({
      documents: 'id, usedAt',
      documentFiles: 'id',
    });
    // Adds an index: IndexedDB builds it from the rows held, so a replica synced before stays.
    this.version(4).stores({
      rows: `[scope+entity+id], [scope+entity], [entity+id], ${WORK_ORDER_ROWS}`,
    });
  }

  /**
   * Deletes the documents kept whose attachment is no longer in the replica (deleted, or its
   * vessel out of the person's reach), so a kept manual goes where its record went. Only once
   * the replica is settled (pulled, nothing walked, replayed or repaired under way): a half-
   * walked scope would look empty. Returns how many went.
   */
  async dropDocumentsOutOfReach(): Promise<number> {
    return this.transaction('rw', [this.meta, this.rows, this.documents, this.documentFiles], async () => {
      const progress = (await this.meta.get('client'))?.progress;
      const settled =
        progress !== undefined &&
        progress.cookie !== null &&
        progress.replaying === null &&
        progress.repair.length === 0 &&
        progress.repairingBuckets.length === 0 &&
        Object.keys(progress.resetting).length === 0;
      if (!settled) return 0;
      const gone: string[] = [];
      for (const id of await this.documents.toCollection().primaryKeys()) {
        if ((await this.rows.where('[entity+id]').equals([ENTITY.attachment, id]).count()) === 0) gone.push(id);
      }
      await this.documents.bulkDelete(gone);
      await this.documentFiles.bulkDelete(gone);
      return gone.length;
    });
  }

  /** The client's record, made (with a new client id) the first time. */
  async clientMeta(now: number): Promise<ClientMeta> {
    return this.transaction('rw', this.meta, async () => {
      const held = await this.meta.get('client');
      if (held) return held;
      const meta: ClientMeta = {
        key: 'client',
        clientId: uuidV7(now),
        nextMutationId: 1,
        hlc: HLC_ZERO,
        progress: NO_PROGRESS,
        generation: 0,
        lastSyncedAt: null,
        needsUpdate: false,
        needsSignIn: false,
      };
      await this.meta.put(meta);
      return meta;
    });
  }
}

/** A UUIDv7: 48 bits of milliseconds, then random bits (RFC 9562). */
export function uuidV7(now: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = BigInt(Math.max(0, Math.floor(now)));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

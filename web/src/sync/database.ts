/**
 * The device's copy of one person's sync data in one company: an IndexedDB database (Dexie)
 * named by both ids, so a contractor's companies and a shared tablet's people never mix, and
 * deleted whole on sign-out.
 *
 * - `rows`: the confirmed replica, one record per row keyed by `[scope+entity+id]`, indexed by
 *   `[scope+entity]` (a vessel's equipment) and `[entity+id]` (one item wherever it is).
 * - `outbox`: the mutations queued on this device, by id, with how far each has got.
 * - `meta`: one record, `client`: the client id (made once per device and database), the next
 *   mutation id, the clock, the cookie and walks under way, and what the UI shows of the last
 *   cycle (so every tab sees it through live queries).
 *
 * A pull answer's rows and its cookie are written in one transaction; a write and its outbox
 * record, with the id and clock it takes, in another.
 */
import Dexie, { type DexieOptions, type Table } from 'dexie';

import type { JsonValue } from './checksum';
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

/** The database's name for a person in a company. */
export const syncDatabaseName = (companyId: string, userId: string) => `bosun-sync:${companyId}:${userId}`;

/** One person's sync database. */
export class SyncDatabase extends Dexie {
  rows!: Table<StoredRow, [string, string, string]>;
  outbox!: Table<OutboxEntry, number>;
  meta!: Table<ClientMeta, string>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({
      rows: '[scope+entity+id], [scope+entity], [entity+id]',
      outbox: 'id, state',
      meta: 'key',
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

/**
 * What the signed-in pages share of the sync client: the person's database, the engine and the
 * runner of this tab, and a way to queue a write. Null while nobody is signed in (or in tests
 * that render a page without it): pages then read from the API.
 */
import { createContext, useContext } from 'react';

import type { JsonValue } from './checksum';
import type { SyncDatabase } from './database';
import type { SyncEngine } from './engine';
import type { SyncRunner } from './runner';

/** The database's name for a person in a company. */
export const syncDatabaseName = (companyId: string, userId: string) => `bosun-sync:${companyId}:${userId}`;

/** The sync client of this tab. */
export interface SyncClient {
  db: SyncDatabase;
  engine: SyncEngine;
  runner: SyncRunner;
  /** Queues a write (a fresh clock reading, the next mutation id) and syncs soon after. */
  enqueue: (name: string, args: Record<string, JsonValue>, baseVersion: number | null) => Promise<number>;
}

export const SyncContext = createContext<SyncClient | null>(null);

/**
 * True while the sync client of a signed-in person is being loaded and started: pages that read
 * the replica wait for it instead of asking the API.
 */
export const SyncStartingContext = createContext(false);

/** The sync client, or null when there is none. */
export function useSyncClient(): SyncClient | null {
  return useContext(SyncContext);
}

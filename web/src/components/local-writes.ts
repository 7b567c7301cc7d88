/**
 * Writing through the outbox and showing what is still on this device: every write of the
 * maintenance pages is a named mutator queued with `enqueue` (docs/SYNC.md "Push"); until the
 * server accepts it, the page shows it beside the confirmed replica, marked with how far it has
 * got ("on this device", "sent", or the server's refusal).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback } from 'react';

import type { JsonValue } from '../sync/checksum';
import { uuidV7, type OutboxEntry, type StoredRow, type SyncDatabase } from '../sync/database';
import { useSyncClient } from '../sync/sync-context';
import { mutationStateLabel } from '../sync/use-sync-state';

/** A client-made UUIDv7 for a row inserted offline. */
export const newRowId = (): string => uuidV7(Date.now());

/** A write waiting on this device, with the words for how far it has got. */
export type PendingWrite = OutboxEntry & { label: string };

/**
 * The writes not yet accepted (queued, sent, or refused and not dismissed), oldest first: one
 * read of the outbox, inside the caller's transaction when there is one.
 */
export async function pendingWritesIn(db: SyncDatabase): Promise<PendingWrite[]> {
  const entries = await db.outbox.where('state').anyOf('queued', 'sent', 'rejected').sortBy('id');
  return entries.map((e) => ({ ...e, label: mutationStateLabel(e) }));
}

/** The writes not yet accepted (queued, sent, or refused and not dismissed), oldest first. */
export function usePendingWrites(): PendingWrite[] | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery(async () => (db ? pendingWritesIn(db) : undefined), [db]);
}

/** Queues a write; throws when there is no sync client (nobody signed in yet). */
export function useEnqueue(): (name: string, args: Record<string, JsonValue>, baseVersion: number | null) => Promise<number> {
  const sync = useSyncClient();
  return useCallback(
    async (name, args, baseVersion) => {
      if (!sync) throw new Error('Bosun is still starting; try again in a moment.');
      return sync.enqueue(name, args, baseVersion);
    },
    [sync],
  );
}

/** Every row of `entity` the replica holds, in any scope (undefined while loading). */
export function useEntityRows(entity: string): StoredRow[] | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery<StoredRow[] | undefined>(
    () => db?.rows.where('[entity+id]').between([entity, ''], [entity, '\uffff']).toArray(),
    [db, entity],
  );
}

/** A row's fields as an object (empty when they are not one). */
export function fieldsOf(row: StoredRow): Record<string, JsonValue> {
  const f = row.fields;
  return f !== null && typeof f === 'object' && !Array.isArray(f) ? f : {};
}

/** A text field, or null. */
export function textOf(fields: Record<string, JsonValue>, name: string): string | null {
  const v = fields[name];
  return typeof v === 'string' ? v : null;
}

/** A number field, or null. */
export function numberOf(fields: Record<string, JsonValue>, name: string): number | null {
  const v = fields[name];
  return typeof v === 'number' ? v : null;
}

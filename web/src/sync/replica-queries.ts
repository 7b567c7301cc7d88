/**
 * Reads from the confirmed replica through Dexie live queries: pages re-render when a sync (in
 * any tab) changes the rows they show. Each hook gives undefined while there is no sync client
 * or the query is loading. The plain readers (`replicaRowById`, ...) are for a page's own live
 * query that reads several things in one transaction.
 */
import { useLiveQuery } from 'dexie-react-hooks';

import { WORK_ORDER_ROWS, type StoredRow, type SyncDatabase } from './database';
import { useSyncClient } from './sync-context';

/**
 * The row `id` of `entity`, wherever it is (by the `[entity+id]` index: a row's scope is part of
 * its key, and a page opened by id does not know it); undefined when the replica does not hold it.
 */
export function replicaRowById(db: SyncDatabase, entity: string, id: string): Promise<StoredRow | undefined> {
  return db.rows.where('[entity+id]').equals([entity, id.toLowerCase()]).first();
}

/** The rows of `entity` with these ids, wherever they are: those the replica holds. */
export async function replicaRowsById(db: SyncDatabase, entity: string, ids: Iterable<string>): Promise<StoredRow[]> {
  const keys = [...new Set([...ids].map((id) => id.toLowerCase()))].map((id) => [entity, id]);
  return keys.length === 0 ? [] : db.rows.where('[entity+id]').anyOf(keys).toArray();
}

/** The rows of `entity` in `scope` that belong to the work order `workOrderId` (their `work_order_id`). */
export function workOrderRowsIn(db: SyncDatabase, scope: string, entity: string, workOrderId: string): Promise<StoredRow[]> {
  return db.rows.where(WORK_ORDER_ROWS).equals([scope, entity, workOrderId.toLowerCase()]).toArray();
}

/** The rows of `entity` in `scope`, or in every scope when `scope` is null. */
export function useReplicaRows(entity: string, scope: string | null): StoredRow[] | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery<StoredRow[] | undefined>(() => {
    if (!db) return undefined;
    return scope === null
      ? db.rows.where('[entity+id]').between([entity, ''], [entity, '\uffff']).toArray()
      : db.rows.where('[scope+entity]').equals([scope, entity]).toArray();
  }, [db, entity, scope]);
}

/** The row `id` of `entity`, wherever it is; null when the replica does not hold it. */
export function useReplicaRow(entity: string, id: string): StoredRow | null | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery(async () => {
    if (!db) return undefined;
    return (await replicaRowById(db, entity, id)) ?? null;
  }, [db, entity, id]);
}

/** The rows of `entity` in `scope` whose field `field` is `value` (a fault's `equipment_id`). */
export function useReplicaRowsWhere(
  entity: string,
  scope: string | null,
  field: string,
  value: string,
): StoredRow[] | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery<StoredRow[] | undefined>(() => {
    if (!db || scope === null) return undefined;
    return db.rows
      .where('[scope+entity]')
      .equals([scope, entity])
      .filter((row) => fieldOf(row, field) === value)
      .toArray();
  }, [db, entity, scope, field, value]);
}

/** A row's field, if its fields are an object. */
export function fieldOf(row: StoredRow, field: string): unknown {
  const fields = row.fields;
  return fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? fields[field] : undefined;
}

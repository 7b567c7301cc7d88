/**
 * Reads from the confirmed replica through Dexie live queries: pages re-render when a sync (in
 * any tab) changes the rows they show. Each hook gives undefined while there is no sync client
 * or the query is loading.
 */
import { useLiveQuery } from 'dexie-react-hooks';

import type { StoredRow } from './database';
import { useSyncClient } from './sync-context';

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
    return (await db.rows.where('[entity+id]').equals([entity, id.toLowerCase()]).first()) ?? null;
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

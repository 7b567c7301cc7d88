/**
 * The person's database across versions: a database made by an earlier version of the app
 * (version 3, before the work order index) opens in this one with every row, write and record it
 * held, and the rows it held are found by the index added since.
 */
import Dexie from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';

import { SyncDatabase, WORK_ORDER_ROWS, type StoredRow } from './database';
import { ENTITY, vesselScope } from './entities';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const ORDER = '01900000-0000-7000-8000-0000000000d1';
const OTHER = '01900000-0000-7000-8000-0000000000d2';
const SCOPE = vesselScope(VESSEL);

/** The schema as versions 1 to 3 of the app declared it. */
function versionThree(name: string): Dexie {
  const db = new Dexie(name, { indexedDB, IDBKeyRange });
  db.version(1).stores({ rows: '[scope+entity+id], [scope+entity], [entity+id]', outbox: 'id, state', meta: 'key' });
  db.version(2).stores({ photos: 'id, queuedAt, [parentKind+parentId]', photoFiles: 'id', thumbnails: 'id, fetchedAt' });
  db.version(3).stores({ documents: 'id, usedAt', documentFiles: 'id' });
  return db;
}

const row = (entity: string, id: string, fields: Record<string, unknown>): StoredRow => ({
  scope: SCOPE,
  entity,
  id,
  version: 7,
  fields: { id, ...fields },
});

describe('the sync database', () => {
  it('keeps what version 3 held when it opens at version 4, and indexes the rows of a work order', async () => {
    const name = 'upgrade-from-3';
    const rows = [
      row(ENTITY.workOrder, ORDER, { vessel_id: VESSEL, title: 'Change the impeller' }),
      row(ENTITY.stepResult, '01900000-0000-7000-8000-000000000b01', { work_order_id: ORDER, step_id: 's1' }),
      row(ENTITY.stepResult, '01900000-0000-7000-8000-000000000b02', { work_order_id: OTHER, step_id: 's1' }),
      row(ENTITY.labourEntry, '01900000-0000-7000-8000-000000000c01', { work_order_id: ORDER, minutes: 30 }),
      // A receipt names no work order: it is in no work order's rows, and kept all the same.
      row(ENTITY.stockEntry, '01900000-0000-7000-8000-000000000e01', { work_order_id: null, delta: '5' }),
      row(ENTITY.stockEntry, '01900000-0000-7000-8000-000000000e02', { work_order_id: ORDER, delta: '-1' }),
      { scope: SCOPE, entity: ENTITY.meterReading, id: 'r1', version: 3, fields: null },
    ];
    const old = versionThree(name);
    await old.table('rows').bulkPut(rows);
    await old.table('outbox').put({ id: 1, name: 'log_labour.v1', args: { work_order_id: ORDER }, hlc: '', base_version: null, state: 'queued', queuedAt: 1 });
    await old.table('meta').put({ key: 'client', clientId: 'c', nextMutationId: 2 });
    await old.table('documents').put({ id: 'd1', fileName: 'manual.pdf', contentType: 'application/pdf', size: 3, chosen: true, usedAt: 1 });
    expect(old.verno).toBe(3);
    old.close();

    const db = new SyncDatabase(name, { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(4);
    expect(await db.rows.count()).toBe(rows.length);
    expect(await db.outbox.toArray()).toMatchObject([{ id: 1, name: 'log_labour.v1', state: 'queued' }]);
    expect(await db.meta.get('client')).toMatchObject({ clientId: 'c', nextMutationId: 2 });
    expect(await db.documents.get('d1')).toMatchObject({ chosen: true });

    const ofOrder = (entity: string, order: string) =>
      db.rows.where(WORK_ORDER_ROWS).equals([SCOPE, entity, order]).primaryKeys();
    expect(await ofOrder(ENTITY.stepResult, ORDER)).toEqual([[SCOPE, ENTITY.stepResult, '01900000-0000-7000-8000-000000000b01']]);
    expect(await ofOrder(ENTITY.labourEntry, ORDER)).toEqual([[SCOPE, ENTITY.labourEntry, '01900000-0000-7000-8000-000000000c01']]);
    expect(await ofOrder(ENTITY.stockEntry, ORDER)).toEqual([[SCOPE, ENTITY.stockEntry, '01900000-0000-7000-8000-000000000e02']]);
    expect(await ofOrder(ENTITY.stepResult, OTHER)).toHaveLength(1);
    // Only rows naming a work order are in the index.
    expect(await db.rows.where(WORK_ORDER_ROWS).between([SCOPE, '', ''], [SCOPE, '\uffff', '\uffff']).count()).toBe(4);

    // Rows written from now on are indexed as they land.
    await db.rows.put(row(ENTITY.stepResult, '01900000-0000-7000-8000-000000000b03', { work_order_id: ORDER, step_id: 's2' }));
    expect(await ofOrder(ENTITY.stepResult, ORDER)).toHaveLength(2);
    db.close();
  });
});

/**
 * Documents kept on the device: bounded by bytes (those only opened dropped before those
 * chosen, least recently used first; a file over the bound not kept, with a sentence), opened
 * from the device with the network off, and gone with the person's database at sign-out.
 */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';

import { createApiClient } from '../../../api/client';
import { SyncDatabase } from '../../../sync/database';
import { deleteSyncDatabase } from '../../../sync/start-sync';
import { freshDatabase } from '../../../sync/test-support';
import type { ItemDocument } from './documents';
import { DocumentNotKept, forgetKeptDocument, keepDocument, keepDocumentOffline, openDocument, readKeptDocument } from './kept-documents';

const doc = (n: number, name = `manual-${n}.pdf`): ItemDocument => ({
  id: `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`,
  file_name: name,
  content_type: 'application/pdf',
  size_bytes: 0,
  created_at: '2026-01-01T00:00:00Z',
});
const bytes = (size: number, fill = 1) => new Uint8Array(size).fill(fill).buffer;
/** A Blob's bytes through FileReader (jsdom's Blob has no `arrayBuffer`). */
function bytesOf(blob: Blob | null): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (!blob) {
      reject(new Error('no blob'));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      resolve(reader.result instanceof ArrayBuffer ? new Uint8Array(reader.result) : new Uint8Array());
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error('unreadable'));
    };
    reader.readAsArrayBuffer(blob);
  });
}
const keptIds = async (db: SyncDatabase) => (await db.documents.orderBy('usedAt').primaryKeys()).map((id) => Number.parseInt(id.slice(-4), 16));

/** A client whose `/content` answers come from `files` by id (counted), or fail as offline. */
function serverOf(files: Map<string, ArrayBuffer>, online: { value: boolean } = { value: true }) {
  const asked: string[] = [];
  const client = createApiClient({
    baseUrl: 'http://bosun.test',
    fetch: (request) => {
      if (!online.value) return Promise.reject(new TypeError('Failed to fetch'));
      const id = /\/attachments\/([^/]+)\/content$/.exec(new URL(request.url).pathname)?.[1] ?? '';
      asked.push(id);
      const body = files.get(id);
      return Promise.resolve(
        body ? new Response(body, { headers: { 'Content-Type': 'application/pdf' } }) : new Response(null, { status: 404 }),
      );
    },
  });
  return { client, asked, online };
}

describe('documents kept on the device', () => {
  it('keeps a document’s bytes and gives them back with their type, marked as used', async () => {
    const db = freshDatabase();
    await keepDocument(db, doc(1), bytes(10, 7), 'opened', 100);
    const blob = await readKeptDocument(db, doc(1).id, 200);
    expect(blob?.type).toBe('application/pdf');
    expect(await bytesOf(blob)).toEqual(new Uint8Array(10).fill(7));
    expect(await db.documents.get(doc(1).id)).toMatchObject({ size: 10, usedAt: 200, chosen: false, fileName: 'manual-1.pdf' });
    expect(await readKeptDocument(db, doc(2).id, 300)).toBeNull();
  });

  it('drops the least recently used until the total fits the bound', async () => {
    const db = freshDatabase();
    await keepDocument(db, doc(1), bytes(40), 'opened', 1, 100);
    await keepDocument(db, doc(2), bytes(40), 'opened', 2, 100);
    // Opening the first makes the second the least recently used.
    await readKeptDocument(db, doc(1).id, 3);
    await keepDocument(db, doc(3), bytes(40), 'opened', 4, 100);
    expect(await keptIds(db)).toEqual([1, 3]);
    expect(await db.documentFiles.count()).toBe(2);
  });

  it('drops documents only opened before those chosen with “Keep offline”', async () => {
    const db = freshDatabase();
    await keepDocument(db, doc(1), bytes(30), 'chosen', 1, 100);
    await keepDocument(db, doc(2), bytes(30), 'opened', 2, 100);
    await keepDocument(db, doc(3), bytes(30), 'opened', 3, 100);
    await keepDocument(db, doc(4), bytes(30), 'opened', 4, 100);
    // The oldest opened one goes, not the older chosen one.
    expect(await keptIds(db)).toEqual([1, 3, 4]);
    await keepDocument(db, doc(5), bytes(90), 'chosen', 5, 100);
    expect(await keptIds(db)).toEqual([5]);
  });

  it('does not keep a single file over the bound, and says why', async () => {
    const db = freshDatabase();
    await keepDocument(db, doc(1), bytes(50), 'opened', 1, 100);
    const refused = keepDocument(db, doc(2, 'hull drawing.pdf'), bytes(2 * 1024 * 1024), 'chosen', 2, 1024 * 1024);
    await expect(refused).rejects.toThrow(DocumentNotKept);
    await expect(refused).rejects.toThrow(
      'hull drawing.pdf (2.0 MB) is larger than the 1.0 MB this device keeps for documents, so it opens only with the connection.',
    );
    expect(await keptIds(db)).toEqual([1]);
  });

  it('fetches a document once, then opens it from the device with the network off', async () => {
    const db = freshDatabase();
    const server = serverOf(new Map([[doc(1).id, bytes(12, 3)]]));
    const first = await openDocument(db, server.client, doc(1), () => 10);
    expect(first.notKept).toBeNull();
    expect(first.blob.size).toBe(12);
    server.online.value = false;
    const again = await openDocument(db, server.client, doc(1), () => 20);
    expect(await bytesOf(again.blob)).toEqual(new Uint8Array(12).fill(3));
    expect(server.asked).toEqual([doc(1).id]);
    // One never opened needs the connection.
    await expect(openDocument(db, server.client, doc(2), () => 30)).rejects.toMatchObject({ isNetworkError: true });
  });

  it('opens a file over the bound without keeping it, saying so', async () => {
    const db = freshDatabase();
    const server = serverOf(new Map([[doc(1).id, bytes(200)]]));
    const opened = await openDocument(db, server.client, doc(1), () => 10, 100);
    expect(opened.blob.size).toBe(200);
    expect(opened.notKept).toMatch(/is larger than the 100 B this device keeps for documents/);
    expect(await db.documents.count()).toBe(0);
  });

  it('“Keep offline” fetches once, marks a document already kept as chosen, and “Remove from device” deletes it', async () => {
    const db = freshDatabase();
    const server = serverOf(new Map([[doc(1).id, bytes(5)], [doc(2).id, bytes(6)]]));
    await keepDocumentOffline(db, server.client, doc(1), () => 1);
    expect(await db.documents.get(doc(1).id)).toMatchObject({ chosen: true, size: 5 });
    await openDocument(db, server.client, doc(2), () => 2);
    server.online.value = false;
    await keepDocumentOffline(db, server.client, doc(2), () => 3);
    expect(await db.documents.get(doc(2).id)).toMatchObject({ chosen: true, usedAt: 3 });
    expect(server.asked).toEqual([doc(1).id, doc(2).id]);

    await forgetKeptDocument(db, doc(1).id);
    expect(await db.documents.get(doc(1).id)).toBeUndefined();
    expect(await db.documentFiles.get(doc(1).id)).toBeUndefined();
  });

  it('are deleted with the person’s database at sign-out', async () => {
    const name = 'bosun-sync:company:person-with-documents';
    const db = new SyncDatabase(name);
    await keepDocument(db, doc(1), bytes(8), 'chosen', 1);
    db.close();
    await deleteSyncDatabase(name);
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(name);
    const after = new SyncDatabase(name);
    expect(await after.documents.count()).toBe(0);
    expect(await after.documentFiles.count()).toBe(0);
    await after.delete();
  });
});

describe('documents whose record left the replica', () => {
  it('go once the replica is settled, and not while it is being walked', async () => {
    const db = freshDatabase();
    await db.clientMeta(0);
    await db.rows.put({ scope: 'vessel:v', entity: 'attachment', id: doc(1).id, version: 1, fields: { id: doc(1).id } });
    await keepDocument(db, doc(1), bytes(4), 'opened', 1);
    await keepDocument(db, doc(2), bytes(4), 'chosen', 2);
    // Before the first pull the replica says nothing about reach.
    expect(await db.dropDocumentsOutOfReach()).toBe(0);
    const meta = await db.clientMeta(0);
    await db.meta.update('client', { progress: { ...meta.progress, cookie: 'c1', resetting: { 'vessel:v': ['attachment'] } } });
    expect(await db.dropDocumentsOutOfReach()).toBe(0);
    await db.meta.update('client', { progress: { ...meta.progress, cookie: 'c2' } });
    expect(await db.dropDocumentsOutOfReach()).toBe(1);
    expect(await keptIds(db)).toEqual([1]);
    expect(await db.documentFiles.count()).toBe(1);
  });
});

describe('the database’s versions', () => {
  it('upgrades a version 2 database, keeping its rows, to one with documents', async () => {
    const name = 'bosun-sync:company:upgraded';
    // Version 2 as it shipped: the same stores, no documents.
    const old = new Dexie(name);
    old.version(1).stores({ rows: '[scope+entity+id], [scope+entity], [entity+id]', outbox: 'id, state', meta: 'key' });
    old.version(2).stores({ photos: 'id, queuedAt, [parentKind+parentId]', photoFiles: 'id', thumbnails: 'id, fetchedAt' });
    await old.table('thumbnails').put({ id: 'a', url: 'data:image/jpeg;base64,AAAA', fetchedAt: 1 });
    old.close();
    const db = new SyncDatabase(name);
    expect(await db.thumbnails.count()).toBe(1);
    await keepDocument(db, doc(1), bytes(4), 'opened', 1);
    expect(await db.documents.count()).toBe(1);
    await db.delete();
  });
});

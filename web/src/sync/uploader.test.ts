import { createApiClient } from '../api/client';
import type { PhotoEntry, SyncDatabase } from './database';
import { SyncEngine } from './engine';
import { applied, freshDatabase, page, ScriptedTransport } from './test-support';
import { removePhoto } from '../photos/photo-queue';
import { changeLines } from './change-list';
import { MAX_CHUNK, offsetNamed, SyncCycle, thumbnailBytes, uploadApiOf, Uploader } from './uploader';

const NOW = 1_720_000_000_000;
const VESSEL = '00000000-0000-0000-0000-00000000000a';
const FAULT = '00000000-0000-0000-0000-00000000000f';

interface Held {
  size: number;
  received: number;
}

type Refusal = { status: number; code: string; detail?: string; errors?: { field: string; code: string; message: string }[] };

/**
 * The server's upload routes in memory, behind a fake `fetch`, with the link's troubles on
 * demand: a request that never reaches it, an answer lost after the chunk was stored, a
 * refusal, bytes arriving from elsewhere.
 */
class FakeUploadServer {
  readonly uploads = new Map<string, Held>();
  /** `METHOD offset` of every request that reached the server. */
  readonly log: string[] = [];
  /** Requests (counted from now) that fail before reaching the server. */
  dropFrom: number | null = null;
  /** The next PATCH is stored but its answer lost. */
  loseNextAnswer = false;
  /** Refusals by method. */
  readonly refuse = new Map<string, Refusal>();
  /** Runs before a PATCH is handled (bytes arriving from another device). */
  beforePatch: ((held: Held) => void) | null = null;
  /** Whether a 409 names the offset in its detail, as the Rust server does. */
  namesOffset = true;
  private requests = 0;

  readonly fetch = async (request: Request): Promise<Response> => {
    this.requests += 1;
    if (this.dropFrom !== null && this.requests >= this.dropFrom) throw new TypeError('Failed to fetch');
    const sha = decodeURIComponent(new URL(request.url).pathname.split('/').at(-1) ?? '');
    const refusal = this.refuse.get(request.method);
    if (refusal) {
      this.log.push(`${request.method} refused`);
      return problem(refusal);
    }
    if (request.method === 'POST') {
      const body = (await request.json()) as { sha256: string; size: number; vessel_id: string };
      const held = this.uploads.get(body.sha256) ?? { size: body.size, received: 0 };
      this.uploads.set(body.sha256, held);
      this.log.push(`POST ${held.received}`);
      return json(view(body.sha256, held));
    }
    const held = this.uploads.get(sha);
    if (!held) return problem({ status: 404, code: 'not_found' });
    if (request.method === 'GET') {
      this.log.push(`GET ${held.received}`);
      return json(view(sha, held));
    }
    const offset = Number(request.headers.get('Upload-Offset'));
    const chunk = new Uint8Array(await request.arrayBuffer());
    this.log.push(`PATCH ${offset}+${chunk.length}`);
    this.beforePatch?.(held);
    this.beforePatch = null;
    if (chunk.length > MAX_CHUNK) return problem({ status: 413, code: 'chunk_too_large' });
    if (offset !== held.received) {
      const detail = this.namesOffset ? `the server holds ${held.received} bytes of this file: send from offset ${held.received}` : 'another offset';
      return problem({ status: 409, code: 'upload_offset_mismatch', detail });
    }
    held.received += chunk.length;
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new TypeError('connection reset');
    }
    return json(view(sha, held));
  };
}

function view(sha256: string, held: Held) {
  const complete = held.received >= held.size;
  return {
    sha256,
    size: held.size,
    offset: held.received,
    complete,
    file: complete ? { sha256, size_bytes: held.size, content_type: 'image/jpeg', kind: 'photo', has_thumbnail: true } : null,
  };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
const problem = (r: Refusal) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Refused', ...r }), {
    status: r.status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

let photos = 0;
function photo(size: number, queuedAt = NOW): PhotoEntry {
  photos += 1;
  return {
    id: `00000000-0000-7000-8000-${photos.toString(16).padStart(12, '0')}`,
    parentKind: 'fault',
    parentId: FAULT,
    vesselId: VESSEL,
    fileName: `photo-${photos}.jpg`,
    thumbnailUrl: 'data:image/jpeg;base64,',
    contentType: 'image/jpeg',
    sha256: photos.toString(16).padStart(64, '0'),
    size,
    sent: 0,
    state: 'queued',
    queuedAt,
  };
}

/** Keeps photos on the device as the capture does: the record and its bytes. */
async function keep(db: SyncDatabase, ...list: PhotoEntry[]) {
  await db.photos.bulkAdd(list);
  await db.photoFiles.bulkAdd(list.map((p) => ({ id: p.id, bytes: new Uint8Array(p.size).fill(p.size % 251).buffer })));
}

async function setUp() {
  const db = freshDatabase();
  const transport = new ScriptedTransport();
  const engine = new SyncEngine(db, transport, () => NOW);
  const clientId = (await db.clientMeta(NOW)).clientId;
  const server = new FakeUploadServer();
  const client = createApiClient({ baseUrl: 'http://bosun.test', fetch: server.fetch });
  const uploader = new Uploader(db, engine, uploadApiOf(client));
  return { db, transport, engine, clientId, server, uploader };
}

/** A photo with a kept thumbnail of `thumbSize` bytes, as the capture keeps it (a `data:` URL). */
function withThumbnail(p: PhotoEntry, thumbSize = 3_000): PhotoEntry {
  const bytes = new Uint8Array(thumbSize).fill(p.size % 97);
  return { ...p, thumbnailUrl: `data:image/jpeg;base64,${btoa(String.fromCharCode(...bytes))}` };
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const previewOf = (p: PhotoEntry) => sha256Hex(thumbnailBytes(p.thumbnailUrl));

/** A transport whose pushes are written into the upload server's log, so the order of use of the link shows. */
class LoggedTransport extends ScriptedTransport {
  constructor(private readonly log: string[]) {
    super();
  }

  override push(body: Parameters<ScriptedTransport['push']>[0]) {
    this.log.push(`PUSH ${body.mutations.map((m) => m.name).join(',')}`);
    return super.push(body);
  }
}

async function setUpCycle() {
  const db = freshDatabase();
  const server = new FakeUploadServer();
  const transport = new LoggedTransport(server.log);
  const engine = new SyncEngine(db, transport, () => NOW);
  const clientId = (await db.clientMeta(NOW)).clientId;
  const client = createApiClient({ baseUrl: 'http://bosun.test', fetch: server.fetch });
  const uploader = new Uploader(db, engine, uploadApiOf(client));
  return { db, transport, engine, clientId, server, uploader, cycle: new SyncCycle(engine, uploader) };
}

const attaches = async (db: SyncDatabase) => (await db.outbox.toArray()).filter((e) => e.name === 'attach_file.v1');

describe('uploading photos', () => {
  test('a photo goes in chunks of 256 KiB, then its attach is queued once, naming the file as the server found it', async () => {
    const { db, server, uploader } = await setUp();
    const p = photo(600_000);
    await keep(db, p);

    const report = await uploader.uploadAll();
    expect(report).toEqual({ attached: 1, refused: 0, chunks: 3, stopped: null });
    expect(server.log).toEqual(['POST 0', 'PATCH 0+262144', 'PATCH 262144+262144', 'PATCH 524288+75712']);
    const [attach, ...more] = await attaches(db);
    expect(more).toEqual([]);
    expect(attach?.args).toEqual({
      id: p.id,
      parent_kind: 'fault',
      parent_id: FAULT,
      file_name: p.fileName,
      file: { sha256: p.sha256, size_bytes: 600_000, content_type: 'image/jpeg', kind: 'photo', has_thumbnail: true },
    });
    expect(await db.photos.get(p.id)).toMatchObject({ state: 'attaching', sent: 600_000, mutationId: attach?.id });

    // Another cycle sends nothing and queues nothing again.
    expect(await uploader.uploadAll()).toEqual({ attached: 0, refused: 0, chunks: 0, stopped: null });
    expect(await attaches(db)).toHaveLength(1);
  });

  test('after a dropped link the next cycle goes on from the offset the server holds', async () => {
    const { db, server, uploader } = await setUp();
    const p = photo(600_000);
    await keep(db, p);
    server.dropFrom = 3; // the begin and the first chunk get through
    expect((await uploader.uploadAll()).stopped).toBe('link');
    expect(await db.photos.get(p.id)).toMatchObject({ state: 'uploading', sent: MAX_CHUNK });
    expect(await attaches(db)).toHaveLength(0);

    server.dropFrom = null;
    const again = await uploader.uploadAll();
    expect(again.attached).toBe(1);
    expect(server.log).toEqual(['POST 0', 'PATCH 0+262144', 'POST 262144', 'PATCH 262144+262144', 'PATCH 524288+75712']);
    expect(await attaches(db)).toHaveLength(1);
  });

  test('a chunk whose answer was lost is sent once: the server holds it, and the next cycle asks first', async () => {
    const { db, server, uploader } = await setUp();
    await keep(db, photo(300_000));
    server.loseNextAnswer = true;
    expect((await uploader.uploadAll()).stopped).toBe('link');
    expect((await uploader.uploadAll()).attached).toBe(1);
    expect(server.log).toEqual(['POST 0', 'PATCH 0+262144', 'POST 262144', 'PATCH 262144+37856']);
  });

  test('an offset mismatch goes on from the offset the refusal names', async () => {
    const { db, server, uploader } = await setUp();
    await keep(db, photo(600_000));
    // Between the begin and the first chunk, the server came to hold one chunk (another device).
    server.beforePatch = (held) => {
      held.received = MAX_CHUNK;
    };
    expect((await uploader.uploadAll()).attached).toBe(1);
    expect(server.log).toEqual(['POST 0', 'PATCH 0+262144', 'PATCH 262144+262144', 'PATCH 524288+75712']);
    expect(server.uploads.values().next().value?.received).toBe(600_000);
  });

  test('an offset mismatch naming no offset asks the server where the upload stands', async () => {
    const { db, server, uploader } = await setUp();
    await keep(db, photo(300_000));
    server.namesOffset = false;
    server.beforePatch = (held) => {
      held.received = MAX_CHUNK;
    };
    expect((await uploader.uploadAll()).attached).toBe(1);
    expect(server.log).toEqual(['POST 0', 'PATCH 0+262144', 'GET 262144', 'PATCH 262144+37856']);
    expect(offsetNamed({ type: 'about:blank', title: 'x', status: 409, detail: 'send from offset 42' })).toBe(42);
  });

  test('a refusal is kept on the photo with the server’s reason, and the next photo still goes', async () => {
    const { db, server, uploader } = await setUp();
    const refused = photo(1_000, NOW);
    const next = photo(1_000, NOW + 1);
    await keep(db, refused, next);
    server.refuse.set('POST', { status: 403, code: 'forbidden', detail: 'Your role does not allow this' });
    const first = await uploader.uploadAll();
    expect(first).toMatchObject({ refused: 2, attached: 0, stopped: null });
    expect(await db.photos.get(refused.id)).toMatchObject({ state: 'rejected', code: 'forbidden', detail: 'Your role does not allow this' });

    // A refusal of the last chunk (not an image, by its content) names the field's reason.
    const third = photo(1_000, NOW + 2);
    await keep(db, third);
    server.refuse.clear();
    server.refuse.set('PATCH', {
      status: 422,
      code: 'validation_failed',
      errors: [{ field: 'sha256', code: 'upload_hash_mismatch', message: 'the bytes received do not have this hash' }],
    });
    await uploader.uploadAll();
    expect(await db.photos.get(third.id)).toMatchObject({ state: 'rejected', code: 'upload_hash_mismatch' });
    expect(await attaches(db)).toHaveLength(0);
  });

  test('a temporary refusal or an expired session stops the uploads without refusing the photo', async () => {
    const { db, server, uploader } = await setUp();
    const p = photo(1_000);
    await keep(db, p);
    server.refuse.set('POST', { status: 503, code: 'unavailable' });
    expect((await uploader.uploadAll()).stopped).toBe('temporary');
    server.refuse.set('POST', { status: 401, code: 'unauthorized' });
    expect((await uploader.uploadAll()).stopped).toBe('session');
    expect(await db.photos.get(p.id)).toMatchObject({ state: 'queued' });
  });

  test('photos go oldest first', async () => {
    const { db, server, uploader } = await setUp();
    const newer = photo(10, NOW + 5);
    const older = photo(20, NOW);
    await keep(db, newer, older);
    await uploader.uploadAll();
    expect(server.log).toEqual(['POST 0', 'PATCH 0+20', 'POST 0', 'PATCH 0+10']);
    expect((await attaches(db)).map((a) => a.args.id)).toEqual([older.id, newer.id]);
  });
});

describe('the cycle with uploads', () => {
  test('mutations first, then photos; the attach is pushed in the same turn and the photo goes once accepted', async () => {
    const { db, transport, engine, clientId, server, uploader } = await setUp();
    await engine.enqueue('report_fault.v1', { id: FAULT, title: 'Leak' }, null);
    const p = photo(1_000);
    await keep(db, p);
    transport
      .answerPush(applied([1]))
      .answerPull(page('c1', {}, false, { last_mutation_ids: { [clientId]: 1 } }))
      .answerPush(applied([2]))
      .answerPull(page('c2', {}, false, { last_mutation_ids: { [clientId]: 2 } }));

    const report = await new SyncCycle(engine, uploader).syncOnce();
    expect(report.failure).toBeNull();
    expect(transport.pushes.map((b) => b.mutations.map((m) => m.name))).toEqual([['report_fault.v1'], ['attach_file.v1']]);
    expect(server.log).toEqual(['POST 0', 'PATCH 0+1000']);
    expect(await db.photos.count()).toBe(0);
    expect(await db.photoFiles.count()).toBe(0);
  });

  test('tidies after a cycle without failure only', async () => {
    const { transport, engine, uploader } = await setUp();
    let tidied = 0;
    const cycle = new SyncCycle(engine, uploader, () => Promise.resolve(++tidied));
    transport.answerPull({ kind: 'link', detail: 'down', delivered: false });
    await cycle.syncOnce();
    expect(tidied).toBe(0);
    transport.answerPull(page('c1', {}, false));
    expect((await cycle.syncOnce()).failure).toBeNull();
    expect(tidied).toBe(1);
  });

  test('a refused attach keeps the photo with the reason; no uploads while the link is down', async () => {
    const { db, transport, engine, clientId, uploader, server } = await setUp();
    const p = photo(1_000);
    await keep(db, p);
    const cycle = new SyncCycle(engine, uploader);
    // Nothing to push: the engine pulls, and the pull fails.
    transport.answerPull({ kind: 'link', detail: 'down', delivered: false });
    await cycle.syncOnce();
    expect(server.log).toEqual([]);

    transport
      .answerPull(page('c1', {}, false))
      .answerPush(applied([], { rejected: [{ id: 1, code: 'file_missing', detail: 'The file has not been uploaded.' }] }))
      .answerPull(page('c2', {}, false));
    await cycle.syncOnce();
    expect(await db.photos.get(p.id)).toMatchObject({ state: 'rejected', code: 'file_missing', detail: 'The file has not been uploaded.' });
    expect(clientId).not.toBe('');
  });
});

describe('thumbnail first', () => {
  test('the thumbnails go first, oldest first, then each attach naming its preview once the full upload is begun, then the full images', async () => {
    const { db, server, uploader } = await setUp();
    const older = withThumbnail(photo(600_000, NOW));
    const newer = withThumbnail(photo(300_000, NOW + 1), 2_000);
    await keep(db, newer, older);

    const previews = await uploader.sendPreviews();
    expect(previews).toEqual({ attached: 2, refused: 0, chunks: 2, stopped: null });
    expect(server.log).toEqual(['POST 0', 'PATCH 0+3000', 'POST 0', 'PATCH 0+2000', 'POST 0', 'POST 0']);
    const queued = await attaches(db);
    expect(queued.map((a) => [a.args.id, a.args.preview])).toEqual([
      [older.id, await previewOf(older)],
      [newer.id, await previewOf(newer)],
    ]);
    expect(queued[0]?.args.file).toMatchObject({ sha256: older.sha256, size_bytes: 600_000 });
    expect(await db.photos.get(older.id)).toMatchObject({ state: 'uploading', sent: 0, preview: await previewOf(older), mutationId: queued[0]?.id });
    // Its attach is queued: the photo is the outbox's now, and cannot be removed.
    await removePhoto(db, older.id);
    expect(await db.photoFiles.get(older.id)).toBeDefined();

    server.log.length = 0;
    const full = await uploader.sendFullImages();
    expect(full).toEqual({ attached: 0, refused: 0, chunks: 5, stopped: null });
    expect(server.log).toEqual(['POST 0', 'PATCH 0+262144', 'PATCH 262144+262144', 'PATCH 524288+75712', 'POST 0', 'PATCH 0+262144', 'PATCH 262144+37856']);
    expect(await attaches(db)).toHaveLength(2);
    expect(await db.photos.get(older.id)).toMatchObject({ state: 'attaching', sent: 600_000, mutationId: queued[0]?.id });
  });

  test('the cycle pushes the attach before the full image goes; the photo is deleted once both are done', async () => {
    const { db, transport, clientId, server, cycle } = await setUpCycle();
    const p = withThumbnail(photo(300_000));
    await keep(db, p);
    transport
      .answerPull(page('c1', {}, false))
      .answerPush(applied([1]))
      .answerPull(page('c2', {}, false, { last_mutation_ids: { [clientId]: 1 } }));

    const report = await cycle.syncOnce();
    expect(report.failure).toBeNull();
    expect(server.log).toEqual(['POST 0', 'PATCH 0+3000', 'POST 0', 'PUSH attach_file.v1', 'POST 0', 'PATCH 0+262144', 'PATCH 262144+37856']);
    expect(transport.pushes[0]?.mutations[0]?.args).toMatchObject({ id: p.id, preview: await previewOf(p) });
    expect(await db.photos.count()).toBe(0);
    expect(await db.photoFiles.count()).toBe(0);
  });

  test('accepted pending while its full image goes, a photo says so and keeps its bytes; the next cycle goes on from the server’s offset', async () => {
    const { db, transport, clientId, server, cycle } = await setUpCycle();
    const p = withThumbnail(photo(600_000));
    await keep(db, p);
    transport
      .answerPull(page('c1', {}, false))
      .answerPush(applied([1]))
      .answerPull(page('c2', {}, false, { last_mutation_ids: { [clientId]: 1 } }));
    // The thumbnail's begin and chunk, the main begin, the full begin and one chunk get through.
    server.dropFrom = 6;

    await cycle.syncOnce();
    expect(server.log).toEqual(['POST 0', 'PATCH 0+3000', 'POST 0', 'PUSH attach_file.v1', 'POST 0', 'PATCH 0+262144']);
    expect(await db.photos.get(p.id)).toMatchObject({ state: 'uploading', sent: MAX_CHUNK, attachAccepted: true });
    expect(await db.photoFiles.count()).toBe(1);
    const lines = changeLines(await db.outbox.toArray(), await db.photos.toArray());
    expect(lines.map((l) => `${l.what}: ${l.label}`)).toEqual([`Photo ${p.fileName}: accepted, pending: full image 43%`]);

    server.dropFrom = null;
    server.log.length = 0;
    transport.answerPull(page('c3', {}, false));
    await cycle.syncOnce();
    expect(server.log).toEqual(['POST 262144', 'PATCH 262144+262144', 'PATCH 524288+75712']);
    expect(transport.pushes).toHaveLength(1);
    expect(await db.photos.count()).toBe(0);
    expect(await db.photoFiles.count()).toBe(0);
  });

  test('a refused attach stops the photo before its full image goes', async () => {
    const { db, transport, server, cycle } = await setUpCycle();
    const p = withThumbnail(photo(300_000));
    await keep(db, p);
    transport
      .answerPull(page('c1', {}, false))
      .answerPush(applied([], { rejected: [{ id: 1, code: 'validation_failed', detail: 'preview: no completed upload of this preview (preview_missing)' }] }))
      .answerPull(page('c2', {}, false));
    await cycle.syncOnce();
    expect(server.log).toEqual(['POST 0', 'PATCH 0+3000', 'POST 0', 'PUSH attach_file.v1']);
    expect(await db.photos.get(p.id)).toMatchObject({ state: 'rejected', code: 'validation_failed' });
  });

  test('a photo without a kept thumbnail goes the plain way: full image, then its attach', async () => {
    const { db, server, uploader } = await setUp();
    const p = photo(1_000);
    await keep(db, p);
    expect(thumbnailBytes(p.thumbnailUrl)).toHaveLength(0);
    expect(thumbnailBytes('not a data url')).toHaveLength(0);
    expect(await uploader.uploadAll()).toEqual({ attached: 1, refused: 0, chunks: 1, stopped: null });
    expect(server.log).toEqual(['POST 0', 'PATCH 0+1000']);
    const [attach] = await attaches(db);
    expect(attach?.args.preview).toBeUndefined();
    expect(await db.photos.get(p.id)).toMatchObject({ state: 'attaching', preview: null });
  });
});

import type { SyncDatabase } from './database';
import { AlreadySyncing, DEFAULT_CONFIG, SyncEngine, needsSignIn } from './engine';
import { hlcParts } from './hlc';
import type { Change } from './replica';
import { ScriptedTransport, LINK_DOWN, applied, fault, freshDatabase, page, uuid } from './test-support';

const VESSEL = 'vessel:1';
const NOW = 1_720_000_000_000;

async function setUp(config = DEFAULT_CONFIG) {
  const db = freshDatabase();
  const transport = new ScriptedTransport();
  const engine = new SyncEngine(db, transport, () => NOW, config);
  const clientId = (await db.clientMeta(NOW)).clientId;
  return { db, transport, engine, clientId };
}

const reportFault = (engine: SyncEngine, title: string) => engine.enqueue('report_fault.v1', { title }, null);
const states = async (db: SyncDatabase) => (await db.outbox.toArray()).map((e) => [e.id, e.state]);
const titles = async (db: SyncDatabase, scope = VESSEL) =>
  (await db.rows.where('[scope+entity]').equals([scope, 'fault']).toArray()).map(
    (r) => (r.fields as { title: string }).title,
  );
const lastPage = (cookie: string, changes: Parameters<typeof page>[1], clientId: string, acknowledged: number) =>
  page(cookie, changes, false, { last_mutation_ids: { [clientId]: acknowledged } });

describe('the sync engine (the scenarios of crates/sync/tests/engine.rs)', () => {
  test('the outbox survives a failed push and drains on the next cycle without a new write', async () => {
    const { db, transport, engine, clientId } = await setUp();
    await reportFault(engine, 'Leak');
    transport.answerPush(LINK_DOWN);
    const failed = await engine.syncOnce();
    expect(failed.failure).toEqual({ kind: 'push', failure: LINK_DOWN });
    expect(transport.pulls).toHaveLength(0);
    expect(await states(db)).toEqual([[1, 'queued']]);

    transport.answerPush(applied([1])).answerPull(lastPage('c1', { [VESSEL]: [fault(1, 1, 'Leak')] }, clientId, 1));
    const report = await engine.syncOnce();
    expect(report.failure).toBeNull();
    expect(transport.pushes.map((p) => p.mutations.map((m) => m.id))).toEqual([[1], [1]]);
    expect(await states(db)).toEqual([[1, 'accepted']]);
    expect(await titles(db)).toEqual(['Leak']);
  });

  test('exactly once: an answer lost after delivery leaves the mutation sent, pushed again, and the server skips it', async () => {
    const { db, transport, engine, clientId } = await setUp();
    await reportFault(engine, 'Leak');
    transport.answerPush({ kind: 'link', detail: 'answer lost', delivered: true });
    await engine.syncOnce();
    expect(await states(db)).toEqual([[1, 'sent']]);

    transport
      .answerPush(applied([], { skipped: [1], last_mutation_id: 1 }))
      .answerPull(lastPage('c1', { [VESSEL]: [fault(1, 1, 'Leak')] }, clientId, 1));
    const report = await engine.syncOnce();
    expect([report.applied, report.skipped, report.acknowledged]).toEqual([0, 1, 0]);
    expect(await states(db)).toEqual([[1, 'accepted']]);
    expect(transport.pushes.map((p) => p.mutations[0]?.hlc)).toEqual([
      transport.pushes[0]?.mutations[0]?.hlc,
      transport.pushes[0]?.mutations[0]?.hlc,
    ]);
  });

  test('mutations a final pull acknowledges are accepted, also when their push answer was lost', async () => {
    const { db, transport, engine, clientId } = await setUp();
    await reportFault(engine, 'A');
    await reportFault(engine, 'B');
    transport.answerPush({ kind: 'link', detail: 'lost', delivered: true });
    await engine.syncOnce();
    // The next push is answered; the pull with more does not acknowledge, the final one does.
    transport
      .answerPush(applied([], { skipped: [1, 2] }))
      .answerPull(page('c1', {}, true, { last_mutation_ids: { [clientId]: 2 } }), lastPage('c2', {}, clientId, 2));
    const report = await engine.syncOnce();
    expect(report.acknowledged).toBe(0);
    expect(await states(db)).toEqual([
      [1, 'accepted'],
      [2, 'accepted'],
    ]);
  });

  test('rejected mutations are kept with their code and detail, listed once, and dismissed', async () => {
    const { db, transport, engine, clientId } = await setUp();
    await reportFault(engine, 'A');
    await reportFault(engine, 'B');
    const rejected = { id: 1, code: 'forbidden', detail: 'Not on this vessel.' };
    transport.answerPush(applied([2], { rejected: [rejected] })).answerPull(lastPage('c1', {}, clientId, 2));
    expect((await engine.syncOnce()).rejected).toBe(1);
    // The server tells the rejection again to a repeated push: it is not counted twice.
    await reportFault(engine, 'C');
    transport.answerPush(applied([3], { rejected: [rejected] })).answerPull(lastPage('c2', {}, clientId, 3));
    expect((await engine.syncOnce()).rejected).toBe(0);
    expect(await db.outbox.get(1)).toMatchObject({ state: 'rejected', code: 'forbidden', detail: 'Not on this vessel.' });
    await engine.dismissRejection(1);
    expect(await states(db)).toEqual([
      [2, 'accepted'],
      [3, 'accepted'],
    ]);
  });

  test('a stopped push keeps the rest queued, still pulls, and counts as a failure', async () => {
    const { db, transport, engine, clientId } = await setUp();
    for (const t of ['A', 'B', 'C']) await reportFault(engine, t);
    transport
      .answerPush(applied([1], { stopped: { id: 2, code: 'time_budget' } }))
      .answerPull(lastPage('c1', {}, clientId, 1));
    const report = await engine.syncOnce();
    expect(report.failure).toEqual({ kind: 'stopped', id: 2, code: 'time_budget' });
    expect(transport.pulls).toHaveLength(1);
    expect(await states(db)).toEqual([
      [1, 'accepted'],
      [2, 'sent'],
      [3, 'sent'],
    ]);
    expect((await db.meta.get('client'))?.lastSyncedAt).toBeNull();
  });

  test('a large outbox goes in batches of at most 500 mutations and 256 KiB', async () => {
    const { db, transport, engine, clientId } = await setUp();
    await db.transaction('rw', db.outbox, db.meta, async () => {
      for (let id = 1; id <= 1_100; id++) {
        await db.outbox.add({ id, name: 'comment_fault.v1', args: {}, hlc: '0000000000000001', base_version: null, state: 'queued', queuedAt: NOW });
      }
      await db.meta.update('client', { nextMutationId: 1_101 });
    });
    const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    transport
      .answerPush(applied(ids(1, 500)), applied(ids(501, 1000)), applied(ids(1001, 1100)))
      .answerPull(lastPage('c1', {}, clientId, 1_100));
    await engine.syncOnce();
    expect(transport.pushes.map((p) => p.mutations.length)).toEqual([500, 500, 100]);

    // 256 KiB: two mutations of 100 KB go in one push, the third in the next.
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 3; i++) await engine.enqueue('comment_fault.v1', { body: big }, null);
    transport.answerPush(applied([1101, 1102]), applied([1103])).answerPull(lastPage('c2', {}, clientId, 1103));
    await engine.syncOnce();
    expect(transport.pushes.slice(3).map((p) => p.mutations.map((m) => m.id))).toEqual([[1101, 1102], [1103]]);
  });

  test('queued mutations carry increasing ids and clock readings, and the server clock orders later writes', async () => {
    const { db, transport, engine, clientId } = await setUp();
    expect([await reportFault(engine, 'A'), await reportFault(engine, 'B')]).toEqual([1, 2]);
    const [a, b] = await db.outbox.toArray();
    expect(hlcParts(a?.hlc ?? '')).toEqual({ millis: NOW, counter: 0 });
    expect(hlcParts(b?.hlc ?? '')).toEqual({ millis: NOW, counter: 1 });
    const server = ((BigInt(NOW + 60_000) << 16n) | 5n).toString(16).padStart(16, '0');
    transport.answerPush(applied([1, 2])).answerPull(lastPage('c1', {}, clientId, 2));
    transport.pulls.length = 0;
    await engine.syncOnce();
    transport.answerPull({ ...lastPage('c2', {}, clientId, 2), hlc: server });
    await engine.syncOnce();
    await reportFault(engine, 'C');
    expect(hlcParts((await db.outbox.get(3))?.hlc ?? '')).toEqual({ millis: NOW + 60_000, counter: 6 });
  });

  test('a page with more is followed at once by a pull with its cookie; a failure midway keeps the pages applied', async () => {
    const { db, transport, engine } = await setUp();
    transport.answerPull(page('c1', { [VESSEL]: [fault(1, 1, 'A')] }, true), LINK_DOWN);
    const report = await engine.syncOnce();
    expect(report.failure).toEqual({ kind: 'pull', failure: LINK_DOWN });
    expect(transport.pulls.map((p) => p.cookie)).toEqual([null, 'c1']);
    expect(await titles(db)).toEqual(['A']);
    // A restarted engine (a reload) carries on from the stored cookie.
    const again = new SyncEngine(db, transport, () => NOW);
    transport.answerPull(page('c2', { [VESSEL]: [fault(2, 2, 'B')] }, false));
    expect((await again.syncOnce()).failure).toBeNull();
    expect(transport.pulls.at(-1)?.cookie).toBe('c1');
    expect(await titles(db)).toEqual(['A', 'B']);
  });

  test('clear deletes only the rows of that scope', async () => {
    const { db, transport, engine } = await setUp();
    transport.answerPull(
      page('c1', { [VESSEL]: [fault(1, 1, 'A')], 'vessel:2': [fault(1, 2, 'B')] }, false),
      page('c2', {}, false, { clear: [VESSEL] }),
    );
    await engine.syncOnce();
    await engine.syncOnce();
    expect(await titles(db)).toEqual([]);
    expect(await titles(db, 'vessel:2')).toEqual(['B']);
  });

  test('a parts order deleted by the migration leaves the device as its requisition, the same id, arrives', async () => {
    const { db, transport, engine } = await setUp();
    const id = uuid(7);
    const order: Change = { seq: 1, entity: 'parts_order', id, op: 'insert', fields: { id, part_name: 'Seal kit', status: 'ordered' } };
    transport.answerPull(page('c1', { [VESSEL]: [order] }, false));
    await engine.syncOnce();
    expect(await db.rows.where('[entity+id]').equals(['parts_order', id]).count()).toBe(1);
    transport.answerPull(
      page('c2', {
        [VESSEL]: [
          { seq: 2, entity: 'parts_order', id, op: 'delete', fields: null },
          { seq: 3, entity: 'requisition', id, op: 'insert', fields: { id, part_name: 'Seal kit', status: 'ordered' } },
        ],
      }, false),
    );
    await engine.syncOnce();
    expect((await db.rows.toArray()).map((r) => [r.entity, r.id])).toEqual([['requisition', id]]);
  });

  test('a refused cookie is dropped and the pull replays from the start, rows shown until the walk ends', async () => {
    const { db, transport, engine } = await setUp();
    transport.answerPull(page('c1', { [VESSEL]: [fault(1, 1, 'A'), fault(2, 2, 'B')] }, false));
    await engine.syncOnce();
    transport.answerPull({ kind: 'invalid_cookie' }, page('r1', { [VESSEL]: [fault(1, 1, 'A')] }, true));
    const midway = await engine.syncOnce();
    expect(midway.cookieResets).toBe(1);
    expect(transport.pulls.map((p) => p.cookie)).toEqual([null, 'c1', null, 'r1']);
    expect(await titles(db)).toEqual(['A', 'B']);
    transport.answerPull(page('r2', {}, false));
    await engine.syncOnce();
    expect(await titles(db)).toEqual(['A']);
  });

  test('a cookie refused when there was none is a failure, not a loop', async () => {
    const { transport, engine } = await setUp();
    transport.answerPull({ kind: 'invalid_cookie' });
    const report = await engine.syncOnce();
    expect(report.failure).toEqual({ kind: 'pull', failure: { kind: 'invalid_cookie' } });
    expect(transport.pulls).toHaveLength(1);
  });

  test('an unauthorized push ends the cycle, keeps the outbox and asks for a sign-in', async () => {
    const { db, transport, engine } = await setUp();
    await reportFault(engine, 'A');
    transport.answerPush({ kind: 'unauthorized' });
    const report = await engine.syncOnce();
    expect(needsSignIn(report.failure)).toBe(true);
    expect(transport.pulls).toHaveLength(0);
    expect(await states(db)).toEqual([[1, 'queued']]);
    expect((await db.meta.get('client'))?.needsSignIn).toBe(true);
  });

  test('an outdated client pushes its queue, then is told to update', async () => {
    const { db, transport, engine } = await setUp();
    await reportFault(engine, 'A');
    transport.answerPush(applied([1], { update_required: true })).answerPull({ kind: 'refused', status: 409, code: 'client_outdated' });
    const report = await engine.syncOnce();
    expect(report.updateRequired).toBe(true);
    expect((await db.meta.get('client'))?.needsUpdate).toBe(true);
  });

  test('a server that always has more cannot hold a cycle', async () => {
    const { transport, engine } = await setUp({ ...DEFAULT_CONFIG, maxPullPages: 3 });
    transport.answerPull(page('a', {}, true), page('b', {}, true), page('c', {}, true));
    expect((await engine.syncOnce()).failure).toEqual({ kind: 'too-many-pages', pages: 3 });
  });

  test('a scope that fails its checksum is repaired bucket by bucket, once a cycle', async () => {
    const { db, transport, engine } = await setUp();
    transport.answerPull(page('c1', { [VESSEL]: [fault(1, 1, 'A')] }, false, { checksums: { [VESSEL]: '0000000000000001' } }));
    transport.answerPull(page('c2', { [VESSEL]: [fault(1, 1, 'A')] }, false, { checksums: { [VESSEL]: '0000000000000002' } }));
    const report = await engine.syncOnce();
    expect(report.mismatched).toBe(2);
    expect(transport.pulls[1]?.repair).toEqual([VESSEL]);
    expect(transport.pulls[1]?.buckets?.[VESSEL]).toHaveLength(16);
    expect(await titles(db)).toEqual(['A']);
  });

  test('one cycle runs at a time', async () => {
    const { transport, engine } = await setUp();
    transport.answerPull(page('c1', {}, false));
    const first = engine.syncOnce();
    await expect(engine.syncOnce()).rejects.toBeInstanceOf(AlreadySyncing);
    await first;
  });

  test('an answer stored by another tab is picked up before the next cycle', async () => {
    const { db, transport, engine } = await setUp();
    transport.answerPull(page('c1', { [VESSEL]: [fault(1, 1, 'A')] }, false));
    await engine.syncOnce();
    const other = new SyncEngine(db, transport, () => NOW);
    transport.answerPull(page('c2', { [VESSEL]: [fault(2, 2, 'B')] }, false));
    await other.syncOnce();
    transport.answerPull(page('c3', {}, false));
    await engine.syncOnce();
    expect(transport.pulls.map((p) => p.cookie)).toEqual([null, 'c1', 'c2']);
    expect(engine.replica.replica.size).toBe(2);
  });
});

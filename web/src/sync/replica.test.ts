import { BucketSums, bucketOf } from './checksum';
import { Replica, ReplicaState, type Change, type Op, type PullAnswer } from './replica';

import type { JsonValue } from './checksum';

const VESSEL = 'vessel:1';

const uuid = (n: number) => `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;

function change(seq: number, id: number, op: Op, fields: JsonValue): Change {
  return { seq, entity: 'fault', id: uuid(id), op, fields };
}

/** An insert of fault `id` at `seq`. */
const row = (seq: number, id: number) => change(seq, id, 'insert', { n: id });

function answer(cookie: string, changes: Record<string, Change[]>, more = false): PullAnswer {
  return { cookie, changes, clear: [], last_mutation_ids: {}, more, checksums: {} };
}

const ids = (replica: Replica, scope: string) => replica.rowsIn(scope).map(([, id]) => id);

describe('the replica (as crates/sync/src/client/replica.rs)', () => {
  test('an update writes the fields it carries at the latest seq', () => {
    const replica = new Replica();
    replica.apply(VESSEL, change(3, 1, 'insert', { title: 'Pump', status: 'open' }));
    replica.apply(VESSEL, change(5, 1, 'update', { status: 'decommissioned' }));
    expect(replica.row(VESSEL, 'fault', uuid(1))).toEqual({
      version: 5,
      fields: { title: 'Pump', status: 'decommissioned' },
    });
  });

  test('a patch writes only the fields it names, and leaves the change it came in as it was', () => {
    const replica = new Replica();
    const put = change(3, 1, 'put', { title: 'Pump', status: 'open' });
    replica.apply(VESSEL, put);
    replica.apply(VESSEL, change(4, 1, 'patch', { status: 'in_progress', version: 4 }));
    expect(replica.row(VESSEL, 'fault', uuid(1))).toEqual({
      version: 4,
      fields: { title: 'Pump', status: 'in_progress', version: 4 },
    });
    expect(put.fields).toEqual({ title: 'Pump', status: 'open' });
  });

  test('a patch to a row never received keeps the part it names', () => {
    const replica = new Replica();
    replica.apply(VESSEL, change(4, 1, 'patch', { status: 'in_progress' }));
    expect(replica.row(VESSEL, 'fault', uuid(1))).toEqual({ version: 4, fields: { status: 'in_progress' } });
  });

  test('a delete removes the row and an emptied scope', () => {
    const replica = new Replica();
    replica.apply(VESSEL, change(1, 1, 'insert', {}));
    replica.apply(VESSEL, change(2, 2, 'insert', {}));
    replica.apply(VESSEL, change(3, 1, 'delete', null));
    expect(replica.size).toBe(1);
    expect(replica.row(VESSEL, 'fault', uuid(1))).toBeUndefined();
    replica.apply(VESSEL, change(4, 2, 'delete', null));
    expect(replica.size).toBe(0);
    expect(replica.scopeNames()).toEqual([]);
  });

  test('a change no newer than the row held is skipped', () => {
    const replica = new Replica();
    replica.apply(VESSEL, change(5, 1, 'insert', { status: 'closed' }));
    replica.apply(VESSEL, change(3, 1, 'insert', { status: 'open' }));
    replica.apply(VESSEL, change(5, 1, 'update', { status: 'open' }));
    replica.apply(VESSEL, change(4, 1, 'delete', null));
    expect(replica.row(VESSEL, 'fault', uuid(1))).toEqual({ version: 5, fields: { status: 'closed' } });
    replica.apply(VESSEL, change(5, 1, 'delete', null));
    expect(replica.size).toBe(0);
  });

  test('clearing a scope keeps the others', () => {
    const replica = new Replica();
    replica.apply(VESSEL, change(1, 1, 'insert', {}));
    replica.apply('vessel:2', change(1, 2, 'insert', {}));
    replica.clear(VESSEL);
    expect(replica.scopeNames()).toEqual(['vessel:2']);
    expect(ids(replica, 'vessel:2')).toEqual([uuid(2)]);
  });

  test('ids are one row whatever their case, listed by entity then id', () => {
    const replica = new Replica();
    replica.apply(VESSEL, { seq: 1, entity: 'fault', id: uuid(0xb).toUpperCase(), op: 'insert', fields: {} });
    replica.apply(VESSEL, { seq: 2, entity: 'equipment', id: uuid(0xc), op: 'insert', fields: {} });
    replica.apply(VESSEL, change(3, 0xa, 'insert', {}));
    replica.apply(VESSEL, change(4, 0xb, 'update', { status: 'open' }));
    expect(replica.rowsIn(VESSEL).map(([entity, id]) => `${entity} ${id}`)).toEqual([
      `equipment ${uuid(0xc)}`,
      `fault ${uuid(0xa)}`,
      `fault ${uuid(0xb)}`,
    ]);
  });

  test('the checksum is the sum of the rows held, with the entity’s float fields hashed as floats', async () => {
    const floats = { reading: new Set(['hours']) };
    const replica = new Replica(floats);
    replica.apply(VESSEL, { seq: 1, entity: 'reading', id: uuid(1), op: 'insert', fields: { hours: 1200 } });
    replica.apply(VESSEL, change(2, 2, 'insert', { hours: 1200 }));
    const expected = new BucketSums();
    await expected.add('reading', uuid(1), { hours: 1200 }, floats.reading);
    await expected.add('fault', uuid(2), { hours: 1200 });
    expect(await replica.checksum(VESSEL)).toBe(expected.total().hex());
    expect((await replica.bucketSums(VESSEL)).hex()).toEqual(expected.hex());
    expect(await new Replica().checksum(VESSEL)).toBe('0000000000000000');
  });
});

describe('pull answers applied (as ClientState::apply_pull)', () => {
  test('an answer to an older cookie is not applied', async () => {
    const state = new ReplicaState();
    await state.applyPull(null, [], answer('c1', { [VESSEL]: [row(1, 7)] }));
    const late = await state.applyPull(null, [], answer('c0', { 'vessel:2': [row(1, 7)] }));
    expect(late).toBe('stale');
    expect(state.cookie).toBe('c1');
    expect(state.replica.scopeNames()).toEqual([VESSEL]);
  });

  test('answers are applied one at a time, in the order they were given', async () => {
    const state = new ReplicaState();
    const first = state.applyPull(null, [], answer('c1', { [VESSEL]: [row(1, 1)] }));
    const second = state.applyPull('c1', [], answer('c2', { [VESSEL]: [row(2, 2)] }));
    expect(await first).not.toBe('stale');
    expect(await second).not.toBe('stale');
    expect(state.cookie).toBe('c2');
    expect(state.replica.size).toBe(2);
  });

  test('a scope no longer reached is cleared', async () => {
    const state = new ReplicaState();
    await state.applyPull(null, [], answer('c1', { [VESSEL]: [row(1, 1)], 'vessel:2': [row(1, 2)] }));
    await state.applyPull('c1', [], { ...answer('c2', {}), clear: [VESSEL] });
    expect(state.replica.scopeNames()).toEqual(['vessel:2']);
  });

  test('a walk from the start keeps rows shown and removes those it did not confirm', async () => {
    const state = new ReplicaState();
    await state.applyPull(null, [], answer('c1', { [VESSEL]: [row(1, 1), row(2, 2), row(3, 3)] }));
    // The walk's first page confirms row 1 (a change no newer than the row held) and leaves
    // the others shown.
    const walk = { ...answer('c2', { [VESSEL]: [row(1, 1)] }, true), resets: { [VESSEL]: { done: false } } };
    const page = await state.applyPull('c1', [], walk);
    expect(page).toMatchObject({ resets: 1, changes: 1, more: true });
    expect(state.replica.size).toBe(3);
    expect(state.resettingScopes()).toEqual([VESSEL]);
    // Its last page confirms row 3; row 2 was deleted meanwhile, its delete long dropped.
    const end = { ...answer('c3', { [VESSEL]: [row(3, 3)] }), resets: { [VESSEL]: { done: true } } };
    expect(await state.applyPull('c2', [], end)).toMatchObject({ resets: 0 });
    expect(ids(state.replica, VESSEL)).toEqual([uuid(1), uuid(3)]);
    expect(state.resettingScopes()).toEqual([]);
  });

  test('a walk still under way when an answer says there is no more ends with it', async () => {
    const state = new ReplicaState();
    await state.applyPull(null, [], answer('c1', { [VESSEL]: [row(1, 1), row(2, 2)] }));
    const walk = { ...answer('c2', { [VESSEL]: [row(1, 1)] }), resets: { [VESSEL]: { done: false } } };
    await state.applyPull('c1', [], walk);
    expect(ids(state.replica, VESSEL)).toEqual([uuid(1)]);
    expect(state.resettingScopes()).toEqual([]);
  });

  test('a replay from the start removes the rows and scopes it does not bring back', async () => {
    const state = new ReplicaState();
    await state.applyPull(null, [], answer('c1', { [VESSEL]: [row(1, 1), row(2, 2)], 'vessel:2': [row(1, 3)] }));
    // The server refused the cookie; meanwhile row 2 was deleted and its delete dropped.
    expect(state.replayFromStart('c1')).toBe(true);
    expect(state.replayFromStart('c1')).toBe(false);
    expect(state.cookie).toBeNull();
    await state.applyPull(null, [], answer('r1', { [VESSEL]: [row(1, 1)] }, true));
    expect(state.replica.scopeNames()).toEqual([VESSEL, 'vessel:2']);
    expect(state.replica.size).toBe(3);
    await state.applyPull('r1', [], answer('r2', {}));
    expect(state.replica.scopeNames()).toEqual([VESSEL]);
    expect(ids(state.replica, VESSEL)).toEqual([uuid(1)]);
  });

  test('a scope that fails its checksum is repaired: its differing buckets dropped, then sent again', async () => {
    const state = new ReplicaState();
    const rows = Array.from({ length: 20 }, (_, i) => row(i + 1, i + 1));
    await state.applyPull(null, [], answer('c1', { [VESSEL]: rows }));
    const good = await state.replica.checksum(VESSEL);
    expect(await state.applyPull('c1', [], { ...answer('c2', {}), checksums: { [VESSEL]: good } })).toMatchObject({
      mismatched: 0,
    });
    // A row went wrong on the device: the server's checksum says so.
    const serverSums = await state.replica.bucketSums(VESSEL);
    const broken = rows[4] ?? row(5, 5);
    state.replica.apply(VESSEL, change(100, 5, 'update', { n: 'damaged' }));
    const page = await state.applyPull('c2', [], { ...answer('c3', {}), checksums: { [VESSEL]: good } });
    expect(page).toMatchObject({ mismatched: 1 });
    expect(state.repairing()).toEqual([VESSEL]);
    const ask = await state.repairAsk();
    const badBucket = await bucketOf('fault', broken.id);
    expect(ask.repair).toEqual([VESSEL]);
    const differing = (ask.buckets[VESSEL] ?? []).flatMap((sum, i) => (sum !== serverSums.hex()[i] ? [i] : []));
    expect(differing).toEqual([badBucket]);
    // The server resends the bucket: its rows are dropped when the repair first appears, and
    // come back with the changes that follow.
    const inBucket = await Promise.all(rows.map(async (r) => ((await bucketOf('fault', r.id)) === badBucket ? r : null)));
    const resent = inBucket.filter((r): r is Change => r !== null).map((r) => ({ ...r, seq: 200 }));
    const first = { ...answer('c4', {}, true), repairs: { [VESSEL]: { buckets: [badBucket], done: false } } };
    await state.applyPull('c3', ask.repair, first);
    expect(state.repairing()).toEqual([]);
    expect(state.replica.row(VESSEL, 'fault', broken.id)).toBeUndefined();
    expect(state.replica.size).toBe(20 - resent.length);
    const last = {
      ...answer('c5', { [VESSEL]: resent }),
      repairs: { [VESSEL]: { buckets: [badBucket], done: true } },
      checksums: { [VESSEL]: good },
    };
    expect(await state.applyPull('c4', [], last)).toMatchObject({ mismatched: 0 });
    expect(state.replica.row(VESSEL, 'fault', broken.id)?.fields).toEqual({ n: 5 });
    expect(await state.replica.checksum(VESSEL)).toBe(good);
  });

  test('a repair that is still under way drops its buckets once only', async () => {
    const state = new ReplicaState();
    const rows = Array.from({ length: 20 }, (_, i) => row(i + 1, i + 1));
    await state.applyPull(null, [], answer('c1', { [VESSEL]: rows }));
    const bucket = await bucketOf('fault', uuid(1));
    const repairs = { [VESSEL]: { buckets: [bucket], done: false } };
    await state.applyPull('c1', [], { ...answer('c2', {}, true), repairs });
    expect(state.replica.row(VESSEL, 'fault', uuid(1))).toBeUndefined();
    // The next page of the same repair brings row 1 back; it is not dropped again.
    await state.applyPull('c2', [], { ...answer('c3', { [VESSEL]: [row(50, 1)] }, true), repairs });
    await state.applyPull('c3', [], { ...answer('c4', {}, true), repairs });
    expect(state.replica.row(VESSEL, 'fault', uuid(1))?.version).toBe(50);
  });
});

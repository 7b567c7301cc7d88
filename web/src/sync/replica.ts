/**
 * The confirmed replica, in memory: the rows the server sent, by scope, entity and id, each with
 * the seq of the change that last wrote it as its version, and the pull answers applied to it
 * exactly as the Rust client applies them (`crates/sync/src/client/replica.rs` and
 * `ClientState::apply_pull` in `state.rs`; docs/SYNC.md "Pull", "Resets", "Checksums and
 * repair"). Outbox effects never enter it.
 *
 * Pure: no storage, no network. Acknowledgements, the outbox, the clock and persistence are the
 * client engine's (issue 11). Rows are never changed in place: treat what `row` and `rowsIn`
 * give as read-only.
 */
import type { components } from '../api/schema.gen';

import { BucketSums, bucketOf, compareCodePoints, rowHash, type FloatFields, type JsonValue } from './checksum';

/** What a change does to its row (`insert`/`update` sent today, `put`/`patch` designed). */
export type Op = 'insert' | 'update' | 'delete' | 'put' | 'patch';

/** One change of a scope, as a pull answer carries it. */
export interface Change {
  /** Its number in the scope; the row's version once applied. */
  seq: number;
  entity: string;
  id: string;
  op: Op;
  /** The row's fields as the person may see them: the whole row, or the changed fields. */
  fields: JsonValue;
}

type PulledView = components['schemas']['PulledView'];

/**
 * A pull answer (`PulledView`) with its changes typed: the generated `ChangeView` types `op` as any
 * string and `fields` as an empty record, so the answer is checked into this shape at the edge.
 */
export type PullAnswer = Omit<PulledView, 'changes'> & { changes: Record<string, Change[]> };

/** One confirmed row. */
export interface Row {
  /** The seq of the change that last wrote it: the `base_version` of a mutation made on it. */
  version: number;
  /** Its fields as the person may see them. */
  fields: JsonValue;
}

/** The fields Rust holds as `f64`, by entity: needed to hash their integral values as Rust does. */
export type EntityFloats = Readonly<Record<string, FloatFields>>;

/** The rows an answer touched, to write to storage: scopes cleared, then rows written or removed. */
export interface Touched {
  /** Scopes whose every row was dropped (before the rows below were written). */
  cleared: string[];
  /** Rows written or removed, as `[scope, entity, id]`: the replica holds their state now. */
  rows: [string, string, string][];
}

const touchKey = (scope: string, entity: string, id: string) => `${scope}\u0000${entity}\u0000${id}`;

/** Rows by scope, then entity, then id. */
export class Replica {
  private readonly scopes = new Map<string, Map<string, Map<string, Row>>>();
  private touchedRows = new Set<string>();
  private clearedScopes = new Set<string>();

  constructor(private readonly floats: EntityFloats = {}) {}

  /** Puts a stored row back without marking it touched (loading the replica from storage). */
  load(scope: string, entity: string, id: string, row: Row): void {
    this.rowsOf(scope, entity).set(id.toLowerCase(), row);
  }

  /** The scopes cleared and rows changed since the last call, for the host to persist. */
  takeTouched(): Touched {
    const touched: Touched = {
      cleared: [...this.clearedScopes],
      rows: [...this.touchedRows].map((key) => key.split('\u0000') as [string, string, string]),
    };
    this.touchedRows = new Set();
    this.clearedScopes = new Set();
    return touched;
  }

  /** The row `id` of `entity` in `scope`, if the replica holds it. */
  row(scope: string, entity: string, id: string): Row | undefined {
    return this.scopes.get(scope)?.get(entity)?.get(id.toLowerCase());
  }

  /** The rows of one scope as `[entity, id, row]`, by entity then id (as the Rust replica). */
  rowsIn(scope: string): [string, string, Row][] {
    const entities = [...(this.scopes.get(scope) ?? new Map<string, Map<string, Row>>())];
    entities.sort(([a], [b]) => compareCodePoints(a, b));
    return entities.flatMap(([entity, rows]) =>
      [...rows]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([id, row]): [string, string, Row] => [entity, id, row]),
    );
  }

  /** The scopes holding at least one row, in order. */
  scopeNames(): string[] {
    return [...this.scopes.keys()].sort(compareCodePoints);
  }

  /** How many rows the replica holds. */
  get size(): number {
    let n = 0;
    for (const entities of this.scopes.values()) for (const rows of entities.values()) n += rows.size;
    return n;
  }

  /**
   * Applies one change of `scope`; the changed row takes the change's seq as its version. A change
   * no newer than the row held is already in it and is skipped (a replay or a walk from the start
   * brings such changes; applying them could take rows back).
   */
  apply(scope: string, change: Change): void {
    const id = change.id.toLowerCase();
    const held = this.row(scope, change.entity, id);
    // A delete older than the row held was of an earlier life of the row.
    if (held && (change.op === 'delete' ? held.version > change.seq : held.version >= change.seq)) return;
    this.touchedRows.add(touchKey(scope, change.entity, id));
    switch (change.op) {
      case 'insert':
      case 'put':
        this.rowsOf(scope, change.entity).set(id, { version: change.seq, fields: change.fields });
        return;
      // The server's updates carry the fields the write set: most the whole row, a decommission
      // only `{id, status}`. A patch to a row never received is kept as the part it names: the
      // checksums find and repair such a row.
      case 'update':
      case 'patch':
        this.rowsOf(scope, change.entity).set(id, {
          version: change.seq,
          fields: mergeFields(held?.fields ?? null, change.fields),
        });
        return;
      case 'delete':
        this.remove(scope, change.entity, id);
        return;
    }
  }

  /** Forgets every row of `scope`. */
  clear(scope: string): void {
    this.scopes.delete(scope);
    this.clearedScopes.add(scope);
  }

  /** Removes a row, and the entity and scope it leaves empty, so that scopes hold rows. */
  remove(scope: string, entity: string, id: string): void {
    const entities = this.scopes.get(scope);
    if (!entities) return;
    this.touchedRows.add(touchKey(scope, entity, id.toLowerCase()));
    const rows = entities.get(entity);
    if (rows) {
      rows.delete(id.toLowerCase());
      if (rows.size === 0) entities.delete(entity);
    }
    if (entities.size === 0) this.scopes.delete(scope);
  }

  /** The rows of `scope` in `buckets`, to drop for a bucket repair. */
  async rowsInBuckets(scope: string, buckets: readonly number[]): Promise<[string, string][]> {
    const rows = this.rowsIn(scope);
    const ofRows = await Promise.all(rows.map(([entity, id]) => bucketOf(entity, id)));
    return rows.filter((_, i) => buckets.includes(ofRows[i] ?? -1)).map(([entity, id]) => [entity, id]);
  }

  /** The checksum of the rows held in `scope`, as a pull answer sends it (16 hex digits). */
  async checksum(scope: string): Promise<string> {
    return (await this.bucketSums(scope)).total().hex();
  }

  /** The sums of the rows held in `scope`, per bucket. */
  async bucketSums(scope: string): Promise<BucketSums> {
    const sums = new BucketSums();
    const rows = this.rowsIn(scope);
    const hashed = await Promise.all(
      rows.map(([entity, id, row]) =>
        Promise.all([bucketOf(entity, id), rowHash(entity, id, row.fields, this.floats[entity])]),
      ),
    );
    for (const [bucket, hash] of hashed) sums.addHash(bucket, hash);
    return sums;
  }

  private rowsOf(scope: string, entity: string): Map<string, Row> {
    let entities = this.scopes.get(scope);
    if (!entities) this.scopes.set(scope, (entities = new Map<string, Map<string, Row>>()));
    let rows = entities.get(entity);
    if (!rows) entities.set(entity, (rows = new Map<string, Row>()));
    return rows;
  }
}

/**
 * Writes a change's fields over a row's: two objects merge field by field, anything else
 * replaces the row's (`merge_fields` in `crates/sync/src/protocol.rs`).
 */
export function mergeFields(fields: JsonValue, changed: JsonValue): JsonValue {
  if (isObject(fields) && isObject(changed)) return { ...fields, ...changed };
  return changed;
}

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** What one pull answer did. */
export interface PulledPage {
  /** Changes applied (or skipped as no newer than the row held). */
  changes: number;
  /** The server has more: pull again at once. */
  more: boolean;
  /** Scopes whose replica failed the answer's checksum (to be repaired). */
  mismatched: number;
  /** Scopes whose walk from their start began with this answer. */
  resets: number;
}

/** What the next pull asks about repairs: the `repair` and `buckets` of a `PullBody`. */
export interface RepairAsk {
  repair: string[];
  buckets: Record<string, string[]>;
}

/** The walks, replays and repairs under way, as stored beside the replica to resume from. */
export interface ReplicaProgress {
  cookie: string | null;
  replaying: string[] | null;
  repair: string[];
  resetting: Record<string, string[]>;
  repairingBuckets: string[];
}

/** A fresh client's progress: nothing pulled yet. */
export const NO_PROGRESS: ReplicaProgress = {
  cookie: null,
  replaying: null,
  repair: [],
  resetting: {},
  repairingBuckets: [],
};

const rowKey = (entity: string, id: string) => `${entity}\u0000${id.toLowerCase()}`;

const keyParts = (key: string): [string, string] => {
  const at = key.lastIndexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
};

/**
 * The replica with the cookie it answers to and the walks and repairs under way: the part of the
 * Rust `ClientState` a pull answer changes, apart from acknowledgements and the clock.
 *
 * Answers are applied one at a time, in the order `applyPull` is called (hashing is async).
 */
export class ReplicaState {
  /** The confirmed rows. */
  readonly replica: Replica;
  private cookieNow: string | null = null;
  /** Scopes held when a replay from the start began and not yet brought by it. */
  private replaying: Set<string> | null = null;
  /** Scopes whose replica failed its checksum: the next pull sends their bucket sums. */
  private readonly repair = new Set<string>();
  /** Scopes walked from their start, with the rows held when the walk began not yet confirmed. */
  private readonly resetting = new Map<string, Set<string>>();
  /** Scopes whose bucket repair has begun (their buckets' rows dropped) and not yet ended. */
  private readonly repairingBuckets = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(floats: EntityFloats = {}) {
    this.replica = new Replica(floats);
  }

  /** The last applied answer's cookie; null before the first pull or after a refused cookie. */
  get cookie(): string | null {
    return this.cookieNow;
  }

  /** Where pulling stands, to store with the rows and resume from after a reload. */
  progress(): ReplicaProgress {
    return {
      cookie: this.cookieNow,
      replaying: this.replaying ? [...this.replaying] : null,
      repair: [...this.repair],
      resetting: Object.fromEntries([...this.resetting].map(([scope, keys]) => [scope, [...keys]])),
      repairingBuckets: [...this.repairingBuckets],
    };
  }

  /** Resumes from stored progress (the replica's rows are loaded separately). */
  restore(progress: ReplicaProgress): void {
    this.cookieNow = progress.cookie;
    this.replaying = progress.replaying ? new Set(progress.replaying) : null;
    this.repair.clear();
    for (const scope of progress.repair) this.repair.add(scope);
    this.resetting.clear();
    for (const [scope, keys] of Object.entries(progress.resetting)) this.resetting.set(scope, new Set(keys));
    this.repairingBuckets.clear();
    for (const scope of progress.repairingBuckets) this.repairingBuckets.add(scope);
  }

  /** The scopes waiting to be repaired. */
  repairing(): string[] {
    return [...this.repair].sort(compareCodePoints);
  }

  /** The scopes the server is walking again from their start. */
  resettingScopes(): string[] {
    return [...this.resetting.keys()].sort(compareCodePoints);
  }

  /** The next pull's repairs: each scope to repair with its 16 bucket sums. */
  async repairAsk(): Promise<RepairAsk> {
    const repair = this.repairing();
    const sums = await Promise.all(repair.map((scope) => this.replica.bucketSums(scope)));
    return { repair, buckets: Object.fromEntries(repair.map((scope, i) => [scope, sums[i]?.hex() ?? []])) };
  }

  /**
   * Applies the answer to a pull sent with cookie `asked` and repairs `askedRepair`, together with
   * its new cookie, if `asked` is still the cookie; an answer to an older cookie changes nothing
   * and gives `'stale'`.
   */
  applyPull(asked: string | null, askedRepair: readonly string[], answer: PullAnswer): Promise<PulledPage | 'stale'> {
    const applied = this.queue.then(() => this.applyNow(asked, askedRepair, answer));
    this.queue = applied.catch(() => undefined);
    return applied;
  }

  /**
   * Drops cookie `asked`, which the server refused, so the next pull replays from the start; rows
   * stay shown meanwhile, and those the replay does not bring back are gone when it ends. Returns
   * whether it was still the cookie.
   */
  replayFromStart(asked: string): boolean {
    if (this.cookieNow !== asked) return false;
    this.cookieNow = null;
    const held = this.replica.scopeNames();
    this.replaying = new Set([...(this.replaying ?? []), ...held]);
    for (const scope of held) this.resetting.set(scope, this.heldKeys(scope));
    return true;
  }

  private async applyNow(
    asked: string | null,
    askedRepair: readonly string[],
    answer: PullAnswer,
  ): Promise<PulledPage | 'stale'> {
    if (this.cookieNow !== asked) return 'stale';
    // Hashing is async: the rows a bucket repair drops are found before anything changes.
    const toDrop = new Map<string, [string, string][]>();
    for (const [scope, repair] of Object.entries(answer.repairs ?? {})) {
      if (!this.repairingBuckets.has(scope)) toDrop.set(scope, await this.replica.rowsInBuckets(scope, repair.buckets));
    }
    const page = this.applyRows(askedRepair, answer, toDrop);
    if (!answer.more) {
      // A scope whose replica differs from the server's view is repaired bucket by bucket.
      for (const [scope, sum] of Object.entries(answer.checksums)) {
        if ((await this.replica.checksum(scope)) !== sum) {
          this.resetting.delete(scope);
          this.repair.add(scope);
          page.mismatched += 1;
        }
      }
    }
    this.cookieNow = answer.cookie;
    return page;
  }

  /** Everything an answer does to the rows, in `ClientState::apply_pull`'s order. */
  private applyRows(
    askedRepair: readonly string[],
    answer: PullAnswer,
    toDrop: Map<string, [string, string][]>,
  ): PulledPage {
    const page: PulledPage = { changes: 0, more: answer.more, mismatched: 0, resets: 0 };
    for (const scope of answer.clear) {
      this.replica.clear(scope);
      this.resetting.delete(scope);
    }
    // The request that carried them restarted those scopes: asking again would loop.
    for (const scope of askedRepair) {
      this.repair.delete(scope);
      this.resetting.delete(scope);
    }
    // A walk that begins: every row held is unconfirmed until a change of the walk names it.
    for (const scope of Object.keys(answer.resets ?? {})) {
      if (!this.resetting.has(scope)) {
        this.resetting.set(scope, this.heldKeys(scope));
        page.resets += 1;
      }
    }
    // A bucket repair that begins: the rows of the buckets that differ are dropped; the changes
    // that follow bring them back as the server holds them.
    for (const [scope, rows] of toDrop) {
      this.repairingBuckets.add(scope);
      for (const [entity, id] of rows) this.replica.remove(scope, entity, id);
    }
    for (const [scope, changes] of Object.entries(answer.changes)) {
      this.replaying?.delete(scope);
      const unconfirmed = this.resetting.get(scope);
      for (const change of changes) {
        unconfirmed?.delete(rowKey(change.entity, change.id));
        this.replica.apply(scope, change);
      }
      page.changes += changes.length;
    }
    // A walk that ended: the rows it did not confirm were deleted while the client was away.
    for (const [scope, reset] of Object.entries(answer.resets ?? {})) {
      const gone = reset.done ? this.resetting.get(scope) : undefined;
      if (gone) {
        this.resetting.delete(scope);
        this.removeAll(scope, gone);
      }
    }
    for (const [scope, repair] of Object.entries(answer.repairs ?? {})) {
      if (repair.done) this.repairingBuckets.delete(scope);
    }
    if (!answer.more) {
      this.repairingBuckets.clear();
      // Every walk has reached its scope's head with a final answer.
      for (const [scope, gone] of this.resetting) this.removeAll(scope, gone);
      this.resetting.clear();
      // A replay that ended: the scopes it did not bring are no longer reached.
      for (const scope of this.replaying ?? []) this.replica.clear(scope);
      this.replaying = null;
    }
    return page;
  }

  private heldKeys(scope: string): Set<string> {
    return new Set(this.replica.rowsIn(scope).map(([entity, id]) => rowKey(entity, id)));
  }

  private removeAll(scope: string, keys: Iterable<string>): void {
    for (const key of keys) this.replica.remove(scope, ...keyParts(key));
  }
}

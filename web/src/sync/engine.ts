/**
 * The sync cycle, ported from `crates/sync/src/client/engine.rs` and `state.rs` (docs/SYNC.md
 * "The client engine"): push the outbox in batches, then pull until the server has no more,
 * applying each answer to the confirmed replica (`replica.ts`, exactly as the Rust client) and
 * storing it with its cookie in one transaction.
 *
 * - An outbox entry is `queued` on this device, `sent` once a request carrying it is known to
 *   have left, `accepted` when a push answer applied it (or had before) or a final pull
 *   acknowledged it, `rejected` (with the server's code and sentence, kept to show) when a push
 *   refused it. Queued and sent entries are pushed again until answered.
 * - A cycle whose push got no answer does not pull (a rejection in a lost answer would otherwise
 *   be acknowledged unseen); after a `stopped` batch it still pulls.
 * - `invalid_cookie` drops the cookie and pulls from the start, rows kept shown until the walk
 *   confirms them; a scope that fails its checksum is repaired bucket by bucket, once a cycle.
 * - The engine sleeps nowhere and reads the clock it is given. Other tabs may queue writes into
 *   the same database; the engine reads the outbox from storage, and reloads the replica when
 *   another tab wrote rows since it last did.
 */
import type { JsonValue } from './checksum';
import type { ClientMeta, OutboxEntry, SyncDatabase } from './database';
import { mergeHlc, tickHlc } from './hlc';
import {
  MAX_MUTATION_BYTES,
  MAX_MUTATIONS_PER_PUSH,
  SCHEMA_VERSION,
  TransportError,
  type PullBody,
  type PushBody,
  type PushedView,
  type Transport,
  type TransportFailure,
} from './protocol';
import { ReplicaState, type EntityFloats } from './replica';

/** How the engine talks to the server. */
export interface EngineConfig {
  schemaVersion: number;
  /** Mutations per push, at most 500. */
  maxPushMutations: number;
  /** Bytes of mutations (as JSON) per push; a push carries at least one mutation. */
  maxPushBytes: number;
  /** Bytes of changes per pull page; the server's default when absent. */
  maxPullBytes?: number;
  /** Pages one cycle pulls at most. */
  maxPullPages: number;
  /** Ask every pull for the checksum of every scope held. */
  verify: boolean;
  /** The entities' `f64` fields, for the checksums. */
  floats: EntityFloats;
}

export const DEFAULT_CONFIG: EngineConfig = {
  schemaVersion: SCHEMA_VERSION,
  maxPushMutations: MAX_MUTATIONS_PER_PUSH,
  maxPushBytes: MAX_MUTATION_BYTES,
  maxPullPages: 1_000,
  verify: false,
  floats: {},
};

/** Why a cycle did not finish. */
export type SyncFailure =
  | { kind: 'push'; failure: TransportFailure }
  | { kind: 'pull'; failure: TransportFailure }
  /** A temporary error ended the push at mutation `id`; it and the rest are pushed later. */
  | { kind: 'stopped'; id: number; code: string }
  | { kind: 'too-many-pages'; pages: number };

/** What one cycle did. */
export interface SyncReport {
  pushed: number;
  applied: number;
  skipped: number;
  rejected: number;
  pages: number;
  changes: number;
  acknowledged: number;
  staleAnswers: number;
  cookieResets: number;
  mismatched: number;
  scopeResets: number;
  updateRequired: boolean;
  failure: SyncFailure | null;
}

/** Whether nothing syncs until the person signs in again. */
export const needsSignIn = (failure: SyncFailure | null): boolean =>
  (failure?.kind === 'push' || failure?.kind === 'pull') && failure.failure.kind === 'unauthorized';

/** `syncOnce` was called while a cycle was running. */
export class AlreadySyncing extends Error {
  constructor() {
    super('a sync cycle is already running');
    this.name = 'AlreadySyncing';
  }
}

/** The mutation a push carries. */
type QueuedMutation = PushBody['mutations'][number];

const encoder = new TextEncoder();
const wireOf = (e: OutboxEntry): QueuedMutation => ({
  id: e.id,
  name: e.name,
  args: e.args as QueuedMutation['args'],
  hlc: e.hlc,
  base_version: e.base_version,
});
const jsonLength = (e: OutboxEntry) => encoder.encode(JSON.stringify(wireOf(e))).length;

/** The longest mutator name the server takes. */
const MAX_NAME_CHARS = 100;
/** Accepted entries kept to show (the newest); older ones are forgotten. */
const ACCEPTED_KEPT = 50;

/** A write the server would refuse whatever happens, so it is never queued. */
export class EnqueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnqueueError';
  }
}

/** One client's engine over one database and one transport. */
export class SyncEngine {
  private readonly state: ReplicaState;
  private generation = -1;
  private clientId = '';
  private running = false;

  constructor(
    private readonly db: SyncDatabase,
    private readonly transport: Transport,
    private readonly now: () => number = Date.now,
    private readonly config: EngineConfig = DEFAULT_CONFIG,
  ) {
    this.state = new ReplicaState(config.floats);
  }

  /** The replica and pulling progress in memory (tests; storage is what the UI reads). */
  get replica(): ReplicaState {
    return this.state;
  }

  /**
   * Queues a write made now against a row at `baseVersion` (null for an insert) and returns its
   * mutation id; the id, the clock's tick and the outbox record are one transaction, and so is
   * `alongside` (given the id), which may write the `photos` table: an uploaded photo is marked
   * as attaching in the transaction that queues its attach, so the attach is queued once.
   */
  async enqueue(
    name: string,
    args: Record<string, JsonValue>,
    baseVersion: number | null,
    alongside?: (id: number) => Promise<void>,
  ): Promise<number> {
    const chars = Array.from(name).length;
    if (chars === 0 || chars > MAX_NAME_CHARS) throw new EnqueueError(`a mutator name has 1 to 100 characters`);
    if (baseVersion !== null && baseVersion < 0) throw new EnqueueError(`base version ${baseVersion} is negative`);
    const now = this.now();
    await this.db.clientMeta(now);
    return this.db.transaction('rw', [this.db.meta, this.db.outbox, this.db.photos], async () => {
      const meta = await this.db.meta.get('client');
      if (!meta) throw new Error('the client record is made before any write');
      const entry: OutboxEntry = {
        id: meta.nextMutationId,
        name,
        args,
        hlc: tickHlc(meta.hlc, now),
        base_version: baseVersion,
        state: 'queued',
        queuedAt: now,
      };
      if (jsonLength(entry) > MAX_MUTATION_BYTES) throw new EnqueueError('the mutation is too large to push');
      await this.db.outbox.add(entry);
      await this.db.meta.update('client', { nextMutationId: entry.id + 1, hlc: entry.hlc });
      await alongside?.(entry.id);
      return entry.id;
    });
  }

  /** Forgets a rejection once the person has seen it. */
  async dismissRejection(id: number): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, async () => {
      const entry = await this.db.outbox.get(id);
      if (entry?.state === 'rejected') await this.db.outbox.delete(id);
    });
  }

  /** Runs one cycle: pushes the outbox in batches, then pulls until the server has no more. */
  async syncOnce(): Promise<SyncReport> {
    if (this.running) throw new AlreadySyncing();
    this.running = true;
    try {
      const report = emptyReport();
      await this.load();
      const pushed = await this.pushOutbox(report);
      if (pushed !== 'failed') {
        const failure = await this.pullAll(report);
        if (failure) report.failure = failure;
      }
      await this.recordOutcome(report);
      return report;
    } finally {
      this.running = false;
    }
  }

  /** Reads the replica from storage when it changed since this engine last did (another tab). */
  private async load(): Promise<void> {
    const meta = await this.db.clientMeta(this.now());
    this.clientId = meta.clientId;
    if (meta.generation === this.generation) return;
    const rows = await this.db.rows.toArray();
    this.state.replica.takeTouched();
    for (const scope of this.state.replica.scopeNames()) this.state.replica.clear(scope);
    for (const row of rows) this.state.replica.load(row.scope, row.entity, row.id, { version: row.version, fields: row.fields });
    this.state.replica.takeTouched();
    this.state.restore(meta.progress);
    this.generation = meta.generation;
  }

  /** Pushes every queued or sent mutation, oldest first, in batches within the limits. */
  private async pushOutbox(report: SyncReport): Promise<'drained' | 'stopped' | 'failed'> {
    const maxCount = Math.min(Math.max(this.config.maxPushMutations, 1), MAX_MUTATIONS_PER_PUSH);
    let after = 0;
    for (;;) {
      const waiting = await this.db.outbox
        .where('id')
        .above(after)
        .filter((e) => e.state === 'queued' || e.state === 'sent')
        .limit(maxCount)
        .toArray();
      const batch: OutboxEntry[] = [];
      let bytes = 0;
      for (const entry of waiting) {
        bytes += jsonLength(entry);
        if (batch.length > 0 && bytes > this.config.maxPushBytes) break;
        batch.push(entry);
      }
      const last = batch.at(-1);
      if (!last) return 'drained';
      after = last.id;
      report.pushed += batch.length;
      let answer: PushedView;
      try {
        answer = await this.transport.push({
          client_id: this.clientId,
          schema_version: this.config.schemaVersion,
          mutations: batch.map(wireOf),
        });
      } catch (error) {
        const failure = failureOf(error);
        if (failure.kind === 'link' && failure.delivered) await this.markSent(batch.map((e) => e.id));
        report.failure = { kind: 'push', failure };
        return 'failed';
      }
      report.rejected += await this.recordPush(batch, answer);
      report.applied += answer.applied.length;
      report.skipped += answer.skipped.length;
      report.updateRequired ||= answer.update_required;
      if (answer.stopped) {
        report.failure = { kind: 'stopped', id: answer.stopped.id, code: answer.stopped.code };
        return 'stopped';
      }
    }
  }

  private async markSent(ids: number[]): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, async () => {
      for (const id of ids) {
        const entry = await this.db.outbox.get(id);
        if (entry?.state === 'queued') await this.db.outbox.update(id, { state: 'sent' });
      }
    });
  }

  /** Records a push answer: rejections kept with their reasons, applied ones accepted. */
  private async recordPush(batch: OutboxEntry[], answer: PushedView): Promise<number> {
    const accepted = new Set([...answer.applied, ...answer.skipped]);
    const rejected = new Map(answer.rejected.map((r) => [r.id, r]));
    let moved = 0;
    await this.db.transaction('rw', this.db.outbox, async () => {
      // A rejection of an earlier push whose answer was lost is reported again: any id counts.
      for (const r of answer.rejected) {
        const entry = await this.db.outbox.get(r.id);
        if (entry && entry.state !== 'rejected') {
          await this.db.outbox.update(r.id, { state: 'rejected', code: r.code, detail: r.detail });
          moved += 1;
        }
      }
      for (const entry of batch) {
        if (rejected.has(entry.id)) continue;
        // Applied, or applied before; the others the server received and will see again.
        const state = accepted.has(entry.id) ? 'accepted' : 'sent';
        await this.db.outbox.update(entry.id, { state });
      }
    });
    return moved;
  }

  /** Pulls pages until an answer says there is no more. */
  private async pullAll(report: SyncReport): Promise<SyncFailure | null> {
    let repaired = false;
    for (let i = 0; i < this.config.maxPullPages; i++) {
      const ask = await this.state.repairAsk();
      const asked = this.state.cookie;
      const body: PullBody = {
        client_id: this.clientId,
        cookie: asked,
        schema_version: this.config.schemaVersion,
        ...(this.config.maxPullBytes === undefined ? {} : { max_bytes: this.config.maxPullBytes }),
        ...(this.config.verify ? { verify: true } : {}),
        ...(ask.repair.length > 0 ? { repair: ask.repair, buckets: ask.buckets } : {}),
      };
      let answer;
      try {
        answer = await this.transport.pull(body);
      } catch (error) {
        const failure = failureOf(error);
        if (failure.kind === 'invalid_cookie') {
          // Refused without a cookie, starting over cannot help.
          if (asked === null) return { kind: 'pull', failure };
          this.state.replayFromStart(asked);
          await this.persist(null);
          report.cookieResets += 1;
          continue;
        }
        // Too old to pull: the outbox was still pushed; the app must be updated.
        if (failure.kind === 'refused' && failure.code === 'client_outdated') report.updateRequired = true;
        return { kind: 'pull', failure };
      }
      const page = await this.state.applyPull(asked, ask.repair, answer);
      if (page === 'stale') {
        report.staleAnswers += 1;
        continue;
      }
      // Only a final answer's acknowledgements promise that the mutations' changes came.
      const acknowledged = answer.more ? null : (answer.last_mutation_ids[this.clientId] ?? null);
      report.acknowledged += await this.persist(acknowledged, answer.hlc ?? null);
      report.pages += 1;
      report.mismatched += page.mismatched;
      report.scopeResets += page.resets;
      report.changes += page.changes;
      if (!page.more && (page.mismatched === 0 || repaired)) return null;
      repaired ||= !page.more;
    }
    return { kind: 'too-many-pages', pages: this.config.maxPullPages };
  }

  /**
   * Writes what the last answer changed — rows, cookie and progress, the server's clock, the
   * acknowledged mutations — in one transaction; returns how many mutations it acknowledged.
   */
  private async persist(acknowledged: number | null, hlc: string | null = null): Promise<number> {
    const touched = this.state.replica.takeTouched();
    const progress = this.state.progress();
    const { db } = this;
    let count = 0;
    await db.transaction('rw', db.rows, db.meta, db.outbox, async () => {
      for (const scope of touched.cleared) {
        await db.rows.where('[scope+entity+id]').between([scope, '', ''], [scope, '\uffff', '\uffff']).delete();
      }
      for (const [scope, entity, id] of touched.rows) {
        const row = this.state.replica.row(scope, entity, id);
        if (row) await db.rows.put({ scope, entity, id, version: row.version, fields: row.fields });
        else await db.rows.delete([scope, entity, id]);
      }
      if (acknowledged !== null) {
        const done = await db.outbox
          .where('id')
          .belowOrEqual(acknowledged)
          .filter((e) => e.state === 'queued' || e.state === 'sent')
          .primaryKeys();
        for (const id of done) await db.outbox.update(id, { state: 'accepted' });
        count = done.length;
        const accepted = await db.outbox.where('state').equals('accepted').primaryKeys();
        await db.outbox.bulkDelete(accepted.sort((a, b) => a - b).slice(0, Math.max(accepted.length - ACCEPTED_KEPT, 0)));
      }
      const meta = await db.meta.get('client');
      const generation = (meta?.generation ?? 0) + 1;
      const changes: Partial<ClientMeta> = { progress, generation };
      if (hlc !== null && meta) changes.hlc = mergeHlc(meta.hlc, hlc);
      await db.meta.update('client', changes);
      this.generation = generation;
    });
    return count;
  }

  /** Stores what the UI shows of the cycle. */
  private async recordOutcome(report: SyncReport): Promise<void> {
    const changes: Partial<ClientMeta> = { needsSignIn: needsSignIn(report.failure) };
    if (report.failure === null) changes.lastSyncedAt = this.now();
    if (report.updateRequired) changes.needsUpdate = true;
    else if (report.failure === null) changes.needsUpdate = false;
    await this.db.meta.update('client', changes);
  }
}

function emptyReport(): SyncReport {
  return {
    pushed: 0,
    applied: 0,
    skipped: 0,
    rejected: 0,
    pages: 0,
    changes: 0,
    acknowledged: 0,
    staleAnswers: 0,
    cookieResets: 0,
    mismatched: 0,
    scopeResets: 0,
    updateRequired: false,
    failure: null,
  };
}

/** Any error a transport throws, as a failure (an unexpected one counts as the link's). */
function failureOf(error: unknown): TransportFailure {
  if (error instanceof TransportError) return error.failure;
  return { kind: 'link', detail: error instanceof Error ? error.message : String(error), delivered: false };
}

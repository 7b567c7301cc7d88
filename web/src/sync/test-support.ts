/**
 * Test doubles for the sync client: a fresh fake IndexedDB database per test, and a scripted
 * transport that answers each push and pull from a queue and records what it was sent.
 */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';

import { SyncDatabase } from './database';
import {
  TransportError,
  type PullBody,
  type PullReply,
  type PushBody,
  type PushedView,
  type Transport,
  type TransportFailure,
} from './protocol';
import type { Change } from './replica';

let databases = 0;

/** A new, empty database on fake IndexedDB. */
export function freshDatabase(name = `test-${++databases}`): SyncDatabase {
  return new SyncDatabase(name, { indexedDB, IDBKeyRange });
}

type Scripted<T> = T | TransportFailure;

/** Answers from a script; an unscripted request fails as a link failure. */
export class ScriptedTransport implements Transport {
  readonly pushes: PushBody[] = [];
  readonly pulls: PullBody[] = [];
  private readonly pushAnswers: Scripted<PushedView>[] = [];
  private readonly pullAnswers: Scripted<PullReply>[] = [];

  answerPush(...answers: Scripted<PushedView>[]): this {
    this.pushAnswers.push(...answers);
    return this;
  }

  answerPull(...answers: Scripted<PullReply>[]): this {
    this.pullAnswers.push(...answers);
    return this;
  }

  push(body: PushBody): Promise<PushedView> {
    this.pushes.push(structuredClone(body));
    return settle(this.pushAnswers.shift());
  }

  pull(body: PullBody): Promise<PullReply> {
    this.pulls.push(structuredClone(body));
    return settle(this.pullAnswers.shift());
  }
}

function settle<T extends object>(answer: Scripted<T> | undefined): Promise<T> {
  if (answer === undefined) return Promise.reject(new TransportError({ kind: 'link', detail: 'unscripted', delivered: false }));
  if ('kind' in answer) return Promise.reject(new TransportError(answer));
  return Promise.resolve(structuredClone(answer));
}

export const LINK_DOWN: TransportFailure = { kind: 'link', detail: 'down', delivered: false };

/** A push answer applying `ids`. */
export function applied(ids: number[], more: Partial<PushedView> = {}): PushedView {
  return {
    applied: ids,
    skipped: [],
    rejected: [],
    conflicts: [],
    last_mutation_id: ids.at(-1) ?? 0,
    update_required: false,
    ...more,
  };
}

export const uuid = (n: number) => `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;

/** An insert of fault `id` titled `title` at `seq`. */
export const fault = (seq: number, id: number, title: string): Change => ({
  seq,
  entity: 'fault',
  id: uuid(id),
  op: 'insert',
  fields: { id: uuid(id), title },
});

/** A pull page. */
export function page(cookie: string, changes: Record<string, Change[]>, more: boolean, rest: Partial<PullReply> = {}): PullReply {
  return { cookie, changes, clear: [], last_mutation_ids: {}, more, checksums: {}, ...rest };
}

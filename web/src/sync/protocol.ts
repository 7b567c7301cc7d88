/**
 * The sync protocol's bodies as the web client sends and reads them (docs/SYNC.md "Push",
 * "Pull"), typed from the generated OpenAPI schema, and the failures a transport reports,
 * sorted by what the engine does next (`crates/sync/src/client/transport.rs`).
 */
import type { components } from '../api/schema.gen';
import type { Problem } from '../api/types';
import type { Change, Op, PullAnswer } from './replica';

export type PushBody = components['schemas']['PushBody'];
export type PushedView = components['schemas']['PushedView'];
export type PullBody = components['schemas']['PullBody'];
type PulledView = components['schemas']['PulledView'];

/** The pull answer as the engine reads it: with the server's clock, which later answers carry. */
export type PullReply = PullAnswer & { hlc?: string | null };

/** A push carries at most this many mutations. */
export const MAX_MUTATIONS_PER_PUSH = 500;
/** A push carries at most this many bytes of mutations (as JSON). */
export const MAX_MUTATION_BYTES = 256 * 1024;
/** The schema version this client was built for. */
export const SCHEMA_VERSION = 1;

/** Why a request got no usable answer. */
export type TransportFailure =
  /**
   * No answer: no connection, a reset, a timeout, a body cut short. Safe to repeat after a
   * backoff. `delivered`: the request is known to have left the device.
   */
  | { kind: 'link'; detail: string; delivered: boolean }
  /** The server cannot use the pull's cookie: pull again from the start. */
  | { kind: 'invalid_cookie' }
  /** The credential is missing, expired or revoked: nothing syncs until a new sign-in. */
  | { kind: 'unauthorized' }
  /** Any other refusal (`409 client_mismatch`, `409 client_outdated`, `429`, `503`, ...). */
  | { kind: 'refused'; status: number; code: string };

/** A transport's failure, thrown. */
export class TransportError extends Error {
  constructor(readonly failure: TransportFailure) {
    super(failure.kind === 'refused' ? `refused: ${failure.status} ${failure.code}` : failure.kind);
    this.name = 'TransportError';
  }
}

/** A link failure. */
export const linkFailure = (detail: string, delivered = false) =>
  new TransportError({ kind: 'link', detail, delivered });

/** The failure a problem document answered with `status` means. */
export function failureOfProblem(status: number, problem: Partial<Problem> | null): TransportError {
  const invalidCookie =
    problem?.code === 'invalid_cookie' || (problem?.errors ?? []).some((e) => e.code === 'invalid_cookie');
  if (status === 401) return new TransportError({ kind: 'unauthorized' });
  if (status === 422 && invalidCookie) return new TransportError({ kind: 'invalid_cookie' });
  return new TransportError({ kind: 'refused', status, code: problem?.code ?? '' });
}

/** Carries push and pull bodies to the server. */
export interface Transport {
  push(body: PushBody): Promise<PushedView>;
  pull(body: PullBody): Promise<PullReply>;
}

const OPS: ReadonlySet<string> = new Set<Op>(['insert', 'update', 'delete', 'put', 'patch']);

/**
 * Checks a pull answer into the engine's shape at the edge: the generated `ChangeView` types
 * `op` as any string and `fields` as an empty record. A change with an unknown op cannot be
 * applied, so the answer is not used (a link failure: the engine retries later).
 */
export function readPullAnswer(view: PulledView & { hlc?: string | null }): PullReply {
  const changes: Record<string, Change[]> = {};
  for (const [scope, list] of Object.entries(view.changes)) {
    changes[scope] = list.map((c) => {
      if (!OPS.has(c.op)) throw linkFailure(`a change with the unknown op ${c.op}`);
      return { seq: c.seq, entity: c.entity, id: c.id, op: c.op as Op, fields: c.fields };
    });
  }
  return { ...view, changes };
}

/**
 * The ways a push or pull reaches the server (docs/SYNC.md "Over the events socket"):
 *
 * - `SocketTransport`: as messages on the events WebSocket (`/api/v1/events?access_token=…`),
 *   `{id, pull|push}` answered by `sync.pulled`, `sync.pushed` or `sync.refused` with the same
 *   id, as `crates/sync/src/client/socket.rs`: requests numbered, an answer to a request given
 *   up on ignored, `client_id` and `schema_version` left out after a socket's first request
 *   gave them, a socket that failed dropped and the next request opening another with the
 *   current token. Events and pokes in between carry `kind` and `scope`: each scope is handed
 *   to `onPoke`. Requests go as text; answers come as text or, where smaller, as zstd frames
 *   (`?zstd=true`), decompressed with fzstd.
 * - `HttpTransport`: `POST /api/v1/sync/push|pull` through the typed client (which refreshes
 *   the token once on a 401).
 * - `FallbackTransport`: the socket, and HTTP for any request the socket could not carry (it
 *   could not be opened, the link dropped, or it refused the token), which is safe since any
 *   request may be repeated.
 */
import { decompress as zstdDecompress } from 'fzstd';
import { ApiError, answer, type ApiClient } from '../api/client';
import type { Problem } from '../api/types';
import {
  failureOfProblem,
  linkFailure,
  readPullAnswer,
  TransportError,
  type PullBody,
  type PullReply,
  type PushBody,
  type PushedView,
  type Transport,
} from './protocol';

/** `POST /api/v1/sync/push|pull`. */
export class HttpTransport implements Transport {
  constructor(private readonly client: Pick<ApiClient, 'POST'>) {}

  async push(body: PushBody): Promise<PushedView> {
    try {
      return await answer(this.client.POST('/api/v1/sync/push', { body }));
    } catch (error) {
      throw failureOfApiError(error);
    }
  }

  async pull(body: PullBody): Promise<PullReply> {
    let view;
    try {
      view = await answer(this.client.POST('/api/v1/sync/pull', { body }));
    } catch (error) {
      throw failureOfApiError(error);
    }
    return readPullAnswer(view);
  }
}

function failureOfApiError(error: unknown): TransportError {
  if (error instanceof ApiError) {
    return error.isNetworkError ? linkFailure(error.message) : failureOfProblem(error.status, error.problem);
  }
  return linkFailure(error instanceof Error ? error.message : String(error));
}

/** What the transport needs of a WebSocket (the browser's, or a test's). */
export interface SocketLike {
  readonly readyState: number;
  /** How binary frames arrive: set to `arraybuffer` (zstd answers). */
  binaryType?: string;
  send(data: string): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

/** How long a request waits for its answer: a whole page at the slowest link, with room. */
export const ANSWER_WITHIN_MS = 120_000;

interface Waiting {
  id: number;
  op: 'push' | 'pull';
  resolve: (value: unknown) => void;
  reject: (error: TransportError) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Conn {
  socket: SocketLike;
  clientId?: unknown;
  schemaVersion?: unknown;
}

/** Options of a socket transport. */
export interface SocketOptions {
  /** The socket's address with the current access token, or null when there is none. */
  url: () => string | null;
  /** Opens a socket (the browser's `WebSocket` by default). */
  open?: (url: string) => SocketLike;
  /** A scope the server says has news. */
  onPoke?: (scope: string) => void;
  answerWithinMs?: number;
}

/** Pushes and pulls over `GET /api/v1/events`. */
export class SocketTransport implements Transport {
  private conn: Promise<Conn> | null = null;
  private nextId = 1;
  private waiting: Waiting | null = null;

  constructor(private readonly options: SocketOptions) {}

  push(body: PushBody): Promise<PushedView> {
    return this.call('push', body) as Promise<PushedView>;
  }

  async pull(body: PullBody): Promise<PullReply> {
    return readPullAnswer((await this.call('pull', body)) as Parameters<typeof readPullAnswer>[0]);
  }

  /** Opens the socket now (to hear pokes) if it is not open; failures are ignored. */
  connect(): void {
    this.socket().catch(() => undefined);
  }

  /** Closes the socket; the next request opens another. */
  disconnect(): void {
    const conn = this.conn;
    this.conn = null;
    void conn?.then((c) => { c.socket.close(); }, () => undefined);
  }

  private socket(): Promise<Conn> {
    if (this.conn) return this.conn;
    const opening = this.openSocket();
    this.conn = opening;
    // A socket that could not be opened is tried again by the next request.
    opening.catch(() => {
      if (this.conn === opening) this.conn = null;
    });
    return opening;
  }

  private openSocket(): Promise<Conn> {
    const url = this.options.url();
    if (url === null) return Promise.reject(linkFailure('no access token for the socket'));
    const open = this.options.open ?? ((u: string) => new WebSocket(u));
    return new Promise<Conn>((resolve, reject) => {
      let socket: SocketLike;
      try {
        socket = open(url);
      } catch (error) {
        reject(linkFailure(String(error)));
        return;
      }
      socket.binaryType = 'arraybuffer';
      const conn: Conn = { socket };
      let opened = false;
      const drop = (detail: string) => {
        if (this.conn && opened) this.conn = null;
        const waiting = this.waiting;
        this.waiting = null;
        if (waiting) {
          clearTimeout(waiting.timer);
          waiting.reject(linkFailure(detail, true));
        }
      };
      socket.onopen = () => {
        opened = true;
        resolve(conn);
      };
      socket.onerror = () => {
        if (!opened) {
          this.conn = null;
          reject(linkFailure('the socket could not be opened'));
        }
      };
      socket.onclose = () => {
        if (!opened) {
          this.conn = null;
          reject(linkFailure('the socket could not be opened'));
          return;
        }
        drop('the socket closed');
      };
      socket.onmessage = (event: MessageEvent) => {
        if (typeof event.data === 'string') {
          this.receive(event.data);
          return;
        }
        // An answer the server compressed (the socket asks for zstd where it is smaller).
        if (event.data instanceof ArrayBuffer) {
          let text: string;
          try {
            text = new TextDecoder().decode(zstdDecompress(new Uint8Array(event.data)));
          } catch {
            // Unreadable: the request it answers cannot be known, so the socket is given up.
            drop('an answer that could not be decompressed');
            socket.close();
            return;
          }
          this.receive(text);
        }
      };
    });
  }

  private receive(text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    const kind = typeof message.kind === 'string' ? message.kind : '';
    if (!kind.startsWith('sync.') || kind === 'sync.changed') {
      if (typeof message.scope === 'string') this.options.onPoke?.(message.scope);
      return;
    }
    const waiting = this.waiting;
    // An answer to a request given up on is skipped; a refusal without a number is the server
    // not reading the request it waits on (one at a time per socket).
    if (!waiting || !(message.id === waiting.id || (kind === 'sync.refused' && message.id === null))) return;
    this.waiting = null;
    clearTimeout(waiting.timer);
    if (kind === 'sync.refused') {
      const problem = isRecord(message.problem) ? (message.problem as Partial<Problem>) : null;
      const error = failureOfProblem(typeof problem?.status === 'number' ? problem.status : 0, problem);
      // A refused token: the next socket opens with the token the refresh brings.
      if (error.failure.kind === 'unauthorized') this.disconnect();
      waiting.reject(error);
      return;
    }
    const body = message[waiting.op];
    if (body && typeof body === 'object') waiting.resolve(body);
    else waiting.reject(linkFailure(`an answer without its ${waiting.op}`, true));
  }

  private async call(op: 'push' | 'pull', body: PushBody | PullBody): Promise<unknown> {
    const conn = await this.socket();
    if (this.waiting) throw linkFailure('a request is already waiting on the socket');
    const fields: Record<string, unknown> = { ...body };
    // Left out once this socket was told them, as long as they stay the same.
    if ('client_id' in fields) {
      if (conn.clientId !== undefined && conn.clientId === fields.client_id) delete fields.client_id;
      else conn.clientId = fields.client_id;
    }
    if ('schema_version' in fields) {
      if (conn.schemaVersion !== undefined && conn.schemaVersion === fields.schema_version) delete fields.schema_version;
      else conn.schemaVersion = fields.schema_version;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.waiting?.id !== id) return;
        this.waiting = null;
        // A socket that failed is not used again.
        this.disconnect();
        reject(linkFailure('no answer in time', true));
      }, this.options.answerWithinMs ?? ANSWER_WITHIN_MS);
      this.waiting = { id, op, resolve, reject, timer };
      try {
        conn.socket.send(JSON.stringify({ id, [op]: fields }));
      } catch (error) {
        clearTimeout(timer);
        this.waiting = null;
        this.disconnect();
        reject(linkFailure(String(error)));
      }
    });
  }
}

/** The socket first; HTTP for a request the socket could not carry. */
export class FallbackTransport implements Transport {
  constructor(
    private readonly socket: Transport,
    private readonly http: Transport,
  ) {}

  push(body: PushBody): Promise<PushedView> {
    return this.socket.push(body).catch((error: unknown) => {
      if (fallsBack(error)) return this.http.push(body);
      throw error;
    });
  }

  pull(body: PullBody): Promise<PullReply> {
    return this.socket.pull(body).catch((error: unknown) => {
      if (fallsBack(error)) return this.http.pull(body);
      throw error;
    });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const fallsBack = (error: unknown) =>
  !(error instanceof TransportError) || error.failure.kind === 'link' || error.failure.kind === 'unauthorized';

/** The events socket's address for `token` on this page's origin. */
export function eventsSocketUrl(token: string, origin: string = globalThis.location.origin): string {
  const url = new URL('/api/v1/events', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('access_token', token);
  // Answers as zstd frames wherever that is smaller: a first sync's pages shrink several times.
  url.searchParams.set('zstd', 'true');
  return url.toString();
}

/**
 * The one way the web app talks to `/api/v1`: typed JSON requests, problem+json errors turned
 * into `ApiError`, and the access token.
 *
 * The access token lives only in this module's memory (never in storage). The refresh token is
 * an HttpOnly cookie the browser sends to `/api/v1/auth/refresh`; a request answered 401 is
 * retried once after a refresh (unless the 401 is about a password or code the request carried),
 * and listeners learn when the session was renewed or lost, or when the company requires a
 * second factor the person has not set up yet.
 */
import type { AuthSession, Problem } from './types';

/** An `/api/v1` request that failed, carrying the server's problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** Seconds the server asked us to wait (`Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The stable machine-readable code, such as `invalid_credentials`. */
  get code(): string | undefined {
    return this.problem.code;
  }
}

/** Options of one request. */
export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Send the access token and retry once after a refresh on 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

/** What the client tells the session about. */
export type SessionEvent =
  | { type: 'refreshed'; session: AuthSession }
  | { type: 'expired' }
  /** A request was refused until the person sets up a second factor (`403 mfa_enrollment_required`). */
  | { type: 'mfa-enrollment-required' };

/**
 * 401 codes that answer the password or code a request carried (a wrong current password, a
 * wrong second-factor code), not an expired access token: refreshing and sending it again
 * would only spend another attempt.
 */
const CREDENTIAL_CODES = new Set(['invalid_credentials', 'mfa_required', 'invalid_mfa_code']);

/** Whether a 401 answer is about the access token (so a refresh may help). */
async function isTokenProblem(response: Response): Promise<boolean> {
  const problem = await readProblem(response.clone());
  return problem.code === undefined || !CREDENTIAL_CODES.has(problem.code);
}

type Listener = (event: SessionEvent) => void;

/** Creates a client; the app uses the shared `api` below, tests may make their own. */
export function createApiClient(options: { baseUrl?: string; fetch?: typeof fetch } = {}) {
  const baseUrl = options.baseUrl ?? '';
  // Looked up at call time so tests can stub the global fetch.
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);
  let accessToken: string | null = null;
  let refreshing: Promise<AuthSession> | null = null;
  const listeners = new Set<Listener>();

  const emit = (event: SessionEvent) => {
    for (const listener of listeners) listener(event);
  };

  async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      // Marks the request as coming from our own script: the server requires it on the
      // cookie-authenticated endpoints, which a cross-site form cannot set.
      'X-Requested-With': 'bosun',
    };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.auth !== false && accessToken !== null) {
      headers.Authorization = `Bearer ${accessToken}`;
    }
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
    if (opts.signal) init.signal = opts.signal;
    try {
      return await doFetch(baseUrl + path, init);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError({
        type: 'about:blank',
        title: 'Cannot reach the Bosun server',
        status: 0,
        detail: 'Check the connection and try again.',
        code: 'network_error',
      });
    }
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    let response = await send(method, path, opts);
    if (response.status === 401 && opts.auth !== false && (await isTokenProblem(response))) {
      const renewed = await refresh().then(
        () => true,
        () => false,
      );
      if (renewed) response = await send(method, path, opts);
    }
    try {
      return await readBody<T>(response);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403 && error.code === 'mfa_enrollment_required') {
        emit({ type: 'mfa-enrollment-required' });
      }
      throw error;
    }
  }

  /**
   * Renews the access token from the refresh cookie. Concurrent callers share one request, so
   * a rotating refresh token is never spent twice.
   */
  function refresh(): Promise<AuthSession> {
    refreshing ??= (async () => {
      try {
        const session = await readBody<AuthSession>(
          await send('POST', '/api/v1/auth/refresh', { auth: false }),
        );
        accessToken = session.access_token;
        emit({ type: 'refreshed', session });
        return session;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          accessToken = null;
          emit({ type: 'expired' });
        }
        throw error;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  return {
    get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
    post: <T>(path: string, opts?: RequestOptions) => request<T>('POST', path, opts),
    put: <T>(path: string, opts?: RequestOptions) => request<T>('PUT', path, opts),
    delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
    refresh,
    /** Starts using the token of a session that login just opened. */
    adoptSession(session: AuthSession): void {
      accessToken = session.access_token;
    },
    /** Ends the session on the server (best effort) and forgets the token. */
    async logout(): Promise<void> {
      try {
        await request<undefined>('POST', '/api/v1/auth/logout', { auth: true });
      } finally {
        accessToken = null;
      }
    },
    hasAccessToken: () => accessToken !== null,
    /** Forgets the token without telling the server (tests; a page that must start clean). */
    forgetSession(): void {
      accessToken = null;
    },
    /** Registers a listener; returns the function that removes it. */
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The client type, for code that receives one. */
export type ApiClient = ReturnType<typeof createApiClient>;

/** The app's client. */
export const api = createApiClient();

async function readBody<T>(response: Response): Promise<T> {
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
  throw new ApiError(await readProblem(response), parseRetryAfter(response.headers.get('Retry-After')));
}

/** Reads the problem+json body, or makes one from the status when the body is not one. */
export async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || `Request failed (${response.status})`,
    status: response.status,
  };
  const contentType = response.headers.get('Content-Type') ?? '';
  if (!contentType.includes('json')) return fallback;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return fallback;
  }
  if (typeof body !== 'object' || body === null) return fallback;
  const record = body as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? record[key] : undefined);
  return {
    type: text('type') ?? fallback.type,
    title: text('title') ?? fallback.title,
    status: typeof record.status === 'number' ? record.status : response.status,
    detail: text('detail'),
    code: text('code'),
    errors: Array.isArray(record.errors) ? (record.errors as Problem['errors']) : undefined,
  };
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

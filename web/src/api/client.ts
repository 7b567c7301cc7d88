/**
 * The one way the web app talks to `/api/v1`: `openapi-fetch` clients typed by the generated
 * `schema.gen.ts` (path, method, parameters, body and answer tied together), with the session
 * rules of Bosun in the `fetch` they send through.
 *
 * - Every answer that is not a success is thrown as an `ApiError` carrying the server's problem
 *   details (or one made from the status), so a call either returns its typed answer or throws;
 *   a server that cannot be reached is an `ApiError` with status 0 and code `network_error`.
 * - The access token lives only in this module's memory (never in storage). The refresh token
 *   is an HttpOnly cookie the browser sends to `/api/v1/auth/refresh`.
 * - A request of `api` answered 401 is retried once after a refresh, unless the 401 is about a
 *   password or code the request carried; `api.public` sends no token and never refreshes
 *   (sign-in, password reset, invitations, company branding).
 * - Listeners learn when the session was renewed or lost, or when the company requires a second
 *   factor the person has not set up yet.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.gen';
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

  /** The server could not be reached at all (offline, DNS, connection refused). */
  get isNetworkError(): boolean {
    return this.status === 0 && this.problem.code === NETWORK_ERROR;
  }
}

/** The code of the `ApiError` for a request that never reached the server. */
const NETWORK_ERROR = 'network_error';

/** What the client tells the session about. */
export type SessionEvent =
  | { type: 'refreshed'; session: AuthSession }
  /** The server refused the refresh token: the session was revoked or ran out. */
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

/** Sent with every request. */
const HEADERS = {
  Accept: 'application/json, application/problem+json',
  // Marks the request as coming from our own script: the server requires it on the
  // cookie-authenticated endpoints, which a cross-site form cannot set.
  'X-Requested-With': 'bosun',
};

/** Creates a client; the app uses the shared `api` below, tests may make their own. */
export function createApiClient(options: { baseUrl?: string; fetch?: (request: Request) => Promise<Response> } = {}) {
  // openapi-fetch builds a `Request`, which needs an absolute URL outside a browser page.
  const baseUrl = options.baseUrl ?? globalThis.location.origin;
  // Looked up at call time so tests can stub the global fetch.
  const doFetch = (request: Request) => (options.fetch ?? globalThis.fetch)(request);
  let accessToken: string | null = null;
  let refreshing: Promise<AuthSession> | null = null;
  // Counts the sessions adopted from a login: a refresh sent before one answers about the
  // cookie it was sent with, which the login's session has replaced.
  let adopted = 0;
  const listeners = new Set<Listener>();

  const emit = (event: SessionEvent) => {
    for (const listener of listeners) listener(event);
  };

  /** Sends one request; a failure to reach the server becomes an `ApiError` (not an abort). */
  async function send(request: Request): Promise<Response> {
    try {
      return await doFetch(request);
    } catch (error) {
      if (request.signal.aborted || (error instanceof DOMException && error.name === 'AbortError')) throw error;
      throw new ApiError({
        type: 'about:blank',
        title: 'Cannot reach the Bosun server',
        status: 0,
        detail: 'Check the connection and try again.',
        code: NETWORK_ERROR,
      });
    }
  }

  /** The answer when it is a success; otherwise its problem, thrown. */
  async function checked(response: Response): Promise<Response> {
    if (response.ok) return response;
    const error = new ApiError(await readProblem(response), parseRetryAfter(response.headers.get('Retry-After')));
    if (error.status === 403 && error.code === 'mfa_enrollment_required') emit({ type: 'mfa-enrollment-required' });
    throw error;
  }

  const withToken = (request: Request): Request => {
    if (accessToken !== null) request.headers.set('Authorization', `Bearer ${accessToken}`);
    return request;
  };

  /** The `fetch` of `api`: the access token, and one refresh-and-retry on a 401 about it. */
  async function sessionFetch(request: Request): Promise<Response> {
    // Kept before sending: a sent request's body cannot be read again for the retry.
    const spare = request.clone();
    let response = await send(withToken(request));
    if (response.status === 401 && (await isTokenProblem(response))) {
      const renewed = await refresh().then(
        () => true,
        () => false,
      );
      if (renewed) response = await send(withToken(spare));
    }
    return checked(response);
  }

  const clientOptions = {
    baseUrl,
    headers: HEADERS,
    credentials: 'same-origin',
    // The document's list parameters are `style: form, explode: false`: `status=a,b`.
    querySerializer: { array: { style: 'form', explode: false } },
  } as const;
  const sessionClient = createClient<paths>({ ...clientOptions, fetch: sessionFetch });
  const publicClient = createClient<paths>({
    ...clientOptions,
    fetch: async (request) => checked(await send(request)),
  });

  /**
   * Renews the access token from the refresh cookie. Concurrent callers share one request, so
   * a rotating refresh token is never spent twice. Only a definite refusal (401 or 403) ends
   * the session; an unreachable server or a server error leaves it as it was, to try again.
   * One that answers after a login has opened a session (the sign-in page shows while the
   * refresh on load is in flight) was about the cookie the login replaced: it changes nothing.
   */
  function refresh(): Promise<AuthSession> {
    refreshing ??= (async () => {
      const adoptedBefore = adopted;
      try {
        const session = await answer(publicClient.POST('/api/v1/auth/refresh'));
        if (adopted !== adoptedBefore) return session;
        accessToken = session.access_token;
        emit({ type: 'refreshed', session });
        return session;
      } catch (error) {
        const superseded = adopted !== adoptedBefore;
        if (!superseded && error instanceof ApiError && (error.status === 401 || error.status === 403)) {
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
    GET: sessionClient.GET,
    POST: sessionClient.POST,
    PUT: sessionClient.PUT,
    PATCH: sessionClient.PATCH,
    DELETE: sessionClient.DELETE,
    /** For requests made without a session: no token, no refresh. */
    public: publicClient,
    refresh,
    /** Starts using the token of a session that login just opened. */
    adoptSession(session: AuthSession): void {
      adopted += 1;
      accessToken = session.access_token;
    },
    /**
     * Ends the session on the server and forgets the token. The server ends the session of the
     * refresh cookie, so this works without an access token too (a sign-out made offline,
     * sent once the link is back); it is never retried after a refresh.
     */
    async logout(): Promise<void> {
      const token = accessToken;
      accessToken = null;
      await publicClient.POST(
        '/api/v1/auth/logout',
        token === null ? {} : { headers: { Authorization: `Bearer ${token}` } },
      );
    },
    hasAccessToken: () => accessToken !== null,
    /** The access token in memory, for the events socket's address (never stored). */
    accessToken: (): string | null => accessToken,
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

/**
 * The body of a successful answer. The clients throw an `ApiError` for every other answer, so
 * an absent body here is a success without one where the document promised one.
 */
export async function answer<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data, response } = await call;
  if (data === undefined) {
    throw new ApiError({ type: 'about:blank', title: 'The server sent an empty answer', status: response.status });
  }
  return data;
}

/** Waits for an answer that has no body (`204 No Content`). */
export async function noAnswer(call: Promise<unknown>): Promise<void> {
  await call;
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

/** The error as an `ApiError`, so pages have one shape to show. */
export function asApiError(error: unknown, title: string): ApiError {
  return error instanceof ApiError ? error : new ApiError({ type: 'about:blank', title, status: 0 });
}

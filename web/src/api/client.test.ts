import { describe, expect, it, vi } from 'vitest';
import { json, problem, sessionFor, userOf, vessel } from '../test/mock-api';
import { ApiError, answer, createApiClient, noAnswer, parseRetryAfter, type SessionEvent } from './client';

const BASE = 'http://bosun.test';

/** One request as the client sent it. */
interface Sent {
  method: string;
  path: string;
  headers: Headers;
  body: string;
  credentials: RequestCredentials;
}

/** A fetch that answers from a list, in order, and records what it was asked. */
function scriptedFetch(...responses: (Response | Error)[]) {
  const calls: Sent[] = [];
  const fetchFn = vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    calls.push({
      method: request.method,
      path: url.pathname + url.search,
      headers: request.headers,
      body: await request.text(),
      credentials: request.credentials,
    });
    const next = responses.shift();
    if (next === undefined) throw new Error(`unexpected request to ${request.url}`);
    if (!(next instanceof Response)) throw next;
    return next;
  });
  const header = (i: number, name: string) => calls[i]?.headers.get(name) ?? null;
  const clientOf = () => createApiClient({ baseUrl: BASE, fetch: fetchFn });
  return { fetchFn, calls, header, clientOf };
}

const vesselPage = { items: [vessel('Northwind Tern')], next_cursor: null };

describe('api client', () => {
  it('turns a problem+json answer into an ApiError with title, detail, code and field errors', async () => {
    const body = {
      type: 'https://bosun.example/problems/validation',
      title: 'Invalid request',
      status: 422,
      detail: 'One field is wrong',
      code: 'validation_failed',
      errors: [{ field: 'name', code: 'too_long', message: 'Name is too long' }],
    };
    const { clientOf } = scriptedFetch(
      new Response(JSON.stringify(body), { status: 422, headers: { 'Content-Type': 'application/problem+json' } }),
    );

    const error = await answer(clientOf().GET('/api/v1/vessels')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.problem.title).toBe('Invalid request');
    expect(apiError.problem.detail).toBe('One field is wrong');
    expect(apiError.problem.errors).toEqual(body.errors);
    expect(apiError.message).toBe('Invalid request: One field is wrong');
  });

  it('makes a problem from the status when the error body is not JSON', async () => {
    const { clientOf } = scriptedFetch(
      new Response('<html>Bad gateway</html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'Content-Type': 'text/html' },
      }),
    );
    const error = (await answer(clientOf().GET('/api/v1/me')).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.problem.title).toBe('Bad Gateway');
    expect(error.code).toBeUndefined();
  });

  it('reports an unreachable server as status 0 with a readable title', async () => {
    const { clientOf } = scriptedFetch(new TypeError('Failed to fetch'));
    const error = (await answer(clientOf().GET('/api/v1/me')).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.isNetworkError).toBe(true);
    expect(error.problem.title).toBe('Cannot reach the Bosun server');
  });

  it('lets an abort through as an abort', async () => {
    const { clientOf } = scriptedFetch(new DOMException('The operation was aborted.', 'AbortError'));
    const controller = new AbortController();
    controller.abort();
    const error = await clientOf()
      .GET('/api/v1/me', { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('reads Retry-After into the error', async () => {
    const { clientOf } = scriptedFetch(
      problem(429, 'too_many_attempts', 'Too many attempts', undefined, { 'Retry-After': '42' }),
    );
    const error = (await answer(
      clientOf().public.POST('/api/v1/auth/login', { body: { email: 'a@b.example', password: 'x' } }),
    ).catch((e: unknown) => e)) as ApiError;
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('sends JSON with the bearer token, the same-origin cookie policy and the X-Requested-With mark', async () => {
    const { calls, header, clientOf } = scriptedFetch(json(200, { recovery_codes: ['A'] }));
    const client = clientOf();
    client.adoptSession(sessionFor(userOf('owner'), 'token-a'));

    await expect(answer(client.POST('/api/v1/me/mfa/recovery-codes', { body: { password: 'p' } }))).resolves.toEqual({
      recovery_codes: ['A'],
    });

    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.path).toBe('/api/v1/me/mfa/recovery-codes');
    expect(calls[0]?.body).toBe('{"password":"p"}');
    expect(calls[0]?.credentials).toBe('same-origin');
    expect(header(0, 'Authorization')).toBe('Bearer token-a');
    expect(header(0, 'Content-Type')).toBe('application/json');
    expect(header(0, 'X-Requested-With')).toBe('bosun');
  });

  it('fills in path parameters and writes lists in the query comma-separated, as the document says', async () => {
    const { calls, clientOf } = scriptedFetch(
      json(200, { items: [], next_cursor: null }),
      json(200, { items: [], next_cursor: null }),
    );
    const client = clientOf();
    await answer(client.GET('/api/v1/faults/active', { params: { query: { status: ['resolved', 'closed'] } } }));
    await answer(client.GET('/api/v1/equipment/by-vessel/{vesselId}', { params: { path: { vesselId: 'a/b' } } }));
    expect(new URLSearchParams(calls[0]?.path.split('?')[1]).get('status')).toBe('resolved,closed');
    expect(calls[1]?.path).toBe('/api/v1/equipment/by-vessel/a%2Fb');
  });

  it('sends no token on the public client', async () => {
    const { header, clientOf } = scriptedFetch(json(200, sessionFor(userOf('owner'))));
    const client = clientOf();
    client.adoptSession(sessionFor(userOf('owner'), 'token-a'));
    await answer(client.public.POST('/api/v1/auth/login', { body: { email: 'a@b.example', password: 'x' } }));
    expect(header(0, 'Authorization')).toBeNull();
    expect(header(0, 'X-Requested-With')).toBe('bosun');
  });

  it('waits for an answer without a body (204)', async () => {
    const { clientOf } = scriptedFetch(new Response(null, { status: 204 }));
    await expect(noAnswer(clientOf().DELETE('/api/v1/me/sessions/{id}', { params: { path: { id: 's1' } } }))).resolves.toBeUndefined();
  });

  it('refreshes once on 401 and retries the request, body and all, with the new token', async () => {
    const { calls, header, clientOf } = scriptedFetch(
      problem(401, 'unauthorized', 'Unauthorized'),
      json(200, sessionFor(userOf('crew'), 'token-new')),
      json(200, { recovery_codes: ['B'] }),
    );
    const client = clientOf();
    client.adoptSession(sessionFor(userOf('crew'), 'token-old'));
    const events: SessionEvent[] = [];
    client.subscribe((e) => events.push(e));

    await expect(answer(client.POST('/api/v1/me/mfa/recovery-codes', { body: { password: 'p' } }))).resolves.toEqual({
      recovery_codes: ['B'],
    });

    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/me/mfa/recovery-codes',
      'POST /api/v1/auth/refresh',
      'POST /api/v1/me/mfa/recovery-codes',
    ]);
    expect(header(0, 'Authorization')).toBe('Bearer token-old');
    expect(header(1, 'Authorization')).toBeNull();
    expect(header(1, 'X-Requested-With')).toBe('bosun');
    expect(calls[1]?.credentials).toBe('same-origin');
    expect(header(2, 'Authorization')).toBe('Bearer token-new');
    expect(calls[2]?.body).toBe('{"password":"p"}');
    expect(events).toEqual([{ type: 'refreshed', session: sessionFor(userOf('crew'), 'token-new') }]);
  });

  it('gives up after one refresh: the 401 surfaces and the session is reported expired', async () => {
    const { calls, clientOf } = scriptedFetch(
      problem(401, 'unauthorized', 'Unauthorized', 'Token expired'),
      problem(401, 'invalid_refresh_token', 'Unauthorized'),
    );
    const client = clientOf();
    client.adoptSession(sessionFor(userOf('crew'), 'token-old'));
    const events: SessionEvent[] = [];
    client.subscribe((e) => events.push(e));

    const error = (await answer(client.GET('/api/v1/vessels')).catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(401);
    expect(error.problem.detail).toBe('Token expired');
    expect(calls).toHaveLength(2);
    expect(events).toEqual([{ type: 'expired' }]);
    expect(client.hasAccessToken()).toBe(false);
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    const { calls, clientOf } = scriptedFetch(
      problem(401, 'unauthorized', 'Unauthorized', 'Token expired'),
      new TypeError('Failed to fetch'),
    );
    const client = clientOf();
    client.adoptSession(sessionFor(userOf('crew'), 'token-old'));
    const events: SessionEvent[] = [];
    client.subscribe((e) => events.push(e));

    const error = (await answer(client.GET('/api/v1/vessels')).catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(401);
    expect(calls).toHaveLength(2);
    expect(events).toEqual([]);
    await expect(client.refresh()).rejects.toMatchObject({ isNetworkError: true });
  });

  it('keeps a session opened by a login while an earlier refresh was in flight, whatever that refresh answers', async () => {
    for (const refreshAnswer of [
      () => problem(401, 'invalid_refresh_token', 'Unauthorized'),
      () => json(200, sessionFor(userOf('crew', 'Someone Earlier'), 'token-earlier')),
    ]) {
      let answerRefresh: (response: Response) => void = () => undefined;
      const refreshAnswered = new Promise<Response>((resolve) => {
        answerRefresh = resolve;
      });
      const client = createApiClient({ baseUrl: BASE, fetch: () => refreshAnswered });
      const events: SessionEvent[] = [];
      client.subscribe((e) => events.push(e));

      const refreshed = client.refresh().then(
        () => 'answered',
        () => 'refused',
      );
      client.adoptSession(sessionFor(userOf('owner', 'Olga Owner'), 'token-login'));
      answerRefresh(refreshAnswer());
      await refreshed;

      // The refresh was about the cookie the login replaced.
      expect(client.accessToken()).toBe('token-login');
      expect(events).toEqual([]);
    }
  });

  it('does not refresh for requests made without the token', async () => {
    const { calls, clientOf } = scriptedFetch(problem(401, 'invalid_credentials', 'Wrong credentials'));
    const error = (await answer(
      clientOf().public.POST('/api/v1/auth/login', { body: { email: 'a@b.example', password: 'x' } }),
    ).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('invalid_credentials');
    expect(calls).toHaveLength(1);
  });

  it('does not refresh when a 401 answers the password or code the request carried', async () => {
    for (const code of ['invalid_credentials', 'invalid_mfa_code', 'mfa_required']) {
      const { calls, clientOf } = scriptedFetch(problem(401, code, 'Unauthorized'));
      const client = clientOf();
      client.adoptSession(sessionFor(userOf('owner'), 'token-a'));
      const events: SessionEvent[] = [];
      client.subscribe((e) => events.push(e));

      const error = (await noAnswer(
        client.PUT('/api/v1/me/password', { body: { current_password: 'x', new_password: 'y' } }),
      ).catch((e: unknown) => e)) as ApiError;

      expect(error.code).toBe(code);
      // One attempt, not two: a retry would count against the person's sign-in throttle.
      expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['PUT /api/v1/me/password']);
      expect(events).toEqual([]);
      expect(client.hasAccessToken()).toBe(true);
    }
  });

  it('tells the session when the company wants a second factor set up first', async () => {
    const { clientOf } = scriptedFetch(problem(403, 'mfa_enrollment_required', 'Second factor required'));
    const client = clientOf();
    const events: SessionEvent[] = [];
    client.subscribe((e) => events.push(e));

    const error = (await answer(client.GET('/api/v1/vessels')).catch((e: unknown) => e)) as ApiError;

    expect(error.code).toBe('mfa_enrollment_required');
    expect(events).toEqual([{ type: 'mfa-enrollment-required' }]);
  });

  it('sends PUT and DELETE with a body', async () => {
    const { calls, clientOf } = scriptedFetch(new Response(null, { status: 204 }), json(200, { ok: true }));
    const client = clientOf();
    await expect(noAnswer(client.DELETE('/api/v1/me/mfa', { body: { password: 'p', code: '123456' } }))).resolves.toBeUndefined();
    await noAnswer(
      client.PUT('/api/v1/companies/{id}/security', { params: { path: { id: 'c1' } }, body: { require_mfa: true } }),
    );
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['DELETE', '/api/v1/me/mfa', '{"password":"p","code":"123456"}'],
      ['PUT', '/api/v1/companies/c1/security', '{"require_mfa":true}'],
    ]);
  });

  it('signs out with the token it has, and forgets it', async () => {
    const { header, calls, clientOf } = scriptedFetch(new Response(null, { status: 204 }));
    const client = clientOf();
    client.adoptSession(sessionFor(userOf('owner'), 'token-a'));
    await client.logout();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/auth/logout']);
    expect(header(0, 'Authorization')).toBe('Bearer token-a');
    expect(client.hasAccessToken()).toBe(false);
  });

  it('shares one refresh request between concurrent callers', async () => {
    const { calls, clientOf } = scriptedFetch(json(200, sessionFor(userOf('owner'), 'token-b')));
    const client = clientOf();
    const [a, b] = await Promise.all([client.refresh(), client.refresh()]);
    expect(a.access_token).toBe('token-b');
    expect(b).toBe(a);
    expect(calls).toHaveLength(1);
  });

  it('reads a success with an empty body as a broken promise of the document', async () => {
    const { clientOf } = scriptedFetch(new Response(null, { status: 204 }));
    const error = (await answer(clientOf().GET('/api/v1/me')).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.problem.title).toBe('The server sent an empty answer');
  });

  it('types answers by path: a page of vessels', async () => {
    const { clientOf } = scriptedFetch(json(200, vesselPage));
    const page = await answer(clientOf().GET('/api/v1/vessels', { params: { query: { limit: 10 } } }));
    expect(page.items.map((v) => v.name)).toEqual(['Northwind Tern']);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120')).toBe(120);
  });
  it('reads an HTTP date as seconds from now', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30);
  });
  it('ignores a missing or malformed value', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

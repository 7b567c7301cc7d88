import { describe, expect, it, vi } from 'vitest';
import { json, problem, sessionFor, userOf } from '../test/mock-api';
import { ApiError, createApiClient, parseRetryAfter, type SessionEvent } from './client';

/** A fetch that answers from a list, in order, and records what it was asked. */
function scriptedFetch(...responses: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push({ url, init: init ?? {} });
    const next = responses.shift();
    if (next === undefined) throw new Error(`unexpected request to ${url}`);
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  });
  const header = (i: number, name: string) => new Headers(calls[i]?.init.headers).get(name);
  return { fetchFn, calls, header };
}

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
    const { fetchFn } = scriptedFetch(
      new Response(JSON.stringify(body), { status: 422, headers: { 'Content-Type': 'application/problem+json' } }),
    );
    const client = createApiClient({ fetch: fetchFn });

    const error = await client.get('/api/v1/vessels').catch((e: unknown) => e);

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
    const { fetchFn } = scriptedFetch(
      new Response('<html>Bad gateway</html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'Content-Type': 'text/html' },
      }),
    );
    const error = (await createApiClient({ fetch: fetchFn }).get('/api/v1/me').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.problem.title).toBe('Bad Gateway');
    expect(error.code).toBeUndefined();
  });

  it('reports an unreachable server as status 0 with a readable title', async () => {
    const { fetchFn } = scriptedFetch(new TypeError('Failed to fetch'));
    const error = (await createApiClient({ fetch: fetchFn }).get('/api/v1/me').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.problem.title).toBe('Cannot reach the Bosun server');
  });

  it('reads Retry-After into the error', async () => {
    const { fetchFn } = scriptedFetch(
      problem(429, 'too_many_attempts', 'Too many attempts', undefined, { 'Retry-After': '42' }),
    );
    const error = (await createApiClient({ fetch: fetchFn })
      .post('/api/v1/auth/login', { body: {}, auth: false })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('sends JSON with the bearer token, the same-origin cookie policy and the X-Requested-With mark', async () => {
    const { fetchFn, calls, header } = scriptedFetch(json(200, { ok: true }));
    const client = createApiClient({ fetch: fetchFn });
    client.adoptSession(sessionFor(userOf('owner'), 'token-a'));

    await expect(client.post('/api/v1/things', { body: { a: 1 } })).resolves.toEqual({ ok: true });

    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.body).toBe('{"a":1}');
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(header(0, 'Authorization')).toBe('Bearer token-a');
    expect(header(0, 'Content-Type')).toBe('application/json');
    expect(header(0, 'X-Requested-With')).toBe('bosun');
  });

  it('returns undefined for 204 No Content', async () => {
    const { fetchFn } = scriptedFetch(new Response(null, { status: 204 }));
    await expect(createApiClient({ fetch: fetchFn }).post('/api/v1/auth/logout')).resolves.toBeUndefined();
  });

  it('refreshes once on 401 and retries the request with the new token', async () => {
    const { fetchFn, calls, header } = scriptedFetch(
      problem(401, 'unauthorized', 'Unauthorized'),
      json(200, sessionFor(userOf('crew'), 'token-new')),
      json(200, { items: [], next_cursor: null }),
    );
    const client = createApiClient({ fetch: fetchFn });
    client.adoptSession(sessionFor(userOf('crew'), 'token-old'));
    const events: SessionEvent[] = [];
    client.subscribe((e) => events.push(e));

    await expect(client.get('/api/v1/vessels')).resolves.toEqual({ items: [], next_cursor: null });

    expect(calls.map((c) => `${c.init.method ?? ''} ${c.url}`)).toEqual([
      'GET /api/v1/vessels',
      'POST /api/v1/auth/refresh',
      'GET /api/v1/vessels',
    ]);
    expect(header(0, 'Authorization')).toBe('Bearer token-old');
    expect(header(1, 'Authorization')).toBeNull();
    expect(header(1, 'X-Requested-With')).toBe('bosun');
    expect(calls[1]?.init.credentials).toBe('same-origin');
    expect(header(2, 'Authorization')).toBe('Bearer token-new');
    expect(events).toEqual([{ type: 'refreshed', session: sessionFor(userOf('crew'), 'token-new') }]);
  });

  it('gives up after one refresh: the 401 surfaces and the session is reported expired', async () => {
    const { fetchFn, calls } = scriptedFetch(
      problem(401, 'unauthorized', 'Unauthorized', 'Token expired'),
      problem(401, 'invalid_refresh_token', 'Unauthorized'),
    );
    const client = createApiClient({ fetch: fetchFn });
    client.adoptSession(sessionFor(userOf('crew'), 'token-old'));
    const events: SessionEvent[] = [];
    client.subscribe((e) => events.push(e));

    const error = (await client.get('/api/v1/vessels').catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(401);
    expect(error.problem.detail).toBe('Token expired');
    expect(calls).toHaveLength(2);
    expect(events).toEqual([{ type: 'expired' }]);
    expect(client.hasAccessToken()).toBe(false);
  });

  it('does not refresh for requests made without the token', async () => {
    const { fetchFn, calls } = scriptedFetch(problem(401, 'invalid_credentials', 'Wrong credentials'));
    const error = (await createApiClient({ fetch: fetchFn })
      .post('/api/v1/auth/login', { body: {}, auth: false })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('invalid_credentials');
    expect(calls).toHaveLength(1);
  });

  it('does not refresh when a 401 answers the password or code the request carried', async () => {
    for (const code of ['invalid_credentials', 'invalid_mfa_code', 'mfa_required']) {
      const { fetchFn, calls } = scriptedFetch(problem(401, code, 'Unauthorized'));
      const client = createApiClient({ fetch: fetchFn });
      client.adoptSession(sessionFor(userOf('owner'), 'token-a'));
      const events: SessionEvent[] = [];
      client.subscribe((e) => events.push(e));

      const error = (await client
        .put('/api/v1/me/password', { body: { current_password: 'x', new_password: 'y' } })
        .catch((e: unknown) => e)) as ApiError;

      expect(error.code).toBe(code);
      // One attempt, not two: a retry would count against the person's sign-in throttle.
      expect(calls.map((c) => `${c.init.method ?? ''} ${c.url}`)).toEqual(['PUT /api/v1/me/password']);
      expect(events).toEqual([]);
      expect(client.hasAccessToken()).toBe(true);
    }
  });

  it('tells the session when the company wants a second factor set up first', async () => {
    const { fetchFn } = scriptedFetch(problem(403, 'mfa_enrollment_required', 'Second factor required'));
    const client = createApiClient({ fetch: fetchFn });
    const events: SessionEvent[] = [];
    client.subscribe((e) => events.push(e));

    const error = (await client.get('/api/v1/vessels').catch((e: unknown) => e)) as ApiError;

    expect(error.code).toBe('mfa_enrollment_required');
    expect(events).toEqual([{ type: 'mfa-enrollment-required' }]);
  });

  it('sends PUT and DELETE with a body', async () => {
    const { fetchFn, calls } = scriptedFetch(new Response(null, { status: 204 }), json(200, { ok: true }));
    const client = createApiClient({ fetch: fetchFn });
    await expect(client.delete('/api/v1/me/mfa', { body: { password: 'p', code: '123456' } })).resolves.toBeUndefined();
    await expect(client.put('/api/v1/companies/c1/security', { body: { require_mfa: true } })).resolves.toEqual({
      ok: true,
    });
    expect(calls.map((c) => [c.init.method, c.url, c.init.body])).toEqual([
      ['DELETE', '/api/v1/me/mfa', '{"password":"p","code":"123456"}'],
      ['PUT', '/api/v1/companies/c1/security', '{"require_mfa":true}'],
    ]);
  });

  it('shares one refresh request between concurrent callers', async () => {
    const { fetchFn, calls } = scriptedFetch(json(200, sessionFor(userOf('owner'), 'token-b')));
    const client = createApiClient({ fetch: fetchFn });
    const [a, b] = await Promise.all([client.refresh(), client.refresh()]);
    expect(a.access_token).toBe('token-b');
    expect(b).toBe(a);
    expect(calls).toHaveLength(1);
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

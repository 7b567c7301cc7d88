import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { readStoredSession, storeSession } from '../session/stored-session';
import { json, mockApi, northwind, problem, sessionFor, userOf, vessel } from '../test/mock-api';
import { AppProviders } from './providers';
import { routes } from './routes';

function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProviders>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return router;
}

/** What a fetch does when there is no network. */
const unreachable = () => {
  throw new TypeError('Failed to fetch');
};

const vessels = () => json(200, { items: [vessel('Northwind Tern')], next_cursor: null });

/**
 * Lets the event loop turn (not the faked timers) until `condition` holds: for the test whose
 * timers are fake, where the usual `waitFor` would move them on by itself.
 */
async function turnsUntil(condition: () => boolean) {
  for (let turn = 0; turn < 1_000 && !condition(); turn += 1) {
    await act(() => new Promise<void>((resolve) => setImmediate(resolve)));
  }
  expect(condition()).toBe(true);
}

/** The person who signed in on this device before the reload. */
function keepSessionOf(name: string) {
  storeSession({ user: userOf('engineer', name), mfaEnrollmentRequired: false });
}

describe('a reload with no network', () => {
  it('opens signed in from the session kept on the device, marked offline', async () => {
    keepSessionOf('Erin Engineer');
    mockApi({ 'POST /api/v1/auth/refresh': unreachable, 'GET /api/v1/vessels': unreachable });
    const router = renderApp('/vessels');

    const header = await screen.findByRole('banner');
    expect(header).toHaveTextContent('Northwind Offshore');
    expect(header).toHaveTextContent('Erin Engineer');
    expect(within(header).getByRole('status')).toHaveTextContent('Offline');
    expect(document.querySelector<HTMLElement>('.shell')?.style.getPropertyValue('--brand')).toBe('#0a6e5c');
    expect(router.state.location.pathname).toBe('/vessels');
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the Bosun server');
    expect(readStoredSession()?.user.name).toBe('Erin Engineer');
  });

  it('treats a server that answers with a server error like no network', async () => {
    keepSessionOf('Erin Engineer');
    mockApi({
      'POST /api/v1/auth/refresh': () => problem(503, 'unavailable', 'Service unavailable'),
      'GET /api/v1/vessels': () => problem(503, 'unavailable', 'Service unavailable'),
    });
    const router = renderApp('/vessels');
    const header = await screen.findByRole('banner');
    expect(within(header).getByRole('status')).toHaveTextContent('Offline');
    expect(router.state.location.pathname).toBe('/vessels');
  });

  it('refreshes when the browser is back online, and carries on with a token', async () => {
    keepSessionOf('Erin Engineer');
    const api = mockApi({
      'POST /api/v1/auth/refresh': [unreachable, () => json(200, sessionFor(userOf('engineer', 'Erin Engineer'), 'tok-back'))],
      'GET /api/v1/vessels': [unreachable, vessels],
    });
    renderApp('/vessels');
    const header = await screen.findByRole('banner');
    await waitFor(() => {
      expect(within(header).getByRole('status')).toHaveTextContent('Offline');
    });
    await screen.findByRole('alert');

    act(() => {
      window.dispatchEvent(new Event('online'));
    });

    // The read that failed while offline runs again, with the new token.
    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(within(header).queryByRole('status')).not.toBeInTheDocument();
    expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(2);
    expect(api.to('GET /api/v1/vessels').at(-1)?.headers.get('Authorization')).toBe('Bearer tok-back');
  });

  it('refreshes when the page is shown again', async () => {
    keepSessionOf('Erin Engineer');
    mockApi({
      'POST /api/v1/auth/refresh': [unreachable, () => json(200, sessionFor(userOf('engineer', 'Erin Engineer'), 'tok'))],
      'GET /api/v1/vessels': [unreachable, vessels],
    });
    renderApp('/vessels');
    const header = await screen.findByRole('banner');
    await waitFor(() => {
      expect(within(header).getByRole('status')).toHaveTextContent('Offline');
    });

    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });

    await waitFor(() => {
      expect(within(header).queryByRole('status')).not.toBeInTheDocument();
    });
  });

  it('tries again on a timer, waiting longer each time, until the server answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      keepSessionOf('Erin Engineer');
      const api = mockApi({
        'POST /api/v1/auth/refresh': [
          unreachable,
          unreachable,
          () => json(200, sessionFor(userOf('engineer', 'Erin Engineer'), 'tok')),
        ],
        'GET /api/v1/vessels': [unreachable, vessels],
      });
      renderApp('/vessels');
      await turnsUntil(() => screen.queryByRole('banner')?.textContent.includes('Offline') === true);
      expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(1);

      await act(() => vi.advanceTimersByTimeAsync(1_999));
      expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(1);
      await act(() => vi.advanceTimersByTimeAsync(1));
      await turnsUntil(() => api.to('POST /api/v1/auth/refresh').length === 2);

      // The second wait is twice the first.
      await act(() => vi.advanceTimersByTimeAsync(3_999));
      expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(2);
      await act(() => vi.advanceTimersByTimeAsync(1));
      await turnsUntil(() => api.to('POST /api/v1/auth/refresh').length === 3);
      await turnsUntil(() => screen.queryByRole('banner')?.textContent.includes('Offline') === false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('goes to sign in, with nothing to open offline, when no session is kept', async () => {
    mockApi({ 'POST /api/v1/auth/refresh': unreachable, 'GET /api/v1/companies/northwind': unreachable });
    const router = renderApp('/vessels');
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });
});

describe('the kept session', () => {
  it('is forgotten, and the person sent to sign in, when the server refuses the refresh token', async () => {
    keepSessionOf('Erin Engineer');
    mockApi({ 'POST /api/v1/auth/refresh': () => problem(401, 'invalid_refresh_token', 'Unauthorized') });
    const router = renderApp('/vessels');
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(readStoredSession()).toBeNull();
  });

  it('is forgotten when the server refuses the refresh after the link came back', async () => {
    keepSessionOf('Erin Engineer');
    mockApi({
      'POST /api/v1/auth/refresh': [unreachable, () => problem(401, 'invalid_refresh_token', 'Unauthorized')],
      'GET /api/v1/vessels': unreachable,
    });
    const router = renderApp('/vessels');
    await waitFor(() => {
      expect(screen.getByRole('banner')).toHaveTextContent('Offline');
    });

    act(() => {
      window.dispatchEvent(new Event('online'));
    });

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(readStoredSession()).toBeNull();
  });

  it('is kept on each sign-in and refresh, without the token', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok-secret')),
      'GET /api/v1/vessels': vessels,
    });
    renderApp('/vessels');
    await screen.findByRole('listitem', { name: 'Northwind Tern' });
    expect(readStoredSession()?.user.name).toBe('Cato Crew');
    expect(localStorage.getItem('bosun.session')).not.toContain('tok-secret');
  });

  it('is forgotten on sign-out', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok')),
      'GET /api/v1/vessels': vessels,
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
      'GET /api/v1/companies/northwind': () => json(404, {}),
    });
    renderApp('/vessels');
    await screen.findByRole('listitem', { name: 'Northwind Tern' });
    await userEvent.setup().click(within(screen.getByRole('banner')).getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(readStoredSession()).toBeNull();
    expect(localStorage.getItem('bosun.pending-logout')).toBeNull();
  });

  it('is forgotten on a sign-out made offline, which reaches the server on the next load', async () => {
    keepSessionOf('Erin Engineer');
    mockApi({
      'POST /api/v1/auth/refresh': unreachable,
      'GET /api/v1/vessels': unreachable,
      'POST /api/v1/auth/logout': unreachable,
      'GET /api/v1/companies/northwind': unreachable,
    });
    renderApp('/vessels');
    await waitFor(() => {
      expect(screen.getByRole('banner')).toHaveTextContent('Offline');
    });
    await userEvent.setup().click(within(screen.getByRole('banner')).getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(readStoredSession()).toBeNull();
    expect(localStorage.getItem('bosun.pending-logout')).not.toBeNull();

    // The next load, online: the cookie's session is ended first and never restored.
    const api = mockApi({
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('engineer', 'Erin Engineer'))),
      'GET /api/v1/companies/northwind': () => json(404, {}),
    });
    const router = renderApp('/vessels');
    await waitFor(() => {
      expect(localStorage.getItem('bosun.pending-logout')).toBeNull();
    });
    expect(router.state.location.pathname).toBe('/login');
    expect(api.to('POST /api/v1/auth/logout')).toHaveLength(1);
    expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(0);
  });
});

describe('a sign-out made offline', () => {
  it('reaches the server as soon as the browser is back online', async () => {
    keepSessionOf('Erin Engineer');
    const api = mockApi({
      'POST /api/v1/auth/refresh': unreachable,
      'GET /api/v1/vessels': unreachable,
      'POST /api/v1/auth/logout': [unreachable, unreachable, () => new Response(null, { status: 204 })],
      'GET /api/v1/companies/northwind': unreachable,
    });
    renderApp('/vessels');
    await waitFor(() => {
      expect(screen.getByRole('banner')).toHaveTextContent('Offline');
    });
    await userEvent.setup().click(within(screen.getByRole('banner')).getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('button', { name: 'Sign in' });
    await waitFor(() => {
      expect(api.to('POST /api/v1/auth/logout')).toHaveLength(2);
    });
    expect(localStorage.getItem('bosun.pending-logout')).not.toBeNull();

    act(() => {
      window.dispatchEvent(new Event('online'));
    });

    await waitFor(() => {
      expect(localStorage.getItem('bosun.pending-logout')).toBeNull();
    });
    expect(api.to('POST /api/v1/auth/logout')).toHaveLength(3);
  });
});

describe('the offline mark', () => {
  it('shows while the browser has no network, even with a session', async () => {
    let online = true;
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok')),
      'GET /api/v1/vessels': vessels,
    });
    renderApp('/vessels');
    await screen.findByRole('listitem', { name: 'Northwind Tern' });
    const header = screen.getByRole('banner');
    expect(within(header).queryByRole('status')).not.toBeInTheDocument();

    act(() => {
      online = false;
      window.dispatchEvent(new Event('offline'));
    });
    expect(within(header).getByRole('status')).toHaveTextContent('Offline');

    act(() => {
      online = true;
      window.dispatchEvent(new Event('online'));
    });
    expect(within(header).queryByRole('status')).not.toBeInTheDocument();
  });
});

describe('a page open without a session', () => {
  it('keeps loading what it asked for while the refresh on load finds no session', async () => {
    let lookupSent: () => void = () => undefined;
    const lookupSeen = new Promise<void>((resolve) => {
      lookupSent = resolve;
    });
    let refused: () => void = () => undefined;
    const refusedSeen = new Promise<void>((resolve) => {
      refused = resolve;
    });
    mockApi({
      // The refresh is refused while the invitation is being looked up, and the lookup answers
      // once the page has learnt that there is no session.
      'POST /api/v1/auth/refresh': async () => {
        await lookupSeen;
        refused();
        return problem(401, 'unauthorized', 'Unauthorized');
      },
      'POST /api/v1/invitations/lookup': async () => {
        lookupSent();
        await refusedSeen;
        await waitFor(() => {
          expect(screen.queryByText('Opening your invitation…')).toBeInTheDocument();
        });
        for (let turn = 0; turn < 20; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
        return json(200, {
          company: northwind,
          email: 'ivy@example.com',
          name: 'Ivy Invitee',
          role: 'crew',
          expires_at: '2099-01-01T00:00:00Z',
        });
      },
    });
    renderApp('/invite#tok-1');
    expect(await screen.findByRole('heading', { name: 'Join Northwind Offshore on Bosun' })).toBeInTheDocument();
  });
});

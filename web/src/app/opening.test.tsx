import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { QueryClient } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { api as appClient } from '../api/client';
import { createQueryClient } from '../api/query';
import { storeSession } from '../session/stored-session';
import { json, mockApi, northwind, problem, sessionFor, userOf, vessel } from '../test/mock-api';
import { AppProviders } from './providers';
import { preloadOpeningPage, routes } from './routes';

function renderApp(path: string, queryClient?: QueryClient) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProviders {...(queryClient ? { queryClient } : {})}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return router;
}

/** An answer the test gives when it chooses: `request` is the handler, `answer` sends it. */
function heldAnswer() {
  let send: (response: Response) => void = () => undefined;
  const answered = new Promise<Response>((resolve) => {
    send = resolve;
  });
  return {
    request: () => answered,
    answer: (response: Response) => {
      send(response);
    },
  };
}

/** Answers the refresh on load (in flight, shared by every caller) and lets the app take it in. */
async function answerRefresh(refresh: ReturnType<typeof heldAnswer>, response: Response) {
  const settled = appClient.refresh().then(
    () => undefined,
    () => undefined,
  );
  refresh.answer(response);
  await act(() => settled);
}

const vessels = () => json(200, { items: [vessel('Northwind Tern')], next_cursor: null });

const dashboardFigures = {
  at: '2026-03-10T12:00:00Z',
  open_faults: { total: 0, by_severity: { critical: 0, high: 0, medium: 0, low: 0 } },
  ageing: { up_to_1d: 0, from_1d_to_7d: 0, from_7d_to_30d: 0, over_30d: 0 },
  mttr_30d: { faults: 0 },
  mttr_90d: { faults: 0 },
  mtbf_90d: { items: 0, intervals: 0 },
  top_equipment_90d: [],
};

describe('opening the app with no session kept on the device', () => {
  it('shows the sign-in page at once, while the refresh is unanswered', async () => {
    const refresh = heldAnswer();
    mockApi({
      'POST /api/v1/auth/refresh': refresh.request,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
    });
    const router = renderApp('/login?company=northwind');

    expect(await screen.findByRole('heading', { level: 1, name: 'Northwind Offshore' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText('Opening Bosun…')).not.toBeInTheDocument();

    await answerRefresh(refresh, problem(401, 'unauthorized', 'Unauthorized'));
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });

  it('sends a signed-in page to sign in at once, and back there when the cookie still holds a session', async () => {
    const refresh = heldAnswer();
    mockApi({ 'POST /api/v1/auth/refresh': refresh.request, 'GET /api/v1/vessels': vessels });
    const router = renderApp('/vessels');

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');

    refresh.answer(json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok')));
    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/vessels');
  });

  it('keeps a sign-in made while the refresh runs, when the refresh is then refused', async () => {
    const refresh = heldAnswer();
    const api = mockApi({
      'POST /api/v1/auth/refresh': refresh.request,
      'POST /api/v1/auth/login': () => json(200, sessionFor(userOf('owner', 'Olga Owner'), 'tok-login')),
      'GET /api/v1/vessels': vessels,
    });
    const router = renderApp('/vessels');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'owner@northwind.example');
    await user.type(screen.getByLabelText('Password'), 'bosun-demo-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();

    await answerRefresh(refresh, problem(401, 'unauthorized', 'Unauthorized'));
    expect(router.state.location.pathname).toBe('/vessels');
    expect(screen.getByRole('banner')).toHaveTextContent('Olga Owner');
    expect(appClient.accessToken()).toBe('tok-login');
    expect(api.to('GET /api/v1/vessels').at(-1)?.headers.get('Authorization')).toBe('Bearer tok-login');
  });
});

describe('opening the app with a session kept on the device', () => {
  it('waits for the refresh before showing the sign-in page', async () => {
    storeSession({ user: userOf('crew', 'Cato Crew'), mfaEnrollmentRequired: false });
    const refresh = heldAnswer();
    mockApi({ 'POST /api/v1/auth/refresh': refresh.request, 'GET /api/v1/vessels': vessels });
    const router = renderApp('/login');

    expect(await screen.findByText('Opening Bosun…')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in' })).not.toBeInTheDocument();

    refresh.answer(json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok')));
    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/vessels');
  });
});

describe('the opening page fetched beside the refresh', () => {
  it("looks the sign-in page's company up before the refresh answers, into the entry the page reads", async () => {
    const refresh = heldAnswer();
    const api = mockApi({
      'POST /api/v1/auth/refresh': refresh.request,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
    });
    const queryClient = createQueryClient();
    preloadOpeningPage({ pathname: '/login', search: '?company=NorthWind' }, queryClient);
    await waitFor(() => {
      expect(api.to('GET /api/v1/companies/northwind')).toHaveLength(1);
    });

    renderApp('/login?company=NorthWind', queryClient);
    expect(await screen.findByRole('heading', { level: 1, name: 'Northwind Offshore' })).toBeInTheDocument();
    await answerRefresh(refresh, problem(401, 'unauthorized', 'Unauthorized'));
    expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(api.to('GET /api/v1/companies/northwind')).toHaveLength(1);
  });

  it('looks up the last company signed in to when the link names none', async () => {
    localStorage.setItem('bosun.last-company', 'northwind');
    const api = mockApi({ 'GET /api/v1/companies/northwind': () => json(200, northwind) });
    preloadOpeningPage({ pathname: '/login', search: '' }, createQueryClient());
    await waitFor(() => {
      expect(api.to('GET /api/v1/companies/northwind')).toHaveLength(1);
    });
  });

  it("asks for the dashboard's figures as soon as the refresh answers, once each", async () => {
    storeSession({ user: userOf('owner', 'Olga Owner'), mfaEnrollmentRequired: false });
    const refresh = heldAnswer();
    const api = mockApi({
      'POST /api/v1/auth/refresh': refresh.request,
      'GET /api/v1/analytics/dashboard': () => json(200, dashboardFigures),
      'GET /api/v1/analytics/mttr': () => json(200, { from: '2026-01-01', to: '2026-03-10', overall: { faults: 0 }, rows: [] }),
      'GET /api/v1/analytics/costs': () => json(200, { from: '2025-03-11', to: '2026-03-10', rows: [], totals: [] }),
      'GET /api/v1/vessels': vessels,
    });
    const queryClient = createQueryClient();
    preloadOpeningPage({ pathname: '/dashboard', search: '' }, queryClient);
    renderApp('/dashboard', queryClient);
    expect(await screen.findByText('Opening Bosun…')).toBeInTheDocument();
    // Nothing is read without the token the refresh brings.
    expect(api.to('GET /api/v1/analytics/dashboard')).toHaveLength(0);

    await answerRefresh(refresh, json(200, sessionFor(userOf('owner', 'Olga Owner'), 'tok')));
    expect(await screen.findByRole('heading', { name: 'Open faults by severity' })).toBeInTheDocument();
    for (const read of ['dashboard', 'mttr', 'costs']) {
      const requests = api.to(`GET /api/v1/analytics/${read}`);
      expect(requests).toHaveLength(1);
      expect(requests[0]?.headers.get('Authorization')).toBe('Bearer tok');
    }
  });

  it("does not ask for the figures when the refreshed session's role may not read them", async () => {
    storeSession({ user: userOf('crew', 'Cato Crew'), mfaEnrollmentRequired: false });
    const api = mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok')),
      'GET /api/v1/vessels': vessels,
    });
    const queryClient = createQueryClient();
    preloadOpeningPage({ pathname: '/dashboard', search: '' }, queryClient);
    renderApp('/dashboard', queryClient);
    expect(await screen.findByText('Your role does not include the fleet’s figures.')).toBeInTheDocument();
    expect(api.to('GET /api/v1/analytics/dashboard')).toHaveLength(0);
  });
});

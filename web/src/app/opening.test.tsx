import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { api as appClient } from '../api/client';
import { storeSession } from '../session/stored-session';
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

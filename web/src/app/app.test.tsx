import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { SessionProvider } from '../session/session-provider';
import { json, mockApi, northwind, problem, sessionFor, userOf, vessel } from '../test/mock-api';
import { routes } from './routes';

function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

const vessels = () => json(200, { items: [vessel('Northwind Tern')], next_cursor: null });

describe('app', () => {
  it('sends a visitor without a session from / to the sign-in page', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => problem(401, 'unauthorized', 'Unauthorized'),
      'GET /api/v1/companies/northwind': () => json(200, northwind),
    });
    const router = renderApp('/?company=northwind');
    expect(await screen.findByRole('heading', { level: 1, name: 'Northwind Offshore' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toBe('?company=northwind');
  });

  it('restores the session from the refresh cookie and shows the branded vessels page', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('engineer', 'Erin Engineer'), 'tok-r')),
      'GET /api/v1/vessels': vessels,
    });
    const router = renderApp('/');

    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/vessels');
    const header = screen.getByRole('banner');
    expect(header).toHaveTextContent('Northwind Offshore');
    expect(header).toHaveTextContent('Erin Engineer');
    expect(header).toHaveTextContent('Engineer');
    expect(document.querySelector<HTMLElement>('.shell')?.style.getPropertyValue('--brand')).toBe('#0a6e5c');
    expect(api.to('GET /api/v1/vessels')[0]?.headers.get('Authorization')).toBe('Bearer tok-r');
    expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(1);
  });

  it('sends a visitor without a session from /vessels to sign in, and back after signing in', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => problem(401, 'unauthorized', 'Unauthorized'),
      'POST /api/v1/auth/login': () => json(200, sessionFor(userOf('owner', 'Olga Owner'))),
      'GET /api/v1/vessels': vessels,
    });
    const router = renderApp('/vessels');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'owner@northwind.example');
    await user.type(screen.getByLabelText('Password'), 'bosun-demo-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/vessels');
    expect(screen.getByRole('banner')).toHaveTextContent('Olga Owner');
  });

  it('signs out on the server and returns to the sign-in page', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': [
        () => json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok-c')),
        () => problem(401, 'unauthorized', 'Unauthorized'),
      ],
      'GET /api/v1/vessels': vessels,
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
      'GET /api/v1/companies/northwind': () => json(200, northwind),
    });
    const router = renderApp('/vessels');
    const header = await screen.findByRole('banner');
    await waitFor(() => {
      expect(header).toHaveTextContent('Cato Crew');
    });

    await userEvent.setup().click(within(header).getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    const [logout] = api.to('POST /api/v1/auth/logout');
    expect(logout?.headers.get('Authorization')).toBe('Bearer tok-c');
    expect(logout?.headers.get('X-Requested-With')).toBe('bosun');
    expect(logout?.credentials).toBe('same-origin');
  });

  it('returns to sign in when the session runs out and cannot be renewed', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': [
        () => json(200, sessionFor(userOf('crew'), 'tok-old')),
        () => problem(401, 'unauthorized', 'Unauthorized'),
      ],
      'GET /api/v1/vessels': () => problem(401, 'unauthorized', 'Unauthorized'),
    });
    const router = renderApp('/vessels');
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });
});

import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { SessionProvider } from '../../../session/session-provider';
import { json, mockApi, northwind, problem, sessionFor, userOf } from '../../../test/mock-api';
import { LoginPage } from './login-page';
import { renderWithQueries } from '../../../test/render';

const noSession = () => problem(401, 'unauthorized', 'Unauthorized');

function renderLogin(path = '/login?company=northwind') {
  const router = createMemoryRouter(
    [
      { path: '/login', element: <LoginPage /> },
      { path: '/vessels', element: <p>Vessels stub</p> },
      { path: '/account', element: <p>Account stub</p> },
      { path: '/forgot-password', element: <p>Forgot password stub</p> },
    ],
    { initialEntries: [path] },
  );
  renderWithQueries(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

async function signIn(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return user;
}

describe('login page', () => {
  it("shows the company's name, logo and colour from ?company=", async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
    });
    renderLogin();

    expect(await screen.findByRole('heading', { level: 1, name: 'Northwind Offshore' })).toBeInTheDocument();
    const logo = document.querySelector('img.brand-mark__logo');
    expect(logo).toHaveAttribute('src', 'https://cdn.example/northwind.svg');
    const page = document.querySelector<HTMLElement>('.login');
    expect(page?.style.getPropertyValue('--brand')).toBe('#0a6e5c');
    expect(page?.style.getPropertyValue('--brand-contrast')).toBe('#ffffff');
    // Remembered in an effect after the branding shows.
    await waitFor(() => {
      expect(localStorage.getItem('bosun.last-company')).toBe('northwind');
    });
    await waitFor(() => {
      expect(document.title).toBe('Sign in · Northwind Offshore · Bosun');
    });
  });

  it('labels the fields for password managers', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
    });
    renderLogin();
    const email = await screen.findByLabelText('Email');
    expect(email).toHaveAttribute('type', 'email');
    expect(email).toHaveAttribute('autocomplete', 'username');
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAttribute('type', 'password');
    expect(password).toHaveAttribute('autocomplete', 'current-password');
  });

  it('uses the last company remembered on this device when the link names none', async () => {
    localStorage.setItem('bosun.last-company', 'northwind');
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
    });
    renderLogin('/login');
    expect(await screen.findByRole('heading', { level: 1, name: 'Northwind Offshore' })).toBeInTheDocument();
    expect(api.to('GET /api/v1/companies/northwind')).toHaveLength(1);
  });

  it('says so when the company is unknown, and signs in without it', async () => {
    localStorage.setItem('bosun.last-company', 'nosuch');
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/nosuch': () => problem(404, 'not_found', 'Not found'),
      'POST /api/v1/auth/login': () => json(200, sessionFor(userOf('owner'))),
    });
    const router = renderLogin('/login?company=nosuch');

    expect(await screen.findByText(/We don’t know a company called “nosuch”/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Bosun' })).toBeInTheDocument();
    expect(localStorage.getItem('bosun.last-company')).toBeNull();

    await signIn('owner@northwind.example', 'bosun-demo-2026');

    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/vessels');
    });
    expect(api.to('POST /api/v1/auth/login')[0]?.body).toEqual({
      email: 'owner@northwind.example',
      password: 'bosun-demo-2026',
    });
  });

  it('shows a wrong password in an alert', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/login': () => problem(401, 'invalid_credentials', 'Invalid credentials'),
    });
    const router = renderLogin();
    await screen.findByRole('heading', { name: 'Northwind Offshore' });

    await signIn('crew@northwind.example', 'wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is wrong.');
    expect(router.state.location.pathname).toBe('/login');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('tells how long to wait after too many attempts', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/login': () =>
        problem(429, 'too_many_attempts', 'Too many attempts', undefined, { 'Retry-After': '30' }),
    });
    renderLogin();
    await signIn('crew@northwind.example', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 30 s.');
  });

  it('shows title and detail of any other problem', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/login': () => problem(503, 'unavailable', 'Service unavailable', 'Database is starting'),
    });
    renderLogin();
    await signIn('crew@northwind.example', 'secret');
    expect(await screen.findByRole('alert')).toHaveTextContent('Service unavailable — Database is starting');
  });

  it('asks for the company when the email belongs to several', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/auth/login': [
        () => problem(409, 'company_required', 'Company required'),
        () => json(200, sessionFor(userOf('owner'))),
      ],
    });
    const router = renderLogin('/login');
    const user = await signIn('owner@northwind.example', 'bosun-demo-2026');

    expect(await screen.findByRole('alert')).toHaveTextContent('more than one company');
    await user.type(screen.getByLabelText('Company code'), 'Northwind');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/vessels');
    });
    expect(api.to('POST /api/v1/auth/login')[1]?.body).toMatchObject({ company: 'northwind' });
  });

  it('signs in with the company and goes to the vessels', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/login': () => json(200, sessionFor(userOf('engineer'))),
    });
    const router = renderLogin();
    await screen.findByRole('heading', { name: 'Northwind Offshore' });

    await signIn('  engineer@northwind.example ', 'bosun-demo-2026');

    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/vessels');
    });
    const [login] = api.to('POST /api/v1/auth/login');
    expect(login?.body).toEqual({
      email: 'engineer@northwind.example',
      password: 'bosun-demo-2026',
      company: 'northwind',
    });
    expect(localStorage.getItem('bosun.last-company')).toBe('northwind');
    // The access token is kept in memory only; the device keeps who signed in, for offline use.
    expect(Object.keys(localStorage).sort()).toEqual(['bosun.last-company', 'bosun.session']);
    const stored = Object.keys(localStorage).map((key) => localStorage.getItem(key)).join('\n');
    expect(stored).toContain('Erin Engineer');
    expect(stored).not.toContain('access-1');
    expect(stored).not.toContain('bosun-demo-2026');
  });

  it('asks for the second-factor code after the password, and sends it with the same credentials', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/login': [
        () => problem(401, 'mfa_required', 'Second factor required'),
        () => problem(401, 'invalid_mfa_code', 'Wrong code'),
        () => json(200, sessionFor(userOf('admin'))),
      ],
    });
    const router = renderLogin();
    await screen.findByRole('heading', { name: 'Northwind Offshore' });
    const user = await signIn('admin@northwind.example', 'bosun-demo-2026');

    const code = await screen.findByLabelText('Code from your authenticator app');
    expect(code).toHaveAttribute('autocomplete', 'one-time-code');
    expect(code).toHaveAttribute('inputmode', 'numeric');
    expect(screen.getByRole('heading', { name: 'Second factor' })).toBeInTheDocument();
    // The password step is gone from the page; what was typed is kept in memory only.
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await user.type(code, '123 456');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That code is wrong or was already used');

    await user.click(screen.getByRole('button', { name: 'Lost your phone? Use a recovery code' }));
    await user.type(screen.getByLabelText('Recovery code'), 'abcde-fghjk');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/vessels');
    });
    const logins = api.to('POST /api/v1/auth/login');
    expect(logins.map((r) => r.body)).toEqual([
      { email: 'admin@northwind.example', password: 'bosun-demo-2026', company: 'northwind' },
      { email: 'admin@northwind.example', password: 'bosun-demo-2026', company: 'northwind', mfa_code: '123456' },
      { email: 'admin@northwind.example', password: 'bosun-demo-2026', company: 'northwind', mfa_code: 'abcde-fghjk' },
    ]);
    // Neither the password nor a code nor the token is kept on the device.
    expect(Object.keys(localStorage).sort()).toEqual(['bosun.last-company', 'bosun.session']);
    const stored = Object.keys(localStorage).map((key) => localStorage.getItem(key)).join('\n');
    for (const secret of ['bosun-demo-2026', '123456', 'abcde-fghjk', 'access-1']) {
      expect(stored).not.toContain(secret);
    }
  });

  it('goes back to the password step on "Use another account", forgetting the password', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/login': () => problem(401, 'mfa_required', 'Second factor required'),
    });
    renderLogin();
    const user = await signIn('admin@northwind.example', 'bosun-demo-2026');
    await screen.findByLabelText('Code from your authenticator app');

    await user.click(screen.getByRole('button', { name: 'Use another account' }));

    expect(screen.getByLabelText('Email')).toHaveValue('admin@northwind.example');
    expect(screen.getByLabelText('Password')).toHaveValue('');
  });

  it('sends a person whose company requires a second factor they lack to set one up', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/login': () => json(200, sessionFor(userOf('admin'), 'tok', true)),
    });
    const router = renderLogin();
    await signIn('admin@northwind.example', 'bosun-demo-2026');
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/account');
    });
  });

  it('links to the forgotten-password page, keeping the company', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
    });
    renderLogin();
    const link = await screen.findByRole('link', { name: 'Forgot your password?' });
    expect(link).toHaveAttribute('href', '/forgot-password?company=northwind');
  });
});

import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { SessionProvider } from '../../../session/session-provider';
import { json, mockApi, northwind, problem, sessionFor, userOf } from '../../../test/mock-api';
import { LoginPage } from './login-page';

const noSession = () => problem(401, 'unauthorized', 'Unauthorized');

function renderLogin(path = '/login?company=northwind') {
  const router = createMemoryRouter(
    [
      { path: '/login', element: <LoginPage /> },
      { path: '/vessels', element: <p>Vessels stub</p> },
    ],
    { initialEntries: [path] },
  );
  render(
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
    // The access token is kept in memory only.
    const stored = Array.from({ length: localStorage.length }, (_, i) => {
      const key = localStorage.key(i) ?? '';
      return `${key}=${localStorage.getItem(key) ?? ''}`;
    });
    expect(stored).toEqual(['bosun.last-company=northwind']);
  });
});

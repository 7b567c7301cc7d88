import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Role } from '../api/types';
import { storeSession } from '../session/stored-session';
import { AppProviders } from './providers';
import {
  equipmentDetail,
  equipmentItem,
  json,
  mockApi,
  northwind,
  problem,
  sessionFor,
  userOf,
  vessel,
} from '../test/mock-api';
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

  it('opens the fleet dashboard at / for a role that reads analytics', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('owner', 'Olga Owner'), 'tok')),
      'GET /api/v1/analytics/dashboard': () =>
        json(200, {
          at: '2026-03-10T12:00:00Z',
          open_faults: { total: 0, by_severity: { critical: 0, high: 0, medium: 0, low: 0 } },
          ageing: { up_to_1d: 0, from_1d_to_7d: 0, from_7d_to_30d: 0, over_30d: 0 },
          mttr_30d: { faults: 0 },
          mttr_90d: { faults: 0 },
          mtbf_90d: { items: 0, intervals: 0 },
          top_equipment_90d: [],
        }),
      'GET /api/v1/analytics/mttr': () =>
        json(200, { from: '2026-01-01', to: '2026-03-10', overall: { faults: 0 }, rows: [] }),
      'GET /api/v1/analytics/costs': () => json(200, { from: '2025-03-11', to: '2026-03-10', rows: [], totals: [] }),
      'GET /api/v1/vessels': vessels,
    });
    const router = renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/dashboard');
    expect(await screen.findByRole('heading', { name: 'Open faults by severity' })).toBeInTheDocument();
  });

  it('restores the session from the refresh cookie and shows the branded vessels page', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('crew', 'Erin Engineer'), 'tok-r')),
      'GET /api/v1/vessels': vessels,
    });
    const router = renderApp('/');

    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/vessels');
    const header = screen.getByRole('banner');
    expect(header).toHaveTextContent('Northwind Offshore');
    expect(header).toHaveTextContent('Erin Engineer');
    expect(header).toHaveTextContent('Crew');
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
    // No session is kept on the device: the sign-in page (with a header of its own) shows
    // until the refresh brings the session back.
    const header = await waitFor(() => {
      const banner = screen.getByRole('banner');
      expect(banner).toHaveTextContent('Cato Crew');
      return banner;
    });

    await userEvent.setup().click(within(header).getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    const [logout] = api.to('POST /api/v1/auth/logout');
    expect(logout?.headers.get('Authorization')).toBe('Bearer tok-c');
    expect(logout?.headers.get('X-Requested-With')).toBe('bosun');
    expect(logout?.credentials).toBe('same-origin');
  });

  it('folds who is signed in and sign-out into an account menu (shown on phones), closed by Escape and by going to a page', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok-c')),
      'GET /api/v1/vessels': vessels,
      'GET /api/v1/users/me/sessions': () => json(200, { items: [] }),
    });
    const router = renderApp('/vessels');
    const user = userEvent.setup();
    // The sign-in page (with a header of its own) shows until the refresh brings the session.
    const menu = await screen.findByRole('button', { name: 'Account' });
    const header = screen.getByRole('banner');
    const account = document.getElementById(menu.getAttribute('aria-controls') ?? '');
    // The button and what it controls; styles.css shows the one and hides the other up to 480 px.
    expect(account).toContainElement(within(header).getByRole('button', { name: 'Sign out' }));
    expect(account).toHaveTextContent('Cato Crew');
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(account).not.toHaveAttribute('data-open');

    await user.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    expect(account).toHaveAttribute('data-open', 'true');
    within(header).getByRole('button', { name: 'Sign out' }).focus();
    await user.keyboard('{Escape}');
    expect(account).not.toHaveAttribute('data-open');
    expect(menu).toHaveFocus();

    await user.click(menu);
    await user.click(within(header).getByRole('link', { name: 'Your account' }));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/account');
      expect(menu).toHaveAttribute('aria-expanded', 'false');
    });
  });

  it('returns to sign in when the session runs out and cannot be renewed', async () => {
    // Signed in on this device before: the app waits for the refresh instead of showing sign-in.
    storeSession({ user: userOf('crew'), mfaEnrollmentRequired: false });
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

  it('opens the page of a scanned label after signing in, when the scan finds no session', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': () => problem(401, 'unauthorized', 'Unauthorized'),
      'POST /api/v1/auth/login': () => json(200, sessionFor(userOf('engineer', 'Erin Engineer'), 'tok-e')),
      'GET /api/v1/equipment/by-qr/ABCDEFGHJK': () => json(200, equipmentItem('Main engine 1')),
      'GET /api/v1/equipment/eq-main-engine-1': () => json(200, equipmentDetail('Main engine 1')),
    });
    const router = renderApp('/q/ABCDEFGHJK');

    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'engineer@northwind.example');
    expect(router.state.location.pathname).toBe('/login');
    expect(api.to('GET /api/v1/equipment/by-qr/ABCDEFGHJK')).toHaveLength(0);
    await user.type(screen.getByLabelText('Password'), 'bosun-demo-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Main engine 1' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/equipment/eq-main-engine-1');
    expect(screen.getByRole('banner')).toHaveTextContent('Erin Engineer');
    const [lookup] = api.to('GET /api/v1/equipment/by-qr/ABCDEFGHJK');
    expect(lookup?.headers.get('Authorization')).toBe('Bearer tok-e');
  });

  it('goes from a vessel to its equipment list and on to an item', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('engineer'), 'tok-r')),
      'GET /api/v1/vessels': vessels,
      'GET /api/v1/vessels/id-northwind-tern': () => json(200, { ...vessel('Northwind Tern'), departments: [] }),
      'GET /api/v1/equipment/by-vessel/id-northwind-tern': () =>
        json(200, { view: 'flat', items: [equipmentItem('Bilge pump')], next_cursor: null }),
      'GET /api/v1/equipment/eq-bilge-pump': () => json(200, equipmentDetail('Bilge pump')),
    });
    const router = renderApp('/vessels');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('link', { name: 'Equipment of Northwind Tern' }));
    await user.click(await screen.findByRole('link', { name: 'Bilge pump' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Bilge pump' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/equipment/eq-bilge-pump');
  });

  it('shows People in the navigation to owners, admins and managers only', async () => {
    for (const [role, shown] of [
      ['owner', true],
      ['admin', true],
      ['manager', true],
      ['engineer', false],
      ['crew', false],
      ['viewer', false],
    ] as const) {
      mockApi({
        'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf(role), 'tok')),
        'GET /api/v1/vessels': vessels,
      });
      const router = renderApp('/vessels');
      const nav = await screen.findByRole('navigation', { name: 'Main' });
      expect(within(nav).getByRole('link', { name: 'Vessels' })).toHaveAttribute('href', '/vessels');
      expect(within(nav).getByRole('link', { name: 'Your account' })).toHaveAttribute('href', '/account');
      expect(within(nav).queryByRole('link', { name: 'People' }) !== null).toBe(shown);
      expect(router.state.location.pathname).toBe('/vessels');
      cleanup();
    }
  });

  it('shows each screen in the navigation only to the roles that may use it', async () => {
    // What every role finds on the device: the vessels, their work, assignments and maintenance, faults, stock, purchasing, handovers and conflicts.
    // Everyone who may operate equipment has a dashboard (the assignments waiting for their answer).
    const EVERYONE = ['Vessels', 'Work', 'Assignments', 'Maintenance', 'Scan', 'Faults', 'Stock', 'Purchasing', 'Handover', 'Conflicts'];
    const expected: Record<Role, string[]> = {
      owner: ['Dashboard', ...EVERYONE, 'Fleet', 'People', 'Company', 'Audit log', 'Your account'],
      admin: ['Dashboard', ...EVERYONE, 'Fleet', 'People', 'Company', 'Audit log', 'Your account'],
      manager: ['Dashboard', ...EVERYONE, 'Fleet', 'People', 'Your account'],
      engineer: ['Dashboard', ...EVERYONE, 'Your account'],
      crew: ['Dashboard', ...EVERYONE, 'Your account'],
      viewer: [...EVERYONE, 'Your account'],
    };
    for (const [role, links] of Object.entries(expected) as [Role, string[]][]) {
      mockApi({
        'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf(role), 'tok')),
        'GET /api/v1/vessels': vessels,
      });
      renderApp('/vessels');
      const nav = await screen.findByRole('navigation', { name: 'Main' });
      expect(within(nav).getAllByRole('link').map((link) => link.textContent), role).toEqual(links);
      cleanup();
    }
  });

  it('offers the CSV import on a vessel’s equipment to roles that write equipment only', async () => {
    for (const [role, offered] of [
      ['engineer', true],
      ['crew', false],
    ] as const) {
      mockApi({
        'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf(role), 'tok')),
        'GET /api/v1/vessels/id-northwind-tern': () => json(200, { ...vessel('Northwind Tern'), departments: [] }),
        'GET /api/v1/equipment/by-vessel/id-northwind-tern': () =>
          json(200, { view: 'flat', items: [equipmentItem('Bilge pump')], next_cursor: null }),
      });
      renderApp('/vessels/id-northwind-tern/equipment');
      await screen.findByRole('link', { name: 'Bilge pump' });
      const link = screen.queryByRole('link', { name: 'Import equipment from a CSV file' });
      expect(link !== null, role).toBe(offered);
      if (link) expect(link).toHaveAttribute('href', '/vessels/id-northwind-tern/import');
      cleanup();
    }
  });

  it('keeps a person whose company requires a second factor on their account until they set one up', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('admin', 'Lars Eide'), 'tok', true)),
      'GET /api/v1/me/mfa': () => json(200, { enabled: false, pending: false, recovery_codes_left: 0, required: true }),
      'GET /api/v1/me/sessions': () => json(200, { items: [] }),
      'POST /api/v1/me/mfa/totp': () => json(200, { secret: 'JBSWY3DPEHPK3PXP', otpauth_url: 'otpauth://totp/Bosun:x?secret=JBSWY3DPEHPK3PXP' }),
      'POST /api/v1/me/mfa/totp/confirm': () => json(200, { recovery_codes: ['AAAAA-BBBBB'] }),
      'GET /api/v1/vessels': vessels,
    });
    const router = renderApp('/vessels');

    expect(await screen.findByRole('heading', { level: 1, name: 'Your account' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/account');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Vessels' })).not.toBeInTheDocument();
    expect(screen.getByText(/requires a second factor of owners and admins/)).toBeInTheDocument();

    await act(() => router.navigate('/people'));
    expect(router.state.location.pathname).toBe('/account');

    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Set up a second factor' }));
    await user.type(await screen.findByLabelText('Code from your authenticator app'), '123456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    await user.click(await screen.findByLabelText('I have saved these codes somewhere safe'));
    await user.click(screen.getByRole('button', { name: 'Done' }));

    // The shell was drawn anew after the redirect: look the navigation up again.
    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Vessels' }));
    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/vessels');
  });

  it('sends the person to their account when the server asks for a second factor first', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('owner'), 'tok')),
      'GET /api/v1/vessels': () => problem(403, 'mfa_enrollment_required', 'Second factor required'),
      'GET /api/v1/me/mfa': () => json(200, { enabled: false, pending: false, recovery_codes_left: 0, required: true }),
      'GET /api/v1/me/sessions': () => json(200, { items: [] }),
    });
    const router = renderApp('/vessels');
    expect(await screen.findByRole('heading', { level: 1, name: 'Your account' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/account');
  });

  it('starts afresh after signing out: the next sign-in goes to the vessels, not back', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('owner', 'Olga Owner'), 'tok')),
      'GET /api/v1/me/mfa': () => json(200, { enabled: false, pending: false, recovery_codes_left: 0, required: false }),
      'GET /api/v1/me/sessions': () => json(200, { items: [] }),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/login': () => json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok-c')),
      'GET /api/v1/vessels': vessels,
    });
    const router = renderApp('/account');
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
    await user.click(within(screen.getByRole('banner')).getByRole('button', { name: 'Sign out' }));

    await user.type(await screen.findByLabelText('Email'), 'crew@northwind.example');
    await user.type(screen.getByLabelText('Password'), 'bosun-demo-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/vessels');
  });
});

import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { RequireSession } from '../../../app/require-session';
import type { Role } from '../../../api/types';
import { SessionProvider } from '../../../session/session-provider';
import { invalid, json, mockApi, northwindOwn, problem, sessionFor, userOf } from '../../../test/mock-api';
import { renderWithQueries } from '../../../test/render';
import { signInRoute } from '../../../test/sign-in-route';
import { CompanyPage } from './company-page';

const BRANDING = `PUT /api/v1/companies/${northwindOwn.id}/branding`;
const SECURITY = `PUT /api/v1/companies/${northwindOwn.id}/security`;

function renderCompany() {
  const router = createMemoryRouter(
    [
      signInRoute,
      { path: '/company', element: <RequireSession><CompanyPage /></RequireSession> },
      { path: '/account', element: <p>Account stub</p> },
    ],
    { initialEntries: ['/company'] },
  );
  renderWithQueries(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
}

const refreshAs = (role: Role) => () => json(200, sessionFor(userOf(role, 'Olga Owner'), 'tok'));

describe('company page', () => {
  it('previews a new colour live, saves it and shows it applied', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('owner'),
      [BRANDING]: () =>
        json(200, {
          ...northwindOwn,
          branding: { display_name: 'Northwind', logo_url: null, primary_color: '#ffd500' },
        }),
    });
    renderCompany();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Branding' });
    expect(within(form).getByLabelText('Display name')).toHaveValue('Northwind Offshore');
    const colour = within(form).getByLabelText('Colour');
    expect(colour).toHaveValue('#0a6e5c');

    await user.clear(colour);
    await user.type(colour, '#FFD500');
    const preview = screen.getByRole('group', { name: 'Preview' });
    expect(preview.querySelector<HTMLElement>('.branding-preview__header')?.style.getPropertyValue('--brand')).toBe('#ffd500');
    expect(preview).toHaveTextContent('Text on #ffd500 is black.');

    await user.clear(within(form).getByLabelText('Display name'));
    await user.type(within(form).getByLabelText('Display name'), 'Northwind');
    await user.clear(within(form).getByLabelText('Logo address'));
    await user.click(within(form).getByRole('button', { name: 'Save branding' }));

    expect(await screen.findByText('Branding saved. Everyone sees it from their next page.')).toBeInTheDocument();
    expect(api.to(BRANDING).map((r) => r.body)).toEqual([
      { display_name: 'Northwind', logo_url: null, primary_color: '#FFD500' },
    ]);
  });

  it('checks the fields as the server does before sending anything', async () => {
    const api = mockApi({ 'POST /api/v1/auth/refresh': refreshAs('admin') });
    renderCompany();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Branding' });
    await user.clear(within(form).getByLabelText('Display name'));
    await user.clear(within(form).getByLabelText('Logo address'));
    await user.type(within(form).getByLabelText('Logo address'), 'http://example.com/logo.svg');
    await user.clear(within(form).getByLabelText('Colour'));
    await user.type(within(form).getByLabelText('Colour'), 'teal');
    await user.click(within(form).getByRole('button', { name: 'Save branding' }));

    expect(await within(form).findByText('Enter the name people see')).toBeInTheDocument();
    expect(within(form).getByText('An https:// address or a path starting with /')).toBeInTheDocument();
    expect(within(form).getByText('A colour like #0b4f6c')).toBeInTheDocument();
    expect(within(form).getByLabelText('Colour')).toHaveAttribute('aria-invalid', 'true');
    expect(api.to(BRANDING)).toHaveLength(0);
  });

  it('puts the server’s 422 on the fields it names', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': refreshAs('owner'),
      [BRANDING]: () =>
        invalid([
          { field: 'logo_url', code: 'invalid_url', message: 'must be an https:// address or a path starting with /' },
          { field: 'plan', code: 'odd', message: 'is not yours to change' },
        ]),
    });
    renderCompany();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Branding' });
    await user.click(within(form).getByRole('button', { name: 'Save branding' }));

    const logo = within(form).getByLabelText('Logo address');
    await waitFor(() => {
      expect(logo).toHaveAttribute('aria-invalid', 'true');
    });
    expect(logo).toHaveAccessibleDescription(/Must be an https:\/\/ address or a path starting with \//);
    // What no field shows stays in the alert.
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('plan: is not yours to change');
    expect(alert).not.toHaveTextContent('logo_url');
  });

  it('requires a second factor of owners and admins, once the caller has one', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('owner'),
      [SECURITY]: [
        () => problem(409, 'mfa_not_enabled', 'Conflict'),
        () => json(200, { ...northwindOwn, require_mfa: true }),
      ],
    });
    renderCompany();
    const user = userEvent.setup();
    const toggle = await screen.findByLabelText('Require a second factor of owners and admins');
    expect(toggle).not.toBeChecked();

    await user.click(toggle);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Set up your own second factor first');
    expect(within(alert).getByRole('link', { name: 'go to your account' })).toHaveAttribute('href', '/account');
    expect(toggle).not.toBeChecked();

    await user.click(toggle);
    expect(await screen.findByText('Owners and admins now need a second factor.')).toBeInTheDocument();
    expect(toggle).toBeChecked();
    expect(api.to(SECURITY).map((r) => r.body)).toEqual([{ require_mfa: true }, { require_mfa: true }]);
  });

  it('shows managers and below nothing to change', async () => {
    for (const role of ['manager', 'engineer'] as const) {
      mockApi({ 'POST /api/v1/auth/refresh': refreshAs(role) });
      renderCompany();
      expect(await screen.findByText('Only owners and admins change the company’s settings.')).toBeInTheDocument();
      expect(screen.queryByRole('form', { name: 'Branding' })).not.toBeInTheDocument();
      cleanup();
    }
  });

  it('says it needs the link while offline', async () => {
    mockApi({ 'POST /api/v1/auth/refresh': refreshAs('owner') });
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      renderCompany();
      expect(await screen.findByText(/Changing the company’s settings needs a connection/)).toBeInTheDocument();
    } finally {
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
    }
  });
});

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
const PURCHASING = `PUT /api/v1/companies/${northwindOwn.id}/purchasing`;

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
/** As the server answers those who read supplier prices: with the parts markup. */
const refreshWithMarkupAs = (role: Role) => () =>
  json(200, sessionFor(userOf(role, 'Olga Owner', { parts_markup_percent: 20 }), 'tok'));

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

  it('shows owners the purchasing settings and saves them', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshWithMarkupAs('owner'),
      [PURCHASING]: () => json(200, { ...northwindOwn, parts_markup_percent: 12.5, negative_stock: 'allow' }),
    });
    renderCompany();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Purchasing' });
    const markup = within(form).getByLabelText('Markup on parts (%)');
    expect(markup).toHaveValue('20');
    expect(markup).toHaveAccessibleDescription(/New prices use the new markup; what was priced keeps its own\./);
    const refuse = within(form).getByRole('radio', { name: 'Refuse' });
    const allow = within(form).getByRole('radio', { name: 'Allow' });
    expect(refuse).toBeChecked();
    expect(refuse).toHaveAccessibleDescription('A movement that would leave less than nothing is refused.');
    expect(allow).toHaveAccessibleDescription('Recorded; the stock shows negative until a count sets it right.');

    await user.clear(markup);
    await user.type(markup, '12.5');
    await user.click(allow);
    await user.click(within(form).getByRole('button', { name: 'Save purchasing' }));

    expect(await within(form).findByText('Purchasing settings saved.')).toBeInTheDocument();
    expect(api.to(PURCHASING).map((r) => r.body)).toEqual([{ parts_markup_percent: 12.5, negative_stock: 'allow' }]);
    expect(allow).toBeChecked();
  });

  it('refuses a markup with three decimals before sending anything', async () => {
    const api = mockApi({ 'POST /api/v1/auth/refresh': refreshWithMarkupAs('admin') });
    renderCompany();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Purchasing' });
    const markup = within(form).getByLabelText('Markup on parts (%)');
    await user.clear(markup);
    await user.type(markup, '12.345');
    await user.click(within(form).getByRole('button', { name: 'Save purchasing' }));

    expect(await within(form).findByText('At most two decimals')).toBeInTheDocument();
    expect(markup).toHaveAttribute('aria-invalid', 'true');
    expect(api.to(PURCHASING)).toHaveLength(0);
  });

  it('shows the server’s problem with the purchasing settings', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': refreshWithMarkupAs('owner'),
      [PURCHASING]: () =>
        invalid([{ field: 'parts_markup_percent', code: 'out_of_range', message: 'must be 0 to 1000 with at most two decimals' }]),
    });
    renderCompany();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Purchasing' });
    await user.click(within(form).getByRole('button', { name: 'Save purchasing' }));

    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent('Markup on parts: must be 0 to 1000 with at most two decimals');
    expect(within(form).queryByText('Purchasing settings saved.')).not.toBeInTheDocument();
  });

  it('shows managers and below nothing to change', async () => {
    for (const role of ['manager', 'engineer'] as const) {
      // A manager reads supplier prices, so the markup comes with their company; still not theirs to change.
      mockApi({ 'POST /api/v1/auth/refresh': role === 'manager' ? refreshWithMarkupAs(role) : refreshAs(role) });
      renderCompany();
      expect(await screen.findByText('Only owners and admins change the company’s settings.')).toBeInTheDocument();
      expect(screen.queryByRole('form', { name: 'Branding' })).not.toBeInTheDocument();
      expect(screen.queryByRole('heading', { name: 'Purchasing' })).not.toBeInTheDocument();
      expect(screen.queryByLabelText('Markup on parts (%)')).not.toBeInTheDocument();
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

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { RequireSession } from '../../../app/require-session';
import type { ApiKeyView, InvitationView, MemberView, Role } from '../../../api/types';
import { SessionProvider } from '../../../session/session-provider';
import type {
  northwindOwn} from '../../../test/mock-api';
import {
  invalid,
  json,
  mockApi,
  noContent,
  problem,
  sessionFor,
  userOf,
  vessel,
} from '../../../test/mock-api';
import { PeoplePage } from './people-page';
import { renderWithQueries } from '../../../test/render';
import { signInRoute } from '../../../test/sign-in-route';

function member(name: string, role: Role, overrides: Partial<MemberView> = {}): MemberView {
  return {
    id: `u-${name.toLowerCase().replace(/\s+/g, '-')}`,
    email: `${name.toLowerCase().replace(/\s+/g, '.')}@northwind.example`,
    name,
    role,
    specialisation: null,
    active: true,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
    ...overrides,
  };
}

function invitation(name: string, role: Role, overrides: Partial<InvitationView> = {}): InvitationView {
  return {
    id: `i-${name.toLowerCase().replace(/\s+/g, '-')}`,
    email: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`,
    name,
    role,
    specialisation: null,
    status: 'pending',
    created_at: '2026-03-01T10:00:00Z',
    expires_at: '2099-03-15T10:00:00Z',
    ...overrides,
  };
}

function apiKey(name: string, overrides: Partial<ApiKeyView> = {}): ApiKeyView {
  return {
    id: `k-${name.toLowerCase().replace(/\s+/g, '-')}`,
    name,
    role: 'viewer',
    vessel_ids: [],
    created_at: '2026-03-01T10:00:00Z',
    expires_at: '2099-06-01T10:00:00Z',
    last_used_at: null,
    revoked_at: null,
    ...overrides,
  };
}

const people = [member('Maria Costa', 'manager'), member('Olga Owner', 'owner'), member('Aroha Ngata', 'crew', { specialisation: 'deck' })];
const page = (items: unknown[]) => json(200, { items, next_cursor: null });

function renderPeople() {
  const router = createMemoryRouter(
    [
      signInRoute,
      {
        path: '/people',
        element: (
          <RequireSession>
            <PeoplePage />
          </RequireSession>
        ),
      },
      { path: '/account', element: <p>Account stub</p> },
    ],
    { initialEntries: ['/people'] },
  );
  renderWithQueries(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

const listHandlers = {
  'GET /api/v1/users': () => page(people),
  'GET /api/v1/invitations': () => page([invitation('Ina Invited', 'engineer')]),
  'GET /api/v1/api-keys': () => json(200, { items: [] }),
  'GET /api/v1/vessels': () => page([vessel('Northwind Atlas'), vessel('Northwind Tern')]),
};

const refreshAs = (role: Role, company: Partial<typeof northwindOwn> = {}) => () =>
  json(200, sessionFor(userOf(role, 'Lars Eide', company), 'tok'));

describe('people page', () => {
  it('lists the people, most powerful roles first, and the open invitations', async () => {
    mockApi({ 'POST /api/v1/auth/refresh': refreshAs('admin'), ...listHandlers });
    renderPeople();

    const list = await screen.findByRole('list', { name: 'People' });
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual([
      'Olga Owner',
      'Maria Costa',
      'Aroha Ngata',
    ]);
    expect(within(list).getByRole('listitem', { name: 'Aroha Ngata' })).toHaveTextContent('Crew · Deck');
    const invitations = await screen.findByRole('list', { name: 'Open invitations' });
    expect(within(invitations).getByRole('listitem', { name: 'Ina Invited' })).toHaveTextContent('Engineer');
  });

  it('invites a person and shows the link once, with a copy button, saying it was not e-mailed', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('admin'),
      ...listHandlers,
      'GET /api/v1/invitations': [
        () => page([]),
        () => page([invitation('Nina Newcomer', 'crew')]),
      ],
      'POST /api/v1/invitations': () =>
        json(201, {
          invitation: invitation('Nina Newcomer', 'crew', { email: 'nina@example.com' }),
          accept_url: 'https://bosun.example/invite#tok-nina',
          emailed: false,
        }),
    });
    renderPeople();
    const user = userEvent.setup();
    await screen.findByText('No open invitations.');
    const form = screen.getByRole('form', { name: 'Invite someone' });
    // Only owners invite owners.
    expect(within(within(form).getByLabelText('Role')).queryByRole('option', { name: 'Owner' })).not.toBeInTheDocument();
    await user.type(within(form).getByLabelText('Email'), ' nina@example.com ');
    await user.type(within(form).getByLabelText('Name'), 'Nina Newcomer');
    await user.selectOptions(within(form).getByLabelText('Role'), 'crew');
    await user.selectOptions(within(form).getByLabelText('Trade (optional)'), 'deck');
    await user.click(within(form).getByRole('button', { name: 'Invite' }));

    const link = await screen.findByLabelText('Invitation link');
    expect(link).toHaveValue('https://bosun.example/invite#tok-nina');
    expect(screen.getByText(/The link was not e-mailed/)).toBeInTheDocument();
    expect(api.to('POST /api/v1/invitations')[0]?.body).toEqual({
      email: 'nina@example.com',
      name: 'Nina Newcomer',
      role: 'crew',
      specialisation: 'deck',
    });
    await user.click(screen.getByRole('button', { name: 'Copy invitation link' }));
    expect(await screen.findByText('Copied.')).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe('https://bosun.example/invite#tok-nina');
    // The new invitation shows in the list.
    expect(await screen.findByRole('listitem', { name: 'Nina Newcomer' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Invite someone else' }));
    expect(screen.queryByLabelText('Invitation link')).not.toBeInTheDocument();
  });

  it('says when the invitation was e-mailed, and when the person is already in the company', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': refreshAs('owner'),
      ...listHandlers,
      'POST /api/v1/invitations': [
        () => problem(409, 'already_member', 'Conflict'),
        () => invalid([{ field: 'email', code: 'invalid', message: 'is not an email address' }]),
        () =>
          json(201, {
            invitation: invitation('Otto Owner', 'owner'),
            accept_url: 'https://bosun.example/invite#tok-otto',
            emailed: true,
          }),
      ],
    });
    renderPeople();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Invite someone' });
    await user.type(within(form).getByLabelText('Email'), 'maria.costa@northwind.example');
    await user.type(within(form).getByLabelText('Name'), 'Maria');
    await user.click(within(form).getByRole('button', { name: 'Invite' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('maria.costa@northwind.example is already in the company.');

    await user.click(within(form).getByRole('button', { name: 'Invite' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Email: is not an email address');

    // Owners may invite owners.
    await user.selectOptions(within(form).getByLabelText('Role'), 'owner');
    await user.click(within(form).getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText(/We e-mailed the link to/)).toBeInTheDocument();
  });

  it('withdraws an invitation, and lets admins leave owners’ invitations to owners', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('admin'),
      ...listHandlers,
      'GET /api/v1/invitations': [
        () => page([invitation('Ina Invited', 'engineer'), invitation('Oscar Owner', 'owner')]),
        () => page([invitation('Oscar Owner', 'owner')]),
      ],
      'DELETE /api/v1/invitations/i-ina-invited': noContent,
    });
    renderPeople();
    const user = userEvent.setup();
    const ina = await screen.findByRole('listitem', { name: 'Ina Invited' });
    expect(within(screen.getByRole('listitem', { name: 'Oscar Owner' })).queryByRole('button')).not.toBeInTheDocument();

    await user.click(within(ina).getByRole('button', { name: 'Withdraw the invitation of Ina Invited' }));

    await waitFor(() => {
      expect(screen.queryByRole('listitem', { name: 'Ina Invited' })).not.toBeInTheDocument();
    });
    expect(api.to('DELETE /api/v1/invitations/i-ina-invited')).toHaveLength(1);
  });

  it('shows managers the people and invitations only, with nothing they cannot do', async () => {
    const api = mockApi({ 'POST /api/v1/auth/refresh': refreshAs('manager'), ...listHandlers });
    renderPeople();
    const invitations = await screen.findByRole('list', { name: 'Open invitations' });
    expect(within(invitations).queryByRole('button')).not.toBeInTheDocument();
    expect(await screen.findByRole('list', { name: 'People' })).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Invite someone' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'API keys' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Security' })).not.toBeInTheDocument();
    expect(api.to('GET /api/v1/api-keys')).toHaveLength(0);
  });

  it('tells other roles the page is not for them, asking the server nothing', async () => {
    const api = mockApi({ 'POST /api/v1/auth/refresh': refreshAs('engineer'), ...listHandlers });
    renderPeople();
    expect(await screen.findByText(/Only owners, admins and managers/)).toBeInTheDocument();
    expect(api.to('GET /api/v1/users')).toHaveLength(0);
  });

  it('lists API keys with what they reach, makes one limited to vessels and shows its secret once', async () => {
    const atlas = vessel('Northwind Atlas');
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('admin'),
      ...listHandlers,
      'GET /api/v1/api-keys': [
        () =>
          json(200, {
            items: [
              apiKey('ERP export', { role: 'manager', last_used_at: '2026-03-02T10:00:00Z' }),
              apiKey('Old node', { revoked_at: '2026-02-01T00:00:00Z' }),
            ],
          }),
        () => json(200, { items: [apiKey('Atlas edge node', { role: 'engineer', vessel_ids: [atlas.id] })] }),
      ],
      'POST /api/v1/api-keys': () =>
        json(201, { key: apiKey('Atlas edge node', { role: 'engineer', vessel_ids: [atlas.id] }), secret: 'bsk_secret_1' }),
    });
    renderPeople();
    const user = userEvent.setup();
    const keys = await screen.findByRole('list', { name: 'API keys' });
    expect(within(keys).getByRole('listitem', { name: 'ERP export' })).toHaveTextContent('Manager · every vessel');
    expect(within(keys).getByRole('listitem', { name: 'Old node' })).toHaveTextContent('Revoked');
    expect(within(within(keys).getByRole('listitem', { name: 'Old node' })).queryByRole('button')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New API key' }));
    const form = screen.getByRole('form', { name: 'New API key' });
    await user.type(within(form).getByLabelText('Name'), 'Atlas edge node');
    await user.selectOptions(within(form).getByLabelText('Role'), 'engineer');
    await user.clear(within(form).getByLabelText('Works for (days)'));
    await user.type(within(form).getByLabelText('Works for (days)'), '30');
    await user.click(within(form).getByRole('button', { name: 'Make key' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('must name the vessels it may reach');
    expect(api.to('POST /api/v1/api-keys')).toHaveLength(0);

    await user.click(within(form).getByLabelText('Northwind Atlas'));
    await user.click(within(form).getByRole('button', { name: 'Make key' }));

    expect(await screen.findByLabelText('API key')).toHaveValue('bsk_secret_1');
    expect(screen.getByText(/Shown only now/)).toBeInTheDocument();
    expect(api.to('POST /api/v1/api-keys')[0]?.body).toEqual({
      name: 'Atlas edge node',
      role: 'engineer',
      vessel_ids: [atlas.id],
      expires_in_days: 30,
    });
    // The list is read again after the key is made: wait for the new one, not the old.
    await waitFor(() => { expect(
        within(screen.getByRole('list', { name: 'API keys' })).getByRole('listitem', { name: 'Atlas edge node' }),
      ).toHaveTextContent('Engineer · Northwind Atlas'); },
    );
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByLabelText('API key')).not.toBeInTheDocument();
  });

  it('revokes an API key', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('owner'),
      ...listHandlers,
      'GET /api/v1/api-keys': [
        () => json(200, { items: [apiKey('ERP export')] }),
        () => json(200, { items: [apiKey('ERP export', { revoked_at: '2026-03-03T00:00:00Z' })] }),
      ],
      'DELETE /api/v1/api-keys/k-erp-export': noContent,
    });
    renderPeople();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke ERP export' }));
    expect(await screen.findByText('Revoked')).toBeInTheDocument();
    expect(api.to('DELETE /api/v1/api-keys/k-erp-export')).toHaveLength(1);
  });

  it('lets an admin change a person’s role and disable them, leaving owners to owners', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('admin'),
      ...listHandlers,
      'PUT /api/v1/users/u-aroha-ngata': [
        () => json(200, member('Aroha Ngata', 'engineer', { specialisation: 'deck' })),
        () => json(200, member('Aroha Ngata', 'engineer', { specialisation: 'deck', active: false })),
      ],
    });
    renderPeople();
    const user = userEvent.setup();
    const list = await screen.findByRole('list', { name: 'People' });
    expect(within(list).queryByRole('button', { name: 'Change Olga Owner' })).not.toBeInTheDocument();

    await user.click(within(list).getByRole('button', { name: 'Change Aroha Ngata' }));
    const form = screen.getByRole('form', { name: 'Change Aroha Ngata' });
    expect(within(form).queryByRole('option', { name: 'Owner' })).not.toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Role'), 'Engineer');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    const aroha = within(list).getByRole('listitem', { name: 'Aroha Ngata' });
    await waitFor(() => {
      expect(aroha).toHaveTextContent('Engineer · Deck');
    });

    await user.click(within(aroha).getByRole('button', { name: 'Change Aroha Ngata' }));
    await user.click(within(aroha).getByLabelText('May sign in'));
    await user.click(within(aroha).getByRole('button', { name: 'Save' }));
    expect(await within(aroha).findByText('Disabled')).toBeInTheDocument();
    expect(api.to('PUT /api/v1/users/u-aroha-ngata').map((r) => r.body)).toEqual([{ role: 'engineer' }, { active: false }]);
  });

  it('keeps the company’s last owner, saying why', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': refreshAs('owner'),
      ...listHandlers,
      'PUT /api/v1/users/u-olga-owner': () => problem(409, 'last_owner', 'Conflict'),
    });
    renderPeople();
    const user = userEvent.setup();
    const list = await screen.findByRole('list', { name: 'People' });
    await user.click(within(list).getByRole('button', { name: 'Change Olga Owner' }));
    const form = screen.getByRole('form', { name: 'Change Olga Owner' });
    await user.selectOptions(within(form).getByLabelText('Role'), 'Admin');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'Olga Owner is the company’s last owner: make someone else an owner first.',
    );
  });

  it('shows managers no way to change people', async () => {
    mockApi({ 'POST /api/v1/auth/refresh': refreshAs('manager'), ...listHandlers });
    renderPeople();
    const list = await screen.findByRole('list', { name: 'People' });
    expect(within(list).queryAllByRole('button')).toHaveLength(0);
  });
});

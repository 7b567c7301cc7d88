import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { RequireSession } from '../../../app/require-session';
import type { Role } from '../../../api/types';
import { SessionProvider } from '../../../session/session-provider';
import { json, mockApi, sessionFor, userOf } from '../../../test/mock-api';
import { renderWithQueries } from '../../../test/render';
import { signInRoute } from '../../../test/sign-in-route';
import type { AuditEntry } from '../api/audit';
import { AuditPage } from './audit-page';

const OLGA = '01900000-0000-7000-8000-0000000000a1';

/** An entry as the server sends it (its before and after are free-form objects). */
type WireEntry = Omit<AuditEntry, 'before' | 'after'> & {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

function entry(seq: number, overrides: Partial<WireEntry> = {}): WireEntry {
  return {
    seq,
    id: `a-${seq}`,
    at: '2026-03-10T12:00:00Z',
    action: 'company.branding.update',
    entity: 'company',
    entity_id: 'c-1',
    actor_id: OLGA,
    outcome: 'success',
    hash: 'h',
    before: { primary_color: '#0a6e5c', display_name: 'Northwind' },
    after: { primary_color: '#ffd500', display_name: 'Northwind' },
    ip: '10.0.0.7',
    user_agent: 'Chromium',
    request_id: 'req-1',
    ...overrides,
  };
}

function renderAudit() {
  const router = createMemoryRouter([
    { path: '/audit', element: <RequireSession><AuditPage /></RequireSession> },
      signInRoute,
  ], {
    initialEntries: ['/audit'],
  });
  renderWithQueries(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
}

const people = () =>
  json(200, {
    items: [
      {
        id: OLGA,
        email: 'olga@northwind.example',
        name: 'Olga Owner',
        role: 'owner',
        active: true,
        version: 1,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      },
    ],
    next_cursor: null,
  });

const refreshAs = (role: Role) => () => json(200, sessionFor(userOf(role, 'Olga Owner'), 'tok'));

describe('audit page', () => {
  it('shows who did what and when, each field before and after, and older pages on request', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('admin'),
      'GET /api/v1/users': people,
      'GET /api/v1/audit': [
        () =>
          json(200, {
            items: [entry(9), entry(8, { action: 'vessel.update', entity: 'vessel', outcome: 'failure', actor_id: null, before: null, after: null })],
            next_cursor: 'c2',
          }),
        () => json(200, { items: [entry(7, { action: 'vessel.create', before: null, after: { name: 'Tern' } })], next_cursor: null }),
      ],
    });
    renderAudit();

    const list = await screen.findByRole('list', { name: 'Audit entries' });
    const branding = await within(list).findByRole('listitem', { name: 'company.branding.update by Olga Owner' });
    expect(branding).toHaveTextContent('company c-1');
    const rows = within(branding)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['primary_color (changed)', '#0a6e5c', '#ffd500'],
      ['display_name', 'Northwind', 'Northwind'],
    ]);
    const refused = within(list).getByRole('listitem', { name: 'vessel.update by Bosun itself' });
    expect(refused).toHaveTextContent('Refused');

    await userEvent.click(screen.getByRole('button', { name: 'Show older entries' }));
    const created = await within(list).findByRole('listitem', { name: 'vessel.create by Olga Owner' });
    expect(within(created).getAllByRole('row')[1]).toHaveTextContent('name—Tern');
    expect(screen.queryByRole('button', { name: 'Show older entries' })).not.toBeInTheDocument();
    expect(api.to('GET /api/v1/audit').map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'c2']);
  });

  it('narrows the list as the server allows', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('owner'),
      'GET /api/v1/users': people,
      'GET /api/v1/audit': () => json(200, { items: [], next_cursor: null }),
    });
    renderAudit();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Filter the audit log' });
    await user.type(within(form).getByLabelText('Action'), 'company.branding.update');
    await user.type(within(form).getByLabelText('Kind of record'), 'company');
    await within(form).findByRole('option', { name: 'Olga Owner' });
    await user.selectOptions(within(form).getByLabelText('Person'), 'Olga Owner');
    await user.selectOptions(within(form).getByLabelText('Outcome'), 'Refused');
    await user.type(within(form).getByLabelText('From'), '2026-03-01');
    await user.click(within(form).getByRole('button', { name: 'Show' }));

    await waitFor(() => {
      expect(api.to('GET /api/v1/audit')).toHaveLength(2);
    });
    const query = api.to('GET /api/v1/audit')[1]?.url.searchParams;
    expect(query?.get('action')).toBe('company.branding.update');
    expect(query?.get('entity')).toBe('company');
    expect(query?.get('actor')).toBe(OLGA);
    expect(query?.get('outcome')).toBe('failure');
    expect(query?.get('since')).toBe(new Date('2026-03-01T00:00:00').toISOString());
    expect(query?.get('limit')).toBe('50');
    expect(await screen.findByText('No entry matches.')).toBeInTheDocument();
  });

  it('is for owners and admins only, asking the server nothing for others', async () => {
    for (const role of ['manager', 'crew'] as const) {
      const api = mockApi({ 'POST /api/v1/auth/refresh': refreshAs(role) });
      renderAudit();
      expect(await screen.findByText('Only owners and admins read the audit log.')).toBeInTheDocument();
      expect(api.to('GET /api/v1/audit')).toHaveLength(0);
      cleanup();
    }
  });
});

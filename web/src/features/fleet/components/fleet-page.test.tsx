import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { RequireSession } from '../../../app/require-session';
import type { MemberView, Role } from '../../../api/types';
import { SessionProvider } from '../../../session/session-provider';
import { invalid, json, mockApi, noContent, problem, sessionFor, userOf, vessel } from '../../../test/mock-api';
import { renderWithQueries } from '../../../test/render';
import { signInRoute } from '../../../test/sign-in-route';
import { isImoNumber } from './vessel-schema';
import { FleetPage } from './fleet-page';
import { FleetVesselPage } from './fleet-vessel-page';

// Specs are free-form; the generated type knows no fields of them.
const SPECS = JSON.parse('{"dwt":4200}') as Record<string, never>;
const TERN = vessel('Northwind Tern', { id: 'v-tern', imo: '9074729', vessel_type: 'PSV', version: 7, specs: SPECS });
const detail = { ...TERN, departments: [{ id: 'd-engine', vessel_id: 'v-tern', name: 'engine' }] };

function person(name: string, role: Role): MemberView {
  return {
    id: `u-${name.split(' ')[0]?.toLowerCase() ?? ''}`,
    email: `${name}@northwind.example`,
    name,
    role,
    active: true,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      signInRoute,
      { path: '/fleet', element: <RequireSession><FleetPage /></RequireSession> },
      { path: '/fleet/:id', element: <RequireSession><FleetVesselPage /></RequireSession> },
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

const refreshAs = (role: Role) => () => json(200, sessionFor(userOf(role, 'Maria Costa'), 'tok'));

describe('fleet administration', () => {
  it('checks IMO numbers as the server does', () => {
    expect(isImoNumber('9074729')).toBe(true);
    expect(isImoNumber('IMO 9074729')).toBe(true);
    expect(isImoNumber('9074728')).toBe(false);
    expect(isImoNumber('907472')).toBe(false);
  });

  it('lists the fleet and registers a vessel once its fields pass the server’s rules', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('manager'),
      'GET /api/v1/vessels': [
        () => json(200, { items: [TERN], next_cursor: null }),
        () => json(200, { items: [TERN, vessel('Northwind Gale', { id: 'v-gale' })], next_cursor: null }),
      ],
      'POST /api/v1/vessels': () => json(201, vessel('Northwind Gale', { id: 'v-gale' })),
    });
    renderAt('/fleet');
    const user = userEvent.setup();
    const fleet = await screen.findByRole('list', { name: 'Fleet' });
    expect(within(fleet).getByRole('listitem', { name: 'Northwind Tern' })).toHaveTextContent('Ship · PSV · IMO 9074729');
    expect(within(fleet).getByRole('link', { name: 'Northwind Tern' })).toHaveAttribute('href', '/fleet/v-tern');

    const form = screen.getByRole('form', { name: 'Register a vessel' });
    await user.type(within(form).getByLabelText('IMO number'), '9074728');
    await user.click(within(form).getByRole('button', { name: 'Register' }));
    expect(await within(form).findByText('Enter the name')).toBeInTheDocument();
    expect(within(form).getByText('Seven digits, the last one the check digit (e.g. 9074729)')).toBeInTheDocument();
    expect(api.to('POST /api/v1/vessels')).toHaveLength(0);

    await user.type(within(form).getByLabelText('Name'), 'Northwind Gale');
    await user.clear(within(form).getByLabelText('IMO number'));
    await user.type(within(form).getByLabelText('IMO number'), 'IMO 9176187');
    await user.click(within(form).getByRole('button', { name: 'Register' }));
    expect(await screen.findByText(/Northwind Gale is registered/)).toBeInTheDocument();
    expect(api.to('POST /api/v1/vessels').map((r) => r.body)).toEqual([
      { name: 'Northwind Gale', kind: 'vessel', vessel_type: null, imo: 'IMO 9176187' },
    ]);
    expect(await within(fleet).findByRole('listitem', { name: 'Northwind Gale' })).toBeInTheDocument();
  });

  it('says the server’s 422 and a taken IMO number on their fields', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': refreshAs('admin'),
      'GET /api/v1/vessels': () => json(200, { items: [], next_cursor: null }),
      'POST /api/v1/vessels': [
        () => invalid([{ field: 'vessel_type', code: 'too_long', message: 'must have at most 80 characters' }]),
        () => problem(409, 'imo_taken', 'Conflict'),
      ],
    });
    renderAt('/fleet');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Register a vessel' });
    await user.type(within(form).getByLabelText('Name'), 'Northwind Gale');
    await user.type(within(form).getByLabelText('IMO number'), '9074729');
    await user.click(within(form).getByRole('button', { name: 'Register' }));
    const type = within(form).getByLabelText('Type');
    await waitFor(() => {
      expect(type).toHaveAttribute('aria-invalid', 'true');
    });
    expect(type).toHaveAccessibleDescription(/Must have at most 80 characters/);

    await user.click(within(form).getByRole('button', { name: 'Register' }));
    expect(await within(form).findByText('Another vessel of the company has this IMO number')).toBeInTheDocument();
  });

  it('edits a vessel keeping its specs and the version it was read at', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('owner'),
      'GET /api/v1/vessels/v-tern': () => json(200, detail),
      'GET /api/v1/users': () => json(200, { items: [], next_cursor: null }),
      'PUT /api/v1/vessels/v-tern': () => json(200, { ...TERN, name: 'Northwind Tern II', version: 8 }),
    });
    renderAt('/fleet/v-tern');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Vessel details' });
    expect(screen.getByRole('link', { name: 'Import equipment from CSV' })).toHaveAttribute('href', '/vessels/v-tern/import');
    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'Northwind Tern II');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Northwind Tern II' })).toBeInTheDocument();
    expect(api.to('PUT /api/v1/vessels/v-tern').map((r) => r.body)).toEqual([
      { name: 'Northwind Tern II', kind: 'vessel', vessel_type: 'PSV', imo: '9074729', specs: { dwt: 4200 }, version: 7 },
    ]);
  });

  it('adds departments, saying a name the vessel has on the field', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('manager'),
      'GET /api/v1/vessels/v-tern': () => json(200, detail),
      'GET /api/v1/users': () => json(200, { items: [], next_cursor: null }),
      'POST /api/v1/vessels/v-tern/departments': [
        () => problem(409, 'department_exists', 'Conflict'),
        () => json(201, { id: 'd-deck', vessel_id: 'v-tern', name: 'deck' }),
      ],
    });
    renderAt('/fleet/v-tern');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Add a department' });
    await user.click(within(form).getByRole('button', { name: 'Add department' }));
    expect(await within(form).findByText('Enter the department’s name')).toBeInTheDocument();

    await user.type(within(form).getByLabelText('New department'), 'engine');
    await user.click(within(form).getByRole('button', { name: 'Add department' }));
    expect(await within(form).findByText('Northwind Tern already has a department of that name')).toBeInTheDocument();

    await user.clear(within(form).getByLabelText('New department'));
    await user.type(within(form).getByLabelText('New department'), 'deck');
    await user.click(within(form).getByRole('button', { name: 'Add department' }));
    const departments = screen.getByRole('list', { name: 'Departments' });
    expect(await within(departments).findByText('deck')).toBeInTheDocument();
    expect(api.to('POST /api/v1/vessels/v-tern/departments').map((r) => r.body)).toEqual([
      { name: 'engine' },
      { name: 'deck' },
    ]);
  });

  it('lists the crew, puts a person on the rotation and takes people off the vessel', async () => {
    const tomasz = person('Tomasz Nowak', 'engineer');
    const aroha = person('Aroha Ngata', 'crew');
    const onBoard = (who: MemberView, departmentId: string | null, start: string, end: string | null) => ({
      person: who,
      department_id: departmentId,
      rotation_start: start,
      rotation_end: end,
    });
    let crew = [onBoard(aroha, null, '2026-03-01', null)];
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('manager'),
      'GET /api/v1/vessels/v-tern': () => json(200, detail),
      'GET /api/v1/users': () => json(200, { items: [tomasz, aroha], next_cursor: null }),
      'GET /api/v1/vessels/v-tern/members': () => json(200, { items: crew, next_cursor: null }),
      'POST /api/v1/vessels/v-tern/join-rotation': () => {
        crew = [...crew, onBoard(tomasz, 'd-engine', '2026-04-01', '2026-04-28')];
        return json(200, {
          vessel_id: 'v-tern',
          user_id: 'u-tomasz',
          department_id: 'd-engine',
          rotation_start: '2026-04-01',
          rotation_end: '2026-04-28',
        });
      },
      'DELETE /api/v1/vessels/v-tern/members/u-tomasz': () => {
        crew = crew.filter((c) => c.person.id !== 'u-tomasz');
        return noContent();
      },
      'DELETE /api/v1/vessels/v-tern/members/u-aroha': () => {
        crew = crew.filter((c) => c.person.id !== 'u-aroha');
        return problem(404, 'not_found', 'Not found');
      },
    });
    renderAt('/fleet/v-tern');
    const user = userEvent.setup();
    const listed = await screen.findByRole('list', { name: 'On board Northwind Tern' });
    expect(within(listed).getByRole('listitem', { name: 'Aroha Ngata' })).toHaveTextContent('No department · from');

    const form = await screen.findByRole('form', { name: 'Put someone on the rotation' });
    await within(form).findByRole('option', { name: 'Tomasz Nowak (Engineer)' });
    await user.selectOptions(within(form).getByLabelText('Person'), 'Tomasz Nowak (Engineer)');
    await user.selectOptions(within(form).getByLabelText('Department'), 'engine');
    await user.type(within(form).getByLabelText('First day'), '2026-04-01');
    await user.type(within(form).getByLabelText('Last day'), '2026-03-01');
    await user.click(within(form).getByRole('button', { name: 'Put on the rotation' }));
    expect(await within(form).findByText('Must not be before the first day')).toBeInTheDocument();
    expect(api.to('POST /api/v1/vessels/v-tern/join-rotation')).toHaveLength(0);

    await user.clear(within(form).getByLabelText('Last day'));
    await user.type(within(form).getByLabelText('Last day'), '2026-04-28');
    await user.click(within(form).getByRole('button', { name: 'Put on the rotation' }));
    expect(await within(listed).findByRole('listitem', { name: 'Tomasz Nowak' })).toHaveTextContent('engine · from');
    expect(api.to('POST /api/v1/vessels/v-tern/join-rotation').map((r) => r.body)).toEqual([
      { user_id: 'u-tomasz', department_id: 'd-engine', rotation_start: '2026-04-01', rotation_end: '2026-04-28' },
    ]);

    await user.click(within(listed).getByRole('button', { name: 'Take Tomasz Nowak off' }));
    expect(await screen.findByText('Tomasz Nowak is off Northwind Tern.')).toBeInTheDocument();
    await waitFor(() => {
      expect(within(listed).queryByRole('listitem', { name: 'Tomasz Nowak' })).not.toBeInTheDocument();
    });

    // Taken off by someone else meanwhile: the list catches up rather than failing.
    await user.click(within(listed).getByRole('button', { name: 'Take Aroha Ngata off' }));
    expect(await screen.findByText('Aroha Ngata is off Northwind Tern.')).toBeInTheDocument();
    expect(api.to('DELETE /api/v1/vessels/v-tern/members/u-aroha')).toHaveLength(1);
    expect(await screen.findByText('Nobody is on Northwind Tern’s rotation.')).toBeInTheDocument();
  });

  it('is for owners, admins and managers only, asking the server nothing for others', async () => {
    for (const role of ['engineer', 'viewer'] as const) {
      const api = mockApi({ 'POST /api/v1/auth/refresh': refreshAs(role) });
      renderAt('/fleet');
      expect(await screen.findByText('Only owners, admins and managers run the fleet.')).toBeInTheDocument();
      cleanup();
      renderAt('/fleet/v-tern');
      expect(await screen.findByText('Only owners, admins and managers run the fleet.')).toBeInTheDocument();
      expect(api.requests.filter((r) => r.method !== 'POST')).toHaveLength(0);
      cleanup();
    }
  });
});

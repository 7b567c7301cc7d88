import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { RequireSession } from '../../../app/require-session';
import type { Role } from '../../../api/types';
import { SessionProvider } from '../../../session/session-provider';
import { json, mockApi, problem, sessionFor, userOf, vessel } from '../../../test/mock-api';
import { renderWithQueries } from '../../../test/render';
import { signInRoute } from '../../../test/sign-in-route';
import type { ImportReport } from '../api/import';
import { ImportPage } from './import-page';

const IMPORT = 'POST /api/v1/vessels/v-tern/equipment/import';
const BAD_CSV = 'ref,level,name,area\nME,system,Main engine,engine_room\nP1,equipment,,engine_room\nP2,widget,Pump 2,moon\n';
const GOOD_CSV = 'ref,level,name,area\nME,system,Main engine,engine_room\nP1,equipment,Pump 1,engine_room\n';

const report = (overrides: Partial<ImportReport>): ImportReport => ({
  dry_run: true,
  rows: 3,
  valid: false,
  imported: 0,
  errors: [],
  items: [],
  truncated: false,
  ...overrides,
});

function renderImport() {
  const router = createMemoryRouter(
    [
      { path: '/vessels/:id/import', element: <RequireSession><ImportPage /></RequireSession> },
      signInRoute,
    ],
    { initialEntries: ['/vessels/v-tern/import'] },
  );
  renderWithQueries(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
}

const refreshAs = (role: Role) => () => json(200, sessionFor(userOf(role, 'Tomasz Nowak'), 'tok'));

describe('equipment import', () => {
  it('checks the file first, showing each bad row and its problems, and imports only a clean file', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs('engineer'),
      'GET /api/v1/vessels/v-tern': () => json(200, { ...vessel('Northwind Tern', { id: 'v-tern' }), departments: [] }),
      [IMPORT]: [
        () =>
          json(
            200,
            report({
              errors: [
                { row: 3, field: 'name', code: 'too_short', message: 'must have at least 1 characters' },
                { row: 4, field: 'level', code: 'unknown_value', message: 'must be system, equipment or component' },
                { row: 4, field: 'area', code: 'unknown_value', message: 'is not an area' },
              ],
            }),
          ),
        () => json(200, report({ rows: 2, valid: true })),
        () =>
          json(
            201,
            report({
              dry_run: false,
              rows: 2,
              valid: true,
              imported: 2,
              items: [
                { row: 2, id: 'eq-me', qr_code: 'QRME000001', ref: 'ME' },
                { row: 3, id: 'eq-p1', qr_code: 'QRP1000001', ref: 'P1' },
              ],
            }),
          ),
      ],
    });
    renderImport();
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Northwind Tern' });
    const fileInput = screen.getByLabelText('CSV file');
    expect(screen.getByRole('button', { name: 'Check the file' })).toBeDisabled();

    await user.upload(fileInput, new File([BAD_CSV], 'tern.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    const problems = await screen.findByRole('table', { name: 'Problems, row by row' });
    const rows = within(problems)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['3', 'P1,equipment,,engine_room', 'name: must have at least 1 characters'],
      ['4', 'P2,widget,Pump 2,moon', 'level: must be system, equipment or componentarea: is not an area'],
    ]);
    expect(screen.getByText('2 of 3 rows have problems; nothing was written.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Import/ })).not.toBeInTheDocument();
    expect(api.to(IMPORT)[0]?.url.searchParams.get('dry_run')).toBe('true');
    expect(api.to(IMPORT)[0]?.headers.get('Content-Type')).toBe('text/csv');
    expect(api.to(IMPORT)[0]?.body).toBe(BAD_CSV);

    await user.upload(fileInput, new File([GOOD_CSV], 'tern.csv', { type: 'text/csv' }));
    expect(screen.queryByRole('table', { name: 'Problems, row by row' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    expect(await screen.findByText('All 2 rows are right. Nothing is written yet.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Import 2 items into Northwind Tern' }));

    expect(await screen.findByText('2 items imported from 2 rows.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'QRP1000001' })).toHaveAttribute('href', '/equipment/eq-p1');
    expect(api.to(IMPORT).map((r) => r.url.searchParams.get('dry_run'))).toEqual(['true', 'true', 'false']);
    expect(api.to(IMPORT)[2]?.body).toBe(GOOD_CSV);
  });

  it('says why a file is refused as a whole', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': refreshAs('manager'),
      'GET /api/v1/vessels/v-tern': () => json(200, { ...vessel('Northwind Tern', { id: 'v-tern' }), departments: [] }),
      [IMPORT]: () => problem(413, 'body_too_large', 'Too large', 'The file is larger than 8 MiB.'),
    });
    renderImport();
    const user = userEvent.setup();
    await user.upload(await screen.findByLabelText('CSV file'), new File([GOOD_CSV], 'tern.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The file is larger than 8 MiB.');
  });

  it('is not offered to roles that do not write equipment', async () => {
    const api = mockApi({ 'POST /api/v1/auth/refresh': refreshAs('crew') });
    renderImport();
    expect(await screen.findByText('Your role does not change the equipment register.')).toBeInTheDocument();
    expect(api.to('GET /api/v1/vessels/v-tern')).toHaveLength(0);
  });
});

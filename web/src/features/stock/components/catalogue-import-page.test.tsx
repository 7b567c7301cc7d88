/**
 * The catalogue's CSV import: offered from the catalogue to the roles that write it; the file
 * checked first (how many parts it adds, changes and leaves, the rows that change something by
 * line, or every problem by line with its column, and where checking stopped), imported only
 * when clean, and sync asked to bring the parts at once; a refusal named by line; offline, a
 * notice instead of the file field.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import type { Role } from '../../../api/types';
import { SyncRunner } from '../../../sync/runner';
import { json, mockApi } from '../../../test/mock-api';
import { renderSyncPage, syncedDatabase } from '../../../test/sync-page';
import type { PartImportReport } from '../api/catalogue-import';
import { CatalogueImportPage } from './catalogue-import-page';
import { CataloguePage } from './catalogue-page';

const IMPORT = 'POST /api/v1/parts/import';
const HEADER = 'number,name,maker,unit,critical,equivalents';
const GOOD_CSV = `${HEADER}\nHF-6553,Oil filter (long life),Fleetguard,pcs,yes,\nLF-3000,Lube filter,Fleetguard,pcs,no,\nNEW-1,Gasket,,pcs,no,HF-6553\n`;
const BAD_CSV = `${HEADER}\nHF-6553,Oil filter,Fleetguard,pcs,maybe,\nNEW-1,,,pcs,no,XX-1\n`;

const report = (overrides: Partial<PartImportReport> = {}): PartImportReport => ({
  dry_run: true,
  rows: 3,
  valid: true,
  created: 1,
  updated: 1,
  unchanged: 1,
  errors: [],
  parts: [
    { row: 2, number: 'HF-6553', id: '01900000-0000-7000-8000-0000000000f1', action: 'update' },
    { row: 3, number: 'LF-3000', id: '01900000-0000-7000-8000-0000000000f2', action: 'unchanged' },
    { row: 4, number: 'NEW-1', id: '01900000-0000-7000-8000-0000000000f3', action: 'create' },
  ],
  truncated: false,
  ...overrides,
});

const problemJson = (status: number, errors: { field: string; code: string; message: string }[]) => () =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Invalid request', status, code: 'validation_failed', errors }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

const routes = [
  { path: '/catalogue', element: <CataloguePage /> },
  { path: '/catalogue/import', element: <CatalogueImportPage /> },
];

async function openImport(role: Role = 'manager', { online = true } = {}) {
  renderSyncPage(await syncedDatabase([]), routes, '/catalogue/import', role, undefined, { online });
}

/** The cells of a table's body rows, as text. */
const bodyCells = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));

const upload = async (user: ReturnType<typeof userEvent.setup>, csv: string) => {
  await user.upload(await screen.findByLabelText('CSV file'), new File([csv], 'parts.csv', { type: 'text/csv' }));
};

describe('catalogue import', () => {
  it('is offered from the catalogue to the roles that write it', async () => {
    const user = userEvent.setup();
    renderSyncPage(await syncedDatabase([]), routes, '/catalogue', 'manager');
    await user.click(await screen.findByRole('link', { name: 'Import CSV into the catalogue' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Import parts' })).toBeInTheDocument();
  });

  it('is not offered to roles that do not write the catalogue', async () => {
    renderSyncPage(await syncedDatabase([]), routes, '/catalogue', 'engineer');
    await screen.findByRole('button', { name: 'Download CSV of the catalogue' });
    expect(screen.queryByRole('link', { name: /Import CSV/ })).not.toBeInTheDocument();
  });

  it('says so to a role that does not write the catalogue, and sends nothing', async () => {
    const server = mockApi({});
    await openImport('engineer');
    expect(await screen.findByText('Your role does not change the parts catalogue.')).toBeInTheDocument();
    expect(screen.queryByLabelText('CSV file')).not.toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });

  it('checks the file, shows what it adds and changes by line, then imports it and asks sync for the parts', async () => {
    const poke = vi.spyOn(SyncRunner.prototype, 'notify');
    const server = mockApi({
      [IMPORT]: [() => json(200, report()), () => json(201, report({ dry_run: false }))],
    });
    await openImport();
    const user = userEvent.setup();
    expect(screen.getByRole('button', { name: 'Check the file' })).toBeDisabled();
    await upload(user, GOOD_CSV);
    await user.click(screen.getByRole('button', { name: 'Check the file' }));

    expect(await screen.findByText('All 3 rows are right: 1 new part, 1 changed, 1 unchanged. Nothing is written yet.')).toBeInTheDocument();
    const check = screen.getByRole('region', { name: 'Check of the file' });
    const figures = (role: 'term' | 'definition') => within(check).getAllByRole(role).map((e) => e.textContent);
    expect(figures('term')).toEqual(['New', 'Changed', 'Unchanged']);
    expect(figures('definition')).toEqual(['1', '1', '1']);
    expect(bodyCells(screen.getByRole('table', { name: 'Parts the import adds or changes' }))).toEqual([
      ['2', 'HF-6553', 'Changed'],
      ['4', 'NEW-1', 'New part'],
    ]);
    const [dry] = server.to(IMPORT);
    expect(dry?.url.searchParams.get('dry_run')).toBe('true');
    expect(dry?.headers.get('Content-Type')).toBe('text/csv');
    expect(dry?.body).toBe(GOOD_CSV);
    expect(poke).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Import 2 parts' }));
    expect(await screen.findByText('3 rows imported: 1 new part, 1 changed, 1 unchanged.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Import/ })).not.toBeInTheDocument();
    const done = screen.getByRole('table', { name: 'Parts added or changed' });
    expect(within(done).getByRole('link', { name: 'NEW-1' })).toHaveAttribute('href', '/catalogue?q=NEW-1');
    expect(server.to(IMPORT).map((r) => r.url.searchParams.get('dry_run'))).toEqual(['true', 'false']);
    expect(server.to(IMPORT)[1]?.body).toBe(GOOD_CSV);
    expect(poke).toHaveBeenCalledWith('poke');
  });

  it('shows every problem by line with its column, says where checking stopped, and offers no import', async () => {
    const server = mockApi({
      [IMPORT]: () =>
        json(
          200,
          report({
            rows: 2,
            valid: false,
            created: 0,
            updated: 0,
            unchanged: 0,
            parts: [],
            errors: [
              { row: 3, field: 'name', code: 'too_short', message: 'must have at least 1 characters' },
              { row: 2, field: 'critical', code: 'unknown_value', message: '"maybe" is not yes or no' },
              { row: 3, field: 'equivalents', code: 'unknown_part', message: 'XX-1 is neither in this file nor in the catalogue' },
            ],
            truncated: true,
            stopped_at_row: 3,
          }),
        ),
    });
    await openImport();
    const user = userEvent.setup();
    await upload(user, BAD_CSV);
    await user.click(screen.getByRole('button', { name: 'Check the file' }));

    const problems = await screen.findByRole('table', { name: 'Problems, row by row' });
    expect(bodyCells(problems)).toEqual([
      ['2', 'HF-6553,Oil filter,Fleetguard,pcs,maybe,', 'critical: "maybe" is not yes or no'],
      ['3', 'NEW-1,,,pcs,no,XX-1', 'name: must have at least 1 charactersequivalents: XX-1 is neither in this file nor in the catalogue'],
    ]);
    expect(
      screen.getByText('2 of 2 rows have problems; nothing was written. Checking stopped at line 3: the rows after it were not checked.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Nothing is imported until every row is right: fix the file and check it again.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Import/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Parts the import adds or changes' })).not.toBeInTheDocument();
    expect(server.to(IMPORT)).toHaveLength(1);
  });

  it('offers no import when the file changes nothing', async () => {
    mockApi({
      [IMPORT]: () =>
        json(200, report({ rows: 1, created: 0, updated: 0, unchanged: 1, parts: [{ row: 2, number: 'LF-3000', id: 'x', action: 'unchanged' }] })),
    });
    await openImport();
    const user = userEvent.setup();
    await upload(user, `${HEADER}\nLF-3000,Lube filter,Fleetguard,pcs,no,\n`);
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    expect(await screen.findByText('Every part in the file is in the catalogue as the file has it: there is nothing to import.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Import/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Parts the import adds or changes' })).not.toBeInTheDocument();
  });

  it('says what is wrong with the header row', async () => {
    mockApi({
      [IMPORT]: problemJson(422, [{ field: 'header', code: 'missing_column', message: 'column "unit" is required' }]),
    });
    await openImport();
    const user = userEvent.setup();
    await upload(user, 'number,name\nX-1,Thing\n');
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Header row: column "unit" is required');
  });

  it('names a refused import’s problems by line, having written nothing', async () => {
    mockApi({
      [IMPORT]: [
        () => json(200, report()),
        problemJson(422, [{ field: 'rows.4.equivalents', code: 'unknown_part', message: 'HF-6553 is neither in this file nor in the catalogue' }]),
      ],
    });
    await openImport();
    const user = userEvent.setup();
    await upload(user, GOOD_CSV);
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    await user.click(await screen.findByRole('button', { name: 'Import 2 parts' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Line 4, equivalents: HF-6553 is neither in this file nor in the catalogue');
    expect(screen.queryByText(/rows imported/)).not.toBeInTheDocument();
  });

  it('needs the connection: offline it says so instead of offering a file', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    await openImport('manager', { online: false });
    expect(await screen.findByText(/Importing the catalogue needs a connection to the server/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Import parts' })).toBeInTheDocument();
    expect(screen.queryByLabelText('CSV file')).not.toBeInTheDocument();
  });
});

/**
 * The stock count import: offered from a vessel's stock to the roles that move stock; the file
 * checked first (how many on-hands it sets, leaves and skips, each set row's part, location and
 * on hand before → after by line, or every problem by line), imported only when clean, and sync
 * asked to bring the adjustments at once; a refusal named by line; offline, a notice instead of
 * the file field.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import type { Role } from '../../../api/types';
import { SyncRunner } from '../../../sync/runner';
import { json, mockApi } from '../../../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import type { CountImportReport } from '../api/count-import';
import { CountImportPage } from './count-import-page';
import { StockPage } from './stock-page';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const VESSEL = '01900000-0000-7000-8000-000000000001';
const STORE = '01900000-0000-7000-8000-000000000011';
const SHELF = '01900000-0000-7000-8000-000000000012';
const FILTER = '01900000-0000-7000-8000-000000000021';
const GREASE = '01900000-0000-7000-8000-000000000022';
const SCOPE = `vessel:${VESSEL}`;
const CATALOGUE = `company:${COMPANY}`;
const IMPORT = `POST /api/v1/vessels/${VESSEL}/stock/import`;
const HEADER = 'number,name,unit,location,on_hand,total,incoming,minimum,reorder,suggested_reorder';
const GOOD_CSV = `${HEADER}\nHF-6553,Oil filter,pcs,Engine room store,5,5,0,,,\nGR-2,Grease,kg,Shelf A,1.25,1.25,0,,,\nGR-2,Grease,kg,,,,0,2,1,\n`;
const BAD_CSV = `${HEADER}\nHF-6553,Oil filter,pcs,Bridge,5,5,0,,,\nXX-1,Thing,pcs,Shelf A,-1,,,,,\n`;

const seed = () =>
  syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { name: 'Northwind Spirit' }),
    replicaRow(SCOPE, 'stock_location', STORE, { vessel_id: VESSEL, name: 'Engine room store', parent_id: null }),
    replicaRow(SCOPE, 'stock_location', SHELF, { vessel_id: VESSEL, name: 'Shelf A', parent_id: STORE }),
    replicaRow(CATALOGUE, 'part', FILTER, { number: 'HF-6553', name: 'Oil filter', maker: 'Fleetguard', unit: 'pcs', critical: false, equivalents: [] }),
    replicaRow(CATALOGUE, 'part', GREASE, { number: 'GR-2', name: 'Grease', maker: null, unit: 'kg', critical: false, equivalents: [] }),
    replicaRow(SCOPE, 'stock_balance', '01900000-0000-7000-8000-000000000031', { vessel_id: VESSEL, location_id: STORE, part_id: FILTER, on_hand: '3' }),
    replicaRow(SCOPE, 'stock_balance', '01900000-0000-7000-8000-000000000032', { vessel_id: VESSEL, location_id: SHELF, part_id: GREASE, on_hand: '1.25' }),
  ]);

const q = (value: string) => ({ value, milli: Math.round(Number(value) * 1000) });
const report = (overrides: Partial<CountImportReport> = {}): CountImportReport => ({
  dry_run: true,
  rows: 3,
  valid: true,
  set: 1,
  unchanged: 1,
  skipped: 1,
  errors: [],
  counted: [
    { row: 2, number: 'HF-6553', part_id: FILTER, location_id: STORE, before: q('3'), after: q('5'), action: 'set' },
    { row: 3, number: 'GR-2', part_id: GREASE, location_id: SHELF, before: q('1.25'), after: q('1.25'), action: 'unchanged' },
    { row: 4, number: 'GR-2', part_id: null, location_id: null, before: q('0'), after: q('0'), action: 'skipped' },
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
  { path: '/vessels/:id/stock', element: <StockPage /> },
  { path: '/vessels/:id/stock/import', element: <CountImportPage /> },
];

async function openImport(role: Role = 'engineer', { online = true } = {}) {
  renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/stock/import`, role, undefined, { online });
}

/** The cells of a table's body rows, as text. */
const bodyCells = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));

const upload = async (user: ReturnType<typeof userEvent.setup>, csv: string) => {
  await user.upload(await screen.findByLabelText('CSV file'), new File([csv], 'stock.csv', { type: 'text/csv' }));
};

describe('stock count import', () => {
  it('is offered from the vessel’s stock, beside its export, to the roles that move stock', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/stock`, 'engineer');
    expect(await screen.findByRole('button', { name: 'Download CSV of the stock on Northwind Spirit' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Import count into the stock on Northwind Spirit' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Import a stock count' })).toBeInTheDocument();
    expect(screen.getByText(/The file is this vessel’s stock export/)).toHaveTextContent(
      'The file is this vessel’s stock export (“Download CSV” on its stock page) with each on_hand changed to what you counted there.',
    );
  });

  it.each<Role>(['crew', 'viewer'])('is not offered to %s, who do not move stock', async (role) => {
    renderSyncPage(await seed(), routes, `/vessels/${VESSEL}/stock`, role);
    await screen.findByRole('button', { name: /Download CSV/ });
    expect(screen.queryByRole('link', { name: /Import count/ })).not.toBeInTheDocument();
  });

  it('says so to a role that does not move stock, and sends nothing', async () => {
    const server = mockApi({});
    await openImport('crew');
    expect(await screen.findByText('Your role does not move stock.')).toBeInTheDocument();
    expect(screen.queryByLabelText('CSV file')).not.toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });

  it('checks the file, shows what it sets by line with before → after, then imports it and asks sync for the stock', async () => {
    const poke = vi.spyOn(SyncRunner.prototype, 'notify');
    const server = mockApi({
      [IMPORT]: [() => json(200, report()), () => json(201, report({ dry_run: false }))],
    });
    await openImport();
    const user = userEvent.setup();
    expect(screen.getByRole('button', { name: 'Check the file' })).toBeDisabled();
    await upload(user, GOOD_CSV);
    await user.click(screen.getByRole('button', { name: 'Check the file' }));

    expect(await screen.findByText('All 3 rows are right: 1 to set, 1 unchanged, 1 skipped. Nothing is written yet.')).toBeInTheDocument();
    const check = screen.getByRole('region', { name: 'Check of the file' });
    const figures = (role: 'term' | 'definition') => within(check).getAllByRole(role).map((e) => e.textContent);
    expect(figures('term')).toEqual(['To set', 'Unchanged', 'Skipped']);
    expect(figures('definition')).toEqual(['1', '1', '1']);
    const sets = await screen.findByRole('table', { name: 'On-hand figures the import sets' });
    await waitFor(() => {
      expect(bodyCells(sets)).toEqual([['2', 'HF-6553 Oil filterEngine room store', '3 pcs → 5 pcs']]);
    });
    const [dry] = server.to(IMPORT);
    expect(dry?.url.searchParams.get('dry_run')).toBe('true');
    expect(dry?.headers.get('Content-Type')).toBe('text/csv');
    expect(dry?.body).toBe(GOOD_CSV);
    expect(poke).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Import 1 count' }));
    expect(await screen.findByText('3 rows imported: 1 set, 1 unchanged, 1 skipped.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Import/ })).not.toBeInTheDocument();
    const done = screen.getByRole('table', { name: 'On-hand figures set' });
    expect(within(done).getByRole('link', { name: 'HF-6553' })).toHaveAttribute('href', `/vessels/${VESSEL}/stock/parts/${FILTER}`);
    expect(screen.getByText(/Stock count \(CSV import\)/)).toBeInTheDocument();
    expect(server.to(IMPORT).map((r) => r.url.searchParams.get('dry_run'))).toEqual(['true', 'false']);
    expect(server.to(IMPORT)[1]?.body).toBe(GOOD_CSV);
    expect(poke).toHaveBeenCalledWith('poke');
  });

  it('shows every problem by line with its column and offers no import', async () => {
    const server = mockApi({
      [IMPORT]: () =>
        json(
          200,
          report({
            rows: 2,
            valid: false,
            set: 0,
            unchanged: 0,
            skipped: 0,
            counted: [],
            errors: [
              { row: 3, field: 'on_hand', code: 'negative', message: 'must not be negative' },
              { row: 2, field: 'location', code: 'unknown_location', message: 'no stock location "Bridge" on this vessel' },
              { row: 3, field: 'number', code: 'unknown_part', message: 'XX-1 is not in the catalogue' },
            ],
          }),
        ),
    });
    await openImport();
    const user = userEvent.setup();
    await upload(user, BAD_CSV);
    await user.click(screen.getByRole('button', { name: 'Check the file' }));

    const problems = await screen.findByRole('table', { name: 'Problems, row by row' });
    expect(bodyCells(problems)).toEqual([
      ['2', 'HF-6553,Oil filter,pcs,Bridge,5,5,0,,,', 'location: no stock location "Bridge" on this vessel'],
      ['3', 'XX-1,Thing,pcs,Shelf A,-1,,,,,', 'on_hand: must not be negativenumber: XX-1 is not in the catalogue'],
    ]);
    expect(screen.getByText('2 of 2 rows have problems; nothing was written.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Import/ })).not.toBeInTheDocument();
    expect(server.to(IMPORT)).toHaveLength(1);
  });

  it('offers no import when every count agrees with the stock', async () => {
    mockApi({
      [IMPORT]: () =>
        json(200, report({ rows: 1, set: 0, unchanged: 1, skipped: 0, counted: [{ row: 2, number: 'HF-6553', part_id: FILTER, location_id: STORE, before: q('3'), after: q('3'), action: 'unchanged' }] })),
    });
    await openImport();
    const user = userEvent.setup();
    await upload(user, `${HEADER}\nHF-6553,Oil filter,pcs,Engine room store,3,3,0,,,\n`);
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    expect(await screen.findByText('Every count in the file agrees with the stock on hand: there is nothing to import.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Import/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'On-hand figures the import sets' })).not.toBeInTheDocument();
  });

  it('names a refused import’s problems by line, having written nothing', async () => {
    mockApi({
      [IMPORT]: [
        () => json(200, report()),
        problemJson(422, [{ field: 'rows.2.on_hand', code: 'too_precise', message: 'at most 3 decimals' }]),
      ],
    });
    await openImport();
    const user = userEvent.setup();
    await upload(user, GOOD_CSV);
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    await user.click(await screen.findByRole('button', { name: 'Import 1 count' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Line 2, on_hand: at most 3 decimals');
    expect(screen.queryByText(/rows imported/)).not.toBeInTheDocument();
  });

  it('needs the connection: offline it says so instead of offering a file', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    await openImport('engineer', { online: false });
    expect(await screen.findByText(/Importing a stock count needs a connection to the server/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Import a stock count' })).toBeInTheDocument();
    expect(screen.queryByLabelText('CSV file')).not.toBeInTheDocument();
  });
});

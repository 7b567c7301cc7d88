/**
 * The catalogue import's requests: the file sent as it is (`text/csv`), the dry run asked for
 * in the query, the report read from a 200 or a 201, a refusal thrown as an `ApiError` with the
 * rows' problems; and the rows the report lists, by line.
 */
import { describe, expect, it } from 'vitest';

import { api, ApiError } from '../../../api/client';
import { json, mockApi } from '../../../test/mock-api';
import { changingRows, importCatalogue, type PartImportReport } from './catalogue-import';

const IMPORT = 'POST /api/v1/parts/import';
const CSV = 'number,name,maker,unit,critical,equivalents\nHF-6553,Oil filter,Fleetguard,pcs,yes,LF-3000\nNEW-1,Gasket,,pcs,no,\n';

const report = (overrides: Partial<PartImportReport> = {}): PartImportReport => ({
  dry_run: true,
  rows: 2,
  valid: true,
  created: 1,
  updated: 1,
  unchanged: 0,
  errors: [],
  parts: [
    { row: 2, number: 'HF-6553', id: '01900000-0000-7000-8000-0000000000f1', action: 'update' },
    { row: 3, number: 'NEW-1', id: '01900000-0000-7000-8000-0000000000f2', action: 'create' },
  ],
  truncated: false,
  ...overrides,
});

describe('importCatalogue', () => {
  it('sends the file as it is for a dry run and reads what it would do', async () => {
    const server = mockApi({ [IMPORT]: () => json(200, report()) });
    await expect(importCatalogue(api, CSV, true)).resolves.toEqual(report());
    const [sent] = server.to(IMPORT);
    expect(sent?.url.searchParams.get('dry_run')).toBe('true');
    expect(sent?.headers.get('Content-Type')).toBe('text/csv');
    expect(sent?.body).toBe(CSV);
  });

  it('imports with dry_run=false and reads the 201', async () => {
    const server = mockApi({ [IMPORT]: () => json(201, report({ dry_run: false })) });
    const done = await importCatalogue(api, CSV, false);
    expect(done.dry_run).toBe(false);
    expect(server.to(IMPORT)[0]?.url.searchParams.get('dry_run')).toBe('false');
  });

  it('throws a refusal with the rows’ problems, as the server names them', async () => {
    mockApi({
      [IMPORT]: () =>
        new Response(
          JSON.stringify({
            type: 'about:blank',
            title: 'Invalid request',
            status: 422,
            code: 'validation_failed',
            errors: [{ field: 'rows.3.critical', code: 'unknown_value', message: '"maybe" is not yes or no' }],
          }),
          { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
        ),
    });
    const refused = await importCatalogue(api, CSV, false).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(422);
    expect((refused as ApiError).problem.errors).toEqual([
      { field: 'rows.3.critical', code: 'unknown_value', message: '"maybe" is not yes or no' },
    ]);
  });
});

describe('changingRows', () => {
  it('lists the rows that add or change a part by line, leaving out those that change nothing', () => {
    const parts: PartImportReport['parts'] = [
      { row: 5, number: 'C', id: 'c', action: 'create' },
      { row: 2, number: 'A', id: 'a', action: 'unchanged' },
      { row: 3, number: 'B', id: 'b', action: 'update' },
    ];
    expect(changingRows(report({ parts })).map((p) => p.number)).toEqual(['B', 'C']);
  });
});

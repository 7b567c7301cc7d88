/**
 * The stock count import's requests: the file sent as it is (`text/csv`) to the vessel's route,
 * the dry run asked for in the query, the report read from a 200 or a 201, a refusal thrown as
 * an `ApiError` with the rows' problems; and the rows the report lists, by line.
 */
import { describe, expect, it } from 'vitest';

import { api, ApiError } from '../../../api/client';
import { json, mockApi } from '../../../test/mock-api';
import { importCount, settingRows, type CountImportReport } from './count-import';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const IMPORT = `POST /api/v1/vessels/${VESSEL}/stock/import`;
const CSV = 'number,name,unit,location,on_hand,total,incoming,minimum,reorder,suggested_reorder\nHF-6553,Oil filter,pcs,Engine room store,5,5,0,,,\n';

const q = (value: string) => ({ value, milli: Math.round(Number(value) * 1000) });
const report = (overrides: Partial<CountImportReport> = {}): CountImportReport => ({
  dry_run: true,
  rows: 1,
  valid: true,
  set: 1,
  unchanged: 0,
  skipped: 0,
  errors: [],
  counted: [{ row: 2, number: 'HF-6553', part_id: 'p', location_id: 'l', before: q('3'), after: q('5'), action: 'set' }],
  truncated: false,
  ...overrides,
});

describe('importCount', () => {
  it('sends the file as it is to the vessel for a dry run and reads what it would do', async () => {
    const server = mockApi({ [IMPORT]: () => json(200, report()) });
    await expect(importCount(api, VESSEL, CSV, true)).resolves.toEqual(report());
    const [sent] = server.to(IMPORT);
    expect(sent?.url.searchParams.get('dry_run')).toBe('true');
    expect(sent?.headers.get('Content-Type')).toBe('text/csv');
    expect(sent?.body).toBe(CSV);
  });

  it('imports with dry_run=false and reads the 201', async () => {
    const server = mockApi({ [IMPORT]: () => json(201, report({ dry_run: false })) });
    const done = await importCount(api, VESSEL, CSV, false);
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
            errors: [{ field: 'rows.2.location', code: 'unknown_location', message: 'no stock location "Bridge" on this vessel' }],
          }),
          { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
        ),
    });
    const refused = await importCount(api, VESSEL, CSV, false).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(422);
    expect((refused as ApiError).problem.errors).toEqual([
      { field: 'rows.2.location', code: 'unknown_location', message: 'no stock location "Bridge" on this vessel' },
    ]);
  });
});

describe('settingRows', () => {
  it('lists the rows that set an on hand by line, leaving out the unchanged and the skipped', () => {
    const counted: CountImportReport['counted'] = [
      { row: 5, number: 'C', part_id: 'c', location_id: 'l', before: q('1'), after: q('2'), action: 'set' },
      { row: 2, number: 'A', part_id: 'a', location_id: 'l', before: q('1'), after: q('1'), action: 'unchanged' },
      { row: 4, number: 'D', before: q('0'), after: q('0'), action: 'skipped' },
      { row: 3, number: 'B', part_id: 'b', location_id: 'l', before: q('4'), after: q('0'), action: 'set' },
    ];
    expect(settingRows(report({ counted })).map((r) => r.number)).toEqual(['B', 'C']);
  });
});

/**
 * "Download CSV" on the catalogue and a vessel's stock: fetched with the session's token, saved
 * through a Blob object URL as `parts.csv` / `stock-<vessel>.csv`; a failure said, and the
 * button disabled offline with a note.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { api as client } from '../../../api/client';
import { mockApi, sessionFor, userOf } from '../../../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { stockFileName } from '../api/exports';
import { CataloguePage } from './catalogue-page';
import { StockPage } from './stock-page';

const SPIRIT = '01900000-0000-7000-8000-000000000001';
const ATLAS = '01900000-0000-7000-8000-000000000002';
const seed = () => syncedDatabase([replicaRow(`vessel:${SPIRIT}`, 'vessel', SPIRIT, { name: 'Northwind Spirit' })]);
const routes = [
  { path: '/vessels/:id/stock', element: <StockPage /> },
  { path: '/catalogue', element: <CataloguePage /> },
];

describe('CSV downloads', () => {
  const saved: { name: string; href: string }[] = [];
  const objectUrl = vi.fn<(blob: Blob) => string>(() => 'blob:bosun/csv');
  beforeEach(() => {
    saved.length = 0;
    objectUrl.mockClear();
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: objectUrl, revokeObjectURL: vi.fn() }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, href: this.href });
    });
  });
  afterEach(() => {
    client.forgetSession();
    vi.restoreAllMocks();
  });
  const csv = (body: string) => () => new Response(body, { status: 200, headers: { 'Content-Type': 'text/csv' } });

  it('saves the catalogue as parts.csv, fetched with the session’s token', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, '/catalogue', 'crew');
    client.adoptSession(sessionFor(userOf('crew'), 'tok-csv'));
    const server = mockApi({ 'GET /api/v1/parts/export': csv('number,name\nHF-6553,Oil filter\n') });
    await user.click(await screen.findByRole('button', { name: 'Download CSV of the catalogue' }));
    await waitFor(() => {
      expect(saved).toEqual([{ name: 'parts.csv', href: 'blob:bosun/csv' }]);
    });
    expect(server.to('GET /api/v1/parts/export')[0]?.headers.get('Authorization')).toBe('Bearer tok-csv');
    const blob = objectUrl.mock.calls[0]?.[0];
    expect(await blob?.text()).toBe('number,name\nHF-6553,Oil filter\n');
  });

  it('saves a vessel’s stock as stock-<vessel>.csv', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, `/vessels/${SPIRIT}/stock`, 'viewer');
    client.adoptSession(sessionFor(userOf('viewer'), 'tok-csv'));
    const server = mockApi({ [`GET /api/v1/vessels/${SPIRIT}/stock/export`]: csv('part,location,on_hand\n') });
    await user.click(await screen.findByRole('button', { name: 'Download CSV of the stock on Northwind Spirit' }));
    await waitFor(() => {
      expect(saved).toEqual([{ name: 'stock-northwind-spirit.csv', href: 'blob:bosun/csv' }]);
    });
    expect(server.to(`GET /api/v1/vessels/${SPIRIT}/stock/export`)).toHaveLength(1);
    expect(stockFileName(null, ATLAS)).toBe(`stock-${ATLAS}.csv`);
  });

  it('says why a download failed', async () => {
    const user = userEvent.setup();
    renderSyncPage(await seed(), routes, '/catalogue', 'crew');
    await user.click(await screen.findByRole('button', { name: 'Download CSV of the catalogue' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The download needs the connection.');
    expect(saved).toEqual([]);
  });

  it('is disabled offline, with a note', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    renderSyncPage(await seed(), routes, '/catalogue', 'crew');
    const button = await screen.findByRole('button', { name: 'Download CSV of the catalogue' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription('Downloads need the connection.');
  });
});

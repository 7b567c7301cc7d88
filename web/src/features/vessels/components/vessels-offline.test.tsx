/**
 * The vessels list from the local replica: once the first sync has completed it shows with the
 * server out of reach, and before it the API is asked.
 */
import { screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';

import type { SyncDatabase } from '../../../sync/database';
import { SyncContext, type SyncClient } from '../../../sync/sync-context';
import { freshDatabase } from '../../../sync/test-support';
import { json, mockApi, vessel } from '../../../test/mock-api';
import { renderWithQueries } from '../../../test/render';
import { VesselsPage } from './vessels-page';

async function databaseWith(vessels: { id: string; name: string }[], synced: boolean): Promise<SyncDatabase> {
  const db = freshDatabase();
  await db.clientMeta(0);
  await db.rows.bulkPut(
    vessels.map((v) => ({
      scope: `vessel:${v.id}`,
      entity: 'vessel',
      id: v.id,
      version: 3,
      fields: { id: v.id, kind: 'vessel', name: v.name, vessel_type: null, imo: null, specs: {} },
    })),
  );
  if (synced) await db.meta.update('client', { lastSyncedAt: 1 });
  return db;
}

function renderWith(db: SyncDatabase) {
  renderWithQueries(
    <SyncContext value={{ db } as SyncClient}>
      <MemoryRouter initialEntries={['/vessels']}>
        <VesselsPage />
      </MemoryRouter>
    </SyncContext>,
  );
}

describe('the vessels from the replica', () => {
  it('lists the vessels on the device by name, asking the server nothing', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    renderWith(
      await databaseWith(
        [
          { id: '01900000-0000-7000-8000-000000000002', name: 'Northwind Tern' },
          { id: '01900000-0000-7000-8000-000000000001', name: 'Northwind Atlas' },
        ],
        true,
      ),
    );
    const list = await screen.findByRole('list', { name: 'Your vessels' });
    expect(within(list).getAllByRole('heading').map((h) => h.textContent)).toEqual(['Northwind Atlas', 'Northwind Tern']);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('asks the API before the first sync has completed', async () => {
    const api = mockApi({ 'GET /api/v1/vessels': () => json(200, { items: [vessel('Northwind Spirit')], next_cursor: null }) });
    renderWith(await databaseWith([], false));
    const list = await screen.findByRole('list', { name: 'Your vessels' });
    expect(within(list).getAllByRole('heading').map((h) => h.textContent)).toEqual(['Northwind Spirit']);
    expect(api.to('GET /api/v1/vessels')).toHaveLength(1);
  });
});

/**
 * Browsing from the local replica: once the first sync has completed, a vessel's equipment and
 * an item with its faults and readings show with the server out of reach.
 */
import { screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';

import { freshDatabase } from '../../../sync/test-support';
import type { SyncDatabase, StoredRow } from '../../../sync/database';
import { SessionContext, type SessionValue } from '../../../session/session-context';
import { SyncContext, type SyncClient } from '../../../sync/sync-context';
import { userOf } from '../../../test/mock-api';
import { renderWithQueries } from '../../../test/render';
import { EquipmentPage } from './equipment-page';
import { VesselEquipmentPage } from './vessel-equipment-page';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const PUMP = '01900000-0000-7000-8000-000000000002';
const ENGINE = '01900000-0000-7000-8000-000000000003';
const SCOPE = `vessel:${VESSEL}`;

const row = (entity: string, id: string, fields: Record<string, unknown>, version = 1): StoredRow => ({
  scope: SCOPE,
  entity,
  id,
  version,
  fields: { id, ...fields },
});

const item = (id: string, name: string) =>
  row('equipment', id, {
    vessel_id: VESSEL, parent_id: null, level: 'equipment', area: 'engine_room', name, equipment_type: null,
    maker: 'Wärtsilä', model: null, serial_number: `SN-${name}`, criticality: 'high', status: 'operational',
    specs: {}, qr_code: 'ABCD1234',
  });

async function seeded(): Promise<SyncDatabase> {
  const db = freshDatabase();
  await db.clientMeta(0);
  await db.rows.bulkPut([
    row('vessel', VESSEL, { kind: 'vessel', name: 'Northwind Spirit', vessel_type: null, imo: null, specs: {} }),
    item(PUMP, 'Bilge pump'),
    item(ENGINE, 'Main engine'),
    row('fault', '01900000-0000-7000-8000-00000000000a', {
      vessel_id: VESSEL, equipment_id: ENGINE, severity: 'critical', status: 'open', title: 'Oil leak at cylinder 3',
      observed_at: '2026-03-03T12:00:00Z', resolved_at: null,
    }),
    row('meter_reading', '01900000-0000-7000-8000-00000000000b', {
      equipment_id: ENGINE, hours: 1200, meter_replaced: false, read_at: '2026-03-01T08:00:00Z', recorded_by: null,
    }),
    row('meter_reading', '01900000-0000-7000-8000-00000000000c', {
      equipment_id: ENGINE, hours: 1250.5, meter_replaced: false, read_at: '2026-03-02T08:00:00Z', recorded_by: null,
    }),
  ]);
  await db.meta.update('client', { lastSyncedAt: 1 });
  return db;
}

function renderAt(db: SyncDatabase, path: string) {
  vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
  const sync = { db } as SyncClient;
  const router = createMemoryRouter(
    [
      { path: '/vessels/:id/equipment', element: <VesselEquipmentPage /> },
      { path: '/equipment/:id', element: <EquipmentPage /> },
    ],
    { initialEntries: [path] },
  );
  // The sync client runs only for a signed-in person (the item's photos ask who it is).
  const session: SessionValue = {
    state: { status: 'signed-in', user: userOf('engineer'), mfaEnrollmentRequired: false, offline: true },
    signIn: () => undefined,
    signOut: () => Promise.resolve(),
    markMfaEnrolled: () => undefined,
    updateCompany: () => undefined,
  };
  renderWithQueries(
    <SessionContext value={session}>
      <SyncContext value={sync}>
        <RouterProvider router={router} />
      </SyncContext>
    </SessionContext>,
  );
}

describe('browsing with the network off, from the replica', () => {
  it('lists the vessel’s equipment, an item down by a critical fault marked so', async () => {
    renderAt(await seeded(), `/vessels/${VESSEL}/equipment`);
    const list = await screen.findByRole('list', { name: 'Equipment' });
    expect(within(list).getAllByRole('link').map((a) => a.textContent)).toEqual(['Bilge pump', 'Main engine']);
    expect(screen.getByText('Northwind Spirit')).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('shows an item with its faults and readings', async () => {
    renderAt(await seeded(), `/equipment/${ENGINE}`);
    expect(await screen.findByRole('heading', { name: 'Main engine' })).toBeInTheDocument();
    expect(screen.getByText('Oil leak at cylinder 3')).toBeInTheDocument();
    expect(screen.getAllByText(/1,250\.5|1250\.5/).length).toBeGreaterThan(0);
    expect(fetch).not.toHaveBeenCalled();
  });
});

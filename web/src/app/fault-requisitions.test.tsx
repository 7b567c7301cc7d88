/**
 * A fault's parts as the routes put them together, over the local replica with the network off:
 * the parts orders of old are requisitions with the same ids (ADR 0007 §7), listed under the
 * fault's page by the purchasing feature with part, number, quantity, status, supplier and the
 * prices the rows carry (none for crew); "Request part" for `parts.request` roles while the fault
 * needs work, a fault still on this device included; and `/vessels/:id/parts-orders`, from old
 * links and bookmarks, going to the vessel's requisitions.
 */
import { screen, within } from '@testing-library/react';
import { Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { describe, expect, it } from 'vitest';

import type { Role } from '../api/types';
import type { SyncDatabase } from '../sync/database';
import { SyncEngine } from '../sync/engine';
import { ScriptedTransport } from '../sync/test-support';
import { renderSyncPage, replicaRow, syncedDatabase } from '../test/sync-page';
import { routes } from './routes';

const COMPANY = '01900000-0000-7000-8000-0000000000c1';
const VESSEL = '01900000-0000-7000-8000-000000000001';
const PUMP = '01900000-0000-7000-8000-000000000002';
const NOISE = '01900000-0000-7000-8000-00000000000b';
const FIXED = '01900000-0000-7000-8000-00000000000d';
const ORDER = '01900000-0000-7000-8000-00000000000c';
const SKF = '01900000-0000-7000-8000-0000000000f1';
const SCOPE = `vessel:${VESSEL}`;

/** The route of the app's table at `path`, its lazy pages under a Suspense of its own. */
function route(path: string): RouteObject {
  const found = routes.flatMap((r) => [r, ...(r.children ?? [])]).find((r) => r.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return { path, element: <Suspense fallback={<p>Loading…</p>}>{found.element}</Suspense> };
}

const faultRoutes = ['/faults/:id', '/vessels/:id/parts-orders', '/vessels/:id/requisitions'].map(route);

const fault = (id: string, title: string, status: string) =>
  replicaRow(SCOPE, 'fault', id, {
    vessel_id: VESSEL, equipment_id: PUMP, severity: 'low', status, title, description: '', reported_by: null,
    observed_at: '2026-03-03T12:00:00Z', acknowledged_at: null, assignee_id: null, resolved_at: null,
    resolved_by: null, root_cause: null, resolution: null, closed_at: null,
  }, 9);

/**
 * A parts order of old as the migration made it: a requisition with the order's id, the part
 * named (not in the catalogue), the supplier matched by name; with the prices the reader's role
 * reads (a manager's rows carry them all, crew's none).
 */
function seed(prices: Record<string, number> = {}): Promise<SyncDatabase> {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { name: 'Northwind Spirit' }),
    replicaRow(SCOPE, 'equipment', PUMP, { vessel_id: VESSEL, name: 'Bilge pump', status: 'operational' }),
    fault(NOISE, 'Bearing noise', 'in_progress'),
    fault(FIXED, 'Loose guard', 'resolved'),
    replicaRow(`company:${COMPANY}`, 'supplier', SKF, { name: 'SKF Marine', currency: 'EUR' }, 5),
    replicaRow(SCOPE, 'requisition', ORDER, {
      vessel_id: VESSEL, fault_id: NOISE, work_order_id: null, part_id: null, part_name: 'Bearing', part_number: 'B-6204', unit: 'pcs',
      quantity: '2', received: '0', supplier_id: SKF, currency: 'EUR', status: 'ordered', requested_by: null,
      status_changed_at: '2026-03-04T08:00:00Z', ...prices,
    }, 11),
  ]);
}

const MANAGER_PRICES = {
  supplier_unit_price_minor: 1000,
  supplier_total_minor: 2000,
  markup_basis_points: 2000,
  customer_unit_price_minor: 1200,
  customer_total_minor: 2400,
};

describe('a fault’s parts', () => {
  it('are its requisitions, listed under its page with part, number, quantity, status and supplier; crew see no price', async () => {
    renderSyncPage(await seed(), faultRoutes, `/faults/${NOISE}`, 'crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'Bearing noise' })).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Requisitions for this fault' });
    const [item] = within(list).getAllByRole('listitem');
    expect(within(list).getByRole('link', { name: 'B-6204 Bearing' })).toHaveAttribute('href', `/requisitions/${ORDER}`);
    expect(item).toHaveTextContent('Ordered');
    expect(item).toHaveTextContent('2 pcs');
    expect(await within(list).findByText('SKF Marine')).toBeInTheDocument();
    expect(list).not.toHaveTextContent(/price|total|€|EUR/i);
    // Crew do not request parts.
    expect(screen.queryByRole('link', { name: 'Request part' })).not.toBeInTheDocument();
  });

  it('show a manager the prices their rows carry', async () => {
    renderSyncPage(await seed(MANAGER_PRICES), faultRoutes, `/faults/${NOISE}`, 'manager');
    const list = await screen.findByRole('list', { name: 'Requisitions for this fault' });
    expect(within(list).getByText('Supplier price')).toBeInTheDocument();
    expect(within(list).getByText('Customer total')).toBeInTheDocument();
    expect(list).toHaveTextContent('€10.00');
    expect(list).toHaveTextContent('€24.00');
  });

  it.each<[Role, string, boolean]>([
    ['engineer', NOISE, true],
    ['manager', NOISE, true],
    ['crew', NOISE, false],
    ['viewer', NOISE, false],
    // A fault resolved needs no more parts, as it took no more orders.
    ['engineer', FIXED, false],
  ])('are requested from its page by %s (fault %s): %s', async (role, id, offered) => {
    renderSyncPage(await seed(), faultRoutes, `/faults/${id}`, role);
    await screen.findByRole('heading', { level: 1 });
    await screen.findByRole('heading', { level: 2, name: 'History' });
    if (offered) {
      expect(await screen.findByRole('link', { name: 'Request part' })).toHaveAttribute(
        'href',
        `/vessels/${VESSEL}/requisitions/new?fault=${id}`,
      );
    } else {
      expect(screen.queryByRole('link', { name: 'Request part' })).not.toBeInTheDocument();
    }
  });

  it('are requested for a fault whose report is still on this device, on its item’s vessel', async () => {
    const db = await seed();
    const report = '01900000-0000-7000-8000-0000000000f9';
    await new SyncEngine(db, new ScriptedTransport()).enqueue(
      'report_fault.v1',
      { id: report, equipment_id: PUMP, severity: 'high', title: 'Fire pump will not start', description: '' },
      null,
    );
    renderSyncPage(db, faultRoutes, `/faults/${report}`, 'engineer');
    expect(await screen.findByRole('heading', { level: 1, name: 'Fire pump will not start' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Request part' })).toHaveAttribute(
      'href',
      `/vessels/${VESSEL}/requisitions/new?fault=${report}`,
    );
  });
});

describe('the vessel’s parts orders page of old', () => {
  it('goes to the vessel’s requisitions, in place of the old address', async () => {
    const { router } = renderSyncPage(await seed(), faultRoutes, `/vessels/${VESSEL}/parts-orders`, 'crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'Requisitions on Northwind Spirit' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/vessels/${VESSEL}/requisitions`);
    expect(router.state.historyAction).toBe('REPLACE');
    expect(within(await screen.findByRole('list', { name: 'Requisitions' })).getByRole('link', { name: 'B-6204 Bearing' })).toBeInTheDocument();
  });
});

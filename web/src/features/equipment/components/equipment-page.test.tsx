import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { EquipmentFaultView, FaultView, ReadingView } from '../../../api/types';
import { equipmentDetail, json, mockApi, problem } from '../../../test/mock-api';
import { EquipmentPage } from './equipment-page';
import { renderWithQueries } from '../../../test/render';

function renderPage(id = 'eq-main-engine-1') {
  const router = createMemoryRouter(
    [
      { path: '/equipment/:id', element: <EquipmentPage /> },
      { path: '/vessels/:id/equipment', element: <p>Equipment list stub</p> },
    ],
    { initialEntries: [`/equipment/${id}`] },
  );
  renderWithQueries(<RouterProvider router={router} />);
  return router;
}

/** Lets answers already on their way reach the page. */
async function settle() {
  await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
}

function fault(title: string, overrides: Partial<EquipmentFaultView> = {}): EquipmentFaultView {
  return {
    id: `f-${title.toLowerCase().replace(/\s+/g, '-')}`,
    title,
    severity: 'medium',
    status: 'open',
    observed_at: '2026-03-03T12:00:00Z',
    resolved_at: null,
    ...overrides,
  };
}

function reading(n: number, hours: number, overrides: Partial<ReadingView> = {}): ReadingView {
  return {
    id: `r-${n}`,
    equipment_id: 'eq-main-engine-1',
    hours,
    meter_replaced: false,
    read_at: `2026-03-${String(n).padStart(2, '0')}T12:00:00Z`,
    recorded_by: null,
    ...overrides,
  };
}

/** The fault list's view of a fault: only what the repair-time lookup reads matters here. */
function listedFault(id: string, extra: Partial<FaultView>): FaultView {
  return {
    id,
    vessel_id: 'id-northwind-spirit',
    equipment_id: 'eq-main-engine-1',
    equipment_name: 'Main engine 1',
    equipment_status: 'down',
    severity: 'medium',
    status: 'resolved',
    title: 'x',
    description: 'x',
    reported_by: 'u',
    observed_at: '2026-03-01T12:00:00Z',
    received_at: '2026-03-01T12:00:00Z',
    version: 1,
    created_at: '2026-03-01T12:00:00Z',
    updated_at: '2026-03-01T12:00:00Z',
    ...extra,
  };
}

const mainEngine = equipmentDetail('Main engine 1', {
  level: 'system',
  area: 'engine_room',
  maker: 'MaK',
  model: '8M25',
  serial_number: 'MAK-8M25-0042',
  criticality: 'critical',
  status: 'operational',
  effective_status: 'down',
  running_hours: 12345.5,
  qr_code: 'ABCDEFGHJK',
  parent_id: 'eq-propulsion',
  faults: [
    fault('Exhaust temperature high on cylinder 3', { severity: 'critical', status: 'acknowledged' }),
    fault('Lube oil leak at filter housing', {
      severity: 'low',
      status: 'resolved',
      observed_at: '2026-02-10T12:00:00Z',
      resolved_at: '2026-02-10T15:20:00Z',
    }),
  ],
  readings: [reading(3, 12345.5), reading(2, 12320), reading(1, 4, { meter_replaced: true })],
  readings_total: 3,
});

describe('equipment page', () => {
  it('shows what the item is, its parent, and a clear badge when a critical fault holds it down', async () => {
    const api = mockApi({
      'GET /api/v1/equipment/eq-main-engine-1': () => json(200, mainEngine),
      'GET /api/v1/equipment/eq-propulsion': () => json(200, equipmentDetail('Propulsion', { level: 'system' })),
      'GET /api/v1/faults/active': () => json(200, { items: [], next_cursor: null }),
    });
    renderPage();

    const heading = await screen.findByRole('heading', { level: 1, name: 'Main engine 1' });
    const header = heading.closest('.equipment__header');
    expect(header).toHaveTextContent('System · Engine room');
    expect(within(header as HTMLElement).getByText('Down — critical fault open')).toHaveClass('badge--down');
    // Set in an effect, which may run after the heading shows.
    await waitFor(() => {
      expect(document.title).toBe('Main engine 1 · Bosun');
    });

    const details = screen.getByRole('region', { name: 'Details' });
    const fact = (term: string) => within(details).getByText(term).nextElementSibling?.textContent;
    expect(fact('Maker')).toBe('MaK');
    expect(fact('Model')).toBe('8M25');
    expect(fact('Serial number')).toBe('MAK-8M25-0042');
    expect(fact('Criticality')).toBe('Critical');
    expect(fact('Status')).toBe('Down');
    expect(fact('Recorded status')).toBe('Operational');
    expect(fact('Running hours')).toMatch(/^12,?345\.5 h$/);
    expect(fact('Label code')).toBe('ABCDEFGHJK');
    expect(await within(details).findByRole('link', { name: 'Propulsion' })).toHaveAttribute(
      'href',
      '/equipment/eq-propulsion',
    );
    expect(screen.getByRole('link', { name: 'All equipment on this vessel' })).toHaveAttribute(
      'href',
      '/vessels/id-northwind-spirit/equipment',
    );
    expect(api.to('GET /api/v1/equipment/eq-main-engine-1')).toHaveLength(1);
  });

  it('shows no down badge for an item that runs', async () => {
    mockApi({
      'GET /api/v1/equipment/eq-bilge-pump': () =>
        json(200, equipmentDetail('Bilge pump', { effective_status: 'operational' })),
    });
    renderPage('eq-bilge-pump');
    const heading = await screen.findByRole('heading', { level: 1, name: 'Bilge pump' });
    expect(heading.closest('.equipment__header')).toHaveTextContent('Operational');
    expect(screen.queryByText(/Down/)).not.toBeInTheDocument();
    expect(screen.getByText('No faults reported.')).toBeInTheDocument();
    expect(screen.getByText('No running-hour readings recorded.')).toBeInTheDocument();
    expect(screen.queryByText('Part of')).not.toBeInTheDocument();
  });

  it('says plainly "Down" when the item is recorded down without a critical fault', async () => {
    mockApi({
      'GET /api/v1/equipment/eq-crane': () =>
        json(200, equipmentDetail('Crane', { status: 'down', effective_status: 'down' })),
    });
    renderPage('eq-crane');
    const heading = await screen.findByRole('heading', { level: 1, name: 'Crane' });
    expect(within(heading.closest('.equipment__header') as HTMLElement).getByText('Down')).toHaveClass('badge--down');
    expect(screen.queryByText('Down — critical fault open')).not.toBeInTheDocument();
  });

  it('lists the fault history, without repair times when the server sends none', async () => {
    const api = mockApi({
      'GET /api/v1/equipment/eq-main-engine-1': () => json(200, mainEngine),
      'GET /api/v1/equipment/eq-propulsion': () => json(200, equipmentDetail('Propulsion')),
      // As for crew and viewers: the fault list leaves `repair_seconds` out.
      'GET /api/v1/faults/active': () =>
        json(200, { items: [listedFault('f-lube-oil-leak-at-filter-housing', {})], next_cursor: null }),
    });
    renderPage();

    const faults = await screen.findByRole('list', { name: 'Faults' });
    const rows = within(faults).getAllByRole('listitem');
    expect(rows.map((row) => within(row).getByRole('heading', { level: 3 }).textContent)).toEqual([
      'Exhaust temperature high on cylinder 3',
      'Lube oil leak at filter housing',
    ]);
    const exhaust = screen.getByRole('listitem', { name: 'Exhaust temperature high on cylinder 3' });
    expect(exhaust).toHaveTextContent('SeverityCritical');
    expect(exhaust).toHaveTextContent('StatusAcknowledged');
    expect(within(exhaust).getByText(/2026|Mar/).closest('time')).toHaveAttribute(
      'dateTime',
      '2026-03-03T12:00:00Z',
    );
    const leak = screen.getByRole('listitem', { name: 'Lube oil leak at filter housing' });
    expect(leak).toHaveTextContent('SeverityLow');
    expect(leak).toHaveTextContent('StatusResolved');

    // The lookup was made (there is a resolved fault) and answered without repair times.
    await within(screen.getByRole('region', { name: 'Details' })).findByRole('link', { name: 'Propulsion' });
    await waitFor(() => {
      expect(api.to('GET /api/v1/faults/active')).toHaveLength(1);
    });
    await settle();
    const [lookup] = api.to('GET /api/v1/faults/active');
    expect(lookup?.url.searchParams.get('equipment_id')).toBe('eq-main-engine-1');
    expect(lookup?.url.searchParams.get('status')).toBe('resolved,closed');
    expect(screen.queryByText('Repair time')).not.toBeInTheDocument();
  });

  it('shows the repair time of a resolved fault when the server sends it', async () => {
    mockApi({
      'GET /api/v1/equipment/eq-main-engine-1': () => json(200, mainEngine),
      'GET /api/v1/equipment/eq-propulsion': () => json(200, equipmentDetail('Propulsion')),
      'GET /api/v1/faults/active': () =>
        json(200, {
          items: [listedFault('f-lube-oil-leak-at-filter-housing', { repair_seconds: 3 * 3600 + 20 * 60 })],
          next_cursor: null,
        }),
    });
    renderPage();

    const leak = await screen.findByRole('listitem', { name: 'Lube oil leak at filter housing' });
    expect(await within(leak).findByText('Repair time')).toBeInTheDocument();
    expect(leak).toHaveTextContent('Repair time3 h 20 min');
    const exhaust = screen.getByRole('listitem', { name: 'Exhaust temperature high on cylinder 3' });
    expect(exhaust).not.toHaveTextContent('Repair time');
    await within(screen.getByRole('region', { name: 'Details' })).findByRole('link', { name: 'Propulsion' });
  });

  it('asks for no repair times when nothing in the history is repaired', async () => {
    const api = mockApi({
      'GET /api/v1/equipment/eq-winch': () =>
        json(200, equipmentDetail('Winch', { faults: [fault('Brake slipping', { status: 'in_progress' })] })),
    });
    renderPage('eq-winch');
    expect(await screen.findByRole('listitem', { name: 'Brake slipping' })).toHaveTextContent('StatusIn progress');
    await settle();
    expect(api.to('GET /api/v1/faults/active')).toHaveLength(0);
    expect(screen.queryByText('Repair time')).not.toBeInTheDocument();
  });

  it('lists the latest readings, newest first, with how many there are', async () => {
    mockApi({
      'GET /api/v1/equipment/eq-main-engine-1': () => json(200, mainEngine),
      'GET /api/v1/equipment/eq-propulsion': () => json(200, equipmentDetail('Propulsion')),
      'GET /api/v1/faults/active': () => json(200, { items: [], next_cursor: null }),
    });
    renderPage();

    const table = await screen.findByRole('table', { name: 'Latest readings' });
    await within(screen.getByRole('region', { name: 'Details' })).findByRole('link', { name: 'Propulsion' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[1]?.textContent)).toEqual([
      expect.stringMatching(/^12,?345\.5 h$/),
      expect.stringMatching(/^12,?320 h$/),
      '4 h',
    ]);
    expect(rows[2]).toHaveTextContent('new meter');
    expect(rows[0]?.querySelector('time')).toHaveAttribute('dateTime', '2026-03-03T12:00:00Z');
    expect(screen.getByText('3 readings.')).toBeInTheDocument();
  });

  it('says from the API, before the first sync, that an item counts its parent’s running hours', async () => {
    mockApi({
      'GET /api/v1/equipment/eq-turbo': () =>
        json(200, equipmentDetail('Turbocharger', {
          parent_id: 'eq-main-engine-1',
          meter_link: {
            equipment_id: 'eq-turbo', parent_id: 'eq-main-engine-1', child_base: 0, parent_base: 12320,
            linked_by: 'u', linked_at: '2026-03-02T12:00:00Z',
          },
        })),
      'GET /api/v1/equipment/eq-main-engine-1': () => json(200, mainEngine),
      'GET /api/v1/faults/active': () => json(200, { items: [], next_cursor: null }),
    });
    renderPage('eq-turbo');
    const card = await screen.findByRole('region', { name: 'Running hours' });
    await within(card).findByRole('link', { name: 'Main engine 1' });
    const said = within(card).getByText((_, element) => element?.tagName === 'P' && /^Counts Main engine 1’s running hours since/.test(element.textContent));
    expect(said).toHaveTextContent(/since .*2026 — it runs only while its parent runs\.$/);
    expect(said.querySelector('time')).toHaveAttribute('dateTime', '2026-03-02T12:00:00Z');
  });

  it('shows only the latest ten readings of many', async () => {
    const readings = Array.from({ length: 12 }, (_, i) => reading(28 - i, 1000 - i));
    mockApi({
      'GET /api/v1/equipment/eq-genset': () =>
        json(200, equipmentDetail('Genset', { readings, readings_total: 180, running_hours: 1000 })),
    });
    renderPage('eq-genset');
    const table = await screen.findByRole('table', { name: 'Latest readings' });
    expect(within(table).getAllByRole('row')).toHaveLength(11);
    expect(screen.getByText('The latest 10 of 180 readings.')).toBeInTheDocument();
  });

  it('says so when the item does not exist, and retries other failures', async () => {
    mockApi({ 'GET /api/v1/equipment/eq-gone': () => problem(404, 'not_found', 'Not found') });
    renderPage('eq-gone');
    expect(await screen.findByRole('heading', { level: 1, name: 'Equipment not found' })).toBeInTheDocument();
  });

  it('shows a failure and loads again on "Try again"', async () => {
    mockApi({
      'GET /api/v1/equipment/eq-bilge-pump': [
        () => problem(503, 'unavailable', 'Service unavailable', 'The database is busy'),
        () => json(200, equipmentDetail('Bilge pump')),
      ],
    });
    renderPage('eq-bilge-pump');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Service unavailable — The database is busy');
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Bilge pump' })).toBeInTheDocument();
  });
});

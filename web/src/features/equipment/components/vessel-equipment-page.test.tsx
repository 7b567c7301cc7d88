import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { EquipmentView } from '../../../api/types';
import { equipmentItem, json, mockApi, problem, vessel } from '../../../test/mock-api';
import { VesselEquipmentPage } from './vessel-equipment-page';
import { renderWithQueries } from '../../../test/render';

const VESSEL = 'id-northwind-spirit';
const LIST = `GET /api/v1/equipment/by-vessel/${VESSEL}`;

function renderList(path = `/vessels/${VESSEL}/equipment`) {
  const router = createMemoryRouter(
    [
      { path: '/vessels/:id/equipment', element: <VesselEquipmentPage /> },
      { path: '/equipment/:id', element: <h1>Item stub</h1> },
    ],
    { initialEntries: [path] },
  );
  renderWithQueries(<RouterProvider router={router} />);
  return router;
}

const page = (items: EquipmentView[], next_cursor: string | null = null) =>
  json(200, { view: 'flat', items, next_cursor });

/** The links drawn in the tree, indented by depth. */
const shown = () =>
  within(screen.getByRole('list', { name: 'Equipment' }))
    .getAllByRole('link')
    .map((a) => {
      let depth = 0;
      for (let at = a.closest('ul'); at && at.getAttribute('aria-label') !== 'Equipment'; at = at.parentElement?.closest('ul') ?? null) depth += 1;
      return `${'  '.repeat(depth)}${a.textContent}`;
    });

const ENGINE = equipmentItem('Main engine 1', { level: 'system', maker: 'MaK', model: '8M25', serial_number: 'MAK-0042' });
const REGISTRY = [
  ENGINE,
  equipmentItem('Jacket water pump', { parent_id: ENGINE.id, serial_number: 'JW-7' }),
  equipmentItem('Impeller', { level: 'component', parent_id: 'eq-jacket-water-pump', criticality: 'critical' }),
  equipmentItem('Steering gear', { level: 'system', area: 'deck' }),
  equipmentItem('Fuel purifier', { status: 'operational', effective_status: 'down' }),
];

describe('vessel equipment tree', () => {
  it('reads every page from the API before the first sync and shows the top level, collapsed', async () => {
    const api = mockApi({
      [`GET /api/v1/vessels/${VESSEL}`]: () => json(200, { ...vessel('Northwind Spirit'), departments: [] }),
      [LIST]: (request) =>
        request.url.searchParams.get('cursor') === 'page-2' ? page(REGISTRY.slice(2)) : page(REGISTRY.slice(0, 2), 'page-2'),
    });
    const user = userEvent.setup();
    renderList();

    expect(await screen.findByRole('heading', { level: 1, name: 'Equipment' })).toBeInTheDocument();
    await screen.findByRole('list', { name: 'Equipment' });
    expect(shown()).toEqual(['Fuel purifier', 'Main engine 1', 'Steering gear']);
    expect(screen.getByText('5 items')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Main engine 1' })).toHaveAttribute('href', '/equipment/eq-main-engine-1');
    const engineRow = screen.getByRole('link', { name: 'Main engine 1' }).closest('li');
    expect(engineRow).toHaveTextContent('System · Engine room · MaK 8M25 · S/N MAK-0042 · 2 below');
    expect(screen.getByRole('link', { name: 'Fuel purifier' }).closest('li')).toHaveTextContent('Down — critical fault open');
    expect(await screen.findByText('Northwind Spirit')).toBeInTheDocument();

    // Expanding, by keyboard too: a button saying whether it is open.
    const toggle = screen.getByRole('button', { name: 'Items under Main engine 1' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    toggle.focus();
    await user.keyboard('{Enter}');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(shown()).toEqual(['Fuel purifier', 'Main engine 1', '  Jacket water pump', 'Steering gear']);
    await user.click(screen.getByRole('button', { name: 'Items under Jacket water pump' }));
    expect(shown()).toContain('    Impeller');
    await user.click(toggle);
    expect(shown()).toEqual(['Fuel purifier', 'Main engine 1', 'Steering gear']);

    const calls = api.to(LIST);
    expect(calls.map((c) => c.url.searchParams.get('cursor'))).toEqual([null, 'page-2']);
    expect(calls[0]?.url.searchParams.get('view')).toBe('flat');
  });

  it('searches name, serial number and maker on the device, showing matches with the items above them', async () => {
    const api = mockApi({ [LIST]: () => page(REGISTRY) });
    const user = userEvent.setup();
    const router = renderList();
    await screen.findByRole('list', { name: 'Equipment' });

    const search = within(screen.getByRole('search')).getByLabelText('Search equipment');
    await user.type(search, 'jw-7{Enter}');
    await waitFor(() => {
      expect(shown()).toEqual(['Main engine 1', '  Jacket water pump']);
    });
    expect(router.state.location.search).toBe('?q=jw-7');
    expect(screen.getByText('1 item matches “jw-7” (of 5 items)')).toBeInTheDocument();

    await user.clear(search);
    await user.type(search, 'nothing{Enter}');
    expect(await screen.findByText('No equipment matches “nothing”.')).toBeInTheDocument();

    await user.clear(search);
    await waitFor(() => {
      expect(shown()).toEqual(['Fuel purifier', 'Main engine 1', 'Steering gear']);
    });
    expect(router.state.location.search).toBe('');
    // One read of the list: searching asks the server nothing.
    expect(api.to(LIST)).toHaveLength(1);
  });

  it('filters by criticality, area and status, kept in the address', async () => {
    mockApi({ [LIST]: () => page(REGISTRY) });
    const user = userEvent.setup();
    const router = renderList(`/vessels/${VESSEL}/equipment?criticality=critical`);
    await screen.findByRole('list', { name: 'Equipment' });
    expect(shown()).toEqual(['Main engine 1', '  Jacket water pump', '    Impeller']);
    expect(screen.getByLabelText('Criticality')).toHaveValue('critical');

    await user.selectOptions(screen.getByLabelText('Criticality'), '');
    await user.selectOptions(screen.getByLabelText('Area'), 'deck');
    expect(router.state.location.search).toBe('?area=deck');
    expect(shown()).toEqual(['Steering gear']);

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.click(screen.getByLabelText('Open faults or down'));
    expect(router.state.location.search).toBe('?faults=open');
    expect(shown()).toEqual(['Fuel purifier']);
  });

  it('chooses items, or a whole system, for a sheet of QR labels', async () => {
    mockApi({ [LIST]: () => page(REGISTRY) });
    const user = userEvent.setup();
    renderList();
    await screen.findByRole('list', { name: 'Equipment' });
    await user.click(screen.getByRole('button', { name: 'Choose QR labels to print' }));
    await user.click(screen.getByRole('checkbox', { name: 'Labels for Main engine 1 and the items below it' }));
    await user.click(screen.getByRole('checkbox', { name: 'Label for Fuel purifier' }));
    expect(screen.getByRole('link', { name: 'Print labels for 2 choices' })).toHaveAttribute(
      'href',
      `/vessels/${VESSEL}/labels?under=eq-main-engine-1,eq-fuel-purifier`,
    );
  });

  it('shows a failure and loads again on "Try again"', async () => {
    mockApi({
      [LIST]: [() => problem(404, 'not_found', 'Not found', 'No such vessel'), () => page([equipmentItem('Bilge pump')])],
    });
    renderList();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not found — No such vessel');
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'Bilge pump' })).toBeInTheDocument();
  });

  it('says so when the vessel has no equipment', async () => {
    mockApi({ [LIST]: () => page([]) });
    renderList();
    expect(await screen.findByText('No equipment is registered on this vessel yet.')).toBeInTheDocument();
  });
});

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

const shownNames = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .map((item) => within(item).getByRole('link').textContent);

describe('vessel equipment page', () => {
  it("lists the vessel's items as links, page by page on \"Show more\"", async () => {
    const api = mockApi({
      [`GET /api/v1/vessels/${VESSEL}`]: () => json(200, { ...vessel('Northwind Spirit'), departments: [] }),
      [LIST]: (request) =>
        request.url.searchParams.get('cursor') === 'page-2'
          ? page([
              equipmentItem('Steering gear', { area: 'deck' }),
              equipmentItem('Jacket water pump', { level: 'component', parent_id: 'eq-main-engine-1' }),
              equipmentItem('Bilge pump', { level: 'component', parent_id: 'eq-not-loaded' }),
            ])
          : page(
              [
                equipmentItem('Main engine 1', {
                  level: 'system',
                  maker: 'MaK',
                  model: '8M25',
                  serial_number: 'MAK-0042',
                }),
                equipmentItem('Fuel purifier', { status: 'operational', effective_status: 'down' }),
              ],
              'page-2',
            ),
    });
    const user = userEvent.setup();
    renderList();

    expect(await screen.findByRole('heading', { level: 1, name: 'Equipment' })).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Equipment' });
    expect(shownNames(list)).toEqual(['Main engine 1', 'Fuel purifier']);
    expect(screen.getByRole('link', { name: 'Main engine 1' })).toHaveAttribute('href', '/equipment/eq-main-engine-1');
    expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent(
      'System · Engine room · MaK 8M25 · S/N MAK-0042',
    );
    expect(within(list).getAllByRole('listitem')[1]).toHaveTextContent('Down — critical fault open');
    expect(screen.getByText('Showing the first 2 items')).toBeInTheDocument();
    expect(await screen.findByText('Northwind Spirit')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Show more' }));

    await waitFor(() => {
      expect(shownNames(screen.getByRole('list', { name: 'Equipment' }))).toEqual([
        'Main engine 1',
        'Fuel purifier',
        'Steering gear',
        'Jacket water pump',
        'Bilge pump',
      ]);
    });
    const rows = within(screen.getByRole('list', { name: 'Equipment' })).getAllByRole('listitem');
    // The parent is named when it is among the items loaded, else the level stands there.
    expect(rows[3]).toHaveTextContent('in Main engine 1 · Engine room');
    expect(rows[4]).toHaveTextContent('Component · Engine room');
    expect(screen.queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();
    expect(screen.getByText('5 items')).toBeInTheDocument();

    const calls = api.to(LIST);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.url.searchParams.get('view')).toBe('flat');
    expect(calls[0]?.url.searchParams.get('cursor')).toBeNull();
    expect(calls[0]?.url.searchParams.get('q')).toBeNull();
    expect(calls[1]?.url.searchParams.get('view')).toBe('flat');
    expect(calls[1]?.url.searchParams.get('cursor')).toBe('page-2');
  });

  it('searches by name or serial number with q, and keeps the search in the address', async () => {
    const api = mockApi({
      [LIST]: (request) => {
        const q = request.url.searchParams.get('q');
        if (q === 'pump') {
          return request.url.searchParams.get('cursor') === 'p2'
            ? page([equipmentItem('Fire pump')])
            : page([equipmentItem('Bilge pump'), equipmentItem('Ballast pump')], 'p2');
        }
        if (q === 'nothing') return page([]);
        return page([equipmentItem('Main engine 1'), equipmentItem('Bilge pump')]);
      },
    });
    const user = userEvent.setup();
    const router = renderList();
    await screen.findByRole('list', { name: 'Equipment' });

    const search = within(screen.getByRole('search')).getByLabelText('Search equipment');
    await user.type(search, 'pump{Enter}');

    await waitFor(() => {
      expect(shownNames(screen.getByRole('list', { name: 'Equipment' }))).toEqual(['Bilge pump', 'Ballast pump']);
    });
    expect(router.state.location.search).toBe('?q=pump');
    // The further pages are of the same search.
    await user.click(screen.getByRole('button', { name: 'Show more' }));
    await waitFor(() => {
      expect(shownNames(screen.getByRole('list', { name: 'Equipment' }))).toEqual([
        'Bilge pump',
        'Ballast pump',
        'Fire pump',
      ]);
    });
    expect(screen.getByText('3 items found')).toBeInTheDocument();
    const searches = api.to(LIST).filter((r) => r.url.searchParams.get('q') === 'pump');
    expect(searches.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'p2']);

    await user.clear(search);
    await user.type(search, 'nothing{Enter}');
    expect(await screen.findByText('No equipment matches “nothing”.')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Equipment' })).not.toBeInTheDocument();

    await user.clear(search);
    await waitFor(() => {
      expect(shownNames(screen.getByRole('list', { name: 'Equipment' }))).toEqual(['Main engine 1', 'Bilge pump']);
    });
    expect(router.state.location.search).toBe('');
  });

  it('searches as the person types, after a pause', async () => {
    const api = mockApi({
      [LIST]: (request) =>
        request.url.searchParams.get('q') === 'MAK-0042'
          ? page([equipmentItem('Main engine 1')])
          : page([equipmentItem('Main engine 1'), equipmentItem('Bilge pump')]),
    });
    renderList();
    await screen.findByRole('list', { name: 'Equipment' });

    await userEvent.setup().type(screen.getByLabelText('Search equipment'), 'MAK-0042');

    await waitFor(() => {
      expect(shownNames(screen.getByRole('list', { name: 'Equipment' }))).toEqual(['Main engine 1']);
    });
    // One search for the whole word, not one per key.
    expect(api.to(LIST).map((r) => r.url.searchParams.get('q'))).toEqual([null, 'MAK-0042']);
  });

  it('starts from the search in the address', async () => {
    const api = mockApi({ [LIST]: () => page([equipmentItem('Bilge pump')]) });
    renderList(`/vessels/${VESSEL}/equipment?q=bilge`);
    await screen.findByRole('list', { name: 'Equipment' });
    expect(screen.getByLabelText('Search equipment')).toHaveValue('bilge');
    expect(api.to(LIST)[0]?.url.searchParams.get('q')).toBe('bilge');
    expect(screen.getByText('1 item found')).toBeInTheDocument();
  });

  it('shows a failure and loads again on "Try again"', async () => {
    mockApi({
      [LIST]: [
        () => problem(404, 'not_found', 'Not found', 'No such vessel'),
        () => page([equipmentItem('Bilge pump')]),
      ],
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

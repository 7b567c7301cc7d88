import { onlineManager } from '@tanstack/react-query';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { json, mockApi, problem, vessel } from '../../../test/mock-api';
import { VesselsPage } from './vessels-page';
import { renderWithQueries } from '../../../test/render';

function renderVessels() {
  renderWithQueries(
    <MemoryRouter initialEntries={['/vessels']}>
      <VesselsPage />
    </MemoryRouter>,
  );
}

describe('vessels page', () => {
  it('lists every vessel, following next_cursor across pages', async () => {
    const api = mockApi({
      'GET /api/v1/vessels': (request) =>
        request.url.searchParams.get('cursor') === 'page-2'
          ? json(200, { items: [vessel('Northwind Atlas', { kind: 'site' })], next_cursor: null })
          : json(200, {
              items: [
                vessel('Northwind Spirit', { imo: '9074729', vessel_type: 'Platform supply vessel' }),
                vessel('Northwind Tern'),
              ],
              next_cursor: 'page-2',
            }),
    });
    renderVessels();

    const list = await screen.findByRole('list', { name: 'Your vessels' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('heading').textContent)).toEqual([
      'Northwind Spirit',
      'Northwind Tern',
      'Northwind Atlas',
    ]);
    const spirit = screen.getByRole('listitem', { name: 'Northwind Spirit' });
    expect(spirit).toHaveTextContent('IMO9074729');
    expect(spirit).toHaveTextContent('TypePlatform supply vessel');
    expect(spirit).toHaveTextContent('KindVessel');
    const tern = screen.getByRole('listitem', { name: 'Northwind Tern' });
    expect(tern).not.toHaveTextContent('IMO');
    expect(screen.getByRole('listitem', { name: 'Northwind Atlas' })).toHaveTextContent('KindShore site');
    expect(screen.getByText('3 vessels')).toBeInTheDocument();
    expect(within(spirit).getByRole('link', { name: 'Equipment of Northwind Spirit' })).toHaveAttribute(
      'href',
      '/vessels/id-northwind-spirit/equipment',
    );

    const calls = api.to('GET /api/v1/vessels');
    expect(calls).toHaveLength(2);
    expect(calls[0]?.url.searchParams.get('cursor')).toBeNull();
    expect(calls[1]?.url.searchParams.get('cursor')).toBe('page-2');
  });

  it('says so when the person has no vessel', async () => {
    mockApi({ 'GET /api/v1/vessels': () => json(200, { items: [], next_cursor: null }) });
    renderVessels();
    expect(await screen.findByText(/not assigned to any vessel/)).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows the problem and loads again on "Try again"', async () => {
    mockApi({
      'GET /api/v1/vessels': [
        () => problem(503, 'unavailable', 'Service unavailable', 'The database is busy'),
        () => json(200, { items: [vessel('Northwind Tern')], next_cursor: null }),
      ],
    });
    renderVessels();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Service unavailable — The database is busy');

    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByText('1 vessel')).toBeInTheDocument();
  });
});

describe('vessels page offline', () => {
  it('says the vessels load when the connection returns, and loads them then', async () => {
    let online = false;
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
    onlineManager.setOnline(false);
    try {
      const api = mockApi({ 'GET /api/v1/vessels': () => json(200, { items: [vessel('Northwind Tern')], next_cursor: null }) });
      renderVessels();
      expect(
        await screen.findByText('You are offline: the vessels load when the connection returns.'),
      ).toBeInTheDocument();
      expect(api.requests).toHaveLength(0);

      online = true;
      act(() => {
        onlineManager.setOnline(true);
      });
      expect(await screen.findByRole('listitem', { name: 'Northwind Tern' })).toBeInTheDocument();
    } finally {
      onlineManager.setOnline(true);
    }
  });
});

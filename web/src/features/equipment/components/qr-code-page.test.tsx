import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider, useParams } from 'react-router';
import { describe, expect, it } from 'vitest';
import { equipmentItem, json, mockApi, problem } from '../../../test/mock-api';
import { QrCodePage } from './qr-code-page';
import { renderWithQueries } from '../../../test/render';

function ItemStub() {
  const { id } = useParams();
  return <h1>Item {id}</h1>;
}

/** The app as far as a scan goes: something before it in history, the scan, the item's page. */
function renderScan(code: string) {
  const router = createMemoryRouter(
    [
      { path: '/vessels', element: <h1>Vessels stub</h1> },
      { path: '/q/:code', element: <QrCodePage /> },
      { path: '/equipment/:id', element: <ItemStub /> },
    ],
    { initialEntries: ['/vessels', `/q/${code}`] },
  );
  renderWithQueries(<RouterProvider router={router} />);
  return router;
}

describe('QR code page', () => {
  it("replaces itself with the item's page of the scanned code", async () => {
    const api = mockApi({
      'GET /api/v1/equipment/by-qr/ABCDEFGHJK': () => json(200, equipmentItem('Main engine 1')),
    });
    const router = renderScan('ABCDEFGHJK');

    expect(await screen.findByRole('heading', { name: 'Item eq-main-engine-1' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/equipment/eq-main-engine-1');
    expect(router.state.historyAction).toBe('REPLACE');
    expect(api.to('GET /api/v1/equipment/by-qr/ABCDEFGHJK')).toHaveLength(1);

    // "Back" skips the lookup.
    await act(() => router.navigate(-1));
    expect(router.state.location.pathname).toBe('/vessels');
  });

  it('passes the code on as scanned, encoded', async () => {
    const api = mockApi({
      'GET /api/v1/equipment/by-qr/abc%20def': () => json(200, equipmentItem('Bilge pump')),
    });
    const router = renderScan('abc%20def');
    expect(await screen.findByRole('heading', { name: 'Item eq-bilge-pump' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/equipment/eq-bilge-pump');
    expect(api.requests).toHaveLength(1);
  });

  it('says plainly that no equipment has an unknown code', async () => {
    mockApi({
      'GET /api/v1/equipment/by-qr/NOSUCHCODE': () => problem(404, 'not_found', 'Not found'),
    });
    const router = renderScan('NOSUCHCODE');

    expect(
      await screen.findByRole('heading', { level: 1, name: 'No equipment with code “NOSUCHCODE”' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to your vessels' })).toHaveAttribute('href', '/vessels');
    expect(router.state.location.pathname).toBe('/q/NOSUCHCODE');
    await waitFor(() => {
      expect(document.title).toBe('Unknown code · Bosun');
    });
  });

  it('shows other failures and looks the code up again on "Try again"', async () => {
    mockApi({
      'GET /api/v1/equipment/by-qr/ABCDEFGHJK': [
        () => problem(503, 'unavailable', 'Service unavailable', 'The database is busy'),
        () => json(200, equipmentItem('Main engine 1')),
      ],
    });
    const router = renderScan('ABCDEFGHJK');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Service unavailable — The database is busy');
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('heading', { name: 'Item eq-main-engine-1' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/equipment/eq-main-engine-1');
  });
});

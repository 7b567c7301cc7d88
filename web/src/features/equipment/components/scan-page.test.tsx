/**
 * Scanning: what counts as a Bosun label, and the page going to `/q/:code` from a typed code or
 * a photo (the decoder mocked: jsdom draws no images), or saying what it read is not a label.
 */
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';

import { renderWithQueries } from '../../../test/render';
import { labelCode, parseQrCode } from '../api/label-address';
import { ScanPage } from './scan-page';

const decoded = vi.hoisted((): { value: string | null } => ({ value: 'https://bosun.example/q/7Q2MK9XW4B' }));
vi.mock('./qr-detector', () => ({
  createQrDetector: () =>
    Promise.resolve({ detect: () => Promise.resolve(decoded.value === null ? [] : [{ rawValue: decoded.value }]) }),
}));

describe('reading a label', () => {
  it('takes a label address on any host, or the code alone, read as the server reads codes', () => {
    expect(labelCode('https://bosun.example/q/7Q2MK9XW4B')).toBe('7Q2MK9XW4B');
    expect(labelCode('http://10.0.0.5:8080/fleet/q/7q2m-k9xw-4b/')).toBe('7Q2MK9XW4B');
    expect(labelCode(' 7q2m k9xw 4b ')).toBe('7Q2MK9XW4B');
    // Crockford: I and L are 1, O is 0.
    expect(parseQrCode('ILO0000000')).toBe('1100000000');
  });

  it('refuses anything else', () => {
    expect(labelCode('https://example.com/products/123')).toBeNull();
    expect(labelCode('https://bosun.example/q/TOO-SHORT')).toBeNull();
    expect(labelCode('https://bosun.example/q/7Q2MK9XW4B/extra')).toBeNull();
    expect(labelCode('WIFI:S:ship;T:WPA;P:secret;;')).toBeNull();
    expect(labelCode('7Q2MK9XW4U')).toBeNull();
    expect(labelCode('')).toBeNull();
  });
});

function renderScan() {
  const router = createMemoryRouter(
    [
      { path: '/scan', element: <ScanPage /> },
      { path: '/q/:code', element: <h1>Label stub</h1> },
    ],
    { initialEntries: ['/scan'] },
  );
  renderWithQueries(<RouterProvider router={router} />);
  return router;
}

describe('the scan page', () => {
  it('opens the item of a typed code', async () => {
    const router = renderScan();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Label code'), '7q2m-k9xw-4b');
    await user.click(screen.getByRole('button', { name: 'Open the item' }));
    expect(router.state.location.pathname).toBe('/q/7Q2MK9XW4B');
  });

  it('decodes a photo of a label and opens its item; says so when a photo holds something else', async () => {
    const router = renderScan();
    const user = userEvent.setup();
    const photo = new File(['png'], 'label.png', { type: 'image/png' });

    decoded.value = 'https://example.com/not-ours';
    await user.upload(screen.getByLabelText('Scan from a photo'), photo);
    expect(await screen.findByRole('alert')).toHaveTextContent('Not a Bosun label: “https://example.com/not-ours”.');

    decoded.value = null;
    await user.upload(screen.getByLabelText('Scan from a photo'), photo);
    expect(await screen.findByText(/No QR code found in that photo/)).toBeInTheDocument();

    decoded.value = 'https://bosun.example/q/7Q2MK9XW4B';
    await user.upload(screen.getByLabelText('Scan from a photo'), photo);
    await vi.waitFor(() => {
      expect(router.state.location.pathname).toBe('/q/7Q2MK9XW4B');
    });
  });

  it('explains a missing camera and offers the photo and the typed code', async () => {
    // jsdom has no camera API, as a browser outside a secure context has none.
    expect('mediaDevices' in navigator).toBe(false);
    renderScan();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Start the camera' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No camera could be opened on this device. Take a photo of the label, or type its code below.',
    );
  });

  it('explains a refused camera', async () => {
    const getUserMedia = vi.fn(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true });
    renderScan();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Start the camera' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The camera was not allowed.');
    expect(getUserMedia).toHaveBeenCalledWith({ video: { facingMode: 'environment' }, audio: false });
    Reflect.deleteProperty(navigator, 'mediaDevices');
  });
});

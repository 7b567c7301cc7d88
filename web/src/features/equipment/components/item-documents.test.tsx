/**
 * An item's documents offline: those kept on the device say so, with their size, and open; the
 * others say they need the connection; "Remove from device" deletes the bytes kept.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { replicaRow, renderSyncPage, syncedDatabase } from '../../../test/sync-page';
import { keepDocument } from '../api/kept-documents';
import { ItemDocuments } from './item-documents';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const ENGINE = '01900000-0000-7000-8000-000000000003';
const MANUAL = '01900000-0000-7000-8000-00000000000d';
const DRAWING = '01900000-0000-7000-8000-00000000000e';
const SCOPE = `vessel:${VESSEL}`;

const attachment = (id: string, fileName: string) =>
  replicaRow(SCOPE, 'attachment', id, {
    parent_kind: 'equipment', parent_id: ENGINE, vessel_id: VESSEL, kind: 'document', file_name: fileName,
    content_type: 'application/pdf', size_bytes: 2_400_000, sha256: 'x', has_thumbnail: false, uploaded_by: 'u',
    created_at: '2026-01-01T00:00:00Z',
  });

const routes = [{ path: '/equipment/:id', element: <ItemDocuments equipmentId={ENGINE} /> }];

describe('an item’s documents offline', () => {
  it('opens those kept on this device and says the others need the connection', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const db = await syncedDatabase([
      replicaRow(SCOPE, 'equipment', ENGINE, {
        vessel_id: VESSEL, parent_id: null, level: 'system', area: 'engine_room', name: 'Main engine', equipment_type: null,
        maker: null, model: null, serial_number: null, criticality: 'high', status: 'operational', specs: {}, qr_code: 'ABCDEFGHJK',
      }),
      attachment(MANUAL, 'Operating manual.pdf'),
      attachment(DRAWING, 'Drawing.pdf'),
    ]);
    await keepDocument(
      db,
      { id: MANUAL, file_name: 'Operating manual.pdf', content_type: 'application/pdf', size_bytes: 2_400_000, created_at: '' },
      new Uint8Array(2_400_000).buffer,
      'opened',
      1,
    );
    renderSyncPage(db, routes, `/equipment/${ENGINE}`, 'crew');
    const list = await screen.findByRole('list', { name: 'Documents' });
    expect(screen.getByText('Offline: documents on this device open; the others need the connection.')).toBeInTheDocument();

    const [drawing, manual] = within(list).getAllByRole('listitem');
    if (!drawing || !manual) throw new Error('two documents are listed');
    await within(manual).findByText('On this device · 2.3 MB');
    expect(within(manual).getByRole('button', { name: 'Download Operating manual.pdf' })).toBeEnabled();
    expect(within(manual).getByRole('button', { name: 'Open Operating manual.pdf' })).toBeEnabled();
    // Chosen with one tap, with the network off: the bytes are already here.
    await userEvent.click(within(manual).getByRole('button', { name: 'Keep offline Operating manual.pdf' }));
    await within(manual).findByText('On this device · 2.3 MB · kept offline');

    expect(within(drawing).getByText('Needs the connection: not kept on this device.')).toBeInTheDocument();
    expect(within(drawing).getByRole('button', { name: 'Download Drawing.pdf' })).toBeDisabled();
    expect(within(drawing).getByRole('button', { name: 'Keep offline Drawing.pdf' })).toBeDisabled();
    expect(within(drawing).queryByRole('button', { name: /Remove from device/ })).toBeNull();

    await userEvent.click(within(manual).getByRole('button', { name: 'Remove from device Operating manual.pdf' }));
    await within(manual).findByText('Needs the connection: not kept on this device.');
    expect(await db.documents.count()).toBe(0);
    expect(await db.documentFiles.count()).toBe(0);
  });
});

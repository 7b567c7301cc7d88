import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';

import { changeLines } from '../sync/change-list';
import type { OutboxEntry, PhotoEntry } from '../sync/database';
import { replicaRow, renderSyncPage, syncedDatabase } from '../test/sync-page';
import { PhotoGallery } from './photo-gallery';
import { queuePhoto } from './photo-queue';
import { keepThumbnail } from './thumbnails';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const FAULT = '01900000-0000-7000-8000-0000000000f1';
const ON_SERVER = '01900000-0000-7000-8000-0000000000a1';
const SCOPE = `vessel:${VESSEL}`;
const THUMB = 'data:image/jpeg;base64,AAAA';

const routes = [{ path: '/f/:id', element: <PhotoGallery parentKind="fault" parentId={FAULT} vesselId={VESSEL} /> }];

describe('a record’s photos', () => {
  test('shows the server’s (its thumbnail kept on the device, offline) and those on this device, which can be removed', async () => {
    const db = await syncedDatabase([
      replicaRow(SCOPE, 'attachment', ON_SERVER, {
        parent_kind: 'fault', parent_id: FAULT, vessel_id: VESSEL, kind: 'photo', file_name: 'leak.jpg',
        content_type: 'image/jpeg', created_at: '2026-03-03T12:00:00Z',
      }),
    ]);
    await keepThumbnail(db, ON_SERVER, THUMB, 1);
    await queuePhoto(db, { key: 'k', fileName: 'gauge.jpg', full: new Uint8Array(100).buffer, contentType: 'image/jpeg', sha256: 'a'.repeat(64), thumbnailUrl: 'data:image/jpeg;base64,BBBB' }, { kind: 'fault', id: FAULT, vesselId: VESSEL }, 5);
    renderSyncPage(db, routes, '/f/1', 'crew');

    const list = await screen.findByRole('list', { name: 'Photos' });
    const server = await within(list).findByRole('img', { name: 'Photo leak.jpg' });
    expect(server).toHaveAttribute('src', THUMB);
    const local = within(list).getByRole('img', { name: 'Photo gauge.jpg' });
    expect(local).toHaveAttribute('data-source', 'device');
    expect(within(list).getByText('on this device')).toBeInTheDocument();
    expect(screen.getByLabelText('Add photo')).toHaveAttribute('capture', 'environment');

    await userEvent.click(within(list).getByRole('button', { name: 'Remove photo gauge.jpg' }));
    expect(await db.photos.count()).toBe(0);
    expect(await db.photoFiles.count()).toBe(0);
  });

  test('offline, a photo opens to its kept thumbnail with a sentence; one never seen cannot be opened', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const NEVER_SEEN = '01900000-0000-7000-8000-0000000000a2';
    const photoRow = (id: string, name: string, at: string) =>
      replicaRow(SCOPE, 'attachment', id, {
        parent_kind: 'fault', parent_id: FAULT, vessel_id: VESSEL, kind: 'photo', file_name: name, content_type: 'image/jpeg', created_at: at,
      });
    const db = await syncedDatabase([photoRow(ON_SERVER, 'leak.jpg', '2026-03-03T12:00:00Z'), photoRow(NEVER_SEEN, 'valve.jpg', '2026-03-04T12:00:00Z')]);
    await keepThumbnail(db, ON_SERVER, THUMB, 1);
    renderSyncPage(db, routes, '/f/1', 'crew');

    const list = await screen.findByRole('list', { name: 'Photos' });
    await within(list).findByRole('img', { name: 'Photo leak.jpg' });
    expect(within(list).getByRole('button', { name: 'Open photo valve.jpg' })).toBeDisabled();
    expect(within(list).getByText('Shown when online')).toBeInTheDocument();

    await userEvent.click(within(list).getByRole('button', { name: 'Open photo leak.jpg' }));
    const viewer = screen.getByRole('dialog', { name: 'leak.jpg' });
    expect(within(viewer).getByRole('status')).toHaveTextContent('The full photo needs the connection; this is the preview kept on this device.');
    expect(within(viewer).getByRole('img', { name: 'Photo leak.jpg, preview' })).toHaveAttribute('src', THUMB);
  });

  test('a viewer sees photos but is not offered the camera', async () => {
    const db = await syncedDatabase([]);
    renderSyncPage(db, routes, '/f/1', 'viewer');
    expect(await screen.findByText('No photos yet.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Add photo')).toBeNull();
  });

  test('a pending photo (its thumbnail sent first) shows its thumbnail with a note; its full image is not there yet', async () => {
    const db = await syncedDatabase([
      replicaRow(SCOPE, 'attachment', ON_SERVER, {
        parent_kind: 'fault', parent_id: FAULT, vessel_id: VESSEL, kind: 'photo', file_name: 'valve.jpg',
        content_type: 'application/octet-stream', created_at: '2026-03-03T12:00:00Z', pending: true,
      }),
    ]);
    await keepThumbnail(db, ON_SERVER, THUMB, 1);
    renderSyncPage(db, routes, '/f/1', 'crew');

    const list = await screen.findByRole('list', { name: 'Photos' });
    expect(await within(list).findByRole('img', { name: 'Photo valve.jpg' })).toHaveAttribute('src', THUMB);
    expect(within(list).getByText('Full image on its way')).toBeInTheDocument();
    await userEvent.click(within(list).getByRole('button', { name: 'Open photo valve.jpg' }));
    const viewer = screen.getByRole('dialog', { name: 'valve.jpg' });
    expect(await within(viewer).findByText('The full image is on its way from the device that took it; this is its thumbnail.')).toBeInTheDocument();
    expect(within(viewer).getByRole('img', { name: 'Photo valve.jpg, preview' })).toHaveAttribute('src', THUMB);
  });

  test('a viewer sees photos but is not offered the camera', async () => {
    const db = await syncedDatabase([]);
    renderSyncPage(db, routes, '/f/1', 'viewer');
    expect(await screen.findByText('No photos yet.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Add photo')).toBeNull();
  });
});

describe('the changes on this device', () => {
  const entry = (id: number, state: OutboxEntry['state'], more: Partial<OutboxEntry> = {}): OutboxEntry => ({
    id, name: 'report_fault.v1', args: {}, hlc: '', base_version: null, state, queuedAt: id, ...more,
  });
  const photo = (more: Partial<PhotoEntry>): PhotoEntry => ({
    id: 'p', parentKind: 'fault', parentId: FAULT, vesselId: VESSEL, fileName: 'gauge.jpg', thumbnailUrl: '', contentType: 'image/jpeg',
    sha256: '', size: 1000, sent: 0, state: 'queued', queuedAt: 10, ...more,
  });

  test('each says how far it got; a photo once, with its upload’s progress', () => {
    const lines = changeLines(
      [
        entry(1, 'accepted'),
        entry(2, 'sent', { name: 'comment_fault.v1' }),
        entry(3, 'rejected', { name: 'acknowledge_fault.v1', code: 'forbidden', detail: 'Your role does not allow this' }),
        entry(4, 'queued', { name: 'attach_file.v1', args: { file_name: 'old.jpg' } }),
      ],
      [photo({ state: 'uploading', sent: 400 }), photo({ id: 'q', fileName: 'big.jpg', state: 'rejected', code: 'payload_too_large', queuedAt: 11 }), photo({ id: 'r', fileName: 'done.jpg', state: 'attaching', mutationId: 4, queuedAt: 12 })],
    );
    expect(lines.map((l) => `${l.what}: ${l.label}`)).toEqual([
      'Comment fault: sent',
      'Acknowledge fault: refused: forbidden',
      'Photo gauge.jpg: uploading 40%',
      'Photo big.jpg: refused: payload_too_large',
      'Photo done.jpg: uploaded, attaching',
      'Report fault: accepted by the server',
    ]);
    expect(lines[1]?.detail).toBe('Your role does not allow this');
  });

  test('a photo sent thumbnail first says how far its full image got, and whether its attach was accepted', () => {
    const lines = changeLines(
      [entry(5, 'sent', { name: 'attach_file.v1' }), entry(6, 'accepted', { name: 'attach_file.v1' })],
      [
        photo({ id: 'a', fileName: 'thumb.jpg', state: 'uploading', preview: 'b'.repeat(64) }),
        photo({ id: 'b', fileName: 'sent.jpg', state: 'uploading', sent: 100, mutationId: 5, queuedAt: 11 }),
        photo({ id: 'c', fileName: 'shown.jpg', state: 'uploading', sent: 500, mutationId: 6, queuedAt: 12 }),
        photo({ id: 'd', fileName: 'pruned.jpg', state: 'uploading', sent: 990, mutationId: 7, attachAccepted: true, queuedAt: 13 }),
      ],
    );
    expect(lines.map((l) => `${l.what}: ${l.label}`)).toEqual([
      'Photo thumb.jpg: thumbnail sent',
      'Photo sent.jpg: thumbnail sent: full image 10%',
      'Photo shown.jpg: accepted, pending: full image 50%',
      'Photo pruned.jpg: accepted, pending: full image 99%',
    ]);
  });
});

import { sinceText, statusParts } from './sync-status';
import { mutationStateLabel, type SyncState } from './use-sync-state';

const NOW = 1_720_000_000_000;
const state = (more: Partial<SyncState> = {}): SyncState => ({
  online: true,
  syncing: false,
  lastSyncedAt: NOW - 120_000,
  waiting: 0,
  rejected: [],
  needsUpdate: false,
  needsSignIn: false,
  conflictsOpen: 0,
  photosWaiting: 0,
  photosRefused: 0,
  ...more,
});

describe('the sync status', () => {
  test('says online or offline, the changes waiting and the last sync', () => {
    expect(statusParts(state(), NOW)).toEqual(['Synced', 'last sync 2 min ago']);
    expect(statusParts(state({ online: false, waiting: 3 }), NOW)).toEqual(['Offline', '3 changes waiting', 'last sync 2 min ago']);
    expect(statusParts(state({ lastSyncedAt: null, syncing: true, waiting: 1 }), NOW)).toEqual(['Syncing…', '1 change waiting']);
  });

  test('puts what needs the person first', () => {
    expect(statusParts(state({ needsSignIn: true, waiting: 2 }), NOW)[0]).toBe('Sign in again to sync');
    expect(statusParts(state({ needsUpdate: true }), NOW)[0]).toBe('Update Bosun to sync');
    const refused = { id: 1, name: 'a.v1', args: {}, hlc: '', base_version: null, state: 'rejected' as const, code: 'forbidden', queuedAt: 0 };
    expect(statusParts(state({ rejected: [refused], conflictsOpen: 2 }), NOW)).toEqual([
      'Synced',
      '1 change refused',
      '2 conflicts',
      'last sync 2 min ago',
    ]);
  });

  test('writes how long ago', () => {
    expect([0, 59_000, 60_000, 3_600_000, 86_400_000, 3 * 86_400_000].map((ago) => sinceText(NOW - ago, NOW))).toEqual([
      'just now',
      'just now',
      '1 min ago',
      '1 h ago',
      '1 day ago',
      '3 days ago',
    ]);
  });

  test('names how far each change has got', () => {
    expect(
      (['queued', 'sent', 'accepted'] as const).map((s) => mutationStateLabel({ state: s })),
    ).toEqual(['on this device', 'sent', 'accepted by the server']);
    expect(mutationStateLabel({ state: 'rejected', code: 'fault_resolved' })).toBe('rejected: fault_resolved');
  });
});

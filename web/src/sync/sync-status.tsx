/**
 * The compact sync state in the header: online or offline, the changes waiting, when the last
 * sync finished ("2 min ago"), and what needs the person (a new sign-in, an update, refused
 * changes, open conflicts). When changes are on the device it opens (a `<details>`, reached
 * with the keyboard) on each of them and how far it got: "on this device", "uploading 40%",
 * "accepted by the server", "refused: reason".
 */
import { lazy, Suspense } from 'react';

import { useSyncClient } from './sync-context';
import type { SyncState } from './use-sync-state';

/** "just now", "2 min ago", "3 h ago", "4 days ago". */
export function sinceText(at: number, now: number): string {
  const minutes = Math.floor(Math.max(now - at, 0) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

/** The sentence parts the status shows, in order. */
export function statusParts(state: SyncState, now: number): string[] {
  const parts: string[] = [];
  if (state.needsSignIn) parts.push('Sign in again to sync');
  else if (state.needsUpdate) parts.push('Update Bosun to sync');
  else if (!state.online) parts.push('Offline');
  else if (state.syncing) parts.push('Syncing…');
  else if (state.lastSyncedAt === null) parts.push('Not synced yet');
  else parts.push('Synced');
  const waiting = state.waiting + state.photosWaiting;
  const refused = state.rejected.length + state.photosRefused;
  if (waiting > 0) parts.push(`${plural(waiting, 'change', 'changes')} waiting`);
  if (refused > 0) parts.push(`${plural(refused, 'change', 'changes')} refused`);
  if (state.conflictsOpen > 0) parts.push(plural(state.conflictsOpen, 'conflict', 'conflicts'));
  if (state.lastSyncedAt !== null) parts.push(`last sync ${sinceText(state.lastSyncedAt, now)}`);
  return parts;
}

/**
 * The header's sync state; nothing without a sync client. What it shows is read through Dexie
 * live queries, so it loads with the sync engine (after the page's first paint), not before.
 */
export function SyncStatus() {
  const sync = useSyncClient();
  if (!sync) return null;
  return (
    <Suspense fallback={null}>
      <LiveSyncStatus />
    </Suspense>
  );
}

const LiveSyncStatus = lazy(() => import('./sync-status-live').then((m) => ({ default: m.LiveSyncStatus })));

/**
 * Asks before a sign-out that would delete changes waiting on this device; true when the
 * sign-out may go ahead.
 */
export function useConfirmSignOut(): () => Promise<boolean> {
  const sync = useSyncClient();
  return async () => {
    if (!sync) return true;
    const waiting =
      (await sync.db.outbox.where('state').anyOf('queued', 'sent').count()) +
      (await sync.db.photos.filter((p) => p.state === 'queued' || p.state === 'uploading').count());
    if (waiting === 0) return true;
    const changes = waiting === 1 ? '1 change has' : `${waiting} changes have`;
    return window.confirm(`${changes} not reached the server; signing out deletes them from this device. Sign out anyway?`);
  };
}

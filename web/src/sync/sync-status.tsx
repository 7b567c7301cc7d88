/**
 * The compact sync state in the header: online or offline, the changes waiting, when the last
 * sync finished ("2 min ago"), and what needs the person (a new sign-in, an update, refused
 * changes, open conflicts). When changes are on the device it opens (a `<details>`, reached
 * with the keyboard) on each of them and how far it got: "on this device", "uploading 40%",
 * "accepted by the server", "refused: reason".
 */
import { useEffect, useState } from 'react';

import { useChangeLines } from './change-list';
import { useSyncClient } from './sync-context';
import { useSyncState, type SyncState } from './use-sync-state';

/** How often "2 min ago" is written again. */
const TICK_MS = 30_000;

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

/** The header's sync state; nothing without a sync client. */
export function SyncStatus() {
  const sync = useSyncClient();
  const state = useSyncState();
  const lines = useChangeLines();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, TICK_MS);
    return () => {
      clearInterval(timer);
    };
  }, []);
  if (!sync) return null;
  const parts = statusParts(state, Math.max(now, state.lastSyncedAt ?? 0));
  const settled = state.online && !state.syncing && state.waiting + state.photosWaiting === 0 && state.lastSyncedAt !== null;
  const synced = settled ? 'true' : 'false';
  if (lines.length === 0) {
    return (
      <p className="sync-status" aria-live="polite" data-synced={synced}>
        {parts.join(' · ')}
      </p>
    );
  }
  return (
    <details className="sync-status sync-status--changes" data-synced={synced}>
      <summary>
        <span aria-live="polite">{parts.join(' · ')}</span>
        <span className="visually-hidden"> — show the changes on this device</span>
      </summary>
      <div className="sync-status__panel">
        <p className="sync-status__heading">Changes on this device</p>
        <ul className="sync-status__changes" aria-label="Changes on this device">
          {lines.map((line) => (
            <li key={line.key}>
              {line.what}: <span className={`sync-change sync-change--${line.tone}`}>{line.label}</span>
              {line.tone === 'refused' && line.detail ? <span className="sync-status__detail"> {line.detail}</span> : null}
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

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

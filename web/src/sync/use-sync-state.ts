/**
 * The sync state the UI shows, read through Dexie live queries so that every tab sees what the
 * syncing tab stored: whether Bosun can reach the server, whether this tab is syncing, when the
 * last cycle finished, the changes (and photos) waiting and refused, whether the app must be updated or the
 * person sign in again, and the open conflicts in the replica.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useContext, useSyncExternalStore } from 'react';

import { useBrowserOnline } from '../components/use-browser-online';
import { useSessionOffline } from '../session/session-context';
import type { MutationState, OutboxEntry } from './database';
import { ENTITY } from './entities';
import type { RunnerStatus } from './runner';
import { SyncStartingContext, useSyncClient } from './sync-context';

/** What the sync state hook gives. */
export interface SyncState {
  online: boolean;
  syncing: boolean;
  /** Wall time of the last successful cycle, ms; null before the first. */
  lastSyncedAt: number | null;
  /** Changes not yet accepted by the server (queued or sent). */
  waiting: number;
  /** Changes the server refused, oldest first, with its code and sentence. */
  rejected: OutboxEntry[];
  needsUpdate: boolean;
  needsSignIn: boolean;
  /** Open conflicts in the replica (`sync_conflict` rows in state `open`). */
  conflictsOpen: number;
  /** Photos not yet uploaded (on this device or part-way). */
  photosWaiting: number;
  /** Photos whose upload the server refused (a refused attach counts in `rejected`). */
  photosRefused: number;
}

const IDLE: RunnerStatus = { syncing: false, lastReport: null };
const noSubscription = () => () => undefined;
const NO_REJECTIONS: OutboxEntry[] = [];
const NO_PHOTOS = { waiting: 0, refused: 0 };

/** The sync state; a signed-out app (no sync client) shows nothing waiting. */
export function useSyncState(): SyncState {
  const sync = useSyncClient();
  const db = sync?.db ?? null;
  const browserOnline = useBrowserOnline();
  const sessionOffline = useSessionOffline();
  const runner = useSyncExternalStore(sync?.runner.subscribe ?? noSubscription, sync?.runner.getStatus ?? (() => IDLE));
  const meta = useLiveQuery(() => db?.meta.get('client'), [db]);
  const waiting = useLiveQuery<number | undefined>(() => db?.outbox.where('state').anyOf('queued', 'sent').count(), [db]) ?? 0;
  const rejected = useLiveQuery<OutboxEntry[] | undefined>(() => db?.outbox.where('state').equals('rejected').toArray(), [db]) ?? NO_REJECTIONS;
  const conflictsOpen =
    useLiveQuery<number | undefined>(
      () =>
        db?.rows
          .where('[entity+id]')
          .between([ENTITY.conflict, ''], [ENTITY.conflict, '\uffff'])
          .filter((row) => (row.fields as { state?: unknown } | null)?.state === 'open')
          .count(),
      [db],
    ) ?? 0;
  const photos =
    useLiveQuery(async () => {
      if (!db) return undefined;
      let waiting = 0;
      let refused = 0;
      await db.photos.each((p) => {
        if (p.state === 'queued' || p.state === 'uploading') waiting += 1;
        else if (p.state === 'rejected' && p.mutationId === undefined) refused += 1;
      });
      return { waiting, refused };
    }, [db]) ?? NO_PHOTOS;
  return {
    online: browserOnline && !sessionOffline,
    syncing: runner.syncing,
    lastSyncedAt: meta?.lastSyncedAt ?? null,
    waiting,
    rejected,
    needsUpdate: meta?.needsUpdate ?? false,
    needsSignIn: meta?.needsSignIn ?? false,
    conflictsOpen,
    photosWaiting: photos.waiting,
    photosRefused: photos.refused,
  };
}

/** The words for how far a change has got. */
export function mutationStateLabel(entry: Pick<OutboxEntry, 'state' | 'code'>): string {
  const labels: Record<MutationState, string> = {
    queued: 'on this device',
    sent: 'sent',
    accepted: 'accepted by the server',
    rejected: `rejected: ${entry.code ?? 'unknown'}`,
  };
  return labels[entry.state];
}

/** The changes on this device, newest first, each with how far it has got. */
export function useOutbox(): (OutboxEntry & { label: string })[] | undefined {
  const db = useSyncClient()?.db ?? null;
  return useLiveQuery(
    async () => (await db?.outbox.reverse().toArray())?.map((e) => ({ ...e, label: mutationStateLabel(e) })),
    [db],
  );
}

/**
 * Whether the replica has been synced once, so pages read it: `ready`; `not-ready` before the
 * first sync or without a sync client (pages then ask the API); `unknown` while that is being
 * read, or the sync client is still loading (pages wait rather than ask the API for nothing).
 */
export function useReplicaReady(): 'ready' | 'not-ready' | 'unknown' {
  const db = useSyncClient()?.db ?? null;
  const starting = useContext(SyncStartingContext);
  const meta = useLiveQuery(async () => (db ? ((await db.meta.get('client')) ?? null) : null), [db], 'unknown' as const);
  if (db === null) return starting ? 'unknown' : 'not-ready';
  if (meta === 'unknown') return 'unknown';
  return meta?.lastSyncedAt != null ? 'ready' : 'not-ready';
}

/**
 * Starts the sync client for the signed-in person and stops it when the session ends; a
 * sign-out (asked for, not a session running out) deletes the person's local database, so the
 * next person on the device finds nothing (docs/SECURITY.md). A session that ran out keeps the
 * database and its outbox for the next sign-in. The engine's code loads when first needed
 * (src/sync/start-sync.ts), after the page has painted.
 */
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';

import { api as defaultClient, type ApiClient } from '../api/client';
import { useSession } from '../session/session-context';
import { SyncContext, syncDatabaseName, SyncStartingContext, type SyncClient } from './sync-context';

/** The engine's code (Dexie and all), fetched once when first needed. */
const loadEngine = () => import('./start-sync');

/** The sync client running in this tab, as an external store React subscribes to. */
class SyncHost {
  private current: { name: string; sync: SyncClient; stop: () => void } | null = null;
  private readonly listeners = new Set<() => void>();
  /** Raised by every open and close: an engine that loads after its session ended is not started. */
  private generation = 0;
  /** The engine's code could not be loaded (pages then read from the API). */
  private failed = false;

  /** The database of the person signed in last in this tab, to delete on a sign-out. */
  private lastName: string | null = null;

  open(name: string, client: ApiClient): void {
    this.close();
    this.lastName = name;
    const generation = ++this.generation;
    if (this.failed) {
      this.failed = false;
      this.emit();
    }
    loadEngine().then(
      ({ startSync }) => {
        if (generation !== this.generation) return;
        this.current = { name, ...startSync(name, client) };
        this.emit();
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        console.error('the sync engine could not be loaded', error);
        this.failed = true;
        this.emit();
      },
    );
  }

  close(): void {
    this.generation += 1;
    if (!this.current) return;
    this.current.stop();
    this.current = null;
    this.emit();
  }

  /** Deletes the database of the person signed in last (closed first). */
  async deleteLast(): Promise<void> {
    const name = this.lastName;
    this.close();
    this.lastName = null;
    if (name !== null) await (await loadEngine()).deleteSyncDatabase(name);
  }

  get = (): SyncClient | null => this.current?.sync ?? null;

  hasFailed = (): boolean => this.failed;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Runs the sync client under the session. */
export function SyncProvider({ children, client = defaultClient }: { children: ReactNode; client?: ApiClient }) {
  const { state } = useSession();
  const user = state.status === 'signed-in' && !state.mfaEnrollmentRequired ? state.user : null;
  const name = user ? syncDatabaseName(user.company.id, user.id) : null;
  const [host] = useState(() => new SyncHost());
  const sync = useSyncExternalStore(host.subscribe, host.get);
  const failed = useSyncExternalStore(host.subscribe, host.hasFailed);

  useEffect(() => {
    if (name === null) return;
    host.open(name, client);
    return () => {
      host.close();
    };
  }, [host, name, client]);

  const signedOutByRequest = state.status === 'signed-out' && state.byRequest === true;
  useEffect(() => {
    if (signedOutByRequest) void host.deleteLast();
  }, [host, signedOutByRequest]);

  // The session came back (its token refreshed): sync now.
  const offline = state.status === 'signed-in' && state.offline;
  useEffect(() => {
    if (!offline) sync?.runner.notify('reconnect');
  }, [offline, sync]);

  return (
    <SyncContext value={sync}>
      <SyncStartingContext value={name !== null && sync === null && !failed}>{children}</SyncStartingContext>
    </SyncContext>
  );
}

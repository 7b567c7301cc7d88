/**
 * Starts the sync client for the signed-in person and stops it when the session ends; a
 * sign-out (asked for, not a session running out) deletes the person's local database, so the
 * next person on the device finds nothing (docs/SECURITY.md). A session that ran out keeps the
 * database and its outbox for the next sign-in.
 */
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';

import { api as defaultClient, type ApiClient } from '../api/client';
import { useSession } from '../session/session-context';
import { SyncDatabase, syncDatabaseName } from './database';
import { DEFAULT_CONFIG, SyncEngine } from './engine';
import { ENTITY_FLOATS } from './entities';
import { SyncRunner, type LockManagerLike } from './runner';
import { SyncContext, type SyncClient } from './sync-context';
import { eventsSocketUrl, FallbackTransport, HttpTransport, SocketTransport } from './transport';
import { SyncCycle, uploadApiOf, Uploader } from './uploader';

/** Starts syncing database `name` through `client`; returns the client and how to stop it. */
export function startSync(name: string, client: ApiClient): { sync: SyncClient; stop: () => void } {
  const db = new SyncDatabase(name);
  let runner: SyncRunner | null = null;
  const socket = new SocketTransport({
    url: () => {
      const token = client.accessToken();
      return token === null ? null : eventsSocketUrl(token);
    },
    onPoke: () => runner?.notify('poke'),
  });
  const engine = new SyncEngine(db, new FallbackTransport(socket, new HttpTransport(client)), Date.now, {
    ...DEFAULT_CONFIG,
    floats: ENTITY_FLOATS,
  });
  const locks = (navigator as { locks?: LockManagerLike }).locks ?? null;
  // Photos upload in the syncing tab's cycle, after its mutations.
  const cycle = new SyncCycle(engine, new Uploader(db, engine, uploadApiOf(client)));
  runner = new SyncRunner({
    engine: cycle,
    lockName: `bosun-sync:${name}`,
    locks,
    jitter: (bound) => Math.floor(Math.random() * (bound + 1)),
    online: window,
    visibility: document,
  });
  const started = runner;
  started.start();
  // Asked once: the browser may keep the replica through storage pressure.
  if ('storage' in navigator && 'persist' in navigator.storage) void navigator.storage.persist().catch(() => false);
  const sync: SyncClient = {
    db,
    engine,
    runner: started,
    enqueue: async (mutator, args, baseVersion) => {
      const id = await engine.enqueue(mutator, args, baseVersion);
      started.notify('local-write');
      return id;
    },
  };
  return {
    sync,
    stop: () => {
      started.stop();
      socket.disconnect();
      db.close();
    },
  };
}

/** The sync client running in this tab, as an external store React subscribes to. */
class SyncHost {
  private current: { name: string; sync: SyncClient; stop: () => void } | null = null;
  private readonly listeners = new Set<() => void>();

  /** The database of the person signed in last in this tab, to delete on a sign-out. */
  private lastName: string | null = null;

  open(name: string, client: ApiClient): void {
    this.close();
    this.lastName = name;
    const started = startSync(name, client);
    this.current = { name, ...started };
    this.emit();
  }

  close(): void {
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
    if (name !== null) await SyncDatabase.delete(name);
  }

  get = (): SyncClient | null => this.current?.sync ?? null;

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

  return <SyncContext value={sync}>{children}</SyncContext>;
}

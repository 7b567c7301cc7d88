/**
 * The sync engine started for one person's database: Dexie, the engine, the runner and the
 * transports. Loaded by src/sync/sync-provider.tsx once someone is signed in, so the sign-in
 * page and the first paint of every page never wait for it.
 */
import type { ApiClient } from '../api/client';
import { SyncDatabase } from './database';
import { DEFAULT_CONFIG, SyncEngine } from './engine';
import { ENTITY_FLOATS } from './entities';
import { askPersistentStorage } from './persistent-storage';
import { SyncRunner, type LockManagerLike } from './runner';
import type { SyncClient } from './sync-context';
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
  // Photos upload in the syncing tab's cycle, after its mutations; documents kept for records
  // no longer in the replica go after it.
  const cycle = new SyncCycle(engine, new Uploader(db, engine, uploadApiOf(client)), () => db.dropDocumentsOutOfReach());
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
  askPersistentStorage();
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

/** Deletes a person's database (closed first by whoever held it). */
export function deleteSyncDatabase(name: string): Promise<void> {
  return SyncDatabase.delete(name);
}

/**
 * Rendering a signed-in page over a local replica, for the pages that read the replica and
 * write through the outbox: a fresh fake-IndexedDB database holding the given rows (as after a
 * first sync), a real engine whose transport answers nothing (the network is off), and a
 * session of the given role. With `online`, the session is online and `fetch` is left as the
 * test set it (`mockApi`), for the sections of these pages that read the server.
 */
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { vi } from 'vitest';

import type { Role, UserView } from '../api/types';
import { SessionContext, type SessionValue } from '../session/session-context';
import type { StoredRow, SyncDatabase } from '../sync/database';
import { SyncEngine } from '../sync/engine';
import { SyncRunner } from '../sync/runner';
import { SyncContext, type SyncClient } from '../sync/sync-context';
import { freshDatabase, ScriptedTransport } from '../sync/test-support';
import { userOf } from './mock-api';
import { renderWithQueries } from './render';

/** A replica row in `scope`. */
export const replicaRow = (scope: string, entity: string, id: string, fields: Record<string, unknown>, version = 1): StoredRow => ({
  scope,
  entity,
  id: id.toLowerCase(),
  version,
  fields: { id, ...fields },
});

/** A database holding `rows`, synced once. */
export async function syncedDatabase(rows: StoredRow[]): Promise<SyncDatabase> {
  const db = freshDatabase();
  await db.clientMeta(0);
  await db.rows.bulkPut(rows);
  await db.meta.update('client', { lastSyncedAt: 1 });
  return db;
}

/** Renders `routes` at `path` for a person of `role` over `db`; fetch fails as offline unless `online`. */
export function renderSyncPage(
  db: SyncDatabase,
  routes: RouteObject[],
  path: string,
  role: Role = 'engineer',
  user: UserView = userOf(role),
  { online = false }: { online?: boolean } = {},
): { router: ReturnType<typeof createMemoryRouter>; ui: ReactElement } {
  if (!online) vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
  let clock = 1_760_000_000_000;
  const engine = new SyncEngine(db, new ScriptedTransport(), () => ++clock);
  const sync: SyncClient = {
    db,
    engine,
    runner: new SyncRunner({ engine, lockName: 'test', locks: null, online: null, visibility: null }),
    enqueue: (name, args, base) => engine.enqueue(name, args, base),
  };
  const session: SessionValue = {
    state: { status: 'signed-in', user, mfaEnrollmentRequired: false, offline: !online },
    signIn: () => undefined,
    signOut: () => Promise.resolve(),
    markMfaEnrolled: () => undefined,
    updateCompany: () => undefined,
  };
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const ui = (
    <SessionContext value={session}>
      <SyncContext value={sync}>
        <RouterProvider router={router} />
      </SyncContext>
    </SessionContext>
  );
  renderWithQueries(ui);
  return { router, ui };
}

/**
 * The sync client follows the session: the person's database is made when they are signed in,
 * deleted when they sign out, and kept (with its outbox) when the session runs out.
 */
import { render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { SessionContext, type SessionState, type SessionValue } from '../session/session-context';
import { mockApi, userOf } from '../test/mock-api';
import { SyncDatabase, syncDatabaseName } from './database';
import { SyncProvider } from './sync-provider';

const user = userOf('engineer');
const NAME = syncDatabaseName(user.company.id, user.id);

const session = (state: SessionState): SessionValue => ({
  state,
  signIn: () => undefined,
  signOut: () => Promise.resolve(),
  markMfaEnrolled: () => undefined,
  updateCompany: () => undefined,
});

const signedIn: SessionState = { status: 'signed-in', user, mfaEnrollmentRequired: false, offline: false };

function renderWith(state: SessionState) {
  const ui = (s: SessionState) => (
    <SessionContext value={session(s)}>
      <SyncProvider>
        <p>page</p>
      </SyncProvider>
    </SessionContext>
  );
  const view = render(ui(state));
  return { rerender: (s: SessionState) => { view.rerender(ui(s)); } };
}

const databases = async () => (await indexedDB.databases()).map((d) => d.name);

describe('the sync client and the session', () => {
  it('makes the person’s database on sign-in and deletes it on sign-out', async () => {
    mockApi({});
    const view = renderWith(signedIn);
    await waitFor(async () => {
      expect(await databases()).toContain(NAME);
    });
    view.rerender({ status: 'signed-out', byRequest: true });
    await waitFor(async () => {
      expect(await databases()).not.toContain(NAME);
    });
  });

  it('keeps the database, and its outbox, when the session runs out', async () => {
    mockApi({});
    const view = renderWith(signedIn);
    await waitFor(async () => {
      expect(await databases()).toContain(NAME);
    });
    const other = new SyncDatabase(NAME);
    await other.outbox.add({ id: 1, name: 'report_fault.v1', args: {}, hlc: '0000000000000001', base_version: null, state: 'queued', queuedAt: 0 });
    other.close();
    view.rerender({ status: 'signed-out' });
    view.rerender(signedIn);
    const again = new SyncDatabase(NAME);
    expect(await again.outbox.count()).toBe(1);
    again.close();
    view.rerender({ status: 'signed-out', byRequest: true });
    await waitFor(async () => {
      expect(await databases()).not.toContain(NAME);
    });
  });
});

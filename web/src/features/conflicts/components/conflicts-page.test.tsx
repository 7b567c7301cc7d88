/**
 * The conflict inbox from the replica: open conflicts with both values, whose change and when;
 * keeping a side queued as `resolve_conflict.v1` on the conflict's version, for roles that
 * write the conflict's row only.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { StoredRow, SyncDatabase } from '../../../sync/database';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { CONFLICT_ENTITIES, FIELD_LABEL } from '../../../components/field-labels';
import { ConflictsPage } from './conflicts-page';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const SCOPE = `vessel:${VESSEL}`;
const OPEN = '01900000-0000-7000-8000-0000000000c1';
const SETTLED = '01900000-0000-7000-8000-0000000000c2';
const FAULT = '01900000-0000-7000-8000-00000000000a';
/** The signed-in person of `renderSyncPage`. */
const ME = '01900000-0000-7000-8000-0000000000a1';
const TOMASZ = '01900000-0000-7000-8000-0000000000b2';

const conflict = (id: string, state: string, field: string, winner: unknown, loser: unknown, version: number) =>
  replicaRow(SCOPE, 'sync_conflict', id, {
    scope: SCOPE, entity: 'fault', row_id: FAULT, field, winner, loser, mutation_side: 'loser', mutation_name: 'assign_fault.v1',
    by_user: '01900000-0000-7000-8000-0000000000b2', state, kept: null, created_at: '2026-12-01T09:30:00Z',
  }, version);

const person = (userId: string, name: string) =>
  replicaRow('company', 'membership', userId, { user_id: userId, name, role: 'engineer' });

function seed(...more: StoredRow[]): Promise<SyncDatabase> {
  return syncedDatabase([
    // An assignee's value is the person's id, as the server keeps it.
    conflict(OPEN, 'open', 'assignee_id', TOMASZ, ME, 31),
    conflict(SETTLED, 'resolved', 'severity', 'high', 'low', 32),
    ...more,
  ]);
}

const routes = [{ path: '/conflicts', element: <ConflictsPage /> }];

describe('the conflict inbox', () => {
  it('shows open conflicts with both values, and keeps the chosen side on the conflict’s version', async () => {
    const db = await seed(person(TOMASZ, 'Tomasz Nowak'));
    const user = userEvent.setup();
    renderSyncPage(db, routes, '/conflicts', 'engineer');
    const list = await screen.findByRole('list', { name: 'Open conflicts' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    const item = within(list).getByRole('listitem', { name: 'Fault: Assigned to' });
    expect(item).toHaveTextContent('Stored valueTomasz Nowak');
    expect(item).toHaveTextContent('Other valueErin Engineer (you)');
    expect(item).toHaveTextContent('Tomasz Nowak (the other value)');

    await user.click(within(item).getByRole('button', { name: 'Keep other value' }));
    await waitFor(async () => {
      expect(await db.outbox.toArray()).toMatchObject([{ name: 'resolve_conflict.v1', args: { conflict_id: OPEN, keep: 'loser' }, base_version: 31 }]);
    });
    expect(await within(item).findByText('on this device')).toBeInTheDocument();
    expect(within(item).queryByRole('button')).not.toBeInTheDocument();
  });

  it('names the people of an assignee conflict even without the people directory', async () => {
    renderSyncPage(await seed(), routes, '/conflicts', 'engineer');
    const item = await screen.findByRole('listitem', { name: 'Fault: Assigned to' });
    expect(item).toHaveTextContent('Stored valueA shipmate (…00b2)');
    expect(item).toHaveTextContent('Other valueErin Engineer (you)');
    expect(item).not.toHaveTextContent(TOMASZ);
  });

  it('offers no decision to a role that does not edit the row', async () => {
    renderSyncPage(await seed(), routes, '/conflicts', 'crew');
    const item = await screen.findByRole('listitem', { name: 'Fault: Assigned to' });
    expect(within(item).queryByRole('button')).not.toBeInTheDocument();
    expect(item).toHaveTextContent('Someone whose role edits this decides it.');
  });

  it('heads each conflict with the field as people read it, for every field that can conflict', async () => {
    const every = CONFLICT_ENTITIES.flatMap((entity) => Object.keys(FIELD_LABEL[entity]).map((field) => ({ entity, field })));
    const rows = every.map(({ entity, field }, i) =>
      replicaRow(SCOPE, 'sync_conflict', `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`, {
        scope: SCOPE, entity, row_id: FAULT, field, winner: 'a', loser: 'b', mutation_side: 'loser', mutation_name: 'x',
        by_user: TOMASZ, state: 'open', kept: null, created_at: `2026-12-01T09:${String(i).padStart(2, '0')}:00Z`,
      }, 40 + i),
    );
    renderSyncPage(await syncedDatabase(rows), routes, '/conflicts', 'owner');
    const list = await screen.findByRole('list', { name: 'Open conflicts' });
    const headings = within(list).getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toHaveLength(every.length);
    expect(headings).toContain('Fault: Assigned to');
    expect(headings).toContain('Equipment: Serial number');
    expect(headings).toContain('Company branding: Colour');
    expect(headings).toContain('Person: May sign in');
    expect(headings).toContain('Handover draft: Notes on items');
    for (const heading of headings) expect(heading).not.toMatch(/_/);
  });
});

/**
 * The dashboard's "Waiting for your answer" card over the local replica with the network off:
 * the count of proposals waiting for the person, updated live as one is answered on this device
 * or another syncs in; no card for someone who operates nothing.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { SyncEngine } from '../../../sync/engine';
import { ScriptedTransport } from '../../../sync/test-support';
import { userOf } from '../../../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { DashboardPage } from './dashboard-page';

const SITE = '01900000-0000-7000-8000-000000000001';
const LOADER = '01900000-0000-7000-8000-000000000012';
const ME = userOf('crew').id;
const SCOPE = `vessel:${SITE}`;
const A1 = '01900000-0000-7000-8000-0000000000a1';
const A2 = '01900000-0000-7000-8000-0000000000a2';

const proposal = (id: string, operator: string, starts: string) =>
  replicaRow(SCOPE, 'assignment', id, {
    vessel_id: SITE, equipment_id: LOADER, operator_id: operator, starts_at: starts, ends_at: '2027-01-10T00:00:00Z', note: '',
    status: 'proposed', decline_reason: null, assigned_by: null, answered_at: null, cancelled_by: null, updated_at: starts,
  }, 7);

const routes = [{ path: '/dashboard', element: <DashboardPage /> }];

describe('waiting for your answer', () => {
  it('counts the proposals waiting for the person and follows their answers live', async () => {
    const db = await syncedDatabase([
      replicaRow(SCOPE, 'equipment', LOADER, { vessel_id: SITE, name: 'Wheel loader Volvo L120H', status: 'operational' }),
      proposal(A1, ME, '2027-01-05T00:00:00Z'),
    ]);
    renderSyncPage(db, routes, '/dashboard', 'crew');
    const card = await screen.findByRole('region', { name: 'Waiting for your answer' });
    expect(within(card).getByRole('status')).toHaveTextContent('1 assignment waits for your answer.');
    await waitFor(() => {
      expect(card).toHaveTextContent(/Wheel loader Volvo L120H, from /);
    });
    expect(within(card).getByRole('link', { name: 'Accept or decline' })).toHaveAttribute('href', '/assignments');
    // Crew read no fleet figures, and are told so under their own card.
    expect(screen.getByText('Your role does not include the fleet’s figures.')).toBeInTheDocument();

    // Another proposal syncs in.
    await db.rows.put(proposal(A2, ME, '2027-01-07T00:00:00Z'));
    await waitFor(() => {
      expect(within(card).getByRole('status')).toHaveTextContent('2 assignments wait for your answer.');
    });
    // Both answered on this device, offline.
    const engine = new SyncEngine(db, new ScriptedTransport());
    await engine.enqueue('answer_assignment.v1', { assignment_id: A1, accept: true }, 7);
    await engine.enqueue('answer_assignment.v1', { assignment_id: A2, accept: false }, 7);
    await waitFor(() => {
      expect(within(card).getByRole('status')).toHaveTextContent('Nothing waits for your answer.');
    });
    expect(within(card).getByRole('link', { name: 'My assignments' })).toBeInTheDocument();
  });

  it('is not shown to someone who operates nothing', async () => {
    const db = await syncedDatabase([proposal(A1, '01900000-0000-7000-8000-0000000000b9', '2027-01-05T00:00:00Z')]);
    renderSyncPage(db, routes, '/dashboard', 'crew');
    await screen.findByText('Your role does not include the fleet’s figures.');
    expect(screen.queryByRole('region', { name: 'Waiting for your answer' })).not.toBeInTheDocument();
  });
});

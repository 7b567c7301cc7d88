/**
 * The navigation's count of assignments waiting for the person's answer: read live from the
 * replica and the outbox, said in words to screen readers, gone when nothing waits.
 */
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { SyncEngine } from '../sync/engine';
import { ScriptedTransport } from '../sync/test-support';
import { userOf } from '../test/mock-api';
import { renderSyncPage, replicaRow, syncedDatabase } from '../test/sync-page';
import { AnswersCount } from './answers-count';

const SITE = '01900000-0000-7000-8000-000000000001';
const ME = userOf('crew').id;
const A1 = '01900000-0000-7000-8000-0000000000a1';

describe('the count beside Assignments', () => {
  it('says how many wait for an answer, and goes once they are answered', async () => {
    const db = await syncedDatabase([
      replicaRow(`vessel:${SITE}`, 'assignment', A1, {
        vessel_id: SITE, equipment_id: '01900000-0000-7000-8000-000000000012', operator_id: ME, starts_at: '2027-01-05T00:00:00Z',
        ends_at: '2027-01-06T00:00:00Z', note: '', status: 'proposed',
      }, 3),
    ]);
    renderSyncPage(db, [{ path: '/', element: <a href="/assignments">Assignments<AnswersCount userId={ME} /></a> }], '/', 'crew');
    expect(await screen.findByRole('link', { name: /^Assignments\s*: 1 waiting for your answer$/ })).toBeInTheDocument();
    await new SyncEngine(db, new ScriptedTransport()).enqueue('answer_assignment.v1', { assignment_id: A1, accept: true }, 3);
    await waitFor(() => {
      expect(screen.getByRole('link')).toHaveTextContent(/^Assignments$/);
    });
  });
});

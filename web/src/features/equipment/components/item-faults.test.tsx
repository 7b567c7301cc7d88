/**
 * An item's fault history lists the faults reported on this device and not yet accepted
 * (`report_fault.v1` in the outbox), marked as the fault lists mark them, and each fault once
 * the replica holds it.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { PendingWrite } from '../../../components/local-writes';
import { SyncEngine } from '../../../sync/engine';
import { ScriptedTransport } from '../../../sync/test-support';
import { renderSyncPage, replicaRow, syncedDatabase } from '../../../test/sync-page';
import { shownFaults } from '../api/shown-faults';
import { EquipmentPage } from './equipment-page';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const ENGINE = '01900000-0000-7000-8000-000000000003';
const PUMP = '01900000-0000-7000-8000-000000000004';
const SCOPE = `vessel:${VESSEL}`;
const LEAK = '01900000-0000-7000-8000-00000000000a';
const NOISE = '01930000-0000-7000-8000-00000000000b';
const SMOKE = '01930000-0000-7000-8000-00000000000c';
const ELSEWHERE = '01930000-0000-7000-8000-00000000000d';

const item = (id: string, name: string) =>
  replicaRow(SCOPE, 'equipment', id, {
    vessel_id: VESSEL, parent_id: null, level: 'system', area: 'engine_room', name, equipment_type: null, maker: null,
    model: null, serial_number: null, criticality: 'high', status: 'operational', specs: {}, qr_code: `QR${name.length}`,
  });

function seed() {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { kind: 'vessel', name: 'Northwind Spirit', vessel_type: null, imo: null, specs: {} }),
    item(ENGINE, 'Main engine'),
    item(PUMP, 'Bilge pump'),
    replicaRow(SCOPE, 'fault', LEAK, {
      vessel_id: VESSEL, equipment_id: ENGINE, severity: 'medium', status: 'acknowledged', title: 'Oil leak at the sump',
      description: '', observed_at: '2026-03-01T08:00:00Z', reported_by: null, assignee_id: null, resolved_at: null,
    }, 4),
  ]);
}

const report = (id: string, equipmentId: string, title: string, severity: string, observedAt: string) => ({
  id, equipment_id: equipmentId, severity, title, description: 'Seen on the morning round', observed_at: observedAt,
});

const routes = [{ path: '/equipment/:id', element: <EquipmentPage /> }];

describe('an item’s fault history', () => {
  it('lists the faults reported on this device, marked until the server accepts them', async () => {
    const db = await seed();
    const engine = new SyncEngine(db, new ScriptedTransport());
    await engine.enqueue('report_fault.v1', report(NOISE, ENGINE, 'Knocking at idle', 'high', '2026-03-09T06:00:00.000Z'), null);
    const refused = await engine.enqueue('report_fault.v1', report(SMOKE, ENGINE, 'Smoke from the turbo', 'critical', '2026-03-08T06:00:00.000Z'), null);
    await db.outbox.update(refused, { state: 'rejected', code: 'equipment_decommissioned', detail: 'the item is decommissioned' });
    // Another item's report, and a write that is not a report: neither is this item's fault.
    await engine.enqueue('report_fault.v1', report(ELSEWHERE, PUMP, 'Pump runs dry', 'low', '2026-03-09T07:00:00.000Z'), null);
    await engine.enqueue('comment_fault.v1', { fault_id: LEAK, id: NOISE.replace('b', 'e'), body: 'Tray emptied' }, null);

    renderSyncPage(db, routes, `/equipment/${ENGINE}`, 'crew');
    const list = await screen.findByRole('list', { name: 'Faults' });
    await waitFor(() => {
      expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    });
    const [newest, second, confirmed] = within(list).getAllByRole('listitem');
    // Newest first, the confirmed fault among them by when it was seen.
    expect(newest).toHaveAccessibleName('Knocking at idle');
    expect(newest).toHaveTextContent('SeverityHigh');
    expect(newest).toHaveTextContent('StatusOpen');
    expect(within(newest as HTMLElement).getByText('on this device')).toHaveClass('pending', 'pending--queued');
    expect(second).toHaveAccessibleName('Smoke from the turbo');
    expect(second).toHaveTextContent(/Sync.*rejected/);
    expect(confirmed).toHaveAccessibleName('Oil leak at the sump');
    expect(confirmed).not.toHaveTextContent('Sync');
    expect(list).not.toHaveTextContent('Pump runs dry');
  });

  it('shows a report once when the replica holds the fault it made', () => {
    const write: PendingWrite = {
      id: 1, name: 'report_fault.v1', args: report(LEAK.toUpperCase(), ENGINE.toUpperCase(), 'Oil leak', 'medium', '2026-03-01T08:00:00Z'),
      hlc: '0000000000010000', base_version: null, state: 'sent', queuedAt: 1, label: 'sent',
    };
    const held = { id: LEAK, title: 'Oil leak', severity: 'medium', status: 'open', observed_at: '2026-03-01T08:00:00Z', resolved_at: null } as const;
    expect(shownFaults(ENGINE, [held], [write])).toEqual([held]);
    expect(shownFaults(ENGINE, [], [write])).toEqual([
      { id: LEAK, title: 'Oil leak', severity: 'medium', status: 'open', observed_at: '2026-03-01T08:00:00Z', resolved_at: null, pending: write },
    ]);
    // A severity the server would refuse is shown as medium rather than breaking the page.
    expect(shownFaults(ENGINE, [], [{ ...write, args: { ...write.args, severity: 'dire' } }])[0]?.severity).toBe('medium');
  });
});

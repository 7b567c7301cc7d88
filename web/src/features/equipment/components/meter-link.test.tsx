/**
 * An item linked to its parent's meter, on its page and its parent's, over a replica with the
 * network off: linking and unlinking queued through the outbox and shown at once, the question
 * before an unlink, the item's own reading replaced by its parent's, and who sees the buttons.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { StoredRow } from '../../../sync/database';
import { replicaRow, renderSyncPage, syncedDatabase } from '../../../test/sync-page';
import { EquipmentPage } from './equipment-page';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const ENGINE = '01900000-0000-7000-8000-0000000000e1';
const PUMP = '01900000-0000-7000-8000-0000000000a1';
const COOLER = '01900000-0000-7000-8000-0000000000a2';
const SCOPE = `vessel:${VESSEL}`;

const item = (id: string, name: string, parent: string | null, level = 'component') =>
  replicaRow(SCOPE, 'equipment', id, {
    vessel_id: VESSEL, parent_id: parent, level, area: 'engine_room', name, equipment_type: null, maker: null, model: null,
    serial_number: null, criticality: 'high', status: 'operational', specs: {}, qr_code: `QR${id.slice(-4)}`,
  });

const reading = (n: number, on: string, hours: number, read_at: string) =>
  replicaRow(SCOPE, 'meter_reading', `01900000-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`, {
    equipment_id: on, hours, meter_replaced: false, read_at, recorded_by: null,
  });

const link = (child: string, childBase: number, parentBase: number) =>
  replicaRow(SCOPE, 'meter_link', child, {
    equipment_id: child, parent_id: ENGINE, child_base: childBase, parent_base: parentBase,
    linked_by: '01900000-0000-7000-8000-0000000000f1', linked_at: '2026-12-06T08:00:00Z',
  });

const engineRead = [reading(1, ENGINE, 1000, '2026-12-01T08:00:00Z'), reading(2, ENGINE, 1200, '2026-12-05T08:00:00Z')];

async function vessel(...more: StoredRow[]) {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { kind: 'vessel', name: 'Northwind Spirit', vessel_type: null, imo: null, specs: {} }),
    item(ENGINE, 'Main engine 1', null, 'equipment'),
    item(PUMP, 'Jacket water pump', ENGINE),
    item(COOLER, 'Charge air cooler', ENGINE),
    ...more,
  ]);
}

const routes = [{ path: '/equipment/:id', element: <EquipmentPage /> }];
const hoursCard = () => screen.findByRole('region', { name: 'Running hours' });
/** A paragraph saying `pattern` whole, links and times inside it included. */
const sentence = (pattern: RegExp) => (_: string, element: Element | null) =>
  element instanceof HTMLParagraphElement && pattern.test(element.textContent);

describe('linking an item to its parent’s meter', () => {
  it('queues link_meter.v1 and counts the parent’s hours at once, offline, its own reading given up', async () => {
    const db = await vessel(...engineRead);
    renderSyncPage(db, routes, `/equipment/${PUMP}`, 'engineer');
    const user = userEvent.setup();
    const card = await hoursCard();
    await within(card).findByText(sentence(/^Keeps a meter of its own: it does not count Main engine 1’s running hours\. If it runs only while/));
    expect(within(card).getByRole('link', { name: 'Main engine 1' })).toHaveAttribute('href', `/equipment/${ENGINE}`);
    expect(within(card).getByRole('form', { name: 'Record a reading' })).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Link to parent’s meter' }));
    const [entry] = await db.outbox.toArray();
    expect(entry).toMatchObject({ name: 'link_meter.v1', args: { equipment_id: PUMP }, base_version: null, state: 'queued' });

    await within(card).findByText(sentence(/^Counts Main engine 1’s running hours from when the server takes the link — it runs only while its parent runs\.$/));
    expect(within(card).getByRole('list', { name: 'Meter link changes not yet accepted' })).toHaveTextContent(
      'Link to parent’s meter: on this device',
    );
    expect(within(card).queryByRole('button', { name: 'Link to parent’s meter' })).not.toBeInTheDocument();
    expect(within(card).queryByRole('form', { name: 'Record a reading' })).not.toBeInTheDocument();
    expect(await within(card).findByRole('link', { name: 'record the reading on Main engine 1' })).toHaveAttribute('href', `/equipment/${ENGINE}`);
  }, 20_000);

  it('explains that a parent without running hours has nothing to count, and offers no link', async () => {
    renderSyncPage(await vessel(), routes, `/equipment/${PUMP}`, 'engineer');
    const card = await hoursCard();
    await within(card).findByText(/Main engine 1 has no running hours yet, so there is nothing to count/);
    expect(within(card).queryByRole('button', { name: 'Link to parent’s meter' })).not.toBeInTheDocument();
  });

  it('gives the server’s parent_has_no_meter its meaning, until dismissed', async () => {
    const db = await vessel(...engineRead);
    await db.outbox.add({
      id: 1, name: 'link_meter.v1', args: { equipment_id: PUMP }, hlc: '', base_version: null, state: 'rejected',
      code: 'parent_has_no_meter', detail: 'the parent has no running hours to count: record its meter first', queuedAt: 1,
    });
    renderSyncPage(db, routes, `/equipment/${PUMP}`, 'engineer');
    const card = await hoursCard();
    const refused = await within(card).findByRole('list', { name: 'Meter link changes not yet accepted' });
    await within(card).findByRole('link', { name: 'Main engine 1' });
    expect(refused).toHaveTextContent('rejected: parent_has_no_meter');
    expect(refused).toHaveTextContent('record a reading on Main engine 1 first, then link again');
    // A refused link links nothing.
    expect(within(card).getByText(/Keeps a meter of its own/)).toBeInTheDocument();
    await userEvent.setup().click(within(refused).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => {
      expect(within(card).queryByRole('list', { name: 'Meter link changes not yet accepted' })).not.toBeInTheDocument();
    });
  });

  it('offers nothing to roles without equipment.write, and sends a linked item’s readings to the parent', async () => {
    renderSyncPage(await vessel(...engineRead, link(PUMP, 0, 1200)), routes, `/equipment/${PUMP}`, 'crew');
    const card = await hoursCard();
    await within(card).findByText(sentence(/^Counts Main engine 1’s running hours since .*2026 — it runs only while its parent runs\.$/));
    expect(within(card).queryByRole('button', { name: 'Unlink' })).not.toBeInTheDocument();
    expect(within(card).queryByRole('form', { name: 'Record a reading' })).not.toBeInTheDocument();
    expect(within(card).getByText(/takes no reading of its own/)).toBeInTheDocument();
  });

  it('says how far the parent’s readings waiting on this device will take the child', async () => {
    const db = await vessel(...engineRead, link(PUMP, 40, 1200), reading(3, PUMP, 40, '2026-12-06T08:00:00Z'));
    await db.outbox.add({
      id: 1, name: 'record_reading.v1', hlc: '', base_version: null, state: 'queued', queuedAt: 1,
      args: { id: '01900000-0000-7000-8000-0000000002aa', equipment_id: ENGINE, hours: 1210.5, meter_replaced: false, read_at: '2026-12-07T08:00:00.000Z' },
    });
    renderSyncPage(db, routes, `/equipment/${PUMP}`, 'engineer');
    const card = await hoursCard();
    expect(
      await within(card).findByText(/Main engine 1 has readings waiting on this device: once the server has them, this item counts about 50\.5 h\./),
    ).toBeInTheDocument();
  });
});

describe('unlinking', () => {
  it('asks first, then queues unlink_meter.v1 and gives the item its own readings back at once', async () => {
    const db = await vessel(...engineRead, link(PUMP, 40, 1200), reading(3, PUMP, 40, '2026-12-06T08:00:00Z'));
    renderSyncPage(db, routes, `/equipment/${PUMP}`, 'engineer');
    const user = userEvent.setup();
    const card = await hoursCard();
    await within(card).findByText(sentence(/^Counts Main engine 1’s running hours since/));

    await user.click(within(card).getByRole('button', { name: 'Unlink' }));
    const question = within(card).getByRole('group', { name: /^Unlink Jacket water pump from Main engine 1’s meter\? It keeps the 40 h it has/ });
    expect(question).toHaveFocus();
    await user.click(within(question).getByRole('button', { name: 'Keep linked' }));
    expect(within(card).queryByRole('group')).not.toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Unlink' })).toHaveFocus();
    expect(await db.outbox.count()).toBe(0);

    await user.click(within(card).getByRole('button', { name: 'Unlink' }));
    await user.click(within(card).getByRole('button', { name: 'Yes, unlink' }));
    await within(card).findByText(/Keeps a meter of its own/);
    expect(within(card).getByRole('button', { name: 'Link to parent’s meter' })).toHaveFocus();
    const [entry] = await db.outbox.toArray();
    expect(entry).toMatchObject({ name: 'unlink_meter.v1', args: { equipment_id: PUMP } });
    expect(within(card).getByRole('list', { name: 'Meter link changes not yet accepted' })).toHaveTextContent(
      'Unlink from parent’s meter: on this device',
    );
    expect(within(card).getByRole('form', { name: 'Record a reading' })).toBeInTheDocument();
  }, 20_000);
});

describe('a parent’s page', () => {
  it('lists the items counting its hours, those linked on this device marked', async () => {
    const db = await vessel(...engineRead, link(PUMP, 0, 1200));
    await db.outbox.add({ id: 1, name: 'link_meter.v1', args: { equipment_id: COOLER }, hlc: '', base_version: null, state: 'queued', queuedAt: 1 });
    renderSyncPage(db, routes, `/equipment/${ENGINE}`, 'engineer');
    const card = await hoursCard();
    const list = await within(card).findByRole('list', { name: 'Items counting these hours' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      'Charge air cooler · linked on this device',
      expect.stringMatching(/^Jacket water pump · since .*2026$/),
    ]);
    expect(within(rows[1] as HTMLElement).getByRole('link', { name: 'Jacket water pump' })).toHaveAttribute('href', `/equipment/${PUMP}`);
    // The engine sits under nothing: nothing to link, and it records its own readings.
    expect(within(card).queryByText(/Keeps a meter of its own/)).not.toBeInTheDocument();
    expect(within(card).getByRole('form', { name: 'Record a reading' })).toBeInTheDocument();
  });
});

/**
 * Recording running hours: the form's rules (the server's), and the reading queued through the
 * outbox as `record_reading.v1`, shown at once "on this device".
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { replicaRow, renderSyncPage, syncedDatabase } from '../../../test/sync-page';
import { readingSchema, withTotals, type ShownReading } from '../api/readings';
import { EquipmentPage } from './equipment-page';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const ENGINE = '01900000-0000-7000-8000-000000000003';
const SCOPE = `vessel:${VESSEL}`;
const NOW = () => new Date('2026-03-10T12:00:00Z');

const known = (hours: number, read_at: string, meter_replaced = false) => ({ hours, read_at, meter_replaced });
const form = (hours: string, read_at: string, meter_replaced = false) => ({ hours, read_at, meter_replaced });

describe('the reading form’s rules', () => {
  const history = [known(1000, '2026-03-01T08:00:00.000Z'), known(1200, '2026-03-05T08:00:00.000Z')];
  const schema = readingSchema(history, NOW);
  const hoursError = (input: ReturnType<typeof form>) => {
    const result = schema.safeParse(input);
    return result.success ? null : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('takes a reading above the last one, and reads a decimal comma', () => {
    expect(schema.parse(form('1250,5', '2026-03-09T08:00:00Z'))).toEqual({
      hours: 1250.5,
      readAt: new Date('2026-03-09T08:00:00Z'),
      meterReplaced: false,
    });
  });

  it('refuses a reading below the one before it, unless the meter was replaced', () => {
    expect(hoursError(form('1100', '2026-03-09T08:00:00Z'))).toEqual([
      expect.stringMatching(/^hours: 1,?100 h is below the reading before it \(1,?200 h\)\. If the meter was replaced, tick “New meter”\.$/),
    ]);
    expect(hoursError(form('12', '2026-03-09T08:00:00Z', true))).toBeNull();
  });

  it('refuses a late reading above the one after it', () => {
    expect(hoursError(form('1300', '2026-03-03T08:00:00Z'))).toEqual([
      expect.stringMatching(/^hours: 1,?300 h is above the later reading of 1,?200 h\.$/),
    ]);
    expect(hoursError(form('1100', '2026-03-03T08:00:00Z'))).toBeNull();
  });

  it('refuses what is not a number of hours, a time ahead of now or over ten years back', () => {
    expect(hoursError(form('', '2026-03-09T08:00:00Z'))).toEqual(['hours: Enter the hours on the meter.']);
    expect(hoursError(form('lots', '2026-03-09T08:00:00Z'))).toEqual(['hours: Enter the hours as a number, e.g. 12345.5.']);
    expect(hoursError(form('-1', '2026-03-09T08:00:00Z'))).toEqual(['hours: Enter a number of hours from 0 to 10,000,000.']);
    expect(hoursError(form('1300', '2026-03-10T13:00:00Z'))).toEqual(['read_at: A reading cannot be in the future.']);
    // Five minutes of clock skew are allowed, as the server allows them.
    expect(hoursError(form('1300', '2026-03-10T12:04:00Z'))).toBeNull();
    expect(hoursError(form('900', '2016-03-01T12:00:00Z'))).toEqual(['read_at: A reading must be from the last ten years.']);
  });

  it('totals running hours across a replaced meter', () => {
    const totals = withTotals([
      { id: 'a', hours: 900, meter_replaced: false, read_at: '2026-01-01T00:00:00Z' },
      { id: 'c', hours: 50, meter_replaced: false, read_at: '2026-03-01T00:00:00Z' },
      { id: 'b', hours: 5, meter_replaced: true, read_at: '2026-02-01T00:00:00Z' },
    ]);
    expect(totals.map((r: ShownReading) => [r.id, r.total])).toEqual([
      ['a', 900],
      ['b', 905],
      ['c', 950],
    ]);
  });
});

async function engineWithReadings() {
  return syncedDatabase([
    replicaRow(SCOPE, 'vessel', VESSEL, { kind: 'vessel', name: 'Northwind Spirit', vessel_type: null, imo: null, specs: {} }),
    replicaRow(SCOPE, 'equipment', ENGINE, {
      vessel_id: VESSEL, parent_id: null, level: 'system', area: 'engine_room', name: 'Main engine', equipment_type: null,
      maker: 'MaK', model: '8M25', serial_number: 'MAK-1', criticality: 'critical', status: 'operational',
      specs: { rated_power_kw: 2000, cylinders: 8 }, qr_code: 'ABCDEFGHJK',
    }),
    replicaRow(SCOPE, 'meter_reading', '01900000-0000-7000-8000-00000000000b', {
      equipment_id: ENGINE, hours: 1000, meter_replaced: false, read_at: '2026-03-01T08:00:00Z', recorded_by: null,
    }),
    replicaRow(SCOPE, 'meter_reading', '01900000-0000-7000-8000-00000000000c', {
      equipment_id: ENGINE, hours: 1200, meter_replaced: false, read_at: '2026-03-02T08:00:00Z', recorded_by: null,
    }),
    replicaRow(SCOPE, 'attachment', '01900000-0000-7000-8000-00000000000d', {
      parent_kind: 'equipment', parent_id: ENGINE, vessel_id: VESSEL, kind: 'document', file_name: 'Operating manual.pdf',
      content_type: 'application/pdf', size_bytes: 2_400_000, sha256: 'x', has_thumbnail: false, uploaded_by: 'u',
      created_at: '2026-01-01T00:00:00Z',
    }),
  ]);
}

const routes = [{ path: '/equipment/:id', element: <EquipmentPage /> }];

describe('recording a reading on an item’s page', () => {
  it('queues record_reading.v1 with a client-made id and shows it at once, on this device', async () => {
    const db = await engineWithReadings();
    renderSyncPage(db, routes, `/equipment/${ENGINE}`, 'crew');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Record a reading' });
    expect(within(form).getByText(/The last reading was 1,?200 h\./)).toBeInTheDocument();

    // Below the last reading: said before anything is queued.
    await user.type(within(form).getByLabelText('Hours on the meter'), '1100');
    await user.click(within(form).getByRole('button', { name: 'Record reading' }));
    expect(await within(form).findByText(/below the reading before it/)).toBeInTheDocument();
    expect(await db.outbox.count()).toBe(0);

    await user.clear(within(form).getByLabelText('Hours on the meter'));
    await user.type(within(form).getByLabelText('Hours on the meter'), '1234.5');
    await user.click(within(form).getByRole('button', { name: 'Record reading' }));
    expect(await within(form).findByRole('status')).toHaveTextContent(/1,?234\.5 h recorded/);

    const [entry] = await db.outbox.toArray();
    expect(entry?.name).toBe('record_reading.v1');
    expect(entry?.base_version).toBeNull();
    expect(entry?.args).toMatchObject({ equipment_id: ENGINE, hours: 1234.5, meter_replaced: false });
    expect(entry?.args.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entry?.args.read_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);

    const table = screen.getByRole('table', { name: 'Latest readings' });
    await waitFor(() => {
      expect(within(table).getAllByRole('row')[1]).toHaveTextContent('on this device');
    });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/1,?234\.5 h/);
    expect(screen.getByText('3 readings.')).toBeInTheDocument();
  }, 20_000);

  it('shows the specifications, the documents and the hours as a table beside the chart', async () => {
    renderSyncPage(await engineWithReadings(), routes, `/equipment/${ENGINE}`, 'viewer');
    const specs = await screen.findByRole('region', { name: 'Specifications' });
    expect(specs).toHaveTextContent('Rated power kw2,000');
    expect(specs).toHaveTextContent('Cylinders8');
    const documents = await screen.findByRole('list', { name: 'Documents' });
    expect(documents).toHaveTextContent('Operating manual.pdf · PDF · 2.3 MB');
    const table = screen.getByRole('table', { name: 'Latest readings' });
    expect(within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[2]?.textContent)).toEqual([
      expect.stringMatching(/^1,?200 h$/),
      expect.stringMatching(/^1,?000 h$/),
    ]);
    // Viewers read the hours but do not record them.
    expect(screen.queryByRole('form', { name: 'Record a reading' })).not.toBeInTheDocument();
  });
});

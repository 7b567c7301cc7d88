/**
 * A work order's page read in one go (`readWorkOrderView`): the same order, checklist, labour,
 * parts used and names as reading every row of each entity gave (the page's readers before),
 * waiting writes laid over the replica as before; none of another order's rows read on the way;
 * an order made on this device; kept live as rows of the order arrive.
 */
import { liveQuery, type Middleware, type DBCore } from 'dexie';
import { describe, expect, it } from 'vitest';

import { fieldsOf, pendingWritesIn } from '../../../components/local-writes';
import { catalogue } from '../../../components/parts-catalogue';
import { vesselLocations } from '../../../components/stock-levels';
import { departmentNamesOf, peopleNamesOf } from '../../../components/vessel-people';
import type { OutboxEntry, StoredRow, SyncDatabase } from '../../../sync/database';
import { ENTITY, vesselScope } from '../../../sync/entities';
import { freshDatabase } from '../../../sync/test-support';
import { replicaRow } from '../../../test/sync-page';
import { checklistOf } from './checklist';
import { faultSummaryOf, itemSummaryOf } from './people';
import { labourOf, partsUsedOf } from './work-log';
import { readWorkOrderView, type WorkOrderView } from './work-order-view';
import { workOrdersOf } from './work-orders';

const COMPANY = `company:01900000-0000-7000-8000-0000000000c1`;
const VESSEL = '01900000-0000-7000-8000-000000000001';
const SCOPE = vesselScope(VESSEL);
const PUMP = '01900000-0000-7000-8000-000000000002';
const WINCH = '01900000-0000-7000-8000-000000000003';
/** The order read: on the pump, raised from a leak, a checklist of two steps. */
const ORDER = '01900000-0000-7000-8000-0000000000d1';
/** Another order on the same vessel, with rows of its own. */
const OTHER = '01900000-0000-7000-8000-0000000000d2';
/** An order made on this device, only in the outbox. */
const MADE_HERE = '01900000-0000-7000-8000-0000000000d3';
const SAM = '01900000-0000-7000-8000-0000000000b1';
const LEE = '01900000-0000-7000-8000-0000000000b2';
const KIM = '01900000-0000-7000-8000-0000000000b3';
const ENGINE = '01900000-0000-7000-8000-0000000000e1';
const DECK = '01900000-0000-7000-8000-0000000000e2';
const LEAK = '01900000-0000-7000-8000-0000000000f1';
const CRACK = '01900000-0000-7000-8000-0000000000f2';
const ROOM = '01900000-0000-7000-8000-000000000010';
const STORE = '01900000-0000-7000-8000-000000000011';
const FILTER = '01900000-0000-7000-8000-000000000021';
const BELT = '01900000-0000-7000-8000-000000000022';
const OIL = '01900000-0000-7000-8000-000000000a01';
const PRESSURE = '01900000-0000-7000-8000-000000000a02';

const none = { min: null, max: null, unit: null, options: [], rule: null };
const steps = [
  { id: OIL, title: 'Oil level between the marks', kind: 'pass_fail', required: true, ...none },
  { id: PRESSURE, title: 'Lube oil pressure at idle', kind: 'number', required: true, ...none, min: '3.5', max: '5', unit: 'bar' },
];

const workOrder = (id: string, fields: Record<string, unknown>, version: number) =>
  replicaRow(SCOPE, ENTITY.workOrder, id, {
    vessel_id: VESSEL, equipment_id: PUMP, origin: { kind: 'manual' }, title: 'Work', description: '', priority: 'normal',
    assignees: [], due_on: null, estimated_minutes: null, steps: [], signature_required: false, status: 'in_progress',
    started_at: '2026-03-02T08:00:00Z', completed_at: null, completed_by: null, signature: null, verified_at: null,
    verified_by: null, cancelled_at: null, cancel_reason: null, created_at: '2026-03-01T08:00:00Z', ...fields,
  }, version);

const result = (id: string, order: string, step: string, answer: Record<string, unknown>, outcome: string, by: string, at: string) =>
  replicaRow(SCOPE, ENTITY.stepResult, id, { work_order_id: order, vessel_id: VESSEL, step_id: step, answer, outcome, recorded_by: by, recorded_at: at });
const labour = (id: string, order: string, person: string, minutes: number) =>
  replicaRow(SCOPE, ENTITY.labourEntry, id, { work_order_id: order, vessel_id: VESSEL, person_id: person, worked_on: '2026-03-02', minutes });
const entry = (id: string, order: string | null, part: string, delta: string, by: string) =>
  replicaRow(SCOPE, ENTITY.stockEntry, id, {
    vessel_id: VESSEL, work_order_id: order, part_id: part, location_id: STORE, movement: order ? 'issue' : 'receive', delta, recorded_by: by, recorded_at: '2026-03-02T09:00:00Z',
  });

const ROWS: StoredRow[] = [
  replicaRow(SCOPE, ENTITY.equipment, PUMP, { vessel_id: VESSEL, name: 'Bilge pump', status: 'operational' }),
  replicaRow(SCOPE, ENTITY.equipment, WINCH, { vessel_id: VESSEL, name: 'Deck winch', status: 'operational' }),
  replicaRow(COMPANY, ENTITY.membership, SAM, { user_id: SAM, name: 'Sam Stores' }),
  replicaRow(COMPANY, ENTITY.membership, LEE, { user_id: LEE, name: 'Lee Oiler' }),
  replicaRow(COMPANY, ENTITY.membership, KIM, { user_id: KIM, name: 'Kim Deck' }),
  replicaRow(SCOPE, ENTITY.department, ENGINE, { vessel_id: VESSEL, name: 'engine' }),
  replicaRow(SCOPE, ENTITY.department, DECK, { vessel_id: VESSEL, name: 'deck' }),
  replicaRow(SCOPE, ENTITY.fault, LEAK, { vessel_id: VESSEL, equipment_id: PUMP, severity: 'critical', title: 'Oil leak at the seal' }),
  replicaRow(SCOPE, ENTITY.fault, CRACK, { vessel_id: VESSEL, equipment_id: WINCH, severity: 'high', title: 'Crack in the drum' }),
  workOrder(ORDER, {
    title: 'Check the steering gear', steps, origin: { kind: 'fault', fault_id: LEAK },
    assignees: [{ kind: 'person', user_id: SAM }, { kind: 'department', department_id: ENGINE }],
  }, 20),
  workOrder(OTHER, {
    title: 'Paint the winch', equipment_id: WINCH, steps, origin: { kind: 'fault', fault_id: CRACK },
    assignees: [{ kind: 'person', user_id: KIM }, { kind: 'department', department_id: DECK }],
  }, 21),
  result('01900000-0000-7000-8000-000000000b01', ORDER, OIL, { kind: 'pass_fail', passed: true }, 'passed', SAM, '2026-03-02T09:00:00Z'),
  result('01900000-0000-7000-8000-000000000b02', ORDER, PRESSURE, { kind: 'number', value: '6' }, 'above_limit', LEE, '2026-03-02T09:05:00Z'),
  result('01900000-0000-7000-8000-000000000b03', OTHER, OIL, { kind: 'pass_fail', passed: false }, 'failed', KIM, '2026-03-02T09:00:00Z'),
  labour('01900000-0000-7000-8000-000000000c01', ORDER, SAM, 30),
  labour('01900000-0000-7000-8000-000000000c02', OTHER, KIM, 45),
  entry('01900000-0000-7000-8000-000000000e01', ORDER, FILTER, '-1', SAM),
  entry('01900000-0000-7000-8000-000000000e02', OTHER, BELT, '-2', KIM),
  entry('01900000-0000-7000-8000-000000000e03', null, FILTER, '5', SAM),
  replicaRow(SCOPE, ENTITY.stockLocation, ROOM, { vessel_id: VESSEL, name: 'Engine room', parent_id: null }),
  replicaRow(SCOPE, ENTITY.stockLocation, STORE, { vessel_id: VESSEL, name: 'Workshop store', parent_id: ROOM }),
  replicaRow(COMPANY, ENTITY.part, FILTER, { number: 'HF-6553', name: 'Oil filter', maker: null, unit: 'pcs', critical: false, equivalents: [] }),
  replicaRow(COMPANY, ENTITY.part, BELT, { number: 'B-17', name: 'Drive belt', maker: null, unit: 'pcs', critical: false, equivalents: [] }),
];

let nextWrite = 1;
const write = (name: string, args: OutboxEntry['args'], state: OutboxEntry['state'] = 'queued', more: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id: nextWrite++, name, args, hlc: '', base_version: null, state, queuedAt: Date.parse('2026-03-02T10:00:00Z') + nextWrite * 1000, ...more,
});

/** Waiting on this device: an edit, a move, an answer, time, a part refused, the catalogue's edit, another order's work, an order made here. */
const WRITES: OutboxEntry[] = [
  write('update_work_order.v1', {
    work_order_id: ORDER, title: 'Check the steering gear today', description: 'Bring the gauge.', priority: 'urgent',
    assignees: [{ kind: 'person', user_id: SAM }, { kind: 'department', department_id: ENGINE }], due_on: null, estimated_minutes: 90, signature_required: false,
  }, 'queued', { base_version: 20 }),
  write('hold_work_order.v1', { work_order_id: ORDER }, 'sent', { base_version: 20 }),
  write('record_step_result.v1', {
    id: '01900000-0000-7000-8000-000000000b04', work_order_id: ORDER, step_id: PRESSURE, answer: { kind: 'number', value: '4.2' }, follow_up_id: '01900000-0000-7000-8000-000000000b05',
  }),
  write('log_labour.v1', { id: '01900000-0000-7000-8000-000000000c03', work_order_id: ORDER, worked_on: '2026-03-02', minutes: 15 }, 'sent'),
  write('issue_part.v1', { id: '01900000-0000-7000-8000-000000000e04', work_order_id: ORDER, location_id: STORE, part_id: BELT, quantity: '1' }, 'rejected', {
    code: 'insufficient_stock', detail: 'only 0 on hand',
  }),
  write('update_part.v1', { part_id: FILTER, number: 'HF-6553', name: 'Oil filter, long life', maker: null, unit: 'pcs', critical: true, equivalents: [] }),
  write('record_step_result.v1', {
    id: '01900000-0000-7000-8000-000000000b06', work_order_id: OTHER, step_id: OIL, answer: { kind: 'pass_fail', passed: true }, follow_up_id: '01900000-0000-7000-8000-000000000b07',
  }),
  write('log_labour.v1', { id: '01900000-0000-7000-8000-000000000c04', work_order_id: OTHER, worked_on: '2026-03-02', minutes: 10 }),
  write('create_work_order.v1', {
    id: MADE_HERE, equipment_id: PUMP, title: 'Grease the bearings', description: '', priority: 'high', assignees: [{ kind: 'person', user_id: LEE }],
    steps: [{ id: OIL, title: 'Bearings greased', kind: 'pass_fail', required: true, ...none }], signature_required: false,
  }),
  write('start_work_order.v1', { work_order_id: MADE_HERE }),
  write('log_labour.v1', { id: '01900000-0000-7000-8000-000000000c05', work_order_id: MADE_HERE, worked_on: '2026-03-02', minutes: 20 }),
  // Accepted: no longer waiting, so shown from the replica only.
  write('log_labour.v1', { id: '01900000-0000-7000-8000-000000000c01', work_order_id: ORDER, worked_on: '2026-03-02', minutes: 30 }, 'accepted'),
];

/**
 * Every row and write the database holds is recorded as it is read from `rows` (got, queried or
 * passed by a cursor), so a test sees what a reader touched, not only what it returned.
 */
function recordRowReads(db: SyncDatabase): StoredRow[] {
  const seen: StoredRow[] = [];
  const keep = (v: unknown) => {
    if (v !== null && typeof v === 'object' && 'entity' in v) seen.push(v as StoredRow);
  };
  const recorder: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'record-row-reads',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        if (name !== 'rows') return table;
        return {
          ...table,
          get: async (req) => {
            const value: unknown = await table.get(req);
            keep(value);
            return value;
          },
          getMany: async (req) => {
            const values: unknown[] = await table.getMany(req);
            values.forEach(keep);
            return values;
          },
          query: async (req) => {
            const answer = await table.query(req);
            if (req.values) answer.result.forEach(keep);
            return answer;
          },
          openCursor: async (req) => {
            const cursor = await table.openCursor(req);
            if (cursor) {
              const start = cursor.start.bind(cursor);
              cursor.start = (onNext) =>
                start(() => {
                  keep(cursor.value);
                  onNext();
                });
            }
            return cursor;
          },
        };
      },
    }),
  };
  db.use(recorder);
  return seen;
}

async function seeded(): Promise<{ db: SyncDatabase; reads: StoredRow[] }> {
  const db = freshDatabase();
  const reads = recordRowReads(db);
  await db.clientMeta(0);
  await db.rows.bulkPut(ROWS);
  await db.outbox.bulkAdd(WRITES);
  reads.length = 0;
  return { db, reads };
}

/**
 * The page as its readers computed it before: every row of each entity (every work order, every
 * item, the people directory, every department, fault, part and location), each order's rows
 * picked from all of its vessel's, and the outbox.
 */
async function asBefore(db: SyncDatabase, id: string) {
  const all = (entity: string) => db.rows.where('[entity+id]').between([entity, ''], [entity, '\uffff']).toArray();
  const writes = await pendingWritesIn(db);
  const order = workOrdersOf(await all(ENTITY.workOrder), await all(ENTITY.equipment), writes).find((o) => o.id === id);
  if (!order) throw new Error('no order');
  const ofOrder = async (entity: string) =>
    order.vesselId === null
      ? []
      : (await db.rows.where('[scope+entity]').equals([vesselScope(order.vesselId), entity]).toArray()).filter(
          (row) => fieldsOf(row).work_order_id === id,
        );
  const faults = await all(ENTITY.fault);
  const faultId = order.origin.kind === 'fault' ? order.origin.faultId : null;
  return {
    order,
    item: new Map((await all(ENTITY.equipment)).map((r) => [r.id, itemSummaryOf(r)])).get(order.equipmentId) ?? null,
    checklist: checklistOf(id, order.steps, await ofOrder(ENTITY.stepResult), writes),
    labour: labourOf(id, await ofOrder(ENTITY.labourEntry), writes),
    partsUsed: partsUsedOf(id, await ofOrder(ENTITY.stockEntry), writes),
    parts: new Map(catalogue(await all(ENTITY.part), writes).map((p) => [p.id, p])),
    locationPaths: new Map(order.vesselId ? vesselLocations(order.vesselId, await all(ENTITY.stockLocation), writes).map((l) => [l.id, l.path]) : []),
    people: peopleNamesOf(await all(ENTITY.membership)),
    departments: departmentNamesOf(await all(ENTITY.department)),
    fault: faultId === null ? null : faultSummaryOf(faultId, faults.find((f) => f.id === faultId), writes),
  };
}

/** `map` with only `keys`. */
const only = <V>(map: ReadonlyMap<string, V>, keys: readonly string[]) => new Map(keys.flatMap((k) => (map.has(k) ? [[k, map.get(k) as V] as const] : [])));

async function read(db: SyncDatabase, id: string): Promise<WorkOrderView> {
  const view = await readWorkOrderView(db, id);
  if (!view) throw new Error('no view');
  return view;
}

describe('a work order’s page read in one go', () => {
  it('is the view the whole-entity readers gave, the writes waiting laid over the replica', async () => {
    const { db } = await seeded();
    const view = await read(db, ORDER.toUpperCase());
    const before = await asBefore(db, ORDER);

    expect(view.order).toEqual(before.order);
    expect(view.item).toEqual(before.item);
    expect(view.checklist).toEqual(before.checklist);
    expect(view.labour).toEqual(before.labour);
    expect(view.partsUsed).toEqual(before.partsUsed);
    expect(view.fault).toEqual(before.fault);
    expect(view.locationPaths).toEqual(before.locationPaths);
    expect(view.departments).toEqual(only(before.departments, [ENGINE]));
    expect(view.people).toEqual(only(before.people, [SAM, LEE]));
    expect(only(view.parts, [FILTER, BELT])).toEqual(only(before.parts, [FILTER, BELT]));

    // What that is, spelled out: the edit and the move waiting on the order (among its writes), …
    expect(view.order).toMatchObject({ title: 'Check the steering gear today', priority: 'urgent', estimatedMinutes: 90, version: 20 });
    expect(view.order.pending.map((w) => w.name)).toEqual(['update_work_order.v1', 'hold_work_order.v1', 'record_step_result.v1', 'log_labour.v1', 'issue_part.v1']);
    expect(view.item?.name).toBe('Bilge pump');
    expect(view.fault?.title).toBe('Oil leak at the seal');
    // … the waiting answer counting over the confirmed one, …
    expect(view.checklist.current.get(PRESSURE)).toMatchObject({ answer: { kind: 'number', value: '4.2' }, outcome: 'passed', recordedBy: null });
    expect(view.checklist.current.get(OIL)).toMatchObject({ outcome: 'passed', recordedBy: SAM });
    expect(view.checklist.results).toHaveLength(3);
    expect(view.checklist.missing).toEqual([]);
    // … the time sent but not accepted beside the replica's (the accepted write not twice), …
    expect(view.labour.map((l) => [l.minutes, l.pending?.state ?? 'confirmed'])).toEqual([
      [15, 'sent'],
      [30, 'confirmed'],
    ]);
    // … and the part refused listed with its refusal, named as the catalogue's waiting edit says.
    expect(view.partsUsed.map((p) => [p.partId, p.pending?.state ?? 'confirmed'])).toEqual([
      [BELT, 'rejected'],
      [FILTER, 'confirmed'],
    ]);
    expect(view.parts.get(FILTER)?.name).toBe('Oil filter, long life');
    expect(view.locationPaths.get(STORE)).toBe('Engine room › Workshop store');
    expect(view.departments).toEqual(new Map([[ENGINE, 'Engine']]));
  });

  it('reads none of another order’s rows, nor its item, fault or people', async () => {
    const { db, reads } = await seeded();
    const view = await read(db, ORDER);
    const otherOrders = reads.filter((r) => r.id === OTHER || r.id === MADE_HERE || fieldsOf(r).work_order_id === OTHER);
    expect(otherOrders).toEqual([]);
    expect(reads.filter((r) => [WINCH, CRACK, KIM, DECK].includes(r.id))).toEqual([]);
    // Each row read once, in one transaction: the order, its item, its rows, the vessel's locations, what it names.
    expect(reads.filter((r) => r.entity === ENTITY.workOrder).map((r) => r.id)).toEqual([ORDER]);
    expect(reads.filter((r) => r.entity === ENTITY.equipment).map((r) => r.id)).toEqual([PUMP]);
    expect(reads.filter((r) => r.entity === ENTITY.stepResult)).toHaveLength(2);
    expect(reads.filter((r) => r.entity === ENTITY.labourEntry)).toHaveLength(1);
    expect(reads.filter((r) => r.entity === ENTITY.stockEntry).map((r) => r.id)).toEqual(['01900000-0000-7000-8000-000000000e01']);

    // And what comes back is the order's alone.
    expect(view.checklist.results.every((r) => r.id !== '01900000-0000-7000-8000-000000000b03' && r.id !== '01900000-0000-7000-8000-000000000b06')).toBe(true);
    expect(view.labour.map((l) => l.minutes)).toEqual([15, 30]);
    expect(view.people.has(KIM)).toBe(false);

    // The other order reads its own, and not the first's.
    reads.length = 0;
    const other = await read(db, OTHER);
    expect(reads.filter((r) => r.id === ORDER || fieldsOf(r).work_order_id === ORDER)).toEqual([]);
    expect(other.checklist.results.map((r) => r.id).sort()).toEqual(['01900000-0000-7000-8000-000000000b03', '01900000-0000-7000-8000-000000000b06']);
    expect(other.labour.map((l) => l.minutes)).toEqual([10, 45]);
    expect(other.people).toEqual(new Map([[KIM, 'Kim Deck']]));
    expect(other.departments).toEqual(new Map([[DECK, 'Deck']]));
    expect(other.item?.name).toBe('Deck winch');
  });

  it('reads an order made on this device from the outbox, on its item’s vessel, as before', async () => {
    const { db } = await seeded();
    const view = await read(db, MADE_HERE);
    const before = await asBefore(db, MADE_HERE);
    expect(view.order).toEqual(before.order);
    expect(view.order).toMatchObject({ title: 'Grease the bearings', vesselId: VESSEL, version: null });
    expect(view.order.pending.map((w) => w.name)).toEqual(['create_work_order.v1', 'start_work_order.v1', 'log_labour.v1']);
    expect(view.labour).toEqual(before.labour);
    expect(view.labour.map((l) => l.minutes)).toEqual([20]);
    expect(view.checklist).toEqual(before.checklist);
    expect(view.people).toEqual(new Map([[LEE, 'Lee Oiler']]));
    expect(view.fault).toBeNull();
  });

  it('is null for an order the device does not know', async () => {
    const { db } = await seeded();
    expect(await readWorkOrderView(db, '01900000-0000-7000-8000-0000000000dd')).toBeNull();
  });

  it('stays live: an answer synced in for the order shows with who gave it, another order’s is not taken in', async () => {
    const { db } = await seeded();
    const views: WorkOrderView[] = [];
    const subscription = liveQuery(() => readWorkOrderView(db, ORDER)).subscribe((v) => {
      if (v) views.push(v);
    });
    try {
      await expect.poll(() => views.length).toBe(1);
      await db.rows.put(result('01900000-0000-7000-8000-000000000b08', OTHER, PRESSURE, { kind: 'number', value: '4' }, 'passed', KIM, '2026-03-02T11:00:00Z'));
      await db.rows.put(result('01900000-0000-7000-8000-000000000b09', ORDER, OIL, { kind: 'pass_fail', passed: false }, 'failed', KIM, '2026-03-02T11:00:00Z'));
      await expect.poll(() => views.at(-1)?.checklist.current.get(OIL)?.outcome).toBe('failed');
      expect(views.at(-1)?.people.get(KIM)).toBe('Kim Deck');
      expect(views.at(-1)?.checklist.results.some((r) => r.id === '01900000-0000-7000-8000-000000000b08')).toBe(false);
    } finally {
      subscription.unsubscribe();
    }
  });
});

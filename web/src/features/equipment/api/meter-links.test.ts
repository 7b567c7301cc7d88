/**
 * Links to a parent's meter on the device: the `meter_link` rows the replica takes (inserted,
 * then deleted when unlinked; their bases hashed as Rust's `f64`), and the outbox's links and
 * unlinks laid over them in the order they were made.
 */
import { describe, expect, it } from 'vitest';

import type { PendingWrite } from '../../../components/local-writes';
import { canonicalJson } from '../../../sync/checksum';
import type { StoredRow } from '../../../sync/database';
import { ENTITY, ENTITY_FLOATS, vesselScope } from '../../../sync/entities';
import { Replica } from '../../../sync/replica';
import {
  LINK_METER,
  UNLINK_METER,
  confirmedLink,
  linkFromRow,
  linkedChildHours,
  linkedChildrenOf,
  meterLinkOf,
} from './meter-links';

const VESSEL = '01900000-0000-7000-8000-000000000001';
const SCOPE = vesselScope(VESSEL);
const ENGINE = '01900000-0000-7000-8000-0000000000e1';
const PUMP = '01900000-0000-7000-8000-0000000000a1';
const COOLER = '01900000-0000-7000-8000-0000000000a2';
const LINKED_AT = '2026-12-06T08:00:00Z';

const linkFields = (child: string, parent: string, childBase: number, parentBase: number) => ({
  id: child,
  equipment_id: child,
  parent_id: parent,
  child_base: childBase,
  parent_base: parentBase,
  linked_by: '01900000-0000-7000-8000-0000000000f1',
  linked_at: LINKED_AT,
});

const row = (entity: string, id: string, fields: Record<string, unknown>): StoredRow => ({
  scope: SCOPE,
  entity,
  id,
  version: 1,
  fields: { id, ...fields },
});

let nextId = 1;
function write(name: string, equipmentId: string, state: PendingWrite['state'] = 'queued', code?: string): PendingWrite {
  const id = nextId++;
  return {
    id,
    name,
    args: { equipment_id: equipmentId },
    hlc: '',
    base_version: null,
    state,
    queuedAt: Date.parse('2026-12-07T10:00:00Z') + id,
    label: state === 'rejected' ? `rejected: ${code ?? 'unknown'}` : 'on this device',
    ...(code ? { code } : {}),
  };
}

describe('the meter_link entity in the replica', () => {
  it('is inserted when linked and goes with the delete change when unlinked', () => {
    const replica = new Replica(ENTITY_FLOATS);
    replica.apply(SCOPE, { seq: 7, entity: ENTITY.meterLink, id: PUMP, op: 'insert', fields: linkFields(PUMP, ENGINE, 0, 1200.5) });
    const held = replica.row(SCOPE, ENTITY.meterLink, PUMP);
    expect(held?.version).toBe(7);
    if (!held) throw new Error('the link is held');
    expect(linkFromRow({ scope: SCOPE, entity: ENTITY.meterLink, id: PUMP, ...held })).toMatchObject({
      equipment_id: PUMP,
      parent_id: ENGINE,
      child_base: 0,
      parent_base: 1200.5,
      linked_at: LINKED_AT,
    });
    replica.apply(SCOPE, { seq: 9, entity: ENTITY.meterLink, id: PUMP, op: 'delete', fields: { id: PUMP } });
    expect(replica.row(SCOPE, ENTITY.meterLink, PUMP)).toBeUndefined();
  });

  it('hashes both bases as Rust writes an f64, whole hours included', () => {
    const floats = ENTITY_FLOATS[ENTITY.meterLink];
    expect(canonicalJson({ child_base: 0, parent_base: 1200, linked_at: LINKED_AT }, floats)).toBe(
      `{"child_base":0.0,"linked_at":"${LINKED_AT}","parent_base":1200.0}`,
    );
  });

  it('reads nothing from a row missing a field', () => {
    expect(linkFromRow(row(ENTITY.meterLink, PUMP, { parent_id: ENGINE }))).toBeNull();
  });
});

describe('a link with the outbox laid over it', () => {
  const confirmed = confirmedLink(linkFields(PUMP.toUpperCase(), ENGINE, 10, 1200));

  it('shows a link made on this device at once, with no bases until the server takes them', () => {
    const link = write(LINK_METER, PUMP.toUpperCase());
    const state = meterLinkOf(PUMP, ENGINE, null, [link, write(LINK_METER, COOLER)]);
    expect(state.link).toEqual({
      equipmentId: PUMP,
      parentId: ENGINE,
      childBase: null,
      parentBase: null,
      linkedAt: new Date(link.queuedAt).toISOString(),
      pending: link,
    });
    expect(state.writes).toEqual([link]);
    if (!state.link) throw new Error('the link shows');
    expect(linkedChildHours(state.link, 1300)).toBeNull();
  });

  it('hides a link unlinked on this device, and follows the writes in the order they were made', () => {
    expect(meterLinkOf(PUMP, ENGINE, confirmed, [write(UNLINK_METER, PUMP)]).link).toBeNull();
    const relinked = meterLinkOf(PUMP, ENGINE, confirmed, [write(UNLINK_METER, PUMP), write(LINK_METER, PUMP)]);
    expect(relinked.link?.pending?.name).toBe(LINK_METER);
    expect(meterLinkOf(PUMP, ENGINE, null, [write(LINK_METER, PUMP), write(UNLINK_METER, PUMP)]).link).toBeNull();
  });

  it('keeps the confirmed link when linked again, as the server answers the link it has', () => {
    expect(meterLinkOf(PUMP, ENGINE, confirmed, [write(LINK_METER, PUMP)]).link).toBe(confirmed);
  });

  it('changes nothing for a refused write, which stays listed with its code', () => {
    const refused = write(LINK_METER, PUMP, 'rejected', 'parent_has_no_meter');
    const state = meterLinkOf(PUMP, ENGINE, null, [refused]);
    expect(state.link).toBeNull();
    expect(state.writes).toEqual([refused]);
    expect(meterLinkOf(PUMP, ENGINE, confirmed, [write(UNLINK_METER, PUMP, 'rejected', 'forbidden')]).link).toBe(confirmed);
  });

  it('links nothing for an item under nothing', () => {
    expect(meterLinkOf(ENGINE, null, null, [write(LINK_METER, ENGINE)]).link).toBeNull();
  });

  it('gives the child its hours when linked plus what the parent ran since, never less', () => {
    expect(linkedChildHours(confirmed, 1250.5)).toBe(60.5);
    expect(linkedChildHours(confirmed, 1100)).toBe(10);
  });
});

describe('a parent’s linked children', () => {
  const children = [
    row(ENTITY.equipment, PUMP, { name: 'Jacket water pump', parent_id: ENGINE }),
    row(ENTITY.equipment, COOLER, { name: 'Charge air cooler', parent_id: ENGINE }),
  ];

  it('lists the confirmed links and those made on this device, less those unlinked here, by name', () => {
    const links = [row(ENTITY.meterLink, PUMP, linkFields(PUMP, ENGINE, 0, 1200))];
    expect(linkedChildrenOf(ENGINE, children, links, []).map((c) => c.name)).toEqual(['Jacket water pump']);
    const both = linkedChildrenOf(ENGINE.toUpperCase(), children, links, [write(LINK_METER, COOLER)]);
    expect(both.map((c) => [c.name, c.link.pending === null])).toEqual([
      ['Charge air cooler', false],
      ['Jacket water pump', true],
    ]);
    expect(linkedChildrenOf(ENGINE, children, links, [write(UNLINK_METER, PUMP)])).toEqual([]);
  });
});

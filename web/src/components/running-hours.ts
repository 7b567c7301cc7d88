/**
 * An item's running hours, as its page shows them: the total of its meter readings, a replaced
 * meter's last reading carried over (`running_hours` in crates/domain/src/equipment.rs). The
 * maintenance plans read the same total, with the readings still in the outbox counted (a
 * refused one does not count), so a plan falls due by hours as soon as a reading is taken.
 */
import { useMemo } from 'react';

import type { ReadingView } from '../api/types';
import { ENTITY, vesselScope } from '../sync/entities';
import { useReplicaRows } from '../sync/replica-queries';
import { usePendingWrites, type PendingWrite } from './local-writes';

/** The mutator that records a reading. */
export const RECORD_READING = 'record_reading.v1';

type Reading = Pick<ReadingView, 'hours' | 'meter_replaced' | 'read_at'>;

/** The readings' running hours: a replaced meter's last reading carries over. */
export function runningHours(readings: readonly Reading[]): number | null {
  if (readings.length === 0) return null;
  let beforeCurrentMeter = 0;
  let current = 0;
  for (const r of [...readings].sort((a, b) => a.read_at.localeCompare(b.read_at))) {
    if (r.meter_replaced) beforeCurrentMeter += current;
    current = r.hours;
  }
  return beforeCurrentMeter + current;
}

/**
 * Each item's running hours from `readings` (replica `meter_reading` rows) and the readings
 * waiting in the outbox; an item without readings is absent.
 */
export function runningHoursByItem(readings: readonly { fields: unknown }[], writes: readonly PendingWrite[]): Map<string, number> {
  const byItem = new Map<string, Reading[]>();
  const add = (equipmentId: unknown, r: Reading) => {
    if (typeof equipmentId !== 'string' || !Number.isFinite(r.hours)) return;
    const id = equipmentId.toLowerCase();
    byItem.set(id, [...(byItem.get(id) ?? []), r]);
  };
  const held = new Set<string>();
  for (const row of readings) {
    const f = row.fields as Record<string, unknown> | null;
    if (f === null || typeof f !== 'object') continue;
    if (typeof f.id === 'string') held.add(f.id.toLowerCase());
    add(f.equipment_id, { hours: Number(f.hours), meter_replaced: f.meter_replaced === true, read_at: typeof f.read_at === 'string' ? f.read_at : '' });
  }
  for (const w of writes) {
    if (w.name !== RECORD_READING || w.state === 'rejected') continue;
    if (typeof w.args.id === 'string' && held.has(w.args.id.toLowerCase())) continue;
    add(w.args.equipment_id, { hours: Number(w.args.hours), meter_replaced: w.args.meter_replaced === true, read_at: typeof w.args.read_at === 'string' ? w.args.read_at : '' });
  }
  const hours = new Map<string, number>();
  for (const [id, list] of byItem) {
    const total = runningHours(list);
    if (total !== null) hours.set(id, total);
  }
  return hours;
}

/** The running hours of each item of a vessel; undefined while loading. */
export function useVesselRunningHours(vesselId: string): Map<string, number> | undefined {
  const readings = useReplicaRows(ENTITY.meterReading, vesselScope(vesselId));
  const writes = usePendingWrites();
  return useMemo(() => (readings && writes ? runningHoursByItem(readings, writes) : undefined), [readings, writes]);
}

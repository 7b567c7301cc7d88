/**
 * Who and what a work order names, from the replica: items (`equipment`: name, vessel),
 * people (the company's `membership` rows: names), a vessel's crew (its `vessel_member` rows)
 * and departments (`department` rows: "engine", "deck"), and a fault a work order is raised from
 * (its `fault` row, or its report still in the outbox).
 */
import { useMemo } from 'react';

import { pendingFaultReports } from '../../../components/fault-reports';
import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import type { StoredRow } from '../../../sync/database';
import { ENTITY } from '../../../sync/entities';

// People, departments and crews are the maintenance plans' too (`components/vessel-people.ts`).
export { useDepartmentNames, usePeopleNames, useVesselCrew, useVesselDepartments } from '../../../components/vessel-people';

/** An item of equipment, as a work order needs it. */
export interface ItemSummary {
  /** Lowercase. */
  id: string;
  name: string;
  vesselId: string | null;
  decommissioned: boolean;
}

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;

/** An `equipment` row as a work order names it. */
export function itemSummaryOf(row: StoredRow): ItemSummary {
  const f = fieldsOf(row);
  return { id: row.id, name: textOf(f, 'name') ?? 'Unnamed item', vesselId: lower(textOf(f, 'vessel_id')), decommissioned: textOf(f, 'status') === 'decommissioned' };
}

/** Items by id; undefined while loading. */
export function useItems(): Map<string, ItemSummary> | undefined {
  const rows = useEntityRows(ENTITY.equipment);
  return useMemo(() => rows && new Map(rows.map((r) => [r.id, itemSummaryOf(r)])), [rows]);
}

/** Vessel names by id. */
export function useVesselNames(): Map<string, string> {
  const rows = useEntityRows(ENTITY.vessel);
  return useMemo(() => new Map((rows ?? []).map((r) => [r.id, textOf(fieldsOf(r), 'name') ?? 'Unnamed vessel'])), [rows]);
}

/** A fault a work order may be raised from. */
export interface FaultSummary {
  id: string;
  equipmentId: string;
  title: string;
  severity: string;
}

/**
 * The fault `id` from its `fault` row, or else from its report still waiting here (not a
 * refused one); null when neither is known.
 */
export function faultSummaryOf(id: string, row: StoredRow | undefined, writes: readonly PendingWrite[]): FaultSummary | null {
  const faultId = id.toLowerCase();
  if (row) {
    const f = fieldsOf(row);
    return { id: faultId, equipmentId: lower(textOf(f, 'equipment_id')) ?? '', title: textOf(f, 'title') ?? '', severity: textOf(f, 'severity') ?? 'medium' };
  }
  const report = pendingFaultReports(writes).find((r) => r.id === faultId && r.write.state !== 'rejected');
  return report ? { id: faultId, equipmentId: report.equipmentId, title: report.title, severity: report.severity } : null;
}

/** A fault the device knows (confirmed, or reported here and waiting); null when unknown, undefined while loading. */
export function useFaultSummary(id: string | null): FaultSummary | null | undefined {
  const rows = useEntityRows(ENTITY.fault);
  const writes = usePendingWrites();
  return useMemo(() => {
    if (id === null) return null;
    if (!rows || !writes) return undefined;
    const faultId = id.toLowerCase();
    return faultSummaryOf(faultId, rows.find((r) => r.id === faultId), writes);
  }, [id, rows, writes]);
}

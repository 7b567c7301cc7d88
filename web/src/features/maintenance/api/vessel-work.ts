/**
 * What the maintenance pages read of a vessel beside its plans, from the replica: its items
 * (name, decommissioned or not), and its work orders as far as plans need them — a plan's
 * history (the orders whose `origin` is `{ kind: "plan", plan_id, occurrence }`) and the open
 * orders' due days for the calendar. Work orders are read here, not through the work orders
 * feature: a feature never imports another.
 */
import { useMemo } from 'react';

import { fieldsOf, textOf } from '../../../components/local-writes';
import type { JsonValue } from '../../../sync/checksum';
import type { StoredRow } from '../../../sync/database';
import { ENTITY, vesselScope } from '../../../sync/entities';
import { useReplicaRow, useReplicaRows } from '../../../sync/replica-queries';

/** An item a plan may look after. */
export interface PlanItemChoice {
  /** Lowercase. */
  id: string;
  name: string;
  decommissioned: boolean;
}

/** A work order as the plan pages show it. */
export interface PlannedWork {
  /** Lowercase. */
  id: string;
  vesselId: string | null;
  title: string;
  status: string;
  dueOn: string | null;
  completedAt: string | null;
  /** The plan it was raised for, and which occurrence; null for other work. */
  planId: string | null;
  occurrence: number | null;
}

export const WORK_STATUS_LABEL: Record<string, string> = {
  open: 'Open',
  in_progress: 'In progress',
  on_hold: 'On hold',
  done: 'Done',
  verified: 'Verified',
  cancelled: 'Cancelled',
};

/** Whether a work order still needs doing. */
export const isOpenWork = (status: string) => status === 'open' || status === 'in_progress' || status === 'on_hold';

const lower = (v: string | null) => v?.toLowerCase() ?? null;

/** A `work_order` row as the plan pages need it. */
export function plannedWorkOf(row: StoredRow): PlannedWork {
  const f = fieldsOf(row);
  const origin: JsonValue | undefined = f.origin;
  const o = origin !== null && typeof origin === 'object' && !Array.isArray(origin) ? origin : {};
  const isPlan = o.kind === 'plan' && typeof o.plan_id === 'string';
  return {
    id: row.id,
    vesselId: lower(textOf(f, 'vessel_id')),
    title: textOf(f, 'title') ?? '',
    status: textOf(f, 'status') ?? 'open',
    dueOn: textOf(f, 'due_on'),
    completedAt: textOf(f, 'completed_at'),
    planId: isPlan ? lower(textOf(o, 'plan_id')) : null,
    occurrence: isPlan && typeof o.occurrence === 'number' ? o.occurrence : null,
  };
}

/** The vessel's work orders; undefined while loading. */
export function useVesselWork(vesselId: string | null): PlannedWork[] | undefined {
  const rows = useReplicaRows(ENTITY.workOrder, vesselId === null ? null : vesselScope(vesselId));
  return useMemo(() => rows?.map(plannedWorkOf), [rows]);
}

/** The vessel's items by id, by name; undefined while loading. */
export function useVesselItems(vesselId: string | null): Map<string, PlanItemChoice> | undefined {
  const rows = useReplicaRows(ENTITY.equipment, vesselId === null ? 'none' : vesselScope(vesselId));
  return useMemo(
    () =>
      rows &&
      new Map(
        rows
          .map((r) => {
            const f = fieldsOf(r);
            return { id: r.id, name: textOf(f, 'name') ?? 'Unnamed item', decommissioned: textOf(f, 'status') === 'decommissioned' };
          })
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((i) => [i.id, i]),
      ),
    [rows],
  );
}

/** The vessel's name from the replica; null while unknown. */
export function useVesselName(vesselId: string | null): string | null {
  const vessel = useReplicaRow(ENTITY.vessel, vesselId ?? '');
  return vessel ? textOf(fieldsOf(vessel), 'name') : null;
}

/**
 * Who works on a vessel, from the replica: people (the company's `membership` rows: names), a
 * vessel's crew (its `vessel_member` rows) and departments (`department` rows: "engine",
 * "deck"). Work orders and maintenance plans are assigned from them.
 */
import { useMemo } from 'react';

import type { StoredRow } from '../sync/database';
import { ENTITY } from '../sync/entities';
import { fieldsOf, textOf, useEntityRows } from './local-writes';

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;

/** A department's name as shown: the server keeps it lowercase ("engine" → "Engine"). */
const departmentName = (name: string | null) => (name ? name.charAt(0).toUpperCase() + name.slice(1) : 'Department');

/** People's names by user id (lowercase), from `membership` rows. */
export function peopleNamesOf(rows: readonly StoredRow[]): Map<string, string> {
  return new Map(rows.map((r) => [lower(textOf(fieldsOf(r), 'user_id')) ?? r.id, textOf(fieldsOf(r), 'name') ?? 'Someone']));
}

/** People's names by user id (lowercase), from the people directory when the replica holds it. */
export function usePeopleNames(): Map<string, string> {
  const rows = useEntityRows(ENTITY.membership);
  return useMemo(() => peopleNamesOf(rows ?? []), [rows]);
}

/** A vessel's departments, by name. */
export function useVesselDepartments(vesselId: string | null): { id: string; name: string }[] {
  const rows = useEntityRows(ENTITY.department);
  return useMemo(
    () =>
      (rows ?? [])
        .filter((r) => vesselId !== null && lower(textOf(fieldsOf(r), 'vessel_id')) === vesselId)
        .map((r) => ({ id: r.id, name: departmentName(textOf(fieldsOf(r), 'name')) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [rows, vesselId],
  );
}

/** Department names by id, from `department` rows. */
export function departmentNamesOf(rows: readonly StoredRow[]): Map<string, string> {
  return new Map(rows.map((r) => [r.id, departmentName(textOf(fieldsOf(r), 'name'))]));
}

/** Department names by id, on every vessel. */
export function useDepartmentNames(): Map<string, string> {
  const rows = useEntityRows(ENTITY.department);
  return useMemo(() => departmentNamesOf(rows ?? []), [rows]);
}

/** The people on a vessel's rotation (user ids, lowercase). */
export function useVesselCrew(vesselId: string | null): string[] {
  const rows = useEntityRows(ENTITY.vesselMember);
  return useMemo(
    () =>
      (rows ?? [])
        .map((r) => fieldsOf(r))
        .filter((f) => vesselId !== null && lower(textOf(f, 'vessel_id')) === vesselId)
        .flatMap((f) => {
          const id = lower(textOf(f, 'user_id'));
          return id ? [id] : [];
        }),
    [rows, vesselId],
  );
}


/**
 * The company's procedures (reusable checklists) as the device knows them: the replica's
 * `procedure` rows (scope `company:{id}`), procedures created here and still in the outbox
 * (`create_procedure.v1`, shown at once), and edits still in the outbox (`update_procedure.v1`,
 * which names the fields whole) laid over the procedure they edit. A refused edit changes
 * nothing shown, and a refused creation shows as refused, never offered to copy; both stay
 * listed with the refusal until dismissed. Shared by the procedures pages and the work order
 * and maintenance plan forms, which start from one.
 *
 * Starting from a procedure copies its steps with ids of their own (`copiedSteps`): a work
 * order's and a plan's steps are theirs, so editing the procedure later changes no order or plan
 * (the server keeps the same rule, ADR 0007).
 */
import { useMemo } from 'react';

import type { JsonValue } from '../sync/checksum';
import type { StoredRow } from '../sync/database';
import { ENTITY } from '../sync/entities';
import { stepFieldsOf, stepsOf, type Step, type StepFields } from './checklist-steps';
import { fieldsOf, newRowId, textOf, useEntityRows, usePendingWrites, type PendingWrite } from './local-writes';

/** The mutator that adds a procedure. */
export const CREATE_PROCEDURE = 'create_procedure.v1';
/** The mutator that replaces a procedure's title, description and steps. */
export const UPDATE_PROCEDURE = 'update_procedure.v1';

/** One procedure, confirmed or only on this device. */
export interface ProcedureItem {
  /** Lowercase. */
  id: string;
  title: string;
  description: string;
  steps: Step[];
  /** Who made it (lowercase), when known. */
  createdBy: string | null;
  updatedAt: string | null;
  /** The replica's version (an edit's base version); null while only its creation is queued. */
  version: number | null;
  /** Writes on this procedure not yet accepted, oldest first (its own creation included). */
  pending: PendingWrite[];
  /** Only on this device, and the server refused to create it: shown with the refusal, never copied. */
  refused: boolean;
}

const isProcedureWrite = (w: PendingWrite) => w.name === CREATE_PROCEDURE || w.name === UPDATE_PROCEDURE;

/** The procedure a write is about (lowercase), if it is a procedure write. */
export function procedureIdOf(write: PendingWrite): string | null {
  const v = write.name === CREATE_PROCEDURE ? write.args.id : write.name === UPDATE_PROCEDURE ? write.args.procedure_id : undefined;
  return typeof v === 'string' ? v.toLowerCase() : null;
}

function fromFields(id: string, f: Record<string, JsonValue>, version: number | null): ProcedureItem {
  return {
    id,
    title: textOf(f, 'title') ?? '',
    description: textOf(f, 'description') ?? '',
    steps: stepsOf(f.steps),
    createdBy: textOf(f, 'created_by')?.toLowerCase() ?? null,
    updatedAt: textOf(f, 'updated_at'),
    version,
    pending: [],
    refused: false,
  };
}

/** The procedures from replica rows and the writes waiting, by title. */
export function proceduresOf(rows: readonly StoredRow[], writes: readonly PendingWrite[]): ProcedureItem[] {
  const byId = new Map<string, ProcedureItem>();
  for (const row of rows) byId.set(row.id, fromFields(row.id, fieldsOf(row), row.version));
  for (const w of writes.filter(isProcedureWrite)) {
    const id = procedureIdOf(w);
    if (id === null) continue;
    const known = byId.get(id);
    if (w.name === CREATE_PROCEDURE && !known) {
      // A refused creation still shows, with its refusal, until the person dismisses it.
      byId.set(id, { ...fromFields(id, w.args, null), refused: w.state === 'rejected' });
    } else if (w.name === UPDATE_PROCEDURE && known && w.state !== 'rejected') {
      // The edit names the fields whole: what it names is what the procedure will be.
      const edited = fromFields(id, w.args, known.version);
      byId.set(id, { ...edited, createdBy: known.createdBy, updatedAt: known.updatedAt, pending: known.pending, refused: known.refused });
    }
    byId.get(id)?.pending.push(w);
  }
  return [...byId.values()].sort((a, b) => a.title.localeCompare(b.title, undefined, { numeric: true, sensitivity: 'base' }) || a.id.localeCompare(b.id));
}

/** Every procedure of the company, by title; undefined while loading. */
export function useProcedures(): ProcedureItem[] | undefined {
  const rows = useEntityRows(ENTITY.procedure);
  const writes = usePendingWrites();
  return useMemo(() => (rows && writes ? proceduresOf(rows, writes) : undefined), [rows, writes]);
}

/** One procedure; null when the device knows no such procedure, undefined while loading. */
export function useProcedure(id: string): ProcedureItem | null | undefined {
  const procedures = useProcedures();
  return procedures === undefined ? undefined : (procedures.find((p) => p.id === id.toLowerCase()) ?? null);
}

/**
 * A procedure's steps as a form's new steps: the same content, each with a new client-made id,
 * so the work order or plan they are copied into owns them.
 */
export function copiedSteps(procedure: Pick<ProcedureItem, 'steps'>): StepFields[] {
  return procedure.steps.map((step) => ({ ...stepFieldsOf(step), id: newRowId() }));
}

/**
 * The procedure form's rules and what it sends, checked as the server checks them
 * (crates/app/src/work_orders/procedures.rs `ProcedureFields::apply_to`): a title of 1–200
 * characters and a description of at most 10,000, counted as the server counts them
 * (`components/plain-text.ts`), at most 200 steps, each checked as `components/checklist-steps.ts`
 * says (work orders and plans share it).
 *
 * `create_procedure.v1` gets `{ id, title, description, steps }` with a client-made UUIDv7;
 * `update_procedure.v1` `{ procedure_id, title, description, steps }`, the fields named whole,
 * on the version the form opened at. A procedure's steps keep their ids across its edits.
 */
import { z } from 'zod';

import { MAX_STEPS, stepArgs, stepFieldsOf, stepSchema } from '../../../components/checklist-steps';
import { charCount, hasControl, LONG_TEXT_ALLOWED } from '../../../components/plain-text';
import type { ProcedureItem } from '../../../components/procedures';
import type { JsonValue } from '../../../sync/checksum';

export const procedureSchema = z.object({
  title: z
    .string()
    .refine((v) => charCount(v) >= 1, 'Say in a few words what the procedure is for.')
    .refine((v) => charCount(v) <= 200, 'Keep the title to 200 characters.')
    .refine((v) => !hasControl(v), 'Keep the title to one line of plain text.'),
  description: z
    .string()
    .refine((v) => charCount(v) <= 10_000, 'Keep the description to 10,000 characters.')
    .refine((v) => !hasControl(v, LONG_TEXT_ALLOWED), 'Keep the description to plain text.'),
  steps: z.array(stepSchema).max(MAX_STEPS, `At most ${MAX_STEPS} steps.`),
});

/** The form's values. */
export type ProcedureFields = z.infer<typeof procedureSchema>;

/** A new procedure's form. */
export const blankProcedure = (): ProcedureFields => ({ title: '', description: '', steps: [] });

/** A procedure's form for editing it, from the procedure as the device shows it (waiting edits included). */
export function procedureFieldsOf(p: ProcedureItem): ProcedureFields {
  return { title: p.title, description: p.description, steps: p.steps.map(stepFieldsOf) };
}

const fieldArgs = (v: ProcedureFields) => ({
  title: v.title.trim(),
  description: v.description.trim(),
  steps: v.steps.map(stepArgs),
});

/** The arguments of `create_procedure.v1` for a checked form. */
export function createProcedureArgs(id: string, v: ProcedureFields): Record<string, JsonValue> {
  return { id, ...fieldArgs(v) };
}

/** The arguments of `update_procedure.v1` for a checked form: every field, each time. */
export function updateProcedureArgs(procedureId: string, v: ProcedureFields): Record<string, JsonValue> {
  return { procedure_id: procedureId, ...fieldArgs(v) };
}

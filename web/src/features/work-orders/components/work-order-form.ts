/**
 * The new work order form's rules and what it sends, checked as the server checks
 * (crates/domain/src/work_order.rs `NewWorkOrder::check`) so most mistakes are said before
 * anything is queued: a title of 1–200 characters, a description of at most 10,000, at most 20
 * assignees, an estimate in hours kept as whole minutes, at most 200 steps, each checked as
 * `components/checklist-steps.ts` says (the maintenance plans share it).
 *
 * `create_work_order.v1` gets `{ id, equipment_id, title, description, priority, assignees,
 * steps, signature_required }`, and `due_on`, `estimated_minutes` and `fault_id` when given;
 * each step `{ id, title, kind, required, min, max, unit, options, rule }` with its own
 * client-made id, limits as decimal strings.
 */
import { z } from 'zod';

import { assigneeArgs, estimateMinutes, MAX_ASSIGNEES, MAX_STEPS, PRIORITIES, stepArgs, stepSchema, type Priority } from '../../../components/checklist-steps';
import type { JsonValue } from '../../../sync/checksum';

// The checklist's rules are the maintenance plans' too (`components/checklist-steps.ts`).
export {
  assigneeValue,
  blankStep,
  canFail,
  estimateMinutes,
  MAX_ESTIMATE_HOURS,
  MAX_OPTIONS,
  MAX_STEPS,
  stepArgs,
  stepSchema,
  type StepFields,
} from '../../../components/checklist-steps';

export const workOrderSchema = z.object({
  equipment_id: z.string().min(1, 'Choose the item to work on.'),
  title: z.string().trim().min(1, 'Say in a few words what is to be done.').max(200, 'Keep the title to 200 characters.'),
  description: z.string().max(10_000, 'Keep the description to 10,000 characters.'),
  priority: z.enum(PRIORITIES),
  due_on: z.string().refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), 'Choose a day, or leave it empty.'),
  estimate: z
    .string()
    .refine((v) => v.trim() === '' || estimateMinutes(v) !== null, 'Enter the hours it should take, e.g. 1.5 (a minute to 1,000 hours).'),
  assignees: z.array(z.string()).max(MAX_ASSIGNEES, `At most ${MAX_ASSIGNEES} people and departments.`),
  signature_required: z.boolean(),
  steps: z.array(stepSchema).max(MAX_STEPS, `At most ${MAX_STEPS} steps.`),
});

/** The form's values. */
export type WorkOrderFields = z.infer<typeof workOrderSchema>;

/** The arguments of `create_work_order.v1` for a checked form; `faultId` when raised from a fault. */
export function createArgs(id: string, v: WorkOrderFields, faultId: string | null): Record<string, JsonValue> {
  const args: Record<string, JsonValue> = {
    id,
    equipment_id: v.equipment_id,
    title: v.title.trim(),
    description: v.description.trim(),
    priority: v.priority,
    assignees: v.assignees.map(assigneeArgs),
    steps: v.steps.map(stepArgs),
    signature_required: v.signature_required,
  };
  if (v.due_on !== '') args.due_on = v.due_on;
  const minutes = v.estimate.trim() === '' ? null : estimateMinutes(v.estimate);
  if (minutes !== null) args.estimated_minutes = minutes;
  if (faultId !== null) args.fault_id = faultId;
  return args;
}

/** The priority a work order raised from a fault of `severity` starts with. */
export function priorityForSeverity(severity: string): Priority {
  switch (severity) {
    case 'critical':
      return 'urgent';
    case 'high':
      return 'high';
    case 'low':
      return 'low';
    default:
      return 'normal';
  }
}

/**
 * The work order forms' rules and what they send, checked as the server checks
 * (crates/domain/src/work_order.rs `NewWorkOrder::check`, `check_text`) so most mistakes are
 * said before anything is queued: a title of 1–200 characters and a description of at most
 * 10,000, both counted as characters once trimmed and without control characters (line breaks
 * and tabs allowed in the description), at most 20 assignees, an estimate in hours kept as whole
 * minutes (1–60,000), at most 200 steps, each checked as `components/checklist-steps.ts` says
 * (the maintenance plans share it).
 *
 * `create_work_order.v1` gets `{ id, equipment_id, title, description, priority, assignees,
 * steps, signature_required }`, and `due_on`, `estimated_minutes` and `fault_id` when given;
 * each step `{ id, title, kind, required, min, max, unit, options, rule }` with its own
 * client-made id, limits as decimal strings. `update_work_order.v1` gets the whole set of the
 * fields an edit may change every time, `{ work_order_id, title, description, priority,
 * assignees, due_on, estimated_minutes, signature_required }` (`due_on` and `estimated_minutes`
 * null when empty): the item, origin and checklist never change.
 */
import { z } from 'zod';

import {
  assigneeArgs,
  estimateMinutes,
  estimateText,
  MAX_ASSIGNEES,
  MAX_STEPS,
  PRIORITIES,
  stepArgs,
  stepSchema,
  valueOfAssignee,
  type Priority,
} from '../../../components/checklist-steps';
import { charCount, hasControl, LONG_TEXT_ALLOWED } from '../../../components/plain-text';
import type { JsonValue } from '../../../sync/checksum';
import type { WorkOrderItem } from '../api/work-orders';

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

/** The fields a work order has whether new or edited, with the server's bounds. */
const fieldRules = {
  title: z
    .string()
    .refine((v) => charCount(v) >= 1, 'Say in a few words what is to be done.')
    .refine((v) => charCount(v) <= 200, 'Keep the title to 200 characters.')
    .refine((v) => !hasControl(v), 'Keep the title to one line of plain text.'),
  description: z
    .string()
    .refine((v) => charCount(v) <= 10_000, 'Keep the description to 10,000 characters.')
    .refine((v) => !hasControl(v, LONG_TEXT_ALLOWED), 'Keep the description to plain text.'),
  priority: z.enum(PRIORITIES),
  due_on: z.string().refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), 'Choose a day, or leave it empty.'),
  estimate: z
    .string()
    .refine((v) => v.trim() === '' || estimateMinutes(v) !== null, 'Enter the hours it should take, e.g. 1.5 (a minute to 1,000 hours).'),
  assignees: z.array(z.string()).max(MAX_ASSIGNEES, `At most ${MAX_ASSIGNEES} people and departments.`),
  signature_required: z.boolean(),
};

export const workOrderSchema = z.object({
  equipment_id: z.string().min(1, 'Choose the item to work on.'),
  ...fieldRules,
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

/** The edit form: the fields an edit may change (not the item, origin or checklist). */
export const editSchema = z.object(fieldRules);

/** The edit form's values. */
export type EditFields = z.infer<typeof editSchema>;

/** An order's form for editing it, from the order as the device shows it (waiting edits included). */
export function editFieldsOf(order: WorkOrderItem): EditFields {
  return {
    title: order.title,
    description: order.description,
    priority: order.priority,
    due_on: order.dueOn ?? '',
    estimate: estimateText(order.estimatedMinutes),
    assignees: order.assignees.map(valueOfAssignee),
    signature_required: order.signatureRequired,
  };
}

/**
 * The assignees chosen in an edit: those the order had, in the order it had them, then those
 * added, as the form gives them. The form gives the checked boxes in the order the boxes first
 * appeared, which depends on whether the vessel's crew or its departments were read first; an
 * edit does not reorder the assignees it leaves alone.
 */
export function assigneesKeptInPlace(had: readonly string[], chosen: readonly string[]): string[] {
  const stillChosen = new Set(chosen);
  const kept = had.filter((a) => stillChosen.has(a));
  const keptSet = new Set(kept);
  return [...kept, ...chosen.filter((a) => !keptSet.has(a))];
}

/** The arguments of `update_work_order.v1` for a checked edit: every editable field, each time. */
export function updateArgs(workOrderId: string, v: EditFields): Record<string, JsonValue> {
  return {
    work_order_id: workOrderId,
    title: v.title.trim(),
    description: v.description.trim(),
    priority: v.priority,
    assignees: v.assignees.map(assigneeArgs),
    due_on: v.due_on === '' ? null : v.due_on,
    estimated_minutes: v.estimate.trim() === '' ? null : estimateMinutes(v.estimate),
    signature_required: v.signature_required,
  };
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

/**
 * The new work order form's rules and what it sends, checked as the server checks
 * (crates/domain/src/work_order.rs `NewWorkOrder::check`, procedure.rs `Step::parse`) so most
 * mistakes are said before anything is queued: a title of 1–200 characters, a description of at
 * most 10,000, at most 20 assignees, an estimate in hours kept as whole minutes, at most 200
 * steps; a number step has a unit and ordered limits, a choice 2–20 distinct options, and a rule
 * only on a step that can fail (a pass/fail, a number with a limit, a choice with a failing
 * option).
 *
 * `create_work_order.v1` gets `{ id, equipment_id, title, description, priority, assignees,
 * steps, signature_required }`, and `due_on`, `estimated_minutes` and `fault_id` when given;
 * each step `{ id, title, kind, required, min, max, unit, options, rule }` with its own
 * client-made id, limits as decimal strings.
 */
import { z } from 'zod';

import { newRowId } from '../../../components/local-writes';
import { checkQuantity, parseQuantity } from '../../../components/quantity';
import type { JsonValue } from '../../../sync/checksum';
import { PRIORITIES, SEVERITIES, STEP_KINDS, type Priority, type StepKind } from '../api/work-orders';

/** The most steps a checklist holds, and options a choice offers (the server's bounds). */
export const MAX_STEPS = 200;
export const MAX_OPTIONS = 20;

const RULES = ['none', 'open_fault', 'follow_up_work_order'] as const;


export const stepSchema = z
  .object({
    id: z.string(),
    title: z.string().trim().min(1, 'Say what to do or check in this step.').max(500, 'Keep the step to 500 characters.'),
    kind: z.enum(STEP_KINDS),
    required: z.boolean(),
    min: z.string(),
    max: z.string(),
    unit: z.string(),
    options: z.array(z.object({ label: z.string(), fails: z.boolean() })),
    rule: z.enum(RULES),
    severity: z.enum(SEVERITIES),
    rulePriority: z.enum(PRIORITIES),
  })
  .superRefine((s, ctx) => {
    if (s.kind === 'number') {
      for (const side of ['min', 'max'] as const) {
        if (s[side].trim() !== '' && !checkQuantity(s[side], 'any', '').ok) {
          ctx.addIssue({ code: 'custom', path: [side], message: 'Enter a number with at most 3 decimals, e.g. 3.5.' });
        }
      }
      const unit = s.unit.trim();
      if (unit === '' || unit.length > 20) ctx.addIssue({ code: 'custom', path: ['unit'], message: 'Give the unit, e.g. bar, °C or mm (up to 20 characters).' });
      const lo = s.min.trim() === '' ? null : parseQuantity(s.min.replace(/\s/g, ''));
      const hi = s.max.trim() === '' ? null : parseQuantity(s.max.replace(/\s/g, ''));
      if (lo !== null && hi !== null && lo > hi) ctx.addIssue({ code: 'custom', path: ['max'], message: 'The upper limit is below the lower one.' });
      if (s.rule !== 'none' && lo === null && hi === null) {
        ctx.addIssue({ code: 'custom', path: ['rule'], message: 'A number fails only outside its limits: set a limit, or choose nothing here.' });
      }
    }
    if (s.kind === 'choice') {
      if (s.options.length < 2 || s.options.length > MAX_OPTIONS) {
        ctx.addIssue({ code: 'custom', path: ['options'], message: `A choice has 2 to ${MAX_OPTIONS} options.` });
      }
      const seen = new Set<string>();
      s.options.forEach((o, i) => {
        const label = o.label.trim();
        if (label === '' || label.length > 100) ctx.addIssue({ code: 'custom', path: ['options', i, 'label'], message: 'Write the option (up to 100 characters).' });
        else if (seen.has(label)) ctx.addIssue({ code: 'custom', path: ['options', i, 'label'], message: 'Each option once.' });
        seen.add(label);
      });
      if (s.rule !== 'none' && !s.options.some((o) => o.fails)) {
        ctx.addIssue({ code: 'custom', path: ['rule'], message: 'Mark the option that fails the step, or choose nothing here.' });
      }
    }
  });

/** One step as the form holds it. */
export type StepFields = z.infer<typeof stepSchema>;

/** A new, empty step of `kind`. */
export function blankStep(kind: StepKind = 'pass_fail'): StepFields {
  return {
    id: newRowId(),
    title: '',
    kind,
    required: true,
    min: '',
    max: '',
    unit: '',
    options: [
      { label: '', fails: false },
      { label: '', fails: false },
    ],
    rule: 'none',
    severity: 'medium',
    rulePriority: 'normal',
  };
}

/** Kinds whose answers can fail, so a rule may follow. */
const FAILABLE: readonly StepKind[] = ['pass_fail', 'number', 'choice'];

/** Whether a step of `kind` can fail (so it may carry a rule). */
export const canFail = (kind: StepKind) => FAILABLE.includes(kind);

/** A decimal as typed, canonical ("3.50" → "3.5"), or null when empty. */
function decimalArg(typed: string): string | null {
  const checked = checkQuantity(typed, 'any', '');
  return checked.ok ? checked.text : null;
}

/** A checked step as `create_work_order.v1` sends it. */
export function stepArgs(s: StepFields): Record<string, JsonValue> {
  const number = s.kind === 'number';
  let rule: JsonValue = null;
  if (FAILABLE.includes(s.kind) && s.rule === 'open_fault') rule = { kind: 'open_fault', severity: s.severity };
  if (FAILABLE.includes(s.kind) && s.rule === 'follow_up_work_order') rule = { kind: 'follow_up_work_order', priority: s.rulePriority };
  return {
    id: s.id,
    title: s.title.trim(),
    kind: s.kind,
    required: s.required,
    min: number ? decimalArg(s.min) : null,
    max: number ? decimalArg(s.max) : null,
    unit: number ? s.unit.trim() : null,
    options: s.kind === 'choice' ? s.options.map((o) => ({ label: o.label.trim(), fails: o.fails })) : [],
    rule,
  };
}

/** The most hours an estimate may hold. */
export const MAX_ESTIMATE_HOURS = 10_000;

/** An estimate typed in hours ("1.5") as whole minutes (90), rounded; null when it is not one. */
export function estimateMinutes(typed: string): number | null {
  const checked = checkQuantity(typed, 'positive', '');
  if (!checked.ok) return null;
  const minutes = (checked.quantity * 60n + 500n) / 1000n;
  if (minutes < 1n || minutes > BigInt(MAX_ESTIMATE_HOURS * 60)) return null;
  return Number(minutes);
}

export const workOrderSchema = z.object({
  equipment_id: z.string().min(1, 'Choose the item to work on.'),
  title: z.string().trim().min(1, 'Say in a few words what is to be done.').max(200, 'Keep the title to 200 characters.'),
  description: z.string().max(10_000, 'Keep the description to 10,000 characters.'),
  priority: z.enum(PRIORITIES),
  due_on: z.string().refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), 'Choose a day, or leave it empty.'),
  estimate: z
    .string()
    .refine((v) => v.trim() === '' || estimateMinutes(v) !== null, 'Enter the hours it should take, e.g. 1.5 (a minute to 10,000 hours).'),
  assignees: z.array(z.string()).max(20, 'At most 20 people and departments.'),
  signature_required: z.boolean(),
  steps: z.array(stepSchema).max(MAX_STEPS, `At most ${MAX_STEPS} steps.`),
});

/** The form's values. */
export type WorkOrderFields = z.infer<typeof workOrderSchema>;

/** An assignee as a checkbox's value: `person:{id}` or `department:{id}`. */
export const assigneeValue = (kind: 'person' | 'department', id: string) => `${kind}:${id}`;

function assigneeArgs(value: string): JsonValue {
  const [kind, id = ''] = value.split(':');
  return kind === 'department' ? { kind: 'department', department_id: id } : { kind: 'person', user_id: id };
}

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

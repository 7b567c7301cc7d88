/**
 * A checklist (a procedure of steps) and who does the work, as work orders and maintenance plans
 * both carry them (`StepWire`, `AssigneeWire` in the API): the step kinds, priorities and fault
 * severities with their words; steps and assignees read from a row or a queued write; and the
 * builder's rules, checked as the server checks them (crates/domain/src/procedure.rs
 * `Step::parse`): a number step has a unit and ordered limits, a choice 2–20 distinct options,
 * and a rule only on a step that can fail (a pass/fail, a number with a limit, a choice with a
 * failing option). Each step is sent `{ id, title, kind, required, min, max, unit, options, rule }`
 * with its own client-made id, limits as decimal strings.
 */
import { z } from 'zod';

import type { JsonValue } from '../sync/checksum';
import { newRowId } from './local-writes';
import { checkQuantity, parseQuantity } from './quantity';

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
/** How soon the work should be done. */
export type Priority = (typeof PRIORITIES)[number];

export const STEP_KINDS = ['pass_fail', 'number', 'meter_reading', 'text', 'choice', 'photo', 'signature'] as const;
/** What a checklist step asks for. */
export type StepKind = (typeof STEP_KINDS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** A fault's severity (what a step's rule reports). */
export type Severity = (typeof SEVERITIES)[number];

export const PRIORITY_LABEL: Record<Priority, string> = {
  urgent: 'Urgent',
  high: 'High',
  normal: 'Normal',
  low: 'Low',
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const STEP_KIND_LABEL: Record<StepKind, string> = {
  pass_fail: 'Pass or fail',
  number: 'Measured number',
  meter_reading: 'Meter reading (running hours)',
  text: 'Text',
  choice: 'Choice',
  photo: 'Photo',
  signature: 'Signature',
};

/** Who the work is for. */
export type Assignee = { kind: 'person'; userId: string } | { kind: 'department'; departmentId: string };

/** One option of a choice step. */
export interface ChoiceOption {
  label: string;
  /** Choosing it fails the step. */
  fails: boolean;
}

/** What a failed step opens by itself. */
export type StepRule = { kind: 'open_fault'; severity: Severity } | { kind: 'follow_up_work_order'; priority: Priority };

/** One step of a checklist. */
export interface Step {
  /** Lowercase. */
  id: string;
  title: string;
  kind: StepKind;
  required: boolean;
  /** Decimal strings, as sent. */
  min: string | null;
  max: string | null;
  unit: string | null;
  options: ChoiceOption[];
  rule: StepRule | null;
}

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;
const isObject = (v: JsonValue | undefined): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);
const textIn = (v: JsonValue | undefined, name: string): string | null => {
  if (!isObject(v)) return null;
  const t = v[name];
  return typeof t === 'string' ? t : null;
};
/** `v` when it is one of `list`, else `fallback`. */
export const oneOf = <T extends string>(list: readonly T[], v: string | null | undefined, fallback: T): T =>
  (list as readonly string[]).includes(v ?? '') ? (v as T) : fallback;

/** A decimal as sent (a string), or a whole number the server wrote as one. */
function decimalText(v: JsonValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}

/** The assignees of a row or of a queued write. */
export function assigneesOf(v: JsonValue | undefined): Assignee[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((a): Assignee[] => {
    const userId = lower(textIn(a, 'user_id'));
    const departmentId = lower(textIn(a, 'department_id'));
    if (textIn(a, 'kind') === 'person' && userId) return [{ kind: 'person', userId }];
    if (textIn(a, 'kind') === 'department' && departmentId) return [{ kind: 'department', departmentId }];
    return [];
  });
}

function ruleOf(v: JsonValue | undefined): StepRule | null {
  const kind = textIn(v, 'kind');
  if (kind === 'open_fault') return { kind, severity: oneOf(SEVERITIES, textIn(v, 'severity'), 'medium') };
  if (kind === 'follow_up_work_order') return { kind, priority: oneOf(PRIORITIES, textIn(v, 'priority'), 'normal') };
  return null;
}

/** The steps of a row or of a queued write. */
export function stepsOf(v: JsonValue | undefined): Step[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((s): Step[] => {
    if (!isObject(s)) return [];
    const id = lower(textIn(s, 'id'));
    if (!id) return [];
    const options = Array.isArray(s.options)
      ? s.options.flatMap((o): ChoiceOption[] => {
          const label = textIn(o, 'label');
          return label === null ? [] : [{ label, fails: isObject(o) && o.fails === true }];
        })
      : [];
    return [
      {
        id,
        title: textIn(s, 'title') ?? '',
        kind: oneOf(STEP_KINDS, textIn(s, 'kind'), 'text'),
        required: s.required === true,
        min: decimalText(s.min),
        max: decimalText(s.max),
        unit: textIn(s, 'unit'),
        options,
        rule: ruleOf(s.rule),
      },
    ];
  });
}

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

/** A form holding a checklist (the step builder's part of it). */
export interface ChecklistForm {
  steps: StepFields[];
}

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

/** A step already kept (a plan's, when it is edited) as the form holds it. */
export function stepFieldsOf(step: Step): StepFields {
  const blank = blankStep(step.kind);
  return {
    ...blank,
    id: step.id,
    title: step.title,
    required: step.required,
    min: step.min ?? '',
    max: step.max ?? '',
    unit: step.unit ?? '',
    options: step.kind === 'choice' ? step.options.map((o) => ({ ...o })) : blank.options,
    rule: step.rule?.kind ?? 'none',
    severity: step.rule?.kind === 'open_fault' ? step.rule.severity : 'medium',
    rulePriority: step.rule?.kind === 'follow_up_work_order' ? step.rule.priority : 'normal',
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

/** A checked step as the mutators send it. */
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

/** The most hours an estimate may hold: the server keeps estimates to 1–60,000 minutes (`MAX_ESTIMATE_MINUTES`). */
export const MAX_ESTIMATE_HOURS = 1_000;

/** An estimate typed in hours ("1.5") as whole minutes (90), rounded; null when it is not one. */
export function estimateMinutes(typed: string): number | null {
  const checked = checkQuantity(typed, 'positive', '');
  if (!checked.ok) return null;
  const minutes = (checked.quantity * 60n + 500n) / 1000n;
  if (minutes < 1n || minutes > BigInt(MAX_ESTIMATE_HOURS * 60)) return null;
  return Number(minutes);
}

/** Whole minutes as the hours an estimate field shows ("1.5"). */
export const estimateText = (minutes: number | null) => (minutes === null ? '' : String(Math.round((minutes / 60) * 1000) / 1000));

/** The most people and departments the work is assigned to (the server's bound). */
export const MAX_ASSIGNEES = 20;

/** An assignee as a checkbox's value: `person:{id}` or `department:{id}`. */
export const assigneeValue = (kind: 'person' | 'department', id: string) => `${kind}:${id}`;

/** A kept assignee as a checkbox's value. */
export const valueOfAssignee = (a: Assignee) => (a.kind === 'person' ? assigneeValue('person', a.userId) : assigneeValue('department', a.departmentId));

/** A checkbox's value as the mutators send it. */
export function assigneeArgs(value: string): JsonValue {
  const [kind, id = ''] = value.split(':');
  return kind === 'department' ? { kind: 'department', department_id: id } : { kind: 'person', user_id: id };
}

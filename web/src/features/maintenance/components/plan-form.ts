/**
 * The maintenance plan form's rules and what it sends, checked on the device as the server
 * checks them, so most mistakes are said before anything is queued: the item chosen; a title of
 * 1–200 characters and a description of at most 10,000; one to three criteria (`criteria_count`),
 * at most one of them by running hours (`duplicate_hours`); a calendar interval of whole days,
 * weeks, months or years (1–1,000) with early and late tolerances in whole days (0–3,650); a
 * running-hours interval above 0 (up to 1,000,000 h) with tolerances in hours; a start day; the
 * start hours when a running-hours criterion counts them (0 up to 10,000,000); lead days 0–365;
 * the checklist and assignees as work orders have them (`components/checklist-steps.ts`).
 *
 * `create_maintenance_plan.v1` gets `{ id, equipment_id, title, description, priority, criteria,
 * starts_on, start_hours, lead_days, steps, signature_required, estimated_minutes, assignees }`;
 * `update_maintenance_plan.v1` the same with `plan_id` for `id` and no item (a plan's item does
 * not change), on the plan's replica version.
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
  stepFieldsOf,
  stepSchema,
  valueOfAssignee,
} from '../../../components/checklist-steps';
import type { JsonValue } from '../../../sync/checksum';
import { BASES, CALENDAR_UNITS, criteriaArgs, type Criterion } from '../api/criteria';
import type { PlanItem } from '../api/plans';

/** The most criteria a plan has (the server's `criteria_count`). */
export const MAX_CRITERIA = 3;
/** The bounds the server keeps. */
const MAX_EVERY_CALENDAR = 1000;
const MAX_TOLERANCE_DAYS = 3650;
const MAX_EVERY_HOURS = 1_000_000;
const MAX_START_HOURS = 10_000_000;
const MAX_LEAD_DAYS = 365;
/** The lead days a new plan starts with. */
export const DEFAULT_LEAD_DAYS = 14;

/** A typed whole number in `[min, max]`, or null. */
export function wholeIn(typed: string, min: number, max: number): number | null {
  const t = typed.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

/** A typed number of hours (a decimal point or comma, at most 2 decimals) in `[min, max]`, or null. */
export function hoursIn(typed: string, min: number, max: number): number | null {
  const t = typed.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

const criterionSchema = z
  .object({
    kind: z.enum(['calendar', 'running_hours']),
    every: z.string(),
    unit: z.enum(CALENDAR_UNITS),
    basis: z.enum(BASES),
    early: z.string(),
    late: z.string(),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'calendar') {
      if (wholeIn(c.every, 1, MAX_EVERY_CALENDAR) === null) ctx.addIssue({ code: 'custom', path: ['every'], message: `A whole number from 1 to ${MAX_EVERY_CALENDAR}.` });
      for (const side of ['early', 'late'] as const) {
        if (wholeIn(c[side], 0, MAX_TOLERANCE_DAYS) === null) ctx.addIssue({ code: 'custom', path: [side], message: `Whole days, 0 to ${MAX_TOLERANCE_DAYS}.` });
      }
    } else {
      if (hoursIn(c.every, 0.01, MAX_EVERY_HOURS) === null) {
        ctx.addIssue({ code: 'custom', path: ['every'], message: 'Hours above 0, e.g. 500.' });
      }
      for (const side of ['early', 'late'] as const) {
        if (hoursIn(c[side], 0, MAX_EVERY_HOURS) === null) ctx.addIssue({ code: 'custom', path: [side], message: 'Hours, 0 or more, e.g. 25.' });
      }
    }
  });

/** One criterion as the form holds it (text as typed). */
export type CriterionFields = z.infer<typeof criterionSchema>;

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

export const planSchema = z
  .object({
    equipment_id: z.string().min(1, 'Choose the item the plan looks after.'),
    title: z.string().trim().min(1, 'Say in a few words what is to be done.').max(200, 'Keep the title to 200 characters.'),
    description: z.string().max(10_000, 'Keep the description to 10,000 characters.'),
    priority: z.enum(PRIORITIES),
    criteria: z.array(criterionSchema),
    starts_on: z.string().refine(isDay, 'Choose the day the schedule starts from.'),
    start_hours: z.string(),
    lead_days: z.string().refine((v) => wholeIn(v, 0, MAX_LEAD_DAYS) !== null, `Whole days, 0 to ${MAX_LEAD_DAYS}.`),
    steps: z.array(stepSchema).max(MAX_STEPS, `At most ${MAX_STEPS} steps.`),
    signature_required: z.boolean(),
    estimate: z
      .string()
      .refine((v) => v.trim() === '' || estimateMinutes(v) !== null, 'Enter the hours it should take, e.g. 1.5 (a minute to 1,000 hours).'),
    assignees: z.array(z.string()).max(MAX_ASSIGNEES, `At most ${MAX_ASSIGNEES} people and departments.`),
  })
  .superRefine((v, ctx) => {
    // The server's `criteria_count` and `duplicate_hours`.
    if (v.criteria.length < 1 || v.criteria.length > MAX_CRITERIA) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: `Give 1 to ${MAX_CRITERIA} criteria: when the work falls due.` });
    }
    const byHours = v.criteria.filter((c) => c.kind === 'running_hours').length;
    if (byHours > 1) ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'At most one criterion by running hours.' });
    if (byHours > 0 && hoursIn(v.start_hours, 0, MAX_START_HOURS) === null) {
      ctx.addIssue({ code: 'custom', path: ['start_hours'], message: 'Give the item’s running hours the schedule starts from, e.g. 1200.' });
    }
  });

/** The form's values. */
export type PlanFields = z.infer<typeof planSchema>;

/** A new criterion row of `kind`. */
export function blankCriterion(kind: CriterionFields['kind'] = 'calendar'): CriterionFields {
  return kind === 'calendar'
    ? { kind, every: '1', unit: 'months', basis: 'from_schedule', early: '7', late: '7' }
    : { kind, every: '500', unit: 'months', basis: 'from_schedule', early: '25', late: '25' };
}

/** A kept criterion as the form holds it. */
function criterionFieldsOf(c: Criterion): CriterionFields {
  return c.kind === 'calendar'
    ? { kind: 'calendar', every: String(c.every), unit: c.unit, basis: c.basis, early: String(c.early), late: String(c.late) }
    : { kind: 'running_hours', every: String(c.every), unit: 'months', basis: 'from_schedule', early: String(c.early), late: String(c.late) };
}

/** A new plan's form: one calendar criterion, starting `today`, 14 lead days. */
export function newPlanFields(equipmentId: string, today: string): PlanFields {
  return {
    equipment_id: equipmentId,
    title: '',
    description: '',
    priority: 'normal',
    criteria: [blankCriterion()],
    starts_on: today,
    start_hours: '',
    lead_days: String(DEFAULT_LEAD_DAYS),
    steps: [],
    signature_required: false,
    estimate: '',
    assignees: [],
  };
}

/** A kept plan's form, for editing it. */
export function planFieldsOf(plan: PlanItem): PlanFields {
  return {
    equipment_id: plan.equipmentId,
    title: plan.title,
    description: plan.description,
    priority: plan.priority,
    criteria: plan.criteria.map(criterionFieldsOf),
    starts_on: plan.startsOn,
    start_hours: plan.startHours === null ? '' : String(plan.startHours),
    lead_days: String(plan.leadDays),
    steps: plan.steps.map(stepFieldsOf),
    signature_required: plan.signatureRequired,
    estimate: estimateText(plan.estimatedMinutes),
    assignees: plan.assignees.map(valueOfAssignee),
  };
}

/** Checked criteria as the plan keeps them. */
export function criteriaOfFields(rows: readonly CriterionFields[]): Criterion[] {
  return rows.map((c) =>
    c.kind === 'calendar'
      ? { kind: 'calendar', every: Number(c.every.trim()), unit: c.unit, basis: c.basis, early: Number(c.early.trim()), late: Number(c.late.trim()) }
      : { kind: 'running_hours', every: hoursIn(c.every, 0, MAX_EVERY_HOURS) ?? 0, early: hoursIn(c.early, 0, MAX_EVERY_HOURS) ?? 0, late: hoursIn(c.late, 0, MAX_EVERY_HOURS) ?? 0 },
  );
}

/** The fields both mutators send, from a checked form. */
function scheduleArgs(v: PlanFields): Record<string, JsonValue> {
  const criteria = criteriaOfFields(v.criteria);
  const byHours = criteria.some((c) => c.kind === 'running_hours');
  return {
    title: v.title.trim(),
    description: v.description.trim(),
    priority: v.priority,
    criteria: criteriaArgs(criteria),
    starts_on: v.starts_on,
    start_hours: byHours ? hoursIn(v.start_hours, 0, MAX_START_HOURS) : null,
    lead_days: wholeIn(v.lead_days, 0, MAX_LEAD_DAYS) ?? DEFAULT_LEAD_DAYS,
    steps: v.steps.map(stepArgs),
    signature_required: v.signature_required,
    estimated_minutes: v.estimate.trim() === '' ? null : estimateMinutes(v.estimate),
    assignees: v.assignees.map(assigneeArgs),
  };
}

/** The arguments of `create_maintenance_plan.v1` for a checked form. */
export function createPlanArgs(id: string, v: PlanFields): Record<string, JsonValue> {
  return { id, equipment_id: v.equipment_id, ...scheduleArgs(v) };
}

/** The arguments of `update_maintenance_plan.v1` for a checked form (the item is not sent). */
export function updatePlanArgs(planId: string, v: PlanFields): Record<string, JsonValue> {
  return { plan_id: planId, ...scheduleArgs(v) };
}

/**
 * A postponement of a plan's current occurrence, checked on the device as the server checks
 * `postpone_plan.v1`, so the refusals are said before anything is queued: something is put off
 * (`nothing_postponed`), a new day later than the due day and extra hours above 0 (`not_later`),
 * before the next occurrence (`beyond_next`: the next due day by the shortest calendar
 * interval, or at most one running-hours interval), each kind of criterion the plan has put off
 * (`required`), and the person asking is not the one approving
 * (`self_approval`: the approver is whoever sends it). The occurrence sent is the one due now;
 * the server refuses it once that occurrence is done (`occurrence_passed`).
 */
import type { JsonValue } from '../../../sync/checksum';
import { hasCalendar, hoursCriterion, latestPostponement } from './criteria';
import { daysBetween } from './due-state';
import type { PlanItem } from './plans';

/** What the postpone form holds. */
export interface PostponeFields {
  new_date: string;
  extra_hours: string;
  reason: string;
  requested_by: string;
}

/** The form's problems by field, each with the server's code for it. */
export type PostponeProblems = Partial<Record<keyof PostponeFields | 'form', { code: string; message: string }>>;

const MAX_REASON = 2000;

/** The typed extra hours, or null when empty or not a number above 0 with at most 2 decimals. */
function extraHoursOf(typed: string): number | null {
  const t = typed.trim().replace(',', '.');
  return /^\d+(\.\d{1,2})?$/.test(t) && Number(t) > 0 ? Number(t) : null;
}

/**
 * The problems of a postponement of `plan` approved by `approverId`; none when it may be queued.
 */
export function checkPostponement(plan: Pick<PlanItem, 'criteria' | 'dueOn' | 'dueHours'>, v: PostponeFields, approverId: string): PostponeProblems {
  const problems: PostponeProblems = {};
  // Each kind of criterion the plan has is put off: a calendar one by a new day, a
  // running-hours one by extra hours (the server's `required`).
  const needsDate = hasCalendar(plan.criteria);
  const needsHours = hoursCriterion(plan.criteria) !== null;
  const byDate = needsDate && v.new_date !== '';
  const byHours = needsHours && v.extra_hours.trim() !== '';
  if (!byDate && !byHours) {
    problems.form = { code: 'nothing_postponed', message: 'Give a new due day or extra hours: there is nothing to put off otherwise.' };
  } else if (needsDate && !byDate) {
    problems.new_date = { code: 'required', message: 'The plan counts days too: choose its new due day.' };
  } else if (needsHours && !byHours) {
    problems.extra_hours = { code: 'required', message: 'The plan counts running hours too: give the hours to add.' };
  }
  if (byDate && plan.dueOn !== null) {
    const later = daysBetween(plan.dueOn, v.new_date);
    const latest = latestPostponement(plan.criteria, plan.dueOn);
    if (later === null || later <= 0) problems.new_date = { code: 'not_later', message: 'Choose a day after the current due day.' };
    else if (latest !== null && v.new_date >= latest) problems.new_date = { code: 'beyond_next', message: `Before the next occurrence’s due day (${latest}).` };
  }
  if (byHours) {
    const extra = extraHoursOf(v.extra_hours);
    const every = hoursCriterion(plan.criteria)?.every ?? Infinity;
    if (extra === null) problems.extra_hours = { code: 'not_later', message: 'Give the running hours to add, above 0, e.g. 50.' };
    else if (extra > every) problems.extra_hours = { code: 'beyond_next', message: `Not beyond the next occurrence: at most ${every} h.` };
  }
  const reason = v.reason.trim();
  if (reason === '' || reason.length > MAX_REASON) problems.reason = { code: 'validation_failed', message: 'Say why it is put off (the evidence kept with the plan).' };
  if (v.requested_by === '') problems.requested_by = { code: 'validation_failed', message: 'Choose who asked for it.' };
  else if (v.requested_by.toLowerCase() === approverId.toLowerCase()) {
    problems.requested_by = { code: 'self_approval', message: 'You approve this postponement, so someone else must have asked for it.' };
  }
  return problems;
}

/** The arguments of `postpone_plan.v1` for a checked form. */
export function postponeArgs(id: string, plan: Pick<PlanItem, 'id' | 'occurrence' | 'criteria'>, v: PostponeFields): Record<string, JsonValue> {
  return {
    id,
    plan_id: plan.id,
    occurrence: plan.occurrence,
    new_date: hasCalendar(plan.criteria) && v.new_date !== '' ? v.new_date : null,
    extra_hours: hoursCriterion(plan.criteria) !== null && v.extra_hours.trim() !== '' ? extraHoursOf(v.extra_hours) : null,
    reason: v.reason.trim(),
    requested_by: v.requested_by,
  };
}

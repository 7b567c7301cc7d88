/**
 * Words for maintenance plans: the due states and their badge (the word carries the meaning,
 * the colour underlines it), a plan's next due ("12 Mar 2026 · 1,500 h"), the plan writes
 * still on this device with how far they got, and what the plan refusals mean. The plan codes
 * are the plan mutators' own: they live with the feature until the problem catalogue
 * (`api/problem-messages.ts`, checked against openapi.json) lists them.
 */
import { formatDate } from '../../../components/date-time';
import type { PendingWrite } from '../../../components/local-writes';
import { PendingWrites as SharedPendingWrites } from '../../../components/pending-writes';
import { formatPlanHours } from '../api/criteria';
import type { DueState } from '../api/due-state';
import { CREATE_MAINTENANCE_PLAN, POSTPONE_PLAN, UPDATE_MAINTENANCE_PLAN } from '../api/plans';

export const DUE_LABEL: Record<DueState, string> = {
  not_due: 'Not due',
  due_soon: 'Due soon',
  due: 'Due',
  late: 'Late',
  overdue: 'Overdue',
};

/** The plan's due state as a badge. */
export function DueBadge({ state }: { state: DueState }) {
  return <span className={`plan-due plan-due--${state}`}>{DUE_LABEL[state]}</span>;
}

/** A due day in the person's locale. */
export const formatDueDay = (day: string) => formatDate(`${day}T12:00:00`);

/** When the current occurrence is due: its day and/or its hours. */
export function NextDue({ dueOn, dueHours }: { dueOn: string | null; dueHours: number | null }) {
  if (dueOn === null && dueHours === null) return <>Not scheduled yet</>;
  return (
    <>
      {dueOn !== null ? <time dateTime={dueOn}>{formatDueDay(dueOn)}</time> : null}
      {dueOn !== null && dueHours !== null ? ' or at ' : null}
      {dueHours !== null ? <span className="plan-hours">{formatPlanHours(dueHours)}</span> : null}
    </>
  );
}

/** What the plan refusals mean for the person (the server's own sentence is shown beside it). */
export const PLAN_REFUSAL: Record<string, string> = {
  self_approval: 'Someone other than the person who asked for a postponement approves it.',
  not_later: 'A postponement moves the due day later or adds running hours.',
  beyond_next: 'A postponement does not go beyond the next occurrence.',
  nothing_postponed: 'Give a new due day or extra hours to postpone.',
  occurrence_passed: 'That occurrence has been done or replaced already; see where the plan stands now.',
  criteria_count: 'A plan has one to three criteria.',
  duplicate_hours: 'A plan has at most one criterion by running hours.',
};

/** What a waiting plan write does, in words. */
export function describePlanWrite(write: PendingWrite): string {
  switch (write.name) {
    case CREATE_MAINTENANCE_PLAN:
      return 'Created';
    case UPDATE_MAINTENANCE_PLAN:
      return 'Edited';
    case POSTPONE_PLAN:
      return 'Postponed';
    default:
      return write.name;
  }
}

/** A plan's writes not yet accepted, refusals with their reason. */
export function PendingWrites({ writes, label }: { writes: readonly PendingWrite[]; label?: string }) {
  return <SharedPendingWrites writes={writes} describe={describePlanWrite} meanings={PLAN_REFUSAL} label={label} />;
}

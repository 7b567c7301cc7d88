/**
 * A plan's "Record": each past occurrence, newest first, as done in its window, done late,
 * skipped (its work order cancelled) or missed (passed over when a later one was done), with
 * the day it ended, the due point it answered and its work order. Read from the server
 * (`api/plan-record.ts`) while it can be reached; offline the section says it needs the
 * connection, and for a plan whose creation still waits on this device, that the record starts
 * once the server has it.
 */
import { useId } from 'react';
import { Link } from 'react-router';

import { OnlineOnly } from '../../../components/online-only';
import { ProblemAlert } from '../../../components/problem-alert';
import { formatPlanHours } from '../api/criteria';
import { outcomeOf, usePlanRecord, type Completion, type RecordOutcome } from '../api/plan-record';
import { formatDueDay } from './plan-labels';

export const OUTCOME_LABEL: Record<RecordOutcome, string> = {
  done_in_window: 'Done in its window',
  done_late: 'Done late',
  skipped: 'Skipped',
  missed: 'Missed',
};

/** The section. */
export function PlanRecord({ planId, waitingCreation }: { planId: string; waitingCreation: boolean }) {
  const titleId = useId();
  return (
    <section className="card plan-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="plan-section__title">
        Record
      </h2>
      {waitingCreation ? (
        <p className="field__hint">The record starts once the server has the plan.</p>
      ) : (
        <OnlineOnly what="The plan’s record">
          <RecordList planId={planId} />
        </OnlineOnly>
      )}
    </section>
  );
}

function RecordList({ planId }: { planId: string }) {
  const record = usePlanRecord(planId, true);
  if (record.isPending) {
    return (
      <p className="notice" role="status">
        Loading the record…
      </p>
    );
  }
  if (record.isError) return <ProblemAlert error={record.error} onRetry={() => void record.refetch()} />;
  if (record.data.length === 0) return <p className="field__hint">No occurrence has ended yet.</p>;
  return (
    <ul className="plan-record" aria-label="Occurrences">
      {record.data.map((c) => (
        <RecordEntry key={c.occurrence} completion={c} />
      ))}
    </ul>
  );
}

/** "12 Mar 2026 · 1,500 h", either part when known. */
function point(day: string | null | undefined, hours: number | null | undefined): string | null {
  const parts = [day ? formatDueDay(day) : null, hours !== null && hours !== undefined ? formatPlanHours(hours) : null].filter((p) => p !== null);
  return parts.length === 0 ? null : parts.join(' · ');
}

function RecordEntry({ completion: c }: { completion: Completion }) {
  const outcome = outcomeOf(c);
  const ended = point(c.done_on, c.done_hours);
  const due = point(c.due_on, c.due_hours);
  let when: string;
  switch (outcome) {
    case 'skipped':
      when = `on ${formatDueDay(c.done_on)}: its work order was cancelled`;
      break;
    case 'missed':
      when = `passed over on ${formatDueDay(c.done_on)}, when a later occurrence was done`;
      break;
    default:
      when = `on ${ended ?? formatDueDay(c.done_on)}`;
  }
  return (
    <li className={`plan-entry plan-record__entry plan-record__entry--${outcome}`}>
      <p>
        <strong>Occurrence {c.occurrence + 1}</strong> <span className={`plan-due plan-outcome--${outcome}`}>{OUTCOME_LABEL[outcome]}</span> {when}
      </p>
      <p className="field__hint">
        {due ? `Due ${due}` : 'No due point kept'}
        {c.work_order_id ? (
          <>
            {' · '}
            <Link to={`/work-orders/${encodeURIComponent(c.work_order_id)}`}>
              Its work order<span className="visually-hidden"> for occurrence {c.occurrence + 1}</span>
            </Link>
          </>
        ) : null}
      </p>
    </li>
  );
}

/**
 * Postponing a plan's current occurrence (`plan.postpone` roles): a new due day when the plan
 * has a calendar criterion, extra running hours when it has an hours one, the reason, and who
 * asked for it (someone on the vessel's rotation; the approver is the person signed in, who may
 * not be the one asking). Checked as the server checks it (`api/postponement.ts`), then queued
 * as `postpone_plan.v1` with a client-made UUIDv7; the plan shows the new due at once.
 */
import { useId, useState, type SyntheticEvent } from 'react';

import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue } from '../../../components/local-writes';
import { usePeopleNames, useVesselCrew } from '../../../components/vessel-people';
import { useSignedInUser } from '../../../session/session-context';
import { hasCalendar, hoursCriterion, latestPostponement } from '../api/criteria';
import { checkPostponement, postponeArgs, type PostponeFields, type PostponeProblems } from '../api/postponement';
import { POSTPONE_PLAN, type PlanItem } from '../api/plans';
import { formatDueDay, NextDue } from './plan-labels';

/** The form; `onDone` when it is queued or cancelled. */
export function PostponeForm({ plan, onDone }: { plan: PlanItem; onDone: () => void }) {
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const crew = useVesselCrew(plan.vesselId);
  const people = usePeopleNames();
  const titleId = useId();
  const [values, setValues] = useState<PostponeFields>({ new_date: '', extra_hours: '', reason: '', requested_by: '' });
  const [problems, setProblems] = useState<PostponeProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const me = user.id.toLowerCase();
  const byDate = hasCalendar(plan.criteria);
  const byHours = hoursCriterion(plan.criteria) !== null;
  const latest = plan.dueOn ? latestPostponement(plan.criteria, plan.dueOn) : null;
  const set = (name: keyof PostponeFields) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [name]: e.target.value }));
  };

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setFailure(null);
    const found = checkPostponement(plan, values, user.id);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    try {
      await enqueue(POSTPONE_PLAN, postponeArgs(newRowId(), plan, values), plan.version);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : 'The postponement could not be kept on this device.');
      return;
    }
    onDone();
  }

  return (
    <form className="card plan-form" aria-labelledby={titleId} noValidate onSubmit={(e) => void submit(e)}>
      <h2 id={titleId} className="plan-section__title">
        Postpone this occurrence
      </h2>
      <p className="field__hint">
        Due now: <NextDue dueOn={plan.dueOn} dueHours={plan.dueHours} />. You approve it; the person who asked is kept with it as evidence.
      </p>
      {byDate ? (
        <FieldFrame label="New due day" hint={latest ? `Up to ${formatDueDay(latest)}, the next occurrence.` : undefined} error={problems.new_date?.message}>
          {(ids) => <input {...ids} type="date" value={values.new_date} onChange={set('new_date')} min={plan.dueOn ?? undefined} max={latest ?? undefined} />}
        </FieldFrame>
      ) : null}
      {byHours ? (
        <FieldFrame label="Extra running hours" hint={byDate ? 'Optional when you give a new day.' : undefined} error={problems.extra_hours?.message}>
          {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" value={values.extra_hours} onChange={set('extra_hours')} />}
        </FieldFrame>
      ) : null}
      <FieldFrame label="Reason" error={problems.reason?.message}>
        {(ids) => <textarea {...ids} rows={3} value={values.reason} onChange={set('reason')} />}
      </FieldFrame>
      <FieldFrame label="Asked for by" error={problems.requested_by?.message}>
        {(ids) => (
          <select {...ids} value={values.requested_by} onChange={set('requested_by')}>
            <option value="">Choose who asked</option>
            {crew.map((id) => (
              <option key={id} value={id}>
                {id === me ? `${user.name} (you)` : (people.get(id) ?? 'A shipmate')}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      {problems.form ? <p className="field__error" role="alert">{problems.form.message}</p> : null}
      {failure ? <p role="alert">{failure}</p> : null}
      <div className="button-row">
        <button className="button button--primary" type="submit">
          Postpone
        </button>
        <button className="button" type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

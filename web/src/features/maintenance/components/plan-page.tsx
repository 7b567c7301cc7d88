/**
 * `/maintenance-plans/:id`: one maintenance plan — its item, what is to be done, its criteria
 * in full, when it is next due and how far along it is (against today and the item's running
 * hours), its checklist, who does it; its writes not yet accepted; "Edit" for `plan.write`
 * roles and "Postpone" for `plan.postpone` roles (`postpone-form.tsx`); its postponements (the
 * evidence: what moved, why, who asked and who approved) and its history (the work orders raised
 * for it, each linking to its page). All from the replica and the outbox, so it opens offline,
 * but for its record (`plan-record.tsx`): how each past occurrence ended, which only the server
 * judges, so it is read online and says it needs the connection otherwise.
 */
import '../../../components/maintenance.css';
import './plans.css';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';

import { PRIORITY_LABEL, STEP_KIND_LABEL } from '../../../components/checklist-steps';
import { formatDateTime } from '../../../components/date-time';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useVesselRunningHours } from '../../../components/running-hours';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useDepartmentNames, usePeopleNames } from '../../../components/vessel-people';
import { useSignedInUser } from '../../../session/session-context';
import { describeCriterion, formatPlanHours } from '../api/criteria';
import { dueState, localToday } from '../api/due-state';
import { usePlan, usePostponements, type PlanItem, type Postponement } from '../api/plans';
import { useVesselItems, useVesselWork, WORK_STATUS_LABEL } from '../api/vessel-work';
import { DueBadge, formatDueDay, NextDue, PendingWrites, PLAN_REFUSAL } from './plan-labels';
import { PlanRecord } from './plan-record';
import { PostponeForm } from './postpone-form';

/** The page. */
export function PlanPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const plan = usePlan(id);
  useDocumentTitle(plan ? plan.title : 'Maintenance plan');
  if (!may(user.role, 'workorder.read')) {
    return <p className="notice">Your role does not read maintenance plans.</p>;
  }
  if (plan === undefined) {
    return (
      <p className="notice" role="status">
        Loading the plan…
      </p>
    );
  }
  if (plan === null) {
    return (
      <section className="plan card">
        <h1 className="page-title">Maintenance plan</h1>
        <p className="notice">That plan is not on this device: it may be on a vessel you are not assigned to, or not synced yet.</p>
        <p>
          <Link to="/maintenance">Maintenance</Link>
        </p>
      </section>
    );
  }
  return <PlanDetails plan={plan} vesselId={plan.vesselId} />;
}

function PlanDetails({ plan, vesselId }: { plan: PlanItem; vesselId: string | null }) {
  const user = useSignedInUser();
  const titleId = useId();
  const items = useVesselItems(vesselId);
  const hours = useVesselRunningHours(vesselId ?? '');
  const people = usePeopleNames();
  const departments = useDepartmentNames();
  const [postponing, setPostponing] = useState(false);
  const hoursNow = hours?.get(plan.equipmentId) ?? null;
  const state = dueState(plan, localToday(), hoursNow);
  const item = items?.get(plan.equipmentId);
  const me = user.id.toLowerCase();
  const personName = (id: string | null) => (id === null ? 'Someone' : id === me ? `${user.name} (you)` : (people.get(id) ?? 'A shipmate'));
  const waitingCreation = plan.version === null;
  const back = vesselId ? `/vessels/${encodeURIComponent(vesselId)}/maintenance` : '/maintenance';

  return (
    <article className="plan" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={back}>All plans on the vessel</Link>
      </p>
      <header className="card">
        <p className="plan-row__item">
          {item ? <Link to={`/equipment/${encodeURIComponent(plan.equipmentId)}`}>{item.name}</Link> : 'An item not yet on this device'}
        </p>
        <h1 id={titleId} className="page-title">
          {plan.title}
        </h1>
        <dl className="plan-facts">
          <div>
            <dt>State</dt>
            <dd>
              <DueBadge state={state} />
            </dd>
          </div>
          <div>
            <dt>Next due</dt>
            <dd>
              <NextDue dueOn={plan.dueOn} dueHours={plan.dueHours} />
              {waitingCreation ? ' (worked out on this device)' : null}
            </dd>
          </div>
          <div>
            <dt>Item’s hours now</dt>
            <dd>{hoursNow === null ? 'No readings yet' : formatPlanHours(hoursNow)}</dd>
          </div>
          <div>
            <dt>Priority</dt>
            <dd>{PRIORITY_LABEL[plan.priority]}</dd>
          </div>
          <div>
            <dt>Occurrence</dt>
            <dd>{plan.occurrence === 0 ? 'First (never done)' : `No. ${plan.occurrence + 1}`}</dd>
          </div>
          {plan.lastDoneOn !== null || plan.lastDoneHours !== null ? (
            <div>
              <dt>Last done</dt>
              <dd>
                <NextDue dueOn={plan.lastDoneOn} dueHours={plan.lastDoneHours} />
              </dd>
            </div>
          ) : null}
        </dl>
        <PendingWrites writes={plan.pending} />
        <p className="button-row">
          {may(user.role, 'plan.write') ? (
            <Link className="button" to={`/maintenance-plans/${encodeURIComponent(plan.id)}/edit`}>
              Edit
            </Link>
          ) : null}
          {may(user.role, 'plan.postpone') && !waitingCreation && !postponing ? (
            <button
              className="button"
              type="button"
              onClick={() => {
                setPostponing(true);
              }}
            >
              Postpone
            </button>
          ) : null}
        </p>
        {waitingCreation && may(user.role, 'plan.postpone') ? (
          <p className="field__hint">A plan is postponed once the server has it.</p>
        ) : null}
      </header>
      {postponing ? (
        <PostponeForm
          plan={plan}
          onDone={() => {
            setPostponing(false);
          }}
        />
      ) : null}
      <section className="card plan-section" aria-labelledby={`${titleId}-schedule`}>
        <h2 id={`${titleId}-schedule`} className="plan-section__title">
          Schedule
        </h2>
        <ul className="plan-criteria" aria-label="Criteria">
          {plan.criteria.map((c, i) => (
            <li key={i}>{describeCriterion(c)}</li>
          ))}
        </ul>
        <dl className="plan-facts">
          <div>
            <dt>Starts on</dt>
            <dd>{plan.startsOn ? formatDueDay(plan.startsOn) : '—'}</dd>
          </div>
          {plan.startHours !== null ? (
            <div>
              <dt>Start hours</dt>
              <dd>{formatPlanHours(plan.startHours)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Work order raised</dt>
            <dd>{plan.leadDays === 1 ? '1 day ahead' : `${plan.leadDays} days ahead`}</dd>
          </div>
          {plan.estimatedMinutes !== null ? (
            <div>
              <dt>Estimate</dt>
              <dd>{formatPlanHours(plan.estimatedMinutes / 60)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Signature</dt>
            <dd>{plan.signatureRequired ? 'Completion needs a signature' : 'Not needed'}</dd>
          </div>
          <div>
            <dt>Who does it</dt>
            <dd>
              {plan.assignees.length === 0
                ? 'Anyone on board'
                : plan.assignees.map((a) => (a.kind === 'person' ? personName(a.userId) : `${departments.get(a.departmentId) ?? 'A'} department`)).join(', ')}
            </dd>
          </div>
        </dl>
        {plan.description ? <p className="plan-entry">{plan.description}</p> : null}
        {plan.steps.length > 0 ? (
          <>
            <h3>Checklist</h3>
            <ol aria-label="Checklist">
              {plan.steps.map((s) => (
                <li key={s.id}>
                  {s.title} <span className="field__hint">({STEP_KIND_LABEL[s.kind]}{s.required ? ', required' : ''})</span>
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </section>
      <PlanRecord planId={plan.id} waitingCreation={waitingCreation} />
      <Postponements planId={plan.id} personName={personName} />
      <History planId={plan.id} vesselId={vesselId} />
    </article>
  );
}

function Postponements({ planId, personName }: { planId: string; personName: (id: string | null) => string }) {
  const titleId = useId();
  const list = usePostponements(planId);
  return (
    <section className="card plan-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="plan-section__title">
        Postponements
      </h2>
      {list === undefined ? (
        <p role="status">Loading…</p>
      ) : list.length === 0 ? (
        <p className="field__hint">Never postponed.</p>
      ) : (
        <ul className="plan-postponements" aria-label="Postponements">
          {list.map((p) => (
            <PostponementEntry key={p.id} postponement={p} personName={personName} />
          ))}
        </ul>
      )}
    </section>
  );
}

function PostponementEntry({ postponement: p, personName }: { postponement: Postponement; personName: (id: string | null) => string }) {
  const what = [p.newDate !== null ? `to ${formatDueDay(p.newDate)}` : null, p.extraHours !== null ? `by ${formatPlanHours(p.extraHours)}` : null]
    .filter((x) => x !== null)
    .join(' and ');
  return (
    <li className="plan-entry">
      <p>
        <strong>
          Occurrence {p.occurrence + 1} put off {what}
        </strong>
        {p.pending ? (
          <>
            {' '}
            <PendingMark write={p.pending} />
            {p.pending.state === 'rejected' && p.pending.code && PLAN_REFUSAL[p.pending.code] ? (
              <span className="pending-refusal"> {PLAN_REFUSAL[p.pending.code]}</span>
            ) : null}
          </>
        ) : null}
      </p>
      <p>“{p.reason}”</p>
      <p className="field__hint">
        Asked by {personName(p.requestedBy)}; approved by {p.pending ? 'you, on this device' : personName(p.approvedBy)}
        {p.approvedAt ? `, ${formatDateTime(p.approvedAt)}` : ''}
      </p>
    </li>
  );
}

function History({ planId, vesselId }: { planId: string; vesselId: string | null }) {
  const titleId = useId();
  const work = useVesselWork(vesselId);
  const mine = work
    ?.filter((w) => w.planId === planId)
    .sort((a, b) => (b.occurrence ?? 0) - (a.occurrence ?? 0) || (b.dueOn ?? '').localeCompare(a.dueOn ?? ''));
  return (
    <section className="card plan-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="plan-section__title">
        History
      </h2>
      {mine === undefined ? (
        <p role="status">Loading…</p>
      ) : mine.length === 0 ? (
        <p className="field__hint">No work order has been raised for this plan yet: the server raises one ahead of each due.</p>
      ) : (
        <ul className="plan-history" aria-label="Work orders of this plan">
          {mine.map((w) => (
            <li key={w.id} className="plan-entry">
              <Link to={`/work-orders/${encodeURIComponent(w.id)}`}>{w.title}</Link>
              <span className="field__hint">
                {' '}
                · occurrence {(w.occurrence ?? 0) + 1} · {WORK_STATUS_LABEL[w.status] ?? w.status}
                {w.dueOn ? ` · due ${formatDueDay(w.dueOn)}` : ''}
                {w.completedAt ? ` · done ${formatDateTime(w.completedAt)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

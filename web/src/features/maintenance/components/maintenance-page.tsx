/**
 * `/vessels/:id/maintenance`: a vessel's maintenance plans, from the replica and this device's
 * waiting writes — each with its item, title, criteria in words ("every 6 months or 500 h,
 * whichever first"), next due (day and/or hours) and its due state judged on the device against
 * today and the item's running hours (`api/due-state.ts`). Filtered (`?due=`): overdue, due or
 * due soon (overdue included), or all; most pressing first. `/maintenance` goes to the person's
 * vessel (or lets them pick one). Everything works with the network off.
 */
import '../../../components/maintenance.css';
import './plans.css';
import { useId } from 'react';
import { Link, Navigate, useLocation, useParams, useSearchParams } from 'react-router';

import { fieldsOf, textOf, useEntityRows } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useVesselRunningHours } from '../../../components/running-hours';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { summarizeCriteria } from '../api/criteria';
import { DUE_STATES, dueState, isComingUp, localToday, type DueState } from '../api/due-state';
import { usePlans, type PlanItem } from '../api/plans';
import { useVesselItems, useVesselName } from '../api/vessel-work';
import { MaintenanceNav } from './maintenance-nav';
import { DueBadge, NextDue } from './plan-labels';

/** The due filter's choices. */
const DUE_FILTERS = {
  all: 'All plans',
  soon: 'Due or due soon',
  overdue: 'Overdue',
} as const;
type DueFilter = keyof typeof DUE_FILTERS;

const matchesDue = (filter: DueFilter, state: DueState) =>
  filter === 'all' ? true : filter === 'overdue' ? state === 'overdue' : isComingUp(state);

/** The page: a vessel's plans, or the choice of vessel. */
export function MaintenancePage() {
  const { id } = useParams();
  const user = useSignedInUser();
  if (!may(user.role, 'workorder.read')) {
    return (
      <section className="card">
        <h1 className="page-title">Maintenance</h1>
        <p className="notice">Your role does not read maintenance plans.</p>
      </section>
    );
  }
  return id === undefined ? <ChooseVessel /> : <VesselPlans vesselId={id.toLowerCase()} />;
}

function ChooseVessel() {
  useDocumentTitle('Maintenance');
  const rows = useEntityRows(ENTITY.vessel);
  // `?due=overdue` (from the dashboard) is kept on the way to the vessel.
  const { search } = useLocation();
  if (rows === undefined) {
    return (
      <p className="notice" role="status">
        Loading…
      </p>
    );
  }
  const vessels = rows.map((r) => ({ id: r.id, name: textOf(fieldsOf(r), 'name') ?? 'Unnamed vessel' })).sort((a, b) => a.name.localeCompare(b.name));
  const [only] = vessels;
  if (vessels.length === 1 && only) return <Navigate to={`/vessels/${encodeURIComponent(only.id)}/maintenance${search}`} replace />;
  return (
    <section className="plans card" aria-labelledby="maintenance-title">
      <h1 id="maintenance-title" className="page-title">
        Maintenance
      </h1>
      {vessels.length === 0 ? (
        <p className="notice">No vessels on this device yet: they arrive with the first sync, once there is a connection.</p>
      ) : (
        <ul className="plan-list" aria-label="Vessels">
          {vessels.map((v) => (
            <li key={v.id}>
              <Link to={`/vessels/${encodeURIComponent(v.id)}/maintenance${search}`}>{v.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A plan with its state, for the list. */
interface ShownPlan {
  plan: PlanItem;
  state: DueState;
}

/** Most pressing first: state, then the earliest due day, then the title. */
const byPressure = (a: ShownPlan, b: ShownPlan) =>
  DUE_STATES.indexOf(b.state) - DUE_STATES.indexOf(a.state) ||
  (a.plan.dueOn ?? '9999').localeCompare(b.plan.dueOn ?? '9999') ||
  a.plan.title.localeCompare(b.plan.title);

function VesselPlans({ vesselId }: { vesselId: string }) {
  const user = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const dueParam = params.get('due') ?? 'all';
  const filter: DueFilter = dueParam in DUE_FILTERS ? (dueParam as DueFilter) : 'all';
  const vesselName = useVesselName(vesselId);
  useDocumentTitle(vesselName ? `Maintenance on ${vesselName}` : 'Maintenance');
  const titleId = useId();
  const filterId = useId();
  const plans = usePlans();
  const items = useVesselItems(vesselId);
  const hours = useVesselRunningHours(vesselId);
  const today = localToday();

  const all =
    plans && items && hours
      ? plans
          .filter((p) => p.vesselId === vesselId || (p.vesselId === null && items.has(p.equipmentId)))
          .map((plan): ShownPlan => ({ plan, state: dueState(plan, today, hours.get(plan.equipmentId) ?? null) }))
          .sort(byPressure)
      : undefined;
  const shown = all?.filter((p) => matchesDue(filter, p.state));

  return (
    <section className="plans" aria-labelledby={titleId}>
      <h1 id={titleId} className="page-title">
        Maintenance{vesselName ? ` on ${vesselName}` : ''}
      </h1>
      <MaintenanceNav vesselId={vesselId} />
      <div className="card filters plan-filters" role="group" aria-label="Filters">
        <div className="field">
          <label htmlFor={filterId}>Show</label>
          <select
            id={filterId}
            value={filter}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value === 'all') next.delete('due');
              else next.set('due', e.target.value);
              setParams(next, { replace: true });
            }}
          >
            {Object.entries(DUE_FILTERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {all === undefined || shown === undefined || items === undefined ? (
        <p className="notice" role="status">
          Loading plans…
        </p>
      ) : all.length === 0 ? (
        <p className="notice">
          No maintenance plans on this vessel yet.{' '}
          {may(user.role, 'plan.write') ? 'Choose “New plan” to schedule work on an item.' : 'An engineer, a manager or an admin plans the work.'}
        </p>
      ) : shown.length === 0 ? (
        <p className="notice">{filter === 'overdue' ? 'No plan is overdue.' : 'No plan is due or due soon.'}</p>
      ) : (
        <>
          <p className="section-count">
            {shown.length} of {all.length} {all.length === 1 ? 'plan' : 'plans'}
          </p>
          <ul className="plan-list" aria-label="Plans">
            {shown.map(({ plan, state }) => (
              <PlanRow key={plan.id} plan={plan} state={state} itemName={items.get(plan.equipmentId)?.name} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function PlanRow({ plan, state, itemName }: { plan: PlanItem; state: DueState; itemName: string | undefined }) {
  const titleId = useId();
  const latest = plan.pending.at(-1);
  return (
    <li className={`plan-row plan-row--${state}`} aria-labelledby={titleId}>
      <p className="plan-row__item">{itemName ?? 'An item not yet on this device'}</p>
      <h2 id={titleId} className="plan-row__title">
        <Link to={`/maintenance-plans/${encodeURIComponent(plan.id)}`}>{plan.title}</Link>
      </h2>
      <dl className="plan-facts">
        <div>
          <dt>When</dt>
          <dd>{summarizeCriteria(plan.criteria)}</dd>
        </div>
        <div>
          <dt>Next due</dt>
          <dd>
            <NextDue dueOn={plan.dueOn} dueHours={plan.dueHours} />
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            <DueBadge state={state} />
          </dd>
        </div>
        {latest ? (
          <div>
            <dt>Sync</dt>
            <dd>
              <PendingMark write={latest} />
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

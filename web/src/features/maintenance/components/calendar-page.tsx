/**
 * `/vessels/:id/maintenance/calendar` (`?month=YYYY-MM`, this month by default): what falls due
 * on the vessel in a month — the plans' due days (`due_on`, this device's waiting writes laid
 * over) and the open work orders' — with the month before and after a button away and today
 * marked. Where seven columns fit, a month grid (a table: the weekdays as column headers, each
 * day's entries listed in its cell); on a phone an agenda, a heading per day with something due,
 * so nothing scrolls sideways at 360 px. From the replica, so it opens offline.
 */
import '../../../components/maintenance.css';
import './plans.css';
import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { entriesByDay, isMonth, monthGrid, monthOf, monthTitle, shiftMonth, type DueEntry, type Month } from '../api/calendar';
import { localToday } from '../api/due-state';
import { usePlans } from '../api/plans';
import { isOpenWork, useVesselItems, useVesselName, useVesselWork } from '../api/vessel-work';
import { MaintenanceNav } from './maintenance-nav';
import { formatDueDay } from './plan-labels';

const WEEKDAYS = [
  ['Mon', 'Monday'],
  ['Tue', 'Tuesday'],
  ['Wed', 'Wednesday'],
  ['Thu', 'Thursday'],
  ['Fri', 'Friday'],
  ['Sat', 'Saturday'],
  ['Sun', 'Sunday'],
] as const;

/** The page. */
export function CalendarPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const today = localToday();
  const asked = params.get('month');
  const month: Month = isMonth(asked) ? asked : monthOf(today);
  const vesselName = useVesselName(vesselId);
  useDocumentTitle(vesselName ? `Maintenance calendar of ${vesselName}` : 'Maintenance calendar');
  const titleId = useId();
  const monthId = useId();
  const plans = usePlans();
  const work = useVesselWork(vesselId);
  const items = useVesselItems(vesselId);

  if (!may(user.role, 'workorder.read')) return <p className="notice">Your role does not read maintenance plans.</p>;

  const entries: (DueEntry & { href: string; note: string })[] | undefined =
    plans && work && items
      ? [
          ...plans
            .filter((p) => p.dueOn !== null && (p.vesselId === vesselId || (p.vesselId === null && items.has(p.equipmentId))))
            // A plan whose occurrence already has its open work order shows as that order.
            .filter((p) => !work.some((w) => w.planId === p.id && w.occurrence === p.occurrence && isOpenWork(w.status)))
            .map((p) => ({ day: p.dueOn ?? '', kind: 'plan' as const, id: p.id, title: p.title, href: `/maintenance-plans/${encodeURIComponent(p.id)}`, note: 'Plan' })),
          ...work
            .filter((w) => w.dueOn !== null && isOpenWork(w.status))
            .map((w) => ({ day: w.dueOn ?? '', kind: 'work_order' as const, id: w.id, title: w.title, href: `/work-orders/${encodeURIComponent(w.id)}`, note: 'Work order' })),
        ]
      : undefined;
  const byDay = entries ? entriesByDay(entries, month) : undefined;
  const go = (to: Month) => {
    const next = new URLSearchParams(params);
    if (to === monthOf(today)) next.delete('month');
    else next.set('month', to);
    setParams(next, { replace: true });
  };

  return (
    <section className="plans" aria-labelledby={titleId}>
      <h1 id={titleId} className="page-title">
        Maintenance calendar{vesselName ? ` of ${vesselName}` : ''}
      </h1>
      <MaintenanceNav vesselId={vesselId} />
      <div className="card plan-month-nav">
        <h2 id={monthId} aria-live="polite">
          {monthTitle(month)}
        </h2>
        <button
          className="button"
          type="button"
          onClick={() => {
            go(shiftMonth(month, -1));
          }}
        >
          Previous month
        </button>
        <button
          className="button"
          type="button"
          onClick={() => {
            go(shiftMonth(month, 1));
          }}
        >
          Next month
        </button>
        {month !== monthOf(today) ? (
          <button
            className="button"
            type="button"
            onClick={() => {
              go(monthOf(today));
            }}
          >
            This month
          </button>
        ) : null}
      </div>
      {byDay === undefined ? (
        <p className="notice" role="status">
          Loading the calendar…
        </p>
      ) : (
        <>
          <table className="plan-month" aria-labelledby={monthId}>
            <thead>
              <tr>
                {WEEKDAYS.map(([short, long]) => (
                  <th key={short} scope="col">
                    <abbr title={long}>{short}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthGrid(month).map((week) => (
                <tr key={week[0]?.day}>
                  {week.map((d) => {
                    const due = d.inMonth ? (byDay.get(d.day) ?? []) : [];
                    const isToday = d.day === today;
                    return (
                      <td
                        key={d.day}
                        className={[d.inMonth ? '' : 'plan-month__other', isToday ? 'plan-month__today' : ''].join(' ').trim() || undefined}
                        aria-current={isToday ? 'date' : undefined}
                      >
                        <span className="plan-month__date">
                          {Number(d.day.slice(8))}
                          {isToday ? <span className="visually-hidden"> (today)</span> : null}
                        </span>
                        {due.length > 0 ? (
                          <ul aria-label={`Due ${formatDueDay(d.day)}`}>
                            {due.map((e) => (
                              <li key={`${e.kind}-${e.id}`}>
                                <Link to={e.href}>{e.title}</Link>
                                <span className="visually-hidden"> ({e.note})</span>
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="plan-agenda-wrap">
            {byDay.size === 0 ? (
              <p className="notice">Nothing falls due in {monthTitle(month)}.</p>
            ) : (
              <ul className="plan-agenda" aria-label={`Due in ${monthTitle(month)}`}>
                {[...byDay.entries()].map(([day, due]) => (
                  <li key={day} className="card plan-agenda__day">
                    <h3>
                      <time dateTime={day}>{formatDueDay(day)}</time>
                      {day === today ? <span className="plan-agenda__today"> · today</span> : null}
                    </h3>
                    <ul className="plan-agenda__entries">
                      {due.map((e) => (
                        <li key={`${e.kind}-${e.id}`}>
                          <Link to={e.href}>{e.title}</Link> <span className="field__hint">{e.note}</span>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </section>
  );
}

/**
 * `/assignments` ("Assignments" in the navigation, with the count of those waiting for an
 * answer): the person's own assignments — those waiting for their answer first (Accept, or
 * Decline with an optional reason), then the accepted ones under way or to come ("Report today"
 * on one covering today, "Report a day" on one begun), and the earlier ones —; their daily
 * reports (returned ones first, to correct); and every site the device knows, each linking to
 * its bookings and daily reports. From the replica and the outbox: it all works offline.
 */
import './assignments.css';
import '../../../components/maintenance.css';
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router';

import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { coversUtcDay, isHeld, localToday, useAssignments, useItemIndex, useSites, type Assignment } from '../api/assignments';
import { byUrgency, useDailyReports, type DailyReport } from '../api/daily-reports';
import { AnswerControls } from './answer-controls';
import { AssignmentCard } from './assignment-card';
import { formatPeriod } from './assignment-labels';
import { ReportRow } from './report-row';

/** Earlier assignments and validated reports shown at most. */
const EARLIER_SHOWN = 10;

/** The page. */
export function MyAssignmentsPage() {
  const user = useSignedInUser();
  const answers = may(user.role, 'assignment.answer');
  const title = answers ? 'My assignments' : 'Assignments';
  useDocumentTitle(title);
  const titleId = useId();
  const me = user.id.toLowerCase();
  const assignments = useAssignments();
  const reports = useDailyReports(user.id);
  const items = useItemIndex();
  const sites = useSites();
  // The moment the page opened: what is under way and what has ended.
  const [now] = useState(Date.now);
  const siteName = (id: string | null) => (id === null ? null : (sites?.find((s) => s.id === id)?.name ?? null));

  if (assignments === undefined || reports === undefined || items === undefined || sites === undefined) {
    return (
      <section className="assignments" aria-labelledby={titleId}>
        <h1 id={titleId} className="page-title">
          {title}
        </h1>
        <p className="notice" role="status">
          Loading assignments…
        </p>
      </section>
    );
  }

  const today = localToday();
  const mine = assignments.filter((a) => a.operatorId === me);
  const byStart = (a: Assignment, b: Assignment) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id);
  const waiting = mine.filter((a) => a.status === 'proposed' && !a.refused).sort(byStart);
  const ahead = mine.filter((a) => a.status === 'accepted' && isHeld(a) && Date.parse(a.endsAt) > now).sort(byStart);
  const earlier = mine
    .filter((a) => !waiting.includes(a) && !ahead.includes(a))
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt))
    .slice(0, EARLIER_SHOWN);
  const myReports = reports.filter((r) => r.operatorId === me).sort(byUrgency);
  const openReports = myReports.filter((r) => r.status !== 'validated' || r.refused);
  const validated = myReports.filter((r) => r.status === 'validated' && !r.refused).slice(0, EARLIER_SHOWN);
  const itemName = (id: string) => items.get(id)?.name;
  const itemSite = (a: Assignment) => siteName(a.vesselId ?? items.get(a.equipmentId)?.vesselId ?? null);

  return (
    <section className="assignments" aria-labelledby={titleId}>
      <h1 id={titleId} className="page-title">
        {title}
      </h1>
      {answers ? (
        <>
          <Section title="Waiting for your answer" empty="Nothing is waiting for your answer." count={waiting.length}>
            {waiting.map((a) => (
              <AssignmentCard key={a.id} assignment={a} itemName={itemName(a.equipmentId)} siteName={itemSite(a)} mine showOperator={false}>
                <AnswerControls assignment={a} what={`${itemName(a.equipmentId) ?? 'the item'}, ${formatPeriod(a)}`} />
              </AssignmentCard>
            ))}
          </Section>
          <Section title="Under way and to come" empty="No accepted assignment under way or to come." count={ahead.length}>
            {ahead.map((a) => (
              <AssignmentCard key={a.id} assignment={a} itemName={itemName(a.equipmentId)} siteName={itemSite(a)} mine showOperator={false}>
                <ReportLink
                  assignment={a}
                  today={today}
                  now={now}
                  itemName={itemName(a.equipmentId)}
                  reported={myReports.find((r) => !r.refused && r.equipmentId === a.equipmentId && r.day === today) ?? null}
                />
              </AssignmentCard>
            ))}
          </Section>
          <ReportsSection title="My daily reports" reports={openReports} later={validated} itemName={itemName} />
          {earlier.length > 0 ? (
            <Section title="Earlier" empty="" count={earlier.length}>
              {earlier.map((a) => (
                <AssignmentCard key={a.id} assignment={a} itemName={itemName(a.equipmentId)} siteName={itemSite(a)} mine showOperator={false} />
              ))}
            </Section>
          ) : null}
        </>
      ) : (
        <p className="notice">Your role reads the sites’ bookings and daily reports; it is not given equipment to operate.</p>
      )}
      <SitesSection sites={sites} />
    </section>
  );
}

function Section({ title, empty, count, children }: { title: string; empty: string; count: number; children: ReactNode }) {
  const titleId = useId();
  return (
    <section className="card assignments-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="assignments-section__title">
        {title}
      </h2>
      {count === 0 ? (
        <p className="field__hint">{empty}</p>
      ) : (
        <ul className="booking-list" aria-labelledby={titleId}>
          {children}
        </ul>
      )}
    </section>
  );
}

/**
 * "Report today" on an accepted assignment covering today ("Today's report" once there is one),
 * "Report a day" on one begun.
 */
function ReportLink({
  assignment: a,
  today,
  now,
  itemName,
  reported,
}: {
  assignment: Assignment;
  today: string;
  now: number;
  itemName: string | undefined;
  reported: DailyReport | null;
}) {
  const user = useSignedInUser();
  if (!may(user.role, 'daily_report.submit') || Date.parse(a.startsAt) > now) return null;
  const covers = coversUtcDay(a, today);
  const on = <span className="visually-hidden"> on {itemName ?? 'the item'}</span>;
  return (
    <p className="booking__actions">
      {covers && reported ? (
        <Link className="button" to={`/daily-reports/${encodeURIComponent(reported.id)}`}>
          Today’s report{on}
        </Link>
      ) : null}
      <Link className={`button${covers && reported ? '' : ' button--primary'}`} to={`/assignments/${encodeURIComponent(a.id)}/report`}>
        {covers && !reported ? 'Report today' : 'Report a day'}
        {on}
      </Link>
    </p>
  );
}

function ReportsSection({
  title,
  reports,
  later,
  itemName,
}: {
  title: string;
  reports: readonly DailyReport[];
  later: readonly DailyReport[];
  itemName: (id: string) => string | undefined;
}) {
  const titleId = useId();
  return (
    <section className="card assignments-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="assignments-section__title">
        {title}
      </h2>
      {reports.length === 0 && later.length === 0 ? (
        <p className="field__hint">No daily reports yet: report a day from an accepted assignment.</p>
      ) : (
        <ul className="report-list" aria-labelledby={titleId}>
          {[...reports, ...later].map((r) => (
            <ReportRow key={r.id} report={r} itemName={itemName(r.equipmentId)} showOperator={false} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SitesSection({ sites }: { sites: readonly { id: string; name: string }[] }) {
  const titleId = useId();
  return (
    <section className="card assignments-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="assignments-section__title">
        Sites
      </h2>
      {sites.length === 0 ? (
        <p className="field__hint">No sites on this device yet: they arrive with the first sync, once there is a connection.</p>
      ) : (
        <ul className="site-list" aria-labelledby={titleId}>
          {sites.map((s) => (
            <li key={s.id}>
              <span className="site-list__name">{s.name}</span>
              <Link to={`/vessels/${encodeURIComponent(s.id)}/assignments`}>
                Bookings<span className="visually-hidden"> on {s.name}</span>
              </Link>
              <Link to={`/vessels/${encodeURIComponent(s.id)}/daily-reports`}>
                Daily reports<span className="visually-hidden"> on {s.name}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

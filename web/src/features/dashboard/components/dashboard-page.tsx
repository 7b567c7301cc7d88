/**
 * `/dashboard` (home for roles that read analytics, and in the navigation of everyone who may
 * operate equipment): the person's equipment assignments waiting for an answer (from the
 * replica, so offline too; `answers-card.tsx`); then open faults by severity and by age, repair
 * times (MTTR) by week, mean time between failures, the items with most faults, planned
 * maintenance (compliance, overdue, backlog) and, for roles the server shows costs to, parts
 * spend. Every chart's figures are also a table. One vessel or the whole fleet (`?vessel=`).
 * The figures are read from the server only: offline they say they need the link.
 */
import type { QueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useId } from 'react';
import { useSearchParams } from 'react-router';
import { parseBrandColor } from '../../../components/brand-theme';
import { formatDateTime } from '../../../components/date-time';
import { OnlineOnly } from '../../../components/online-only';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useDocumentTitle } from '../../../components/use-document-title';
import type { UserView } from '../../../api/types';
import { useSignedInUser } from '../../../session/session-context';
import { useSyncClient } from '../../../sync/sync-context';
import {
  prefetchDashboard,
  useCosts,
  useDashboard,
  useMttrByWeek,
  useVesselChoices,
  type CostReportView,
  type DashboardView,
  type MttrReportView,
} from '../api/analytics';
import { ChartCard } from './chart-card';
import type { Point } from './fleet-charts';
import { ColumnChart, RankingChart, TrendChart } from './lazy-charts';
import { MaintenanceCard } from './maintenance-card';
import { formatDays, formatHours, formatMoney, toHours, toMajor } from './figures';

/** The person's own card: it reads the replica, so it loads with the sync engine. */
const AnswersCard = lazy(() => import('./answers-card').then((m) => ({ default: m.AnswersCard })));

const SEVERITIES = [
  ['critical', 'Critical'],
  ['high', 'High'],
  ['medium', 'Medium'],
  ['low', 'Low'],
] as const;

/**
 * Starts the reads the page will make for `user` at `search` (`?vessel=`): for the app opened
 * at this page, as soon as the session is restored and before the page has rendered.
 */
export function prefetchDashboardPage(queryClient: QueryClient, user: UserView, search: string): void {
  if (!may(user.role, 'analytics.read')) return;
  const vesselId = new URLSearchParams(search).get('vessel') ?? undefined;
  prefetchDashboard(queryClient, vesselId, may(user.role, 'analytics.costs'));
}

/** The page: the person's own card (assignments waiting for an answer), then the fleet's figures. */
export function DashboardPage() {
  useDocumentTitle('Dashboard');
  const user = useSignedInUser();
  const sync = useSyncClient();
  const own =
    sync && may(user.role, 'assignment.answer') ? (
      <Suspense fallback={null}>
        <AnswersCard userId={user.id} />
      </Suspense>
    ) : null;
  if (!may(user.role, 'analytics.read')) {
    return (
      <section className="dashboard" aria-labelledby="dashboard-title">
        <h1 id="dashboard-title" className="page-title">
          Dashboard
        </h1>
        {own}
        <p className="notice">Your role does not include the fleet’s figures.</p>
      </section>
    );
  }
  return (
    <section className="dashboard" aria-labelledby="dashboard-title">
      <div className="page-heading">
        <h1 id="dashboard-title" className="page-title">
          Dashboard
        </h1>
        <p className="page-heading__sub">{user.company.branding.display_name}</p>
      </div>
      {own}
      <OnlineOnly what="The dashboard">
        <DashboardFigures
          color={parseBrandColor(user.company.branding.primary_color)}
          showsCosts={may(user.role, 'analytics.costs')}
        />
      </OnlineOnly>
    </section>
  );
}

function DashboardFigures({ color, showsCosts }: { color: string; showsCosts: boolean }) {
  const [params, setParams] = useSearchParams();
  const vesselId = params.get('vessel') ?? undefined;
  const dashboard = useDashboard(vesselId);
  const mttr = useMttrByWeek(vesselId);
  const costs = useCosts(vesselId, showsCosts);

  return (
    <>
      <VesselFilter
        value={vesselId}
        onChange={(next) => {
          setParams(next === undefined ? {} : { vessel: next }, { replace: true });
        }}
      />
      {dashboard.isPending ? (
        <p className="notice" role="status">
          Loading the figures…
        </p>
      ) : dashboard.isError ? (
        <ProblemAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : (
        <>
          <p className="section-count">As of {formatDateTime(dashboard.data.at)}</p>
          <div className="dashboard__grid">
            <OpenFaultsCard dashboard={dashboard.data} color={color} />
            <AgeingCard dashboard={dashboard.data} color={color} />
            {mttr.isError ? (
              <ProblemAlert error={mttr.error} onRetry={() => void mttr.refetch()} />
            ) : mttr.data ? (
              <MttrCard dashboard={dashboard.data} report={mttr.data} color={color} />
            ) : null}
            <MeanTimesCard dashboard={dashboard.data} color={color} />
            <TopEquipmentCard dashboard={dashboard.data} color={color} />
            <MaintenanceCard vesselId={vesselId} />
            {showsCosts ? (
              costs.isError ? (
                <ProblemAlert error={costs.error} onRetry={() => void costs.refetch()} />
              ) : costs.data ? (
                <SpendCard dashboard={dashboard.data} report={costs.data} color={color} />
              ) : null
            ) : null}
          </div>
        </>
      )}
    </>
  );
}

function VesselFilter({ value, onChange }: { value: string | undefined; onChange: (id: string | undefined) => void }) {
  const id = useId();
  const vessels = useVesselChoices();
  return (
    <div className="field dashboard__filter">
      <label htmlFor={id} className="field__label">
        Vessel
      </label>
      <select
        id={id}
        className="field__input"
        value={value ?? ''}
        onChange={(e) => {
          onChange(e.target.value === '' ? undefined : e.target.value);
        }}
      >
        <option value="">Every vessel</option>
        {(vessels.data ?? []).map((vessel) => (
          <option key={vessel.id} value={vessel.id}>
            {vessel.name}
          </option>
        ))}
      </select>
    </div>
  );
}

interface Labelled {
  label: string;
  value: number;
}

const countColumns = (header: string) =>
  [
    { header, cell: (row: Labelled) => row.label },
    { header: 'Faults', cell: (row: Labelled) => row.value.toLocaleString(), numeric: true },
  ] as const;

function OpenFaultsCard({ dashboard, color }: { dashboard: DashboardView; color: string }) {
  const points: Point[] = SEVERITIES.map(([key, label]) => ({ label, value: dashboard.open_faults.by_severity[key] }));
  return (
    <ChartCard
      title="Open faults by severity"
      summary={`${dashboard.open_faults.total.toLocaleString()} open`}
      chart={<ColumnChart points={points} color={color} />}
      rows={points}
      columns={countColumns('Severity')}
      rowKey={(row) => row.label}
    />
  );
}

function AgeingCard({ dashboard, color }: { dashboard: DashboardView; color: string }) {
  const { ageing } = dashboard;
  const points: Point[] = [
    { label: 'Up to 1 day', value: ageing.up_to_1d },
    { label: '1–7 days', value: ageing.from_1d_to_7d },
    { label: '7–30 days', value: ageing.from_7d_to_30d },
    { label: 'Over 30 days', value: ageing.over_30d },
  ];
  return (
    <ChartCard
      title="Open faults by age"
      summary="Time since each open fault was reported"
      chart={<ColumnChart points={points} color={color} />}
      rows={points}
      columns={countColumns('Age')}
      rowKey={(row) => row.label}
    />
  );
}

function MttrCard({ dashboard, report, color }: { dashboard: DashboardView; report: MttrReportView; color: string }) {
  const rows = report.rows;
  const points: Point[] = rows.map((row) => ({ label: row.key, value: toHours(row.mean_seconds) }));
  return (
    <ChartCard
      title="Mean time to repair, by week"
      summary={`Last 30 days: ${formatHours(dashboard.mttr_30d.mean_seconds)} over ${dashboard.mttr_30d.faults} faults · last 90 days: ${formatHours(dashboard.mttr_90d.mean_seconds)} over ${dashboard.mttr_90d.faults} faults`}
      chart={<TrendChart points={points} color={color} unit=" h" />}
      rows={rows}
      columns={[
        { header: 'Week', cell: (row) => row.key },
        { header: 'Resolved faults', cell: (row) => row.faults.toLocaleString(), numeric: true },
        { header: 'Mean time to repair', cell: (row) => formatHours(row.mean_seconds), numeric: true },
      ]}
      rowKey={(row) => row.key}
      empty={`No fault was resolved between ${report.from} and ${report.to}.`}
    />
  );
}

function MeanTimesCard({ dashboard, color }: { dashboard: DashboardView; color: string }) {
  const { mtbf_90d: mtbf } = dashboard;
  const rows = [
    { label: 'Mean time between failures (90 days)', seconds: mtbf.mean_seconds ?? null, text: formatDays(mtbf.mean_seconds) },
    {
      label: 'Mean time to repair (90 days)',
      seconds: dashboard.mttr_90d.mean_seconds ?? null,
      text: formatDays(dashboard.mttr_90d.mean_seconds),
    },
  ];
  const points: Point[] = rows.map((row) => ({
    label: row.label.startsWith('Mean time between') ? 'MTBF' : 'MTTR',
    value: row.seconds === null ? 0 : Math.round((row.seconds / 86_400) * 10) / 10,
  }));
  return (
    <ChartCard
      title="Mean time between failures"
      summary={`${mtbf.items.toLocaleString()} items with two or more faults, ${mtbf.intervals.toLocaleString()} intervals`}
      chart={<ColumnChart points={points} color={color} unit=" d" />}
      rows={rows}
      columns={[
        { header: 'Figure', cell: (row) => row.label },
        { header: 'Days', cell: (row) => row.text, numeric: true },
      ]}
      rowKey={(row) => row.label}
    />
  );
}

function TopEquipmentCard({ dashboard, color }: { dashboard: DashboardView; color: string }) {
  const rows = dashboard.top_equipment_90d;
  const points: Point[] = rows.map((row) => ({ label: row.name, value: row.faults }));
  return (
    <ChartCard
      title="Equipment with most faults (90 days)"
      chart={<RankingChart points={points} color={color} />}
      rows={rows}
      columns={[
        { header: 'Equipment', cell: (row) => row.name },
        { header: 'Faults', cell: (row) => row.faults.toLocaleString(), numeric: true },
      ]}
      rowKey={(row) => row.equipment_id}
      empty="No fault was reported in the last 90 days."
    />
  );
}

interface MonthSpend {
  month: string;
  currency: string;
  supplier: number;
  customer: number;
}

/** The report's rows summed over vessels: one per month and currency, oldest first. */
function spendByMonth(report: CostReportView): MonthSpend[] {
  const byKey = new Map<string, MonthSpend>();
  for (const row of report.rows) {
    const key = `${row.month} ${row.currency}`;
    const sum = byKey.get(key) ?? { month: row.month, currency: row.currency, supplier: 0, customer: 0 };
    sum.supplier += row.supplier_minor;
    sum.customer += row.customer_minor;
    byKey.set(key, sum);
  }
  return [...byKey.values()].sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency));
}

function SpendCard({ dashboard, report, color }: { dashboard: DashboardView; report: CostReportView; color: string }) {
  const rows = spendByMonth(report);
  // A chart has one currency: the first of the totals (amounts are never converted).
  const currency = report.totals[0]?.currency;
  const points: Point[] = rows
    .filter((row) => row.currency === currency)
    .map((row) => ({ label: row.month, value: toMajor(row.customer), second: toMajor(row.supplier) }));
  const last90 = (dashboard.parts_spend_90d ?? [])
    .map((spend) => formatMoney(spend.customer_minor, spend.currency))
    .join(', ');
  return (
    <ChartCard
      title="Parts spend by month"
      summary={
        <>
          {`${report.from} to ${report.to}`}
          {currency ? ` · bars in ${currency}: customer price, then supplier price` : ''}
          {last90 ? ` · last 90 days: ${last90}` : ''}
        </>
      }
      chart={<ColumnChart points={points} color={color} />}
      rows={rows}
      columns={[
        { header: 'Month', cell: (row) => `${row.month} (${row.currency})` },
        { header: 'Customer price', cell: (row) => formatMoney(row.customer, row.currency), numeric: true },
        { header: 'Supplier price', cell: (row) => formatMoney(row.supplier, row.currency), numeric: true },
      ]}
      rowKey={(row) => `${row.month}-${row.currency}`}
      empty={`No parts were ordered between ${report.from} and ${report.to}.`}
    />
  );
}

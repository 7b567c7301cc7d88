/**
 * The dashboard's charts, loaded when the first card draws one: Recharts is most of the
 * dashboard's code, and the figures it draws are in each card's table already, so the tables
 * show first and the charts join them. Until then each chart keeps its place (its height) empty.
 */
import { lazy, Suspense, type ComponentProps, type ComponentType } from 'react';
import type * as Charts from './fleet-charts';

const load = () => import('./fleet-charts');

/** A chart of fleet-charts.tsx, drawn once its code has loaded, in a box of `height` until then. */
function deferred<P extends object>(pick: (m: typeof Charts) => ComponentType<P>, height: (props: P) => number) {
  const Chart = lazy(() => load().then((m) => ({ default: pick(m) })));
  return function DeferredChart(props: P) {
    return (
      <Suspense fallback={<div className="chart-card__placeholder" style={{ height: height(props) }} />}>
        <Chart {...props} />
      </Suspense>
    );
  };
}

export const ColumnChart = deferred<ComponentProps<typeof Charts.ColumnChart>>(
  (m) => m.ColumnChart,
  () => 220,
);
export const TrendChart = deferred<ComponentProps<typeof Charts.TrendChart>>(
  (m) => m.TrendChart,
  () => 220,
);
export const RankingChart = deferred<ComponentProps<typeof Charts.RankingChart>>(
  (m) => m.RankingChart,
  (props) => Math.max(120, props.points.length * 40 + 40),
);

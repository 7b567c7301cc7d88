/**
 * An item's running hours over time as a Recharts line, animations off. Its own chunk, loaded
 * after the item's page, so the page does not wait for the chart library; the same figures are
 * in the table beside it. The line is `--brand-graphic`, the company colour darkened where needed
 * to stand out from the card at 3:1 (WCAG 1.4.11, components/brand-theme.ts); the axis labels
 * read at 4.5:1.
 */
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import type { ShownReading } from '../api/readings';
import { formatDate, formatHours } from './equipment-labels';

/** Charts start this size before their box is measured (and in tests, where nothing is). */
const INITIAL = { width: 320, height: 240 };
const AXIS = { fontSize: 12, fill: '#333333' };
const AXIS_LINES = { stroke: '#666666' };
/** The line: the company colour for graphics, Bosun blue outside a branded page. */
export const HOURS_LINE = 'var(--brand-graphic, #0b4f71)';

/** The total running hours at each reading, by time. */
export function RunningHoursChart({ readings }: { readings: readonly ShownReading[] }) {
  const points = readings
    .filter((r) => !Number.isNaN(r.total))
    .map((r) => ({ at: Date.parse(r.read_at), total: r.total }));
  return (
    <div className="hours-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={INITIAL.height} initialDimension={INITIAL}>
        <LineChart accessibilityLayer={false} data={points} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tick={AXIS}
            axisLine={AXIS_LINES}
            tickLine={AXIS_LINES}
            tickFormatter={(at: number) => formatDate(new Date(at).toISOString())}
          />
          <YAxis tick={AXIS} axisLine={AXIS_LINES} tickLine={AXIS_LINES} width={64} domain={['auto', 'auto']} />
          <Tooltip
            labelFormatter={(at) => formatDate(new Date(Number(at)).toISOString())}
            formatter={(value) => [formatHours(Number(value)), 'Running hours']}
          />
          <Line type="linear" dataKey="total" stroke={HOURS_LINE} strokeWidth={2} dot isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

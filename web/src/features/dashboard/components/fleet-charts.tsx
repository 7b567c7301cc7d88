/**
 * The dashboard's charts (Recharts), drawn in the company's colour with animations off: a
 * figure appears at once and a screenshot or a test sees it as it is. Recharts' keyboard layer
 * is off: the charts are hidden from assistive technology (their figures are the tables beside
 * them), so nothing inside may take focus.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Line,
  LineChart,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from 'recharts';

/** What a chart is drawn from: a label and a value per bar or point. */
export interface Point {
  label: string;
  value: number;
  /** A second series (e.g. supplier price beside customer price). */
  second?: number;
}

/** A neutral colour for a second series, readable on white. */
const SECOND_SERIES = '#5b6670';
const AXIS = { fontSize: 12, fill: '#333' };
/** Charts start this size before their box is measured (and in tests, where nothing is). */
const INITIAL = { width: 320, height: 220 };

/** Vertical bars, the value written on each. */
export function ColumnChart({
  points,
  color,
  unit,
  secondColor = SECOND_SERIES,
}: {
  points: readonly Point[];
  color: string;
  unit?: string;
  secondColor?: string;
}) {
  const hasSecond = points.some((p) => p.second !== undefined);
  return (
    <ResponsiveContainer width="100%" height={INITIAL.height} initialDimension={INITIAL}>
      <BarChart accessibilityLayer={false} data={[...points]} margin={{ top: 20, right: 8, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={AXIS} interval={0} />
        <YAxis tick={AXIS} allowDecimals={false} width={48} unit={unit ?? ''} />
        <Bar dataKey="value" fill={color} isAnimationActive={false}>
          <LabelList dataKey="value" position="top" fontSize={12} />
        </Bar>
        {hasSecond ? (
          // Its figures are in the table; a second row of labels would overlap the first.
          <Bar dataKey="second" fill={secondColor} isAnimationActive={false} />
        ) : null}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Horizontal bars, for long names (equipment). */
export function RankingChart({ points, color }: { points: readonly Point[]; color: string }) {
  const height = Math.max(120, points.length * 40 + 40);
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: INITIAL.width, height }}>
      <BarChart accessibilityLayer={false} data={[...points]} layout="vertical" margin={{ top: 4, right: 32, bottom: 4, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tick={AXIS} allowDecimals={false} />
        <YAxis type="category" dataKey="label" tick={AXIS} width={120} />
        <Bar dataKey="value" fill={color} isAnimationActive={false}>
          <LabelList dataKey="value" position="right" fontSize={12} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** A line over time, each point's value written above it. */
export function TrendChart({ points, color, unit }: { points: readonly Point[]; color: string; unit?: string }) {
  return (
    <ResponsiveContainer width="100%" height={INITIAL.height} initialDimension={INITIAL}>
      <LineChart accessibilityLayer={false} data={[...points]} margin={{ top: 20, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" tick={AXIS} />
        <YAxis tick={AXIS} width={48} unit={unit ?? ''} />
        <Line type="monotone" dataKey="value" stroke={color} strokeWidth={2} isAnimationActive={false}>
          <LabelList dataKey="value" position="top" fontSize={12} />
        </Line>
      </LineChart>
    </ResponsiveContainer>
  );
}

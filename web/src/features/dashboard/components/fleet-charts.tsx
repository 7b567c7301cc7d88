/**
 * The dashboard's charts (Recharts), drawn in the company's colour with animations off: a
 * figure appears at once and a screenshot or a test sees it as it is. Recharts' keyboard layer
 * is off: the charts are hidden from assistive technology (their figures are the tables beside
 * them), so nothing inside may take focus.
 *
 * Read in sunlight: bars and lines stand out from the card at 3:1 (WCAG 1.4.11; a light company
 * colour is darkened until they do) and the values and axis labels read at 4.5:1. Recharts
 * draws a bar's value in the bar's colour unless told otherwise, so the values are given ink.
 * The grid stays light: it only guides the eye, every value is written on its bar or point.
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

import { brandGraphicColor } from '../../../components/brand-theme';

/** What a chart is drawn from: a label and a value per bar or point. */
export interface Point {
  label: string;
  value: number;
  /** A second series (e.g. supplier price beside customer price). */
  second?: number;
}

/** A neutral colour for a second series, standing out from the card. */
const SECOND_SERIES = '#5b6670';
/** Values and axis labels: text. */
const CHART_TEXT = '#333333';
/** The axes' lines. */
const AXIS_LINE = '#666666';
const AXIS = { fontSize: 12, fill: CHART_TEXT };
const AXIS_LINES = { stroke: AXIS_LINE };

/** The colours a chart in `color` is drawn with, each readable on the card. */
export function chartPalette(color: string, secondColor = SECOND_SERIES) {
  return {
    series: brandGraphicColor(color),
    second: brandGraphicColor(secondColor),
    text: CHART_TEXT,
    axis: AXIS_LINE,
  };
}
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
  const palette = chartPalette(color, secondColor);
  return (
    <ResponsiveContainer width="100%" height={INITIAL.height} initialDimension={INITIAL}>
      <BarChart accessibilityLayer={false} data={[...points]} margin={{ top: 20, right: 8, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={AXIS} axisLine={AXIS_LINES} tickLine={AXIS_LINES} interval={0} />
        <YAxis tick={AXIS} axisLine={AXIS_LINES} tickLine={AXIS_LINES} allowDecimals={false} width={48} unit={unit ?? ''} />
        <Bar dataKey="value" fill={palette.series} isAnimationActive={false}>
          <LabelList dataKey="value" position="top" fontSize={12} fill={palette.text} />
        </Bar>
        {hasSecond ? (
          // Its figures are in the table; a second row of labels would overlap the first.
          <Bar dataKey="second" fill={palette.second} isAnimationActive={false} />
        ) : null}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Horizontal bars, for long names (equipment). */
export function RankingChart({ points, color }: { points: readonly Point[]; color: string }) {
  const height = Math.max(120, points.length * 40 + 40);
  const palette = chartPalette(color);
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: INITIAL.width, height }}>
      <BarChart accessibilityLayer={false} data={[...points]} layout="vertical" margin={{ top: 4, right: 32, bottom: 4, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tick={AXIS} axisLine={AXIS_LINES} tickLine={AXIS_LINES} allowDecimals={false} />
        <YAxis type="category" dataKey="label" tick={AXIS} axisLine={AXIS_LINES} tickLine={AXIS_LINES} width={120} />
        <Bar dataKey="value" fill={palette.series} isAnimationActive={false}>
          <LabelList dataKey="value" position="right" fontSize={12} fill={palette.text} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** A line over time, each point's value written above it. */
export function TrendChart({ points, color, unit }: { points: readonly Point[]; color: string; unit?: string }) {
  const palette = chartPalette(color);
  return (
    <ResponsiveContainer width="100%" height={INITIAL.height} initialDimension={INITIAL}>
      <LineChart accessibilityLayer={false} data={[...points]} margin={{ top: 20, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" tick={AXIS} axisLine={AXIS_LINES} tickLine={AXIS_LINES} />
        <YAxis tick={AXIS} axisLine={AXIS_LINES} tickLine={AXIS_LINES} width={48} unit={unit ?? ''} />
        <Line type="monotone" dataKey="value" stroke={palette.series} strokeWidth={2} isAnimationActive={false}>
          <LabelList dataKey="value" position="top" fontSize={12} fill={palette.text} />
        </Line>
      </LineChart>
    </ResponsiveContainer>
  );
}

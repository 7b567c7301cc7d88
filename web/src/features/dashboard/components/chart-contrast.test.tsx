/**
 * The charts read in sunlight whatever the company colour (WCAG 1.4.11): bars and lines stand
 * out from the card at 3:1, the values written on them and the axis labels read at 4.5:1. The
 * ratios are computed with the contrast helpers of components/brand-theme.ts, on the colours the
 * charts actually draw.
 */
import { render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { AA_GRAPHIC, AA_TEXT, BOSUN_BLUE, brandColors, brandGraphicColor, CARD, contrastRatio } from '../../../components/brand-theme';
import { chartPalette, ColumnChart, RankingChart, TrendChart } from './fleet-charts';

/** Company colours from dark to the lightest a company might pick (a yellow, a sky blue, white). */
const COLOURS = [BOSUN_BLUE, '#0a6e5c', '#7a1f5c', '#e4002b', '#00a651', '#ff6a13', '#66ccff', '#ffd500', '#f3f5f7', '#ffffff'];
const POINTS = [
  { label: 'Low', value: 3, second: 2 },
  { label: 'High', value: 4, second: 1 },
];

/** The colours of the chart's SVG: fills of bars and texts, strokes of lines. */
function drawn(container: HTMLElement) {
  const attr = (selector: string, name: string) =>
    [...container.querySelectorAll(selector)].map((e) => e.getAttribute(name)).filter((v): v is string => v !== null && v !== 'none');
  return {
    bars: attr('.recharts-bar-rectangle path', 'fill'),
    lines: attr('.recharts-line-curve', 'stroke'),
    values: attr('.recharts-label-list text, .recharts-label-list tspan', 'fill'),
    ticks: attr('.recharts-cartesian-axis-tick-value', 'fill'),
    axes: attr('.recharts-cartesian-axis-line', 'stroke'),
  };
}

describe('chart colours on the card', () => {
  it('darken a light company colour until bars and lines stand out, and keep a dark one', () => {
    expect(brandGraphicColor(BOSUN_BLUE)).toBe(BOSUN_BLUE);
    expect(brandGraphicColor('#0a6e5c')).toBe('#0a6e5c');
    for (const colour of COLOURS) {
      const palette = chartPalette(colour);
      expect(contrastRatio(palette.series, CARD), `${colour} → ${palette.series}`).toBeGreaterThanOrEqual(AA_GRAPHIC);
      expect(contrastRatio(palette.second, CARD)).toBeGreaterThanOrEqual(AA_GRAPHIC);
      expect(contrastRatio(palette.axis, CARD)).toBeGreaterThanOrEqual(AA_GRAPHIC);
      expect(contrastRatio(palette.text, CARD)).toBeGreaterThanOrEqual(AA_TEXT);
      // The running-hours chart draws in --brand-graphic, which the shell sets from the colour.
      const { graphic } = brandColors(colour);
      expect(contrastRatio(graphic, CARD), `${colour} → ${graphic}`).toBeGreaterThanOrEqual(AA_GRAPHIC);
    }
    // A light colour changes no more than it must: a yellow becomes an ochre, not black.
    expect(brandGraphicColor('#ffd500')).not.toBe('#000000');
    expect(contrastRatio(brandGraphicColor('#ffd500'), CARD)).toBeLessThan(AA_TEXT);
  });

  it('are what the charts draw, for a yellow company', async () => {
    for (const chart of [
      <ColumnChart points={POINTS} color="#ffd500" />,
      <RankingChart points={POINTS} color="#ffd500" />,
      <TrendChart points={POINTS} color="#ffd500" />,
    ]) {
      const { container, unmount } = render(chart);
      await waitFor(() => {
        expect(container.querySelector('.recharts-label-list')).not.toBeNull();
      });
      const colours = drawn(container);
      const graphics = [...colours.bars, ...colours.lines];
      expect(graphics.length).toBeGreaterThan(0);
      expect(graphics).not.toContain('#ffd500');
      for (const c of [...graphics, ...colours.axes]) expect(contrastRatio(c, CARD), c).toBeGreaterThanOrEqual(AA_GRAPHIC);
      expect(colours.values.length).toBeGreaterThan(0);
      expect(colours.ticks.length).toBeGreaterThan(0);
      for (const c of [...colours.values, ...colours.ticks]) expect(contrastRatio(c, CARD), c).toBeGreaterThanOrEqual(AA_TEXT);
      unmount();
    }
  });
});

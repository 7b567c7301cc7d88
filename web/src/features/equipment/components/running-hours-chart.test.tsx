/**
 * The running-hours line is drawn in `--brand-graphic` (the company colour darkened until it
 * stands out from the card at 3:1, components/brand-theme.ts), its axis labels at 4.5:1.
 */
import { render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { AA_GRAPHIC, AA_TEXT, BOSUN_BLUE, CARD, contrastRatio } from '../../../components/brand-theme';
import { HOURS_LINE, RunningHoursChart } from './running-hours-chart';

describe('the running-hours chart', () => {
  it('draws its line in the brand colour for graphics, readable on the card', async () => {
    const readings = [
      { id: 'a', hours: 100, meter_replaced: false, read_at: '2026-03-01T08:00:00Z', total: 100 },
      { id: 'b', hours: 180, meter_replaced: false, read_at: '2026-03-05T08:00:00Z', total: 180 },
    ];
    const { container } = render(<RunningHoursChart readings={readings} />);
    await waitFor(() => {
      expect(container.querySelector('.recharts-line-curve')).not.toBeNull();
    });
    expect(container.querySelector('.recharts-line-curve')?.getAttribute('stroke')).toBe(HOURS_LINE);
    expect(HOURS_LINE).toBe(`var(--brand-graphic, ${BOSUN_BLUE})`);
    expect(contrastRatio(BOSUN_BLUE, CARD)).toBeGreaterThanOrEqual(AA_GRAPHIC);
    const ticks = [...container.querySelectorAll('.recharts-cartesian-axis-tick-value')].map((t) => t.getAttribute('fill') ?? '');
    expect(ticks.length).toBeGreaterThan(0);
    for (const fill of ticks) expect(contrastRatio(fill, CARD)).toBeGreaterThanOrEqual(AA_TEXT);
    for (const line of container.querySelectorAll('.recharts-cartesian-axis-line')) {
      expect(contrastRatio(line.getAttribute('stroke') ?? '', CARD)).toBeGreaterThanOrEqual(AA_GRAPHIC);
    }
  });
});

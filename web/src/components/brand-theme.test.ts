import { describe, expect, it } from 'vitest';
import {
  AA_TEXT,
  BOSUN_BLUE,
  PAPER,
  brandGraphicColor,
  brandStyle,
  brandTextColor,
  contrastRatio,
  contrastTextColor,
  parseBrandColor,
} from './brand-theme';

describe('brand colours', () => {
  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#fff', '#000')).toBe(contrastRatio('#000', '#fff'));
  });

  it('picks black or white text so that it reads at 4.5:1 or better on any colour', () => {
    expect(contrastTextColor(BOSUN_BLUE)).toBe('#ffffff');
    expect(contrastTextColor('#ffd500')).toBe('#000000');
    for (const colour of ['#777777', '#767676', '#808080', '#e4002b', '#00a651', '#0072ce', '#ff6a13', '#7a1f5c']) {
      expect(contrastRatio(colour, contrastTextColor(colour)), colour).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  it('keeps a dark brand colour for text and darkens a light one until it reads on the paper', () => {
    expect(brandTextColor(BOSUN_BLUE)).toBe(BOSUN_BLUE);
    for (const colour of ['#ffd500', '#ffffff', '#00a651', '#66ccff', '#ff6a13']) {
      const text = brandTextColor(colour);
      expect(text, colour).not.toBe(colour);
      expect(contrastRatio(text, PAPER), `${colour} → ${text}`).toBeGreaterThanOrEqual(AA_TEXT);
      expect(contrastRatio(text, '#ffffff'), `${colour} → ${text} on white`).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  it('sets the four variables, falling back to Bosun blue', () => {
    expect(parseBrandColor('nonsense')).toBe(BOSUN_BLUE);
    expect(brandStyle('#FFD500')).toEqual({
      '--brand': '#ffd500',
      '--brand-contrast': '#000000',
      '--brand-text': brandTextColor('#ffd500'),
      '--brand-graphic': brandGraphicColor('#ffd500'),
    });
  });
});

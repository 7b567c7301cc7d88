/**
 * Turns a company's branding into CSS custom properties: `--brand` is its primary colour and
 * `--brand-contrast` the text colour that stays readable on it.
 */
import type { CSSProperties } from 'react';

/** Bosun's own colour, used before a company is known or when its colour is unusable. */
export const BOSUN_BLUE = '#0b4f71';

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The colour if it is a `#rgb` or `#rrggbb` hex colour, else Bosun's own. */
export function parseBrandColor(color: string | null | undefined): string {
  const trimmed = color?.trim() ?? '';
  return HEX_COLOR.test(trimmed) ? trimmed.toLowerCase() : BOSUN_BLUE;
}

/** Black or white, whichever contrasts more with the colour (WCAG relative luminance). */
export function contrastTextColor(hex: string): '#ffffff' | '#111111' {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? digits.replace(/./g, '$&$&') : digits;
  const channels = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const [r = 0, g = 0, b = 0] = channels;
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against white is 1.05 / (L + 0.05); against near-black about (L + 0.05) / 0.056.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.056 ? '#ffffff' : '#111111';
}

/** Style that sets the brand variables on an element and everything inside it. */
export function brandStyle(color: string | null | undefined): CSSProperties {
  const brand = parseBrandColor(color);
  return { '--brand': brand, '--brand-contrast': contrastTextColor(brand) } as CSSProperties;
}

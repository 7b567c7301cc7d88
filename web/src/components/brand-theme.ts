/**
 * Turns a company's branding into CSS custom properties: `--brand` is its primary colour,
 * `--brand-contrast` the text colour that stays readable on it, and `--brand-text` the colour
 * for brand-coloured text and outlines on the app's light backgrounds (the brand colour,
 * darkened as far as needed to be readable in sunlight: WCAG AA, 4.5:1), and `--brand-graphic`
 * the colour of charts' bars and lines on a card (darkened to 3:1, WCAG 1.4.11).
 */
import type { CSSProperties } from 'react';

/** Bosun's own colour, used before a company is known or when its colour is unusable. */
export const BOSUN_BLUE = '#0b4f71';

/** The darkest light background brand text sits on (`--paper` in styles.css). */
export const PAPER = '#f3f5f7';

/** The background of cards, which charts are drawn on (`--card` in styles.css). */
export const CARD = '#ffffff';

/** WCAG AA for normal text. */
export const AA_TEXT = 4.5;

/** WCAG 1.4.11: bars, lines and other graphics against what is next to them. */
export const AA_GRAPHIC = 3;

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The colour if it is a `#rgb` or `#rrggbb` hex colour, else Bosun's own. */
export function parseBrandColor(color: string | null | undefined): string {
  const trimmed = color?.trim() ?? '';
  return HEX_COLOR.test(trimmed) ? trimmed.toLowerCase() : BOSUN_BLUE;
}

/** The colour's red, green and blue, 0–255. */
function channels(hex: string): [number, number, number] {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? digits.replace(/./g, '$&$&') : digits;
  const [r = 0, g = 0, b = 0] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  return [r, g, b];
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Black or white, whichever contrasts more with the colour. Pure black, so that one of the two
 * always reaches 4.5:1 (a mid grey such as #767676 stays at about 4.5:1 either way; a softer
 * black would fall short there).
 */
export function contrastTextColor(hex: string): '#ffffff' | '#000000' {
  return contrastRatio(hex, '#ffffff') >= contrastRatio(hex, '#000000') ? '#ffffff' : '#000000';
}

/**
 * `hex` mixed with black just enough to reach `ratio` against `background`, in twentieths; the
 * colour itself when it already does.
 */
export function darkenedToContrast(hex: string, background: string, ratio: number): string {
  const [r, g, b] = channels(parseBrandColor(hex));
  for (let step = 0; step <= 20; step += 1) {
    const keep = 1 - step / 20;
    const candidate = `#${[r, g, b]
      .map((c) => Math.round(c * keep).toString(16).padStart(2, '0'))
      .join('')}`;
    if (contrastRatio(candidate, background) >= ratio) return candidate;
  }
  return '#000000';
}

/**
 * The brand colour for text, links and focus outlines on the app's light backgrounds: the
 * colour itself when it reads at 4.5:1 on the paper, else mixed with black just enough to.
 */
export function brandTextColor(hex: string): string {
  return darkenedToContrast(hex, PAPER, AA_TEXT);
}

/**
 * The brand colour for the bars and lines of a chart on a card: the colour itself when it stands
 * out from the card at 3:1, else mixed with black just enough to (a yellow brand draws in ochre).
 */
export function brandGraphicColor(hex: string): string {
  return darkenedToContrast(hex, CARD, AA_GRAPHIC);
}

/** The brand colours for one company colour: itself, text on it, brand text, brand graphics. */
export function brandColors(color: string | null | undefined): { brand: string; contrast: string; text: string; graphic: string } {
  const brand = parseBrandColor(color);
  return { brand, contrast: contrastTextColor(brand), text: brandTextColor(brand), graphic: brandGraphicColor(brand) };
}

/** Style that sets the brand variables on an element and everything inside it. */
export function brandStyle(color: string | null | undefined): CSSProperties {
  const c = brandColors(color);
  return {
    '--brand': c.brand,
    '--brand-contrast': c.contrast,
    '--brand-text': c.text,
    '--brand-graphic': c.graphic,
  } as CSSProperties;
}

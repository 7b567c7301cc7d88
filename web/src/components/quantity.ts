/**
 * Stock quantities, exactly: the server keeps them as DECIMAL and sends them as strings ("12.5",
 * "-2", "0"); here they are read into whole thousandths of the unit in a BigInt, added and
 * compared as integers, and written back in their shortest form ("12.500" → "12.5"). Never
 * through floating point, where 0.1 + 0.2 is not 0.3: a stock count must add up to the last
 * thousandth, whatever the number of movements.
 *
 * The rule a typed quantity keeps is the server's: a decimal with at most three decimals and at
 * most 1,000,000,000 units either way; `checkQuantity` says what is wrong in words, and
 * `quantityText` is the same rule as a Zod field for the forms. Shared by stock, work orders
 * (parts used, a checklist's measured numbers and their limits, meter readings), purchasing and
 * the handover: every decimal the server sends as a string is read here.
 */
import { z } from 'zod';

/** A quantity in thousandths of its unit. */
export type Thousandths = bigint;

/** Thousandths in one unit. */
const SCALE = 1000n;
/** Decimals a quantity may have. */
export const QUANTITY_DECIMALS = 3;
/** The most units one quantity may hold, either way (the server's bound). */
export const MAX_UNITS = 1_000_000_000n;
const MAX_THOUSANDTHS = MAX_UNITS * SCALE;

/** Zero. */
export const ZERO: Thousandths = 0n;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Reads a decimal string ("12.5", "-2", "+0.125", "12.500"); null when it is not one, or has a
 * non-zero digit past the third decimal (zeros there are only how the number was written).
 */
export function parseQuantity(text: string): Thousandths | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  if (/[1-9]/.test(fraction.slice(QUANTITY_DECIMALS))) return null;
  const thousandths = BigInt(whole || '0') * SCALE + BigInt(fraction.slice(0, QUANTITY_DECIMALS).padEnd(QUANTITY_DECIMALS, '0'));
  return sign === '-' ? -thousandths : thousandths;
}

/**
 * A value as the replica holds it: a decimal string (a whole JSON number is read too, though the
 * server sends strings); null when it is neither.
 */
export function quantityOf(value: unknown): Thousandths | null {
  if (typeof value === 'string') return parseQuantity(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value) * SCALE;
  return null;
}

/** The shortest decimal string: "12.5", "-2", "0" (never "-0"). */
export function formatQuantity(quantity: Thousandths): string {
  const negative = quantity < 0n;
  const size = negative ? -quantity : quantity;
  const whole = (size / SCALE).toString();
  const fraction = (size % SCALE).toString().padStart(QUANTITY_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/**
 * With its unit, thousands set apart by a narrow space: "2.5 pcs", "12\u202f000 m". How
 * purchasing shows a requisition's or an order line's quantity, and the handover a requisition's.
 */
export function quantityWithUnit(quantity: Thousandths, unit: string): string {
  const text = formatQuantity(quantity).replace(/\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, '\u202f'));
  return `${text} ${unit}`.trim();
}

/** With its sign always written: "+5", "-2.5", "0". */
export function formatSignedQuantity(quantity: Thousandths): string {
  return quantity > 0n ? `+${formatQuantity(quantity)}` : formatQuantity(quantity);
}

/** The sum of decimal strings, as one ("-0.5" and "0.5" make "0"); null when one is not a decimal. */
export function sumQuantities(texts: readonly string[]): string | null {
  let total = ZERO;
  for (const text of texts) {
    const quantity = parseQuantity(text);
    if (quantity === null) return null;
    total += quantity;
  }
  return formatQuantity(total);
}

/** -1, 0 or 1 as `a` is below, equal to or above `b` (decimal strings); null when one is not a decimal. */
export function compareQuantities(a: string, b: string): -1 | 0 | 1 | null {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The larger of two quantities. */
export const maxQuantity = (a: Thousandths, b: Thousandths): Thousandths => (a > b ? a : b);

/**
 * What a typed quantity must be: above zero (received), not zero (a signed change), zero and up
 * (a rule), or any decimal (a measurement, which may be below zero).
 */
export type QuantityRule = 'positive' | 'nonzero' | 'nonnegative' | 'any';

/** A typed quantity checked: its canonical decimal string, or what is wrong in words. */
export type CheckedQuantity = { ok: true; text: string; quantity: Thousandths } | { ok: false; message: string };

/**
 * Checks a quantity as typed (spaces allowed, a comma refused: "1,000" could be a thousand or
 * one), by the server's rule and `rule`; `empty` is said when nothing was typed.
 */
export function checkQuantity(typed: string, rule: QuantityRule, empty: string): CheckedQuantity {
  const text = typed.replace(/\s/g, '');
  if (text === '') return { ok: false, message: empty };
  if (text.includes(',')) return { ok: false, message: 'Write decimals with a point and no commas, e.g. 12.5.' };
  const quantity = parseQuantity(text);
  if (quantity === null) {
    return {
      ok: false,
      message:
        rule === 'nonzero' || rule === 'any'
          ? 'Enter a number with at most 3 decimals, e.g. -2 or 12.5.'
          : 'Enter a number with at most 3 decimals, e.g. 12.5.',
    };
  }
  if (quantity > MAX_THOUSANDTHS || quantity < -MAX_THOUSANDTHS) {
    return { ok: false, message: 'At most 1,000,000,000 units.' };
  }
  if (rule === 'positive' && quantity <= 0n) return { ok: false, message: 'Enter a quantity above 0.' };
  if (rule === 'nonzero' && quantity === 0n) return { ok: false, message: 'Enter a change other than 0: + adds, - takes away.' };
  if (rule === 'nonnegative' && quantity < 0n) return { ok: false, message: 'It cannot be below 0.' };
  return { ok: true, text: formatQuantity(quantity), quantity };
}

/** A form's quantity field: the text as typed in, its canonical decimal string out. */
export function quantityText(rule: QuantityRule, empty: string) {
  return z.string().transform((typed, ctx) => {
    const checked = checkQuantity(typed, rule, empty);
    if (checked.ok) return checked.text;
    ctx.addIssue({ code: 'custom', message: checked.message });
    return z.NEVER;
  });
}

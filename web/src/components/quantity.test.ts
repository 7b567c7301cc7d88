/**
 * Quantities (stock, measurements) add up exactly: decimal strings read as whole thousandths, summed, compared
 * and written back in their shortest form, and a typed quantity checked by the server's rule.
 */
import { describe, expect, it } from 'vitest';

import {
  checkQuantity,
  compareQuantities,
  formatQuantity,
  formatSignedQuantity,
  parseQuantity,
  quantityOf,
  quantityText,
  quantityWithUnit,
  sumQuantities,
} from './quantity';

describe('reading and writing quantities', () => {
  it('reads decimal strings as thousandths', () => {
    expect(parseQuantity('12.5')).toBe(12_500n);
    expect(parseQuantity('-2')).toBe(-2_000n);
    expect(parseQuantity('0')).toBe(0n);
    expect(parseQuantity('+0.125')).toBe(125n);
    expect(parseQuantity('.5')).toBe(500n);
    expect(parseQuantity('1000000000')).toBe(1_000_000_000_000n);
  });

  it('takes zeros past the third decimal, and nothing else there', () => {
    expect(parseQuantity('12.5000')).toBe(12_500n);
    expect(parseQuantity('0.0001')).toBeNull();
  });

  it('refuses what is not a decimal', () => {
    for (const text of ['', '-', '.', '1e3', '1,5', '12.5 pcs', 'NaN', '--1', '1.2.3']) expect(parseQuantity(text), text).toBeNull();
  });

  it('writes the shortest form: "12.500" as "12.5", never "-0"', () => {
    expect(formatQuantity(parseQuantity('12.500') ?? 1n)).toBe('12.5');
    expect(formatQuantity(parseQuantity('-0') ?? 1n)).toBe('0');
    expect(formatQuantity(-250n)).toBe('-0.25');
    expect(formatQuantity(7n)).toBe('0.007');
    expect(formatQuantity(1_000_000_000_000n)).toBe('1000000000');
    expect(formatSignedQuantity(5_000n)).toBe('+5');
    expect(formatSignedQuantity(-2_500n)).toBe('-2.5');
    expect(formatSignedQuantity(0n)).toBe('0');
  });

  it('reads what the replica holds: strings, or a whole JSON number', () => {
    expect(quantityOf('3.25')).toBe(3_250n);
    expect(quantityOf(4)).toBe(4_000n);
    expect(quantityOf(0.1)).toBeNull();
    expect(quantityOf(null)).toBeNull();
  });

  it('writes a quantity with its unit, thousands set apart by a narrow space', () => {
    expect(quantityWithUnit(2_500n, 'pcs')).toBe('2.5 pcs');
    expect(quantityWithUnit(12_000_500n, 'm')).toBe('12\u202f000.5 m');
    expect(quantityWithUnit(4_000n, '')).toBe('4');
  });
});

describe('adding and comparing', () => {
  it('adds exactly: "-0.5" and "0.5" make "0", and 0.1 + 0.2 is 0.3', () => {
    expect(sumQuantities(['-0.5', '0.5'])).toBe('0');
    expect(sumQuantities(['0.1', '0.2'])).toBe('0.3');
    expect(sumQuantities(['12.5', '-2', '0.125', '0'])).toBe('10.625');
    expect(sumQuantities([])).toBe('0');
    expect(sumQuantities(['1', 'two'])).toBeNull();
  });

  it('adds past what a float holds exactly', () => {
    const many = Array.from({ length: 10_000 }, () => '1000000000.001');
    expect(sumQuantities(many)).toBe('10000000000010');
  });

  it('compares', () => {
    expect(compareQuantities('2', '10')).toBe(-1);
    expect(compareQuantities('12.500', '12.5')).toBe(0);
    expect(compareQuantities('-0.001', '-0.002')).toBe(1);
    expect(compareQuantities('x', '1')).toBeNull();
  });
});

describe('checking a typed quantity', () => {
  it('gives the canonical string', () => {
    expect(checkQuantity(' 12.500 ', 'positive', 'empty')).toMatchObject({ ok: true, text: '12.5' });
    expect(checkQuantity('1 000', 'positive', 'empty')).toMatchObject({ ok: true, text: '1000' });
    expect(checkQuantity('-2', 'nonzero', 'empty')).toMatchObject({ ok: true, text: '-2' });
    expect(checkQuantity('0', 'nonnegative', 'empty')).toMatchObject({ ok: true, text: '0' });
    // A measurement may be anything, below zero and zero included.
    expect(checkQuantity('-12.50', 'any', 'empty')).toMatchObject({ ok: true, text: '-12.5' });
    expect(checkQuantity('0', 'any', 'empty')).toMatchObject({ ok: true, text: '0' });
  });

  it('says what is wrong', () => {
    const message = (typed: string, rule: Parameters<typeof checkQuantity>[1]) => {
      const checked = checkQuantity(typed, rule, 'Enter it.');
      return checked.ok ? null : checked.message;
    };
    expect(message('', 'positive')).toBe('Enter it.');
    expect(message('1,5', 'positive')).toBe('Write decimals with a point and no commas, e.g. 12.5.');
    expect(message('1.2345', 'positive')).toBe('Enter a number with at most 3 decimals, e.g. 12.5.');
    expect(message('1000000000.001', 'positive')).toBe('At most 1,000,000,000 units.');
    expect(message('-1000000000.001', 'nonzero')).toBe('At most 1,000,000,000 units.');
    expect(message('1000000000', 'positive')).toBeNull();
    expect(message('0', 'positive')).toBe('Enter a quantity above 0.');
    expect(message('-1', 'positive')).toBe('Enter a quantity above 0.');
    expect(message('0.000', 'nonzero')).toBe('Enter a change other than 0: + adds, - takes away.');
    expect(message('-0.5', 'nonnegative')).toBe('It cannot be below 0.');
  });

  it('is a Zod field for the forms', () => {
    const field = quantityText('positive', 'Enter it.');
    expect(field.parse('3.10')).toBe('3.1');
    const failed = field.safeParse('0');
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.message).toBe('Enter a quantity above 0.');
  });
});

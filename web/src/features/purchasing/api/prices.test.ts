/**
 * Prices shown by the fields present (the server leaves out what the role may not read), money
 * written exactly from minor units, a line's total rounded as the server rounds it, and typed
 * prices read in the currency's minor units.
 */
import { describe, expect, it } from 'vitest';

import { currencyDigits, formatMoney, lineTotal, moneyText, parseMoney, priceColumns, pricesOf, showsPrices } from './prices';

describe('prices by the fields present', () => {
  it('reads every price a manager sees', () => {
    expect(
      pricesOf({
        currency: 'EUR',
        supplier_unit_price_minor: 1000,
        supplier_total_minor: 2500,
        markup_basis_points: 2000,
        customer_unit_price_minor: 1200,
        customer_total_minor: 3000,
      }),
    ).toEqual({ currency: 'EUR', supplierUnit: 1000, supplierTotal: 2500, markupBasisPoints: 2000, customerUnit: 1200, customerTotal: 3000 });
  });

  it('gives an engineer’s row customer prices only, and a crew member’s none', () => {
    const engineer = pricesOf({ currency: 'EUR', customer_unit_price_minor: 1200, customer_total_minor: 3000 });
    const crew = pricesOf({ currency: 'EUR' });
    expect(priceColumns([engineer])).toEqual({ supplier: false, customer: true });
    expect(priceColumns([crew, null])).toEqual({ supplier: false, customer: false });
    expect(showsPrices(priceColumns([crew]))).toBe(false);
  });

  it('reads a null price as one not given', () => {
    expect(pricesOf({ currency: null, supplier_unit_price_minor: null })).toEqual({ currency: null });
  });

  it('shows a column when any row carries it', () => {
    expect(priceColumns([pricesOf({ currency: 'EUR' }), pricesOf({ currency: 'EUR', supplier_total_minor: 5 })])).toEqual({
      supplier: true,
      customer: false,
    });
  });
});

describe('money', () => {
  it('knows the currencies’ minor units', () => {
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
  });

  it('is written exactly, large sums included', () => {
    expect(formatMoney(123450, 'EUR')).toMatch(/1[,.\u202f\u00a0]?234[.,]50/);
    expect(formatMoney(900719925474099, 'USD')).toMatch(/9[,.\s\u202f\u00a0]?007[,.\s\u202f\u00a0]?199[,.\s\u202f\u00a0]?254[,.\s\u202f\u00a0]?740[.,]99/);
    expect(formatMoney(5, 'EUR')).toMatch(/0[.,]05/);
  });

  it('totals a line as the server does: half away from zero', () => {
    // 2.5 × 0.99 = 2.475 → 2.48; 0.001 × 499 = 0.499 → 0; 0.001 × 500 = 0.5 → 1.
    expect(lineTotal(99, 2500n)).toBe(248);
    expect(lineTotal(499, 1n)).toBe(0);
    expect(lineTotal(500, 1n)).toBe(1);
    expect(lineTotal(1000, 3000n)).toBe(3000);
  });

  it('reads typed prices in minor units, refusing more decimals than the currency has', () => {
    expect(parseMoney('12.5', 'EUR')).toBe(1250);
    expect(parseMoney('12.50', 'EUR')).toBe(1250);
    expect(parseMoney('1200', 'JPY')).toBe(1200);
    expect(parseMoney('12.5', 'JPY')).toBeNull();
    expect(parseMoney('12.505', 'EUR')).toBeNull();
    expect(parseMoney('1,000', 'EUR')).toBeNull();
    expect(parseMoney('-1', 'EUR')).toBeNull();
    expect(parseMoney('', 'EUR')).toBeNull();
    expect(parseMoney('10000000.01', 'EUR')).toBeNull();
    expect(moneyText(1250, 'EUR')).toBe('12.50');
    expect(moneyText(5, 'EUR')).toBe('0.05');
  });
});

/**
 * Prices as purchasing shows them. The server leaves out each price field the reader's role may
 * not see (crew see none, engineers and viewers customer prices only, docs/PERMISSIONS.md
 * "Fields"), in its answers and in the replica alike; so what is shown is decided by which fields
 * are there, never by the role: a column appears only when some row carries its figure.
 *
 * Money is whole minor units (cents) of an ISO 4217 currency, never a float in the arithmetic:
 * a line's total is its unit price times the quantity in thousandths, rounded half away from
 * zero to a whole minor unit, as the server rounds it (`line_total` in crates/app).
 */
import type { JsonValue } from '../../../sync/checksum';
import type { Thousandths } from '../../../components/quantity';

/** A row's prices as far as the reader may see them; each absent field is one their role does not read. */
export interface Prices {
  /** Null when the row has no price at all (a requisition asked without one). */
  currency: string | null;
  supplierUnit?: number;
  supplierTotal?: number;
  markupBasisPoints?: number;
  customerUnit?: number;
  customerTotal?: number;
}

const num = (f: Readonly<Record<string, JsonValue | undefined>>, name: string): number | undefined => {
  const v = f[name];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
};

/**
 * The prices of a replica row or an answer's `prices` object: every field present as a whole
 * number (a null is a price not given, the same as absent).
 */
export function pricesOf(fields: Readonly<Record<string, JsonValue | undefined>>): Prices {
  const prices: Prices = { currency: typeof fields.currency === 'string' ? fields.currency : null };
  const supplierUnit = num(fields, 'supplier_unit_price_minor');
  const supplierTotal = num(fields, 'supplier_total_minor');
  const markup = num(fields, 'markup_basis_points');
  const customerUnit = num(fields, 'customer_unit_price_minor');
  const customerTotal = num(fields, 'customer_total_minor');
  if (supplierUnit !== undefined) prices.supplierUnit = supplierUnit;
  if (supplierTotal !== undefined) prices.supplierTotal = supplierTotal;
  if (markup !== undefined) prices.markupBasisPoints = markup;
  if (customerUnit !== undefined) prices.customerUnit = customerUnit;
  if (customerTotal !== undefined) prices.customerTotal = customerTotal;
  return prices;
}

/** Which price columns a table of rows shows: those some row has a figure for. */
export interface PriceColumns {
  supplier: boolean;
  customer: boolean;
}

/** The columns to show for these rows' prices (none for a reader who sees no price). */
export function priceColumns(rows: readonly (Prices | null)[]): PriceColumns {
  return {
    supplier: rows.some((p) => p?.supplierUnit !== undefined || p?.supplierTotal !== undefined),
    customer: rows.some((p) => p?.customerUnit !== undefined || p?.customerTotal !== undefined),
  };
}

/** Whether any price column shows. */
export const showsPrices = (columns: PriceColumns) => columns.supplier || columns.customer;

/** Minor units in one unit of `currency` (2 for EUR, 0 for JPY); 2 when the browser does not know it. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * "€1,234.50" in the person's locale; written exactly from the minor units (the whole and the
 * fraction apart), so a large total never picks up a float's error.
 */
export function formatMoney(minor: number, currency: string): string {
  const code = currency;
  const digits = currencyDigits(code);
  const negative = minor < 0;
  const text = Math.abs(minor).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits === 0 ? '' : `.${text.slice(text.length - digits)}`;
  let formatted: string;
  try {
    // A decimal string keeps every digit (Intl reads it exactly).
    formatted = new Intl.NumberFormat(undefined, { style: 'currency', currency: code, minimumFractionDigits: digits }).format(
      `${negative ? '-' : ''}${whole}${fraction}` as unknown as number,
    );
  } catch {
    formatted = `${negative ? '-' : ''}${whole}${fraction} ${code}`;
  }
  return formatted;
}

/**
 * A line's total in minor units: the unit price times the quantity (thousandths), rounded half
 * away from zero, as the server computes it.
 */
export function lineTotal(unitMinor: number, quantity: Thousandths): number {
  const product = BigInt(unitMinor) * quantity;
  const negative = product < 0n;
  const size = negative ? -product : product;
  const rounded = (size + 500n) / 1000n;
  return Number(negative ? -rounded : rounded);
}

/**
 * A typed price ("12.5", "12.50", "1200") in minor units of `currency`; null when it is not a
 * price: at most the currency's decimals, not below 0, at most 1,000,000,000 minor units (the
 * server's bound). A comma is refused, as for quantities ("1,000" could be a thousand or one).
 */
export function parseMoney(typed: string, currency: string): number | null {
  const text = typed.replace(/\s/g, '');
  const digits = currencyDigits(currency);
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || text === '' || text === '.') return null;
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > digits) return null;
  const minor = BigInt(whole || '0') * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return minor > 1_000_000_000n ? null : Number(minor);
}

/** A price in minor units as it is typed back into a form ("12.50"). */
export function moneyText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return minor.toString();
  const text = minor.toString().padStart(digits + 1, '0');
  return `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
}

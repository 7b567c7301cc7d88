/**
 * The new purchase order form's logic: the vessel's approved requisitions picked with
 * checkboxes, extra lines (a catalogue part or an unlisted one with its quantity), each with a
 * unit price in the order's currency (the supplier's by default), and the totals the person sees
 * before sending it: each line's price times its quantity rounded as the server rounds
 * (`prices.ts`), summed in minor units. Checked as the server checks an order (1–200 lines, a
 * quantity above 0 with at most 3 decimals, a price of at most 1,000,000,000 minor units), then
 * written as `create_purchase_order.v1`'s args with client-made ids.
 */
import type { JsonValue } from '../../../sync/checksum';
import { checkQuantity, parseQuantity, type Thousandths } from '../../../components/quantity';
import { lineTotal, parseMoney } from './prices';
import type { Requisition } from './purchasing';

/** At most this many lines on one order (the server's bound). */
export const MAX_ORDER_LINES = 200;

/** A picked requisition's line as typed. */
export interface RequisitionLineValues {
  requisitionId: string;
  picked: boolean;
  unitPrice: string;
}

/** An extra line as typed: a catalogue part ('' for none) or an unlisted part's name, number and unit. */
export interface ExtraLineValues {
  key: string;
  partId: string;
  partName: string;
  partNumber: string;
  unit: string;
  quantity: string;
  unitPrice: string;
}

/** The whole form as typed. */
export interface OrderValues {
  supplierId: string;
  currency: string;
  expectedOn: string;
  note: string;
  requisitions: RequisitionLineValues[];
  extras: ExtraLineValues[];
}

/** A line's quantity and unit price, for the totals (price null: not given or not a price). */
export interface PricedLine {
  quantity: Thousandths | null;
  unitMinor: number | null;
}

/** The lines the form would order, as far as they can be read (picked requisitions and extra lines). */
export function pricedLines(values: OrderValues, requisitions: ReadonlyMap<string, Pick<Requisition, 'quantity'>>): PricedLine[] {
  const picked = values.requisitions
    .filter((r) => r.picked)
    .map((r) => ({
      quantity: requisitions.get(r.requisitionId)?.quantity ?? null,
      unitMinor: r.unitPrice.trim() === '' ? null : parseMoney(r.unitPrice, values.currency),
    }));
  const extras = values.extras.map((e) => ({
    quantity: parseQuantity(e.quantity),
    unitMinor: e.unitPrice.trim() === '' ? null : parseMoney(e.unitPrice, values.currency),
  }));
  return [...picked, ...extras];
}

/** The order's total in minor units over the lines priced, and how many lines have no price yet. */
export function orderTotal(lines: readonly PricedLine[]): { totalMinor: number; unpriced: number } {
  let totalMinor = 0;
  let unpriced = 0;
  for (const l of lines) {
    if (l.quantity === null || l.unitMinor === null) unpriced += 1;
    else totalMinor += lineTotal(l.unitMinor, l.quantity);
  }
  return { totalMinor, unpriced };
}

/** What is wrong with the form, by field path ("extras.0.quantity"), plus one for the whole. */
export type OrderErrors = Record<string, string>;

const PRICE_ERROR = 'Enter a price of 0 or more with at most the currency’s decimals, e.g. 12.50.';

/** Checks the form; an empty result is a form the server takes (as far as the device can tell). */
export function checkOrder(values: OrderValues): OrderErrors {
  const errors: OrderErrors = {};
  if (values.supplierId === '') errors.supplierId = 'Choose the supplier.';
  if (!/^[A-Z]{3}$/.test(values.currency)) errors.currency = 'Three capital letters, e.g. EUR.';
  values.requisitions.forEach((r, i) => {
    if (r.picked && r.unitPrice.trim() !== '' && parseMoney(r.unitPrice, values.currency) === null) errors[`requisitions.${i}.unitPrice`] = PRICE_ERROR;
  });
  values.extras.forEach((e, i) => {
    if (e.partId === '' && e.partName.trim() === '') errors[`extras.${i}.partName`] = 'Choose a catalogue part or name the part.';
    const q = checkQuantity(e.quantity, 'positive', 'Enter how many.');
    if (!q.ok) errors[`extras.${i}.quantity`] = q.message;
    if (e.unitPrice.trim() !== '' && parseMoney(e.unitPrice, values.currency) === null) errors[`extras.${i}.unitPrice`] = PRICE_ERROR;
  });
  const count = values.requisitions.filter((r) => r.picked).length + values.extras.length;
  if (count === 0) errors.lines = 'Pick an approved requisition or add a line.';
  else if (count > MAX_ORDER_LINES) errors.lines = `At most ${MAX_ORDER_LINES.toString()} lines on one order.`;
  return errors;
}

const optional = (key: string, text: string): Record<string, JsonValue> => (text.trim() === '' ? {} : { [key]: text.trim() });

/** The `create_purchase_order.v1` args for a checked form; `newId` makes the order's and each line's UUIDv7. */
export function orderArgs(vesselId: string, orderId: string, values: OrderValues, newId: () => string): Record<string, JsonValue> {
  const price = (typed: string): Record<string, JsonValue> => {
    const minor = typed.trim() === '' ? null : parseMoney(typed, values.currency);
    return minor === null ? {} : { supplier_unit_price_minor: minor };
  };
  const lines: JsonValue[] = [
    ...values.requisitions.filter((r) => r.picked).map((r) => ({ id: newId(), requisition_id: r.requisitionId, ...price(r.unitPrice) })),
    ...values.extras.map((e) => {
      const quantity = checkQuantity(e.quantity, 'positive', '');
      const part: Record<string, JsonValue> =
        e.partId !== ''
          ? { part_id: e.partId }
          : { part_name: e.partName.trim(), ...optional('part_number', e.partNumber), ...optional('unit', e.unit) };
      return { id: newId(), ...part, quantity: quantity.ok ? quantity.text : e.quantity, ...price(e.unitPrice) };
    }),
  ];
  return {
    id: orderId,
    vessel_id: vesselId,
    supplier_id: values.supplierId,
    currency: values.currency,
    ...optional('expected_on', values.expectedOn),
    ...optional('note', values.note),
    lines,
  };
}

/**
 * The new order form: totals over the priced lines as the server rounds them, what it says is
 * wrong before anything is queued, and the `create_purchase_order.v1` args (quantities as
 * decimal text, prices in minor units, a client-made id per line).
 */
import { describe, expect, it } from 'vitest';

import { checkOrder, orderArgs, orderTotal, pricedLines, type OrderValues } from './order-form';

const values = (patch: Partial<OrderValues> = {}): OrderValues => ({
  supplierId: 'sup-1',
  currency: 'EUR',
  expectedOn: '',
  note: '',
  requisitions: [
    { requisitionId: 'req-1', picked: true, unitPrice: '12.50' },
    { requisitionId: 'req-2', picked: false, unitPrice: '99' },
  ],
  extras: [{ key: 'k', partId: '', partName: 'Gasket', partNumber: 'G-1', unit: '', quantity: '2.5', unitPrice: '0.99' }],
  ...patch,
});
const requisitions = new Map([
  ['req-1', { quantity: 2000n }],
  ['req-2', { quantity: 1000n }],
]);

describe('the order’s total', () => {
  it('adds the picked requisitions and the extra lines, each rounded as the server does', () => {
    // 2 × 12.50 = 25.00; 2.5 × 0.99 = 2.475 → 2.48.
    expect(orderTotal(pricedLines(values(), requisitions))).toEqual({ totalMinor: 2748, unpriced: 0 });
  });

  it('counts the lines without a price apart', () => {
    const v = values({ extras: [{ key: 'k', partId: 'p', partName: '', partNumber: '', unit: '', quantity: '1', unitPrice: '' }] });
    expect(orderTotal(pricedLines(v, requisitions))).toEqual({ totalMinor: 2500, unpriced: 1 });
  });

  it('reads prices in the order’s currency', () => {
    const v = values({ currency: 'JPY', requisitions: [{ requisitionId: 'req-1', picked: true, unitPrice: '1200' }], extras: [] });
    expect(orderTotal(pricedLines(v, requisitions))).toEqual({ totalMinor: 2400, unpriced: 0 });
  });
});

describe('checking the order', () => {
  it('takes a complete order', () => {
    expect(checkOrder(values())).toEqual({});
  });

  it('says what is missing or wrong', () => {
    const errors = checkOrder(
      values({
        supplierId: '',
        currency: 'eu',
        requisitions: [{ requisitionId: 'req-1', picked: true, unitPrice: '1.234' }],
        extras: [{ key: 'k', partId: '', partName: ' ', partNumber: '', unit: '', quantity: '0', unitPrice: '' }],
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(['currency', 'extras.0.partName', 'extras.0.quantity', 'requisitions.0.unitPrice', 'supplierId']);
  });

  it('needs a line', () => {
    expect(checkOrder(values({ requisitions: [], extras: [] })).lines).toBe('Pick an approved requisition or add a line.');
  });
});

describe('the order’s args', () => {
  it('are the mutator’s: requisition lines, a named part with its decimal quantity, prices in minor units', () => {
    let n = 0;
    const args = orderArgs('vessel-1', 'po-1', values({ expectedOn: '2026-12-24', note: ' Deliver to Bergen ' }), () => `line-${(++n).toString()}`);
    expect(args).toEqual({
      id: 'po-1',
      vessel_id: 'vessel-1',
      supplier_id: 'sup-1',
      currency: 'EUR',
      expected_on: '2026-12-24',
      note: 'Deliver to Bergen',
      lines: [
        { id: 'line-1', requisition_id: 'req-1', supplier_unit_price_minor: 1250 },
        { id: 'line-2', part_name: 'Gasket', part_number: 'G-1', quantity: '2.5', supplier_unit_price_minor: 99 },
      ],
    });
  });

  it('name a catalogue part by its id', () => {
    const v = values({ requisitions: [], extras: [{ key: 'k', partId: 'part-9', partName: '', partNumber: '', unit: '', quantity: '3.000', unitPrice: '' }] });
    expect(orderArgs('v', 'po', v, () => 'l').lines).toEqual([{ id: 'l', part_id: 'part-9', quantity: '3' }]);
  });
});

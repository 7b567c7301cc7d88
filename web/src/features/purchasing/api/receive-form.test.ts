/**
 * The receive form: outstanding quantities prefilled, lines left at 0 not received, never more
 * than is outstanding, an unlisted part only straight to the job, and the args with a ledger
 * entry id per line only when the goods go into stock.
 */
import { describe, expect, it } from 'vitest';

import { ZERO } from '../../../components/quantity';
import type { OrderLine } from './purchasing';
import { checkReceipt, receiveArgs, receiveDefaults, STRAIGHT_TO_JOB } from './receive-form';

const line = (id: string, ordered: bigint, received: bigint, partId: string | null = 'part-1'): OrderLine => ({
  id,
  position: 1,
  requisitionId: null,
  partId,
  partName: `Part ${id}`,
  partNumber: null,
  unit: 'pcs',
  ordered,
  received,
  outstanding: ordered > received ? ordered - received : ZERO,
  prices: { currency: 'EUR' },
});

const filters = line('a', 5000n, 2000n);
const gasket = line('b', 2500n, 0n, null);
const done = line('c', 1000n, 1000n);
const STORE = 'loc-store';

describe('the receive form', () => {
  it('prefills each line with what is still to come, leaving out the lines complete', () => {
    expect(receiveDefaults([filters, gasket, done])).toEqual({ locationId: STRAIGHT_TO_JOB, quantities: { a: '3', b: '2.5' }, note: '' });
  });

  it('receives the lines above 0 and skips those left empty or at 0', () => {
    const checked = checkReceipt([filters, gasket], { locationId: STRAIGHT_TO_JOB, quantities: { a: '1.5', b: '0' }, note: '' });
    expect(checked).toEqual({ ok: true, lines: [{ line_id: 'a', quantity: '1.5' }], count: 1 });
  });

  it('asks for at least one line', () => {
    const checked = checkReceipt([filters], { locationId: STRAIGHT_TO_JOB, quantities: { a: '' }, note: '' });
    expect(checked).toEqual({ ok: false, lineErrors: {}, formError: 'Enter the quantity that arrived on at least one line.' });
  });

  it('refuses more than is outstanding (the server’s over_receipt) and bad numbers', () => {
    const checked = checkReceipt([filters, gasket], { locationId: STRAIGHT_TO_JOB, quantities: { a: '3.001', b: '1,5' }, note: '' });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.lineErrors.a).toBe('At most the 3 pcs still to come.');
    expect(checked.lineErrors.b).toMatch(/point/);
  });

  it('sends an unlisted part only straight to the job (not_in_catalogue)', () => {
    const intoStock = checkReceipt([filters, gasket], { locationId: STORE, quantities: { a: '3', b: '2.5' }, note: '' });
    expect(intoStock.ok).toBe(false);
    if (!intoStock.ok) expect(intoStock.lineErrors.b).toMatch(/straight to the job/);
    const toJob = checkReceipt([filters, gasket], { locationId: STRAIGHT_TO_JOB, quantities: { a: '3', b: '2.5' }, note: '' });
    expect(toJob.ok).toBe(true);
  });

  it('writes a ledger entry id per line into stock, none straight to the job', () => {
    let n = 0;
    const ids = () => `entry-${(++n).toString()}`;
    const lines = [{ line_id: 'a', quantity: '3' }];
    expect(receiveArgs('po-1', 'r-1', { locationId: STORE, quantities: {}, note: ' Delivery note 77 ' }, lines, ids)).toEqual({
      id: 'r-1',
      purchase_order_id: 'po-1',
      location_id: STORE,
      lines: [{ line_id: 'a', quantity: '3', entry_id: 'entry-1' }],
      note: 'Delivery note 77',
    });
    expect(receiveArgs('po-1', 'r-2', { locationId: STRAIGHT_TO_JOB, quantities: {}, note: '' }, lines, ids)).toEqual({
      id: 'r-2',
      purchase_order_id: 'po-1',
      lines: [{ line_id: 'a', quantity: '3' }],
    });
  });
});

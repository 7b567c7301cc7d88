/**
 * Words for stock: movements, quantities with their unit, the marks a part carries ("Low",
 * "Critical spare"), and the writes still on this device with how far they got; a refused one
 * says why (the server's sentence, and the app's for the stock refusals) until dismissed.
 */
import type { PendingWrite } from '../../../components/local-writes';
import { PendingWrites as SharedPendingWrites, Refusal as SharedRefusal } from '../../../components/pending-writes';
import { CREATE_PART, UPDATE_PART, type PartItem } from '../../../components/parts-catalogue';
import { formatQuantity, formatSignedQuantity, type Thousandths } from '../../../components/quantity';
import {
  ADJUST_STOCK,
  CREATE_STOCK_LOCATION,
  ISSUE_PART,
  RECEIVE_STOCK,
  RECEIVE_PURCHASE_ORDER,
  RECEIVE_TRANSFER,
  SET_STOCK_RULE,
  TRANSFER_STOCK,
} from '../../../components/stock-levels';
import type { Movement } from '../api/stock';

export const MOVEMENT_LABEL: Record<Movement, string> = {
  receive: 'Received',
  issue: 'Issued',
  adjust: 'Adjusted',
  transfer_out: 'Transferred out',
  transfer_in: 'Transferred in',
};

/**
 * A quantity for people: exact, with a point for decimals as it is typed, and thousands set apart
 * by a narrow space ("1 000 000.5"), which no locale reads as a decimal mark.
 */
export function displayQuantity(text: string): string {
  return text.replace(/\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, '\u202f'));
}

/** "12.5 pcs". */
export const withUnit = (quantity: Thousandths, unit: string) => `${displayQuantity(formatQuantity(quantity))} ${unit}`.trim();

/** "+5 pcs", "-2 pcs". */
export const signedWithUnit = (delta: Thousandths, unit: string) => `${displayQuantity(formatSignedQuantity(delta))} ${unit}`.trim();

/**
 * What the stock refusals mean for the person (the server's own sentence is shown beside it);
 * the codes are the stock mutators' own, so they live with the feature.
 */
const REFUSAL: Record<string, string> = {
  insufficient_stock: 'There is not that much at this location on the server’s count; the change was not made.',
  part_number_taken: 'Another part in the catalogue has that number.',
  same_location: 'A transfer goes to another location than the one it leaves; nothing was sent.',
  already_received: 'Someone received this transfer already; this receipt was not recorded.',
  over_receipt: 'That is more than was sent or is still to come; the receipt was not recorded.',
};

/** What a waiting write does, in words. */
export function describeStockWrite(write: PendingWrite): string {
  switch (write.name) {
    case RECEIVE_STOCK:
      return 'Receipt';
    case ADJUST_STOCK:
      return 'Adjustment';
    case ISSUE_PART:
      return 'Used on a work order';
    case TRANSFER_STOCK:
      return 'Sent to another location';
    case RECEIVE_TRANSFER:
      return 'Transfer received';
    case RECEIVE_PURCHASE_ORDER:
      return 'Received on a purchase order';
    case SET_STOCK_RULE:
      return 'Stock rule';
    case CREATE_STOCK_LOCATION:
      return 'New location';
    case CREATE_PART:
      return 'New part';
    case UPDATE_PART:
      return 'Part edited';
    default:
      return write.name;
  }
}

/** A refused write's reason, with what it means for stock, and its Dismiss button. */
export function Refusal({ write }: { write: PendingWrite }) {
  return <SharedRefusal write={write} meanings={REFUSAL} />;
}

/** Stock writes not yet accepted, as a short list, refusals with their reason. */
export function PendingWrites({ writes, label }: { writes: readonly PendingWrite[]; label?: string }) {
  return <SharedPendingWrites writes={writes} describe={describeStockWrite} meanings={REFUSAL} label={label} />;
}

/** The "Critical spare" and "Low" marks. */
export function PartMarks({ critical, low }: { critical: boolean; low: boolean }) {
  if (!critical && !low) return null;
  return (
    <span className="stock-marks">
      {low ? <span className="stock-mark stock-mark--low">Low</span> : null}
      {critical ? <span className="stock-mark stock-mark--critical">Critical spare</span> : null}
    </span>
  );
}

/** "HF-6553 Oil filter", the number set apart. */
export function PartName({ part }: { part: Pick<PartItem, 'number' | 'name'> }) {
  return (
    <>
      <span className="stock-part-number">{part.number}</span> {part.name}
    </>
  );
}

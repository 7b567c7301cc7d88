/**
 * The "Receive" form of a purchase order, checked as the server checks a receipt before it is
 * queued (`receive` in crates/app/src/purchasing/orders.rs): each line's quantity prefilled with
 * what is still to come; a line left at 0 (or empty) is not received; at least one line above 0;
 * at most 3 decimals; never more than is outstanding on this device's count (`over_receipt`);
 * and an unlisted part (no catalogue part) cannot go into a stock location, only straight to the
 * job (`not_in_catalogue`). The args are `receive_purchase_order.v1`'s, with a client-made id
 * for the receipt and for each stock ledger entry it makes.
 */
import type { JsonValue } from '../../../sync/checksum';
import { checkQuantity, formatQuantity, ZERO } from '../../../components/quantity';
import type { OrderLine } from './purchasing';

/** Where the goods go: a stock location's id, or '' for straight to the job. */
export const STRAIGHT_TO_JOB = '';

/** The form's values: the destination and each line's quantity as typed, by line id. */
export interface ReceiveValues {
  locationId: string;
  quantities: Record<string, string>;
  note: string;
}

/** The form's first values: straight to the job unless a location is given, each line's outstanding quantity. */
export function receiveDefaults(lines: readonly OrderLine[], locationId: string = STRAIGHT_TO_JOB): ReceiveValues {
  return {
    locationId,
    quantities: Object.fromEntries(lines.filter((l) => l.outstanding > ZERO).map((l) => [l.id, formatQuantity(l.outstanding)])),
    note: '',
  };
}

/** The receipt checked: its lines for the outbox, or what is wrong (per line id, and for the whole). */
export type CheckedReceipt =
  | { ok: true; lines: { line_id: string; quantity: string }[]; count: number }
  | { ok: false; lineErrors: Record<string, string>; formError: string | null };

/** Checks the form against the order's lines. */
export function checkReceipt(lines: readonly OrderLine[], values: ReceiveValues): CheckedReceipt {
  const lineErrors: Record<string, string> = {};
  const out: { line_id: string; quantity: string }[] = [];
  for (const line of lines) {
    const typed = (values.quantities[line.id] ?? '').trim();
    if (typed === '' || /^0*(\.0*)?$/.test(typed)) continue;
    const checked = checkQuantity(typed, 'positive', 'Enter the quantity that arrived.');
    if (!checked.ok) {
      lineErrors[line.id] = checked.message;
      continue;
    }
    if (checked.quantity > line.outstanding) {
      lineErrors[line.id] =
        line.outstanding === ZERO
          ? 'Everything ordered on this line has arrived.'
          : `At most the ${formatQuantity(line.outstanding)} ${line.unit} still to come.`;
      continue;
    }
    if (values.locationId !== STRAIGHT_TO_JOB && line.partId === null) {
      lineErrors[line.id] = 'Not a catalogue part, so it cannot go into a stock location: receive it straight to the job.';
      continue;
    }
    out.push({ line_id: line.id, quantity: checked.text });
  }
  if (Object.keys(lineErrors).length > 0) return { ok: false, lineErrors, formError: null };
  if (out.length === 0) return { ok: false, lineErrors, formError: 'Enter the quantity that arrived on at least one line.' };
  return { ok: true, lines: out, count: out.length };
}

/**
 * The `receive_purchase_order.v1` args: the receipt's id, the location (absent: straight to the
 * job) and, into a location, each line's ledger entry id (`newId` makes them), so a receipt sent
 * again is the same receipt and its stock counts once.
 */
export function receiveArgs(
  orderId: string,
  receiptId: string,
  values: ReceiveValues,
  lines: readonly { line_id: string; quantity: string }[],
  newId: () => string,
): Record<string, JsonValue> {
  const intoStock = values.locationId !== STRAIGHT_TO_JOB;
  const note = values.note.trim();
  return {
    id: receiptId,
    purchase_order_id: orderId,
    ...(intoStock ? { location_id: values.locationId } : {}),
    lines: lines.map((l) => (intoStock ? { ...l, entry_id: newId() } : { ...l })),
    ...(note === '' ? {} : { note }),
  };
}

/**
 * The "Request a part" form, checked as the server checks a requisition before it is queued
 * (`raise` in crates/app/src/purchasing/mod.rs): a catalogue part, or an unlisted one named
 * (1–200 characters, its number up to 80, its unit up to 20, `pcs` when left empty); a quantity
 * above 0 with at most 3 decimals; a note up to 1,000 characters; and a supplier price only from
 * roles that read supplier prices (the form shows it to them alone), at most 1,000,000,000 minor
 * units in the supplier's currency. Written as `raise_requisition.v1`'s args, the quantity as
 * decimal text ("2.5").
 */
import { z } from 'zod';

import type { JsonValue } from '../../../sync/checksum';
import { quantityText } from '../../../components/quantity';
import { parseMoney } from './prices';

/** The part choice meaning "not in the catalogue". */
export const UNLISTED = 'unlisted';

/** The form's fields; `currency` is the chosen supplier's (the price's). */
export function requisitionSchema(currency: string | null) {
  return z
    .object({
      part_id: z.string().min(1, 'Choose a part, or “Not in the catalogue”.'),
      part_name: z.string().max(200, 'At most 200 characters.'),
      part_number: z.string().max(80, 'At most 80 characters.'),
      unit: z.string().max(20, 'At most 20 characters.'),
      quantity: quantityText('positive', 'Enter how many.'),
      needed_by: z.string(),
      note: z.string().max(1000, 'At most 1,000 characters.'),
      supplier_id: z.string(),
      unit_price: z.string(),
    })
    .superRefine((v, ctx) => {
      if (v.part_id === UNLISTED && v.part_name.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['part_name'], message: 'Name the part.' });
      }
      if (v.unit_price.trim() !== '') {
        if (v.supplier_id === '' || currency === null) {
          ctx.addIssue({ code: 'custom', path: ['supplier_id'], message: 'Choose the supplier the price is from.' });
        } else if (parseMoney(v.unit_price, currency) === null) {
          ctx.addIssue({ code: 'custom', path: ['unit_price'], message: 'Enter a price of 0 or more, e.g. 12.50.' });
        }
      }
    });
}

/** The form's values once checked. */
export type RequisitionValues = z.output<ReturnType<typeof requisitionSchema>>;

const optional = (key: string, text: string): Record<string, JsonValue> => (text.trim() === '' ? {} : { [key]: text.trim() });

/** The `raise_requisition.v1` args. */
export function requisitionArgs(
  id: string,
  vesselId: string,
  v: RequisitionValues,
  links: { faultId: string | null; workOrderId: string | null },
  currency: string | null,
): Record<string, JsonValue> {
  const part: Record<string, JsonValue> =
    v.part_id === UNLISTED
      ? { part_name: v.part_name.trim(), ...optional('part_number', v.part_number), ...optional('unit', v.unit) }
      : { part_id: v.part_id };
  const price = v.unit_price.trim() === '' || currency === null ? null : parseMoney(v.unit_price, currency);
  return {
    id,
    vessel_id: vesselId,
    ...part,
    quantity: v.quantity,
    ...(links.faultId ? { fault_id: links.faultId } : {}),
    ...(links.workOrderId ? { work_order_id: links.workOrderId } : {}),
    ...optional('supplier_id', v.supplier_id),
    ...(price === null || currency === null ? {} : { supplier_unit_price_minor: price, currency }),
    ...optional('needed_by', v.needed_by),
    ...optional('note', v.note),
  };
}

/**
 * The supplier form, checked as the server checks a supplier (`SupplierDraft::check` in
 * crates/app/src/purchasing/mod.rs): a name of 1–200 characters not held by another supplier
 * (case and spacing aside: `supplier_name_taken`), contact up to 200, an e-mail address with an
 * `@` up to 200, a telephone up to 50, a postal address of several lines up to 500, and an
 * ISO 4217 currency. Written as `create_supplier.v1` or `update_supplier.v1`'s args.
 */
import { z } from 'zod';

import type { JsonValue } from '../../../sync/checksum';
import { supplierNameKey, type Supplier } from './purchasing';

/** The form's fields; `others` are the suppliers whose names are taken. */
export function supplierSchema(others: readonly Pick<Supplier, 'name'>[]) {
  const taken = new Set(others.map((s) => supplierNameKey(s.name)));
  return z.object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter the supplier’s name.')
      .max(200, 'At most 200 characters.')
      .refine((n) => !taken.has(supplierNameKey(n)), 'Another supplier already has that name.'),
    contact: z.string().trim().max(200, 'At most 200 characters.'),
    email: z
      .string()
      .trim()
      .max(200, 'At most 200 characters.')
      .refine((e) => e === '' || /^[^\s@]*@[^\s]*$/.test(e), 'An e-mail address has an @, e.g. orders@example.com.'),
    phone: z.string().trim().max(50, 'At most 50 characters.'),
    address: z.string().max(500, 'At most 500 characters.'),
    currency: z
      .string()
      .trim()
      .transform((c) => c.toUpperCase())
      .refine((c) => /^[A-Z]{3}$/.test(c), 'Three letters, e.g. EUR.'),
  });
}

/** The form's values once checked. */
export type SupplierValues = z.output<ReturnType<typeof supplierSchema>>;

/** The fields both mutators take: blanks left out (none). */
export function supplierFields(v: SupplierValues): Record<string, JsonValue> {
  const address = v.address.replace(/\r\n/g, '\n').trim();
  return {
    name: v.name,
    ...(v.contact === '' ? {} : { contact: v.contact }),
    ...(v.email === '' ? {} : { email: v.email }),
    ...(v.phone === '' ? {} : { phone: v.phone }),
    ...(address === '' ? {} : { address }),
    currency: v.currency,
  };
}

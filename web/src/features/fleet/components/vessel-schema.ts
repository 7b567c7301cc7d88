/**
 * A vessel's fields checked as the server checks them (`NewVesselBody`, `ImoNumber::parse`):
 * a name of 1–120 characters, a type of up to 80, and for ships only an IMO number of seven
 * digits (optionally after "IMO") whose check digit is right.
 */
import { z } from 'zod';

// eslint-disable-next-line no-control-regex -- the rule is exactly "no control characters"
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether `text` is an IMO number: seven digits, the last the check digit of the first six. */
export function isImoNumber(text: string): boolean {
  const t = text.trim();
  const digits = (t.startsWith('IMO') || t.startsWith('imo') ? t.slice(3) : t).trim();
  if (!/^[0-9]{7}$/.test(digits)) return false;
  const d = Array.from({ length: 7 }, (_, i) => Number(digits.charAt(i)));
  const sum = d.slice(0, 6).reduce((acc, x, i) => acc + x * (7 - i), 0);
  return sum % 10 === d[6];
}

/** The form's rules. */
export const vesselSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter the name')
      .max(120, 'At most 120 characters')
      .refine((v) => !CONTROL.test(v), 'No control characters'),
    kind: z.enum(['vessel', 'site', 'project']),
    vesselType: z
      .string()
      .trim()
      .max(80, 'At most 80 characters')
      .refine((v) => !CONTROL.test(v), 'No control characters'),
    imo: z.string().trim(),
  })
  .superRefine((value, ctx) => {
    if (value.imo === '') return;
    if (value.kind !== 'vessel') {
      ctx.addIssue({ code: 'custom', path: ['imo'], message: 'Only ships have an IMO number' });
    } else if (!isImoNumber(value.imo)) {
      ctx.addIssue({ code: 'custom', path: ['imo'], message: 'Seven digits, the last one the check digit (e.g. 9074729)' });
    }
  });

/** The form's values. */
export type VesselValues = z.infer<typeof vesselSchema>;

/** Where the server's field names land on the form. */
export const VESSEL_SERVER_FIELDS = { name: 'name', kind: 'kind', vessel_type: 'vesselType', imo: 'imo' } as const;

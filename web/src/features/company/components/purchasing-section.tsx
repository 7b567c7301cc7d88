/**
 * The company's purchasing settings (owners and admins): the markup put on supplier prices of
 * parts, and whether a stock movement may leave a location below zero. The form checks what the
 * server checks (0–1,000 percent, at most two decimals) before sending anything.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { TextField } from '../../../components/form-field';
import { ProblemAlert } from '../../../components/problem-alert';
import { useAction } from '../../../components/use-action';
import { useSession, useSignedInUser } from '../../../session/session-context';
import { updatePurchasing } from '../api/company';

/** The server's rules for the purchasing settings. */
export const purchasingSchema = z.object({
  markup: z
    .string()
    .trim()
    .min(1, 'Enter the markup in percent')
    .regex(/^\d+(\.\d+)?$/, 'A number like 20 or 12.5')
    .refine((v) => !/\.\d{3,}$/.test(v), 'At most two decimals')
    .refine((v) => Number(v) <= 1000, 'At most 1,000 %'),
  negativeStock: z.enum(['refuse', 'allow']),
});

type PurchasingValues = z.infer<typeof purchasingSchema>;

const CHOICES = [
  { value: 'refuse', label: 'Refuse', hint: 'A movement that would leave less than nothing is refused.' },
  { value: 'allow', label: 'Allow', hint: 'Recorded; the stock shows negative until a count sets it right.' },
] as const;

const FIELD_LABELS = { parts_markup_percent: 'Markup on parts', negative_stock: 'Stock below zero' };

/** The section. */
export function PurchasingSection() {
  const id = useId();
  const user = useSignedInUser();
  const { updateCompany } = useSession();
  const company = user.company;
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useAction(updatePurchasing, 'Could not save the purchasing settings');
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<PurchasingValues>({
    resolver: zodResolver(purchasingSchema),
    defaultValues: {
      markup: company.parts_markup_percent == null ? '' : String(company.parts_markup_percent),
      negativeStock: company.negative_stock,
    },
  });

  const submit = handleSubmit(async (values) => {
    setSaved(false);
    const outcome = await run(company.id, {
      parts_markup_percent: Number(values.markup),
      negative_stock: values.negativeStock,
    });
    if (outcome.ok) {
      updateCompany(outcome.value);
      setSaved(true);
    }
  });

  return (
    <section className="card company__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Purchasing
      </h2>
      <form aria-labelledby={`${id}-title`} noValidate onSubmit={(e) => void submit(e)}>
        <TextField
          label="Markup on parts (%)"
          hint="0 to 1,000, at most two decimals; 20 adds a fifth to the supplier’s price. New prices use the new markup; what was priced keeps its own."
          error={errors.markup?.message}
          registration={register('markup')}
          inputMode="decimal"
          autoComplete="off"
        />
        <fieldset className="field">
          <legend>Stock below zero</legend>
          {CHOICES.map((choice) => (
            <div key={choice.value} className="purchasing-choice">
              <div className="checkbox checkbox--setting">
                <input
                  id={`${id}-${choice.value}`}
                  type="radio"
                  value={choice.value}
                  aria-describedby={`${id}-${choice.value}-hint`}
                  {...register('negativeStock')}
                />
                <label htmlFor={`${id}-${choice.value}`}>{choice.label}</label>
              </div>
              <p id={`${id}-${choice.value}-hint`} className="field__hint">
                {choice.hint}
              </p>
            </div>
          ))}
        </fieldset>
        {error ? <ProblemAlert error={error} fieldLabels={FIELD_LABELS} /> : null}
        {saved ? (
          <p className="notice notice--success" role="status">
            Purchasing settings saved.
          </p>
        ) : null}
        <button className="button button--primary" type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save purchasing'}
        </button>
      </form>
    </section>
  );
}

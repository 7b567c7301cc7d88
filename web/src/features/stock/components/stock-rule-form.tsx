/**
 * A part's stock rule on a vessel: the minimum to keep on board (below it the part is "Low") and
 * the quantity to reorder; a minimum of 0 is no rule. The roles that write the catalogue set it
 * (`set_stock_rule.v1`, on the rule's version when there is one); everyone reads it.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import { FieldFrame } from '../../../components/form-field';
import { useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import { formatQuantity, quantityText } from '../../../components/quantity';
import { hasRule, SET_STOCK_RULE, type StockRule } from '../../../components/stock-levels';
import { PendingWrites, withUnit } from './stock-labels';

export const ruleSchema = z.object({
  minimum: quantityText('nonnegative', 'Enter the minimum to keep on board (0 for none).'),
  reorder: quantityText('nonnegative', 'Enter the quantity to reorder (0 if none).'),
});
type RuleForm = z.input<typeof ruleSchema>;
type Rule = z.output<typeof ruleSchema>;

/** The section of the part's page. */
export function StockRuleSection({
  vesselId,
  partId,
  unit,
  rule,
}: {
  vesselId: string;
  partId: string;
  unit: string;
  rule: StockRule | null;
}) {
  const user = useSignedInUser();
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Stock rule
      </h2>
      <p>
        {hasRule(rule)
          ? `Keep at least ${withUnit(rule.minimum, unit)} on board; reorder ${withUnit(rule.reorder, unit)} at a time.`
          : 'No minimum is set for this part on this vessel.'}
      </p>
      <PendingWrites writes={rule?.pending ?? []} label="Rule changes not yet accepted" />
      {may(user.role, 'catalogue.write') ? <RuleForm vesselId={vesselId} partId={partId} unit={unit} rule={rule} /> : null}
    </section>
  );
}

function RuleForm({ vesselId, partId, unit, rule }: { vesselId: string; partId: string; unit: string; rule: StockRule | null }) {
  const enqueue = useEnqueue();
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<RuleForm, unknown, Rule>({
    resolver: zodResolver(ruleSchema),
    defaultValues: { minimum: rule ? formatQuantity(rule.minimum) : '', reorder: rule ? formatQuantity(rule.reorder) : '' },
  });
  const errors = formState.errors;
  const submit = handleSubmit(async ({ minimum, reorder }) => {
    setFailure(null);
    setSaved(false);
    try {
      await enqueue(SET_STOCK_RULE, { vessel_id: vesselId, part_id: partId, minimum, reorder }, rule?.version ?? null);
      setSaved(true);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The rule could not be kept on this device.');
    }
  });
  return (
    <form className="stock-form" aria-label="Set the stock rule" noValidate onSubmit={(e) => void submit(e)}>
      {saved ? (
        <p className="notice notice--success" role="status">
          Rule saved. It is kept on this device and sent as soon as there is a connection.
        </p>
      ) : null}
      <FieldFrame label={`Minimum on board (${unit})`} hint="Below it the part shows as Low; 0 for no minimum." error={errors.minimum?.message}>
        {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('minimum')} />}
      </FieldFrame>
      <FieldFrame label={`Reorder quantity (${unit})`} error={errors.reorder?.message}>
        {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('reorder')} />}
      </FieldFrame>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Save rule
      </button>
    </form>
  );
}

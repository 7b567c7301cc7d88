/**
 * The fields a work order has whether new or edited — title, description, priority, due day,
 * estimate in hours, who does it (the item's vessel's people and departments) and whether
 * completion needs a signature — as the new work order form and the edit show them, over any
 * form holding `EditFields` (`work-order-form.ts` checks them).
 */
import type { FieldErrors, UseFormRegister } from 'react-hook-form';

import { AssigneePicker } from '../../../components/assignee-picker';
import { FieldFrame } from '../../../components/form-field';
import { PRIORITIES } from '../api/work-orders';
import type { EditFields } from './work-order-form';
import { PRIORITY_LABEL } from './work-order-labels';

/** The fields, over a form of fields `T` (the new work order's or the edit's). */
export function WorkOrderFieldInputs<T extends EditFields>(props: { vesselId: string | null; register: UseFormRegister<T>; errors: FieldErrors<T> }) {
  // Only the fields of `EditFields` are registered, which every `T` has with these types.
  const register = props.register as unknown as UseFormRegister<EditFields>;
  const errors = props.errors as FieldErrors<EditFields>;
  return (
    <>
      <FieldFrame label="Title" hint="What is to be done, in a few words." error={errors.title?.message}>
        {(ids) => <input {...ids} autoComplete="off" {...register('title')} />}
      </FieldFrame>
      <FieldFrame label="Description (optional)" hint="How to do it, what to watch for, what to bring." error={errors.description?.message}>
        {(ids) => <textarea {...ids} rows={4} {...register('description')} />}
      </FieldFrame>
      <FieldFrame label="Priority" error={errors.priority?.message}>
        {(ids) => (
          <select {...ids} {...register('priority')}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABEL[p]}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <div className="wo-pair wo-pair--roomy">
        <FieldFrame label="Due (optional)" error={errors.due_on?.message}>
          {(ids) => <input {...ids} type="date" {...register('due_on')} />}
        </FieldFrame>
        <FieldFrame label="Estimate in hours (optional)" hint="e.g. 1.5" error={errors.estimate?.message}>
          {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('estimate')} />}
        </FieldFrame>
      </div>
      <AssigneePicker vesselId={props.vesselId} register={register} error={errors.assignees?.message} />
      <label className="checkbox">
        <input type="checkbox" {...register('signature_required')} /> Completion needs a signature
      </label>
    </>
  );
}

/**
 * A checklist being written (a new work order's, a maintenance plan's): steps added, removed and moved up or down, each with its
 * title, kind (pass/fail, measured number, meter reading, text, choice, photo, signature),
 * whether it is required, the kind's settings (a number's limits and unit; a choice's options,
 * each marked when choosing it fails the step) and, for a step that can fail, what a failure
 * opens (a fault of a severity, or a follow-up work order of a priority). The rules they are
 * checked with, and how they are sent, are `checklist-steps.ts`'s. It edits the `steps` of any
 * form that has them (`ChecklistForm`).
 */
import './checklist-builder.css';
import { useId } from 'react';
import { useFieldArray, useWatch, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';

import {
  blankStep,
  canFail,
  MAX_OPTIONS,
  MAX_STEPS,
  PRIORITIES,
  PRIORITY_LABEL,
  SEVERITIES,
  SEVERITY_LABEL,
  STEP_KIND_LABEL,
  STEP_KINDS,
  type ChecklistForm,
  type Priority,
  type Severity,
  type StepFields,
} from './checklist-steps';
import { FieldFrame } from './form-field';

type WorkOrderFields = ChecklistForm;

/** The builder, over the `steps` of a form of fields `T`. */
export function StepBuilder<T extends ChecklistForm>(props: {
  control: Control<T>;
  register: UseFormRegister<T>;
  errors: FieldErrors<ChecklistForm>['steps'];
}) {
  // The builder touches only `steps`, which every `T` has with this type: react-hook-form's
  // types cannot say so, hence the narrowing.
  const control = props.control as unknown as Control<ChecklistForm>;
  const register = props.register as unknown as UseFormRegister<ChecklistForm>;
  const errors = props.errors;
  const titleId = useId();
  const { fields, append, remove, swap } = useFieldArray({ control, name: 'steps', keyName: 'key' });
  return (
    <section className="wo-builder" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__subtitle">
        Checklist (optional)
      </h2>
      {fields.length === 0 ? <p className="field__hint">No steps yet: the description then says what to do. Add steps to check and record as the work goes.</p> : null}
      <ol className="wo-builder__steps">
        {fields.map((field, index) => (
          <li key={field.key}>
            <StepEditor
              index={index}
              count={fields.length}
              control={control}
              register={register}
              errors={errors?.[index]}
              onMove={(to) => {
                swap(index, to);
              }}
              onRemove={() => {
                remove(index);
              }}
            />
          </li>
        ))}
      </ol>
      {errors?.root?.message ?? errors?.message ? <p className="field__error">{errors.root?.message ?? errors.message}</p> : null}
      <button
        className="button"
        type="button"
        disabled={fields.length >= MAX_STEPS}
        onClick={() => {
          append(blankStep());
        }}
      >
        Add a step
      </button>
    </section>
  );
}

function StepEditor({
  index,
  count,
  control,
  register,
  errors,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  control: Control<WorkOrderFields>;
  register: UseFormRegister<WorkOrderFields>;
  errors: FieldErrors<StepFields> | undefined;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const [kind, rule, options] = useWatch({ control, name: [`steps.${index}.kind`, `steps.${index}.rule`, `steps.${index}.options`] });
  const number = index + 1;
  const failable = canFail(kind);
  return (
    <fieldset className="wo-step-editor">
      <legend>Step {number}</legend>
      <FieldFrame label="What to do or check" error={errors?.title?.message}>
        {(ids) => <input {...ids} autoComplete="off" {...register(`steps.${index}.title`)} />}
      </FieldFrame>
      <FieldFrame label="Answer" error={errors?.kind?.message}>
        {(ids) => (
          <select {...ids} {...register(`steps.${index}.kind`)}>
            {STEP_KINDS.map((k) => (
              <option key={k} value={k}>
                {STEP_KIND_LABEL[k]}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <label className="checkbox">
        <input type="checkbox" {...register(`steps.${index}.required`)} /> Required to complete the work order
      </label>
      {kind === 'number' ? (
        <div className="wo-limits">
          <FieldFrame label="Lower limit (optional)" error={errors?.min?.message}>
            {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register(`steps.${index}.min`)} />}
          </FieldFrame>
          <FieldFrame label="Upper limit (optional)" error={errors?.max?.message}>
            {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register(`steps.${index}.max`)} />}
          </FieldFrame>
          <FieldFrame label="Unit" error={errors?.unit?.message}>
            {(ids) => <input {...ids} autoComplete="off" autoCapitalize="none" {...register(`steps.${index}.unit`)} />}
          </FieldFrame>
        </div>
      ) : null}
      {kind === 'choice' ? <OptionsEditor index={index} control={control} register={register} errors={errors} /> : null}
      {failable ? (
        <>
          <FieldFrame label="If it fails" error={errors?.rule?.message}>
            {(ids) => (
              <select {...ids} {...register(`steps.${index}.rule`)}>
                <option value="none">Nothing more</option>
                <option value="open_fault">Report a fault on the item</option>
                <option value="follow_up_work_order">Open a follow-up work order</option>
              </select>
            )}
          </FieldFrame>
          {rule === 'open_fault' ? (
            <FieldFrame label="Severity of the fault">
              {(ids) => (
                <select {...ids} {...register(`steps.${index}.severity`)}>
                  {SEVERITIES.map((s: Severity) => (
                    <option key={s} value={s}>
                      {SEVERITY_LABEL[s]}
                    </option>
                  ))}
                </select>
              )}
            </FieldFrame>
          ) : null}
          {rule === 'follow_up_work_order' ? (
            <FieldFrame label="Priority of the follow-up">
              {(ids) => (
                <select {...ids} {...register(`steps.${index}.rulePriority`)}>
                  {PRIORITIES.map((p: Priority) => (
                    <option key={p} value={p}>
                      {PRIORITY_LABEL[p]}
                    </option>
                  ))}
                </select>
              )}
            </FieldFrame>
          ) : null}
          {kind === 'choice' && rule !== 'none' && !options.some((o) => o.fails) ? (
            <p className="field__hint">Mark at least one option as failing the step.</p>
          ) : null}
        </>
      ) : null}
      <div className="button-row wo-step-editor__moves">
        <button className="button" type="button" disabled={index === 0} onClick={() => { onMove(index - 1); }}>
          Move up<span className="visually-hidden"> step {number}</span>
        </button>
        <button className="button" type="button" disabled={index === count - 1} onClick={() => { onMove(index + 1); }}>
          Move down<span className="visually-hidden"> step {number}</span>
        </button>
        <button className="button button--danger" type="button" onClick={onRemove}>
          Remove<span className="visually-hidden"> step {number}</span>
        </button>
      </div>
    </fieldset>
  );
}

function OptionsEditor({
  index,
  control,
  register,
  errors,
}: {
  index: number;
  control: Control<WorkOrderFields>;
  register: UseFormRegister<WorkOrderFields>;
  errors: FieldErrors<StepFields> | undefined;
}) {
  const { fields, append, remove } = useFieldArray({ control, name: `steps.${index}.options`, keyName: 'key' });
  return (
    <div className="wo-options" role="group" aria-label={`Options of step ${index + 1}`}>
      {fields.map((field, o) => (
        <div key={field.key} className="wo-option">
          <FieldFrame label={`Option ${o + 1}`} error={errors?.options?.[o]?.label?.message}>
            {(ids) => <input {...ids} autoComplete="off" {...register(`steps.${index}.options.${o}.label`)} />}
          </FieldFrame>
          <label className="checkbox">
            <input type="checkbox" {...register(`steps.${index}.options.${o}.fails`)} /> Choosing it fails the step
          </label>
          {fields.length > 2 ? (
            <button className="link-button" type="button" onClick={() => { remove(o); }}>
              Remove option {o + 1}
            </button>
          ) : null}
        </div>
      ))}
      {errors?.options?.message ?? errors?.options?.root?.message ? (
        <p className="field__error">{errors.options.message ?? errors.options.root?.message}</p>
      ) : null}
      <button className="button" type="button" disabled={fields.length >= MAX_OPTIONS} onClick={() => { append({ label: '', fails: false }); }}>
        Add an option
      </button>
    </div>
  );
}

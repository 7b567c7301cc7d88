/**
 * `/vessels/:id/maintenance/new` and `/maintenance-plans/:id/edit` (`plan.write` roles): a
 * maintenance plan's form — the item (the vessel's equipment; fixed once the plan exists), title,
 * description, priority, its criteria (one to three rows, by the calendar or by running hours, at
 * most one by hours, each with its early and late tolerance), the start day, the start hours
 * (asked for when a criterion counts hours, filled in with the item's hours now), lead days (14
 * to start with), the checklist (the work orders' step builder), signature, estimate and who does
 * it (the work orders' assignee picker); "Start from a procedure" copies one of the company's
 * procedures' steps into the checklist with new ids (`components/procedure-picker.tsx`). Checked on the device as the server checks it
 * (`plan-form.ts`), queued as `create_maintenance_plan.v1` with a client-made UUIDv7, or
 * `update_maintenance_plan.v1`; the plan's page then opens, the plan shown at once "on this
 * device". The writes not yet accepted show with their refusals.
 *
 * An edit's base version is the plan's replica version as it was when the form was filled, kept
 * with the values it was filled from (as the work order edit keeps it): the server takes a field
 * whose value is still the one at that base as untouched, so a change synced in while the form
 * was open is never overwritten by the older copy the form holds.
 */
import '../../../components/maintenance.css';
import './plans.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useFieldArray, useForm, useWatch, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';

import { AssigneePicker } from '../../../components/assignee-picker';
import { PRIORITIES, PRIORITY_LABEL } from '../../../components/checklist-steps';
import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue, usePendingWrites } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { ProcedurePicker } from '../../../components/procedure-picker';
import { useVesselRunningHours } from '../../../components/running-hours';
import { StepBuilder } from '../../../components/step-builder';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { formatPlanHours } from '../api/criteria';
import { localToday } from '../api/due-state';
import { CREATE_MAINTENANCE_PLAN, UPDATE_MAINTENANCE_PLAN, usePlan, type PlanItem } from '../api/plans';
import { useVesselItems, type PlanItemChoice } from '../api/vessel-work';
import { PendingWrites } from './plan-labels';
import {
  blankCriterion,
  createPlanArgs,
  MAX_CRITERIA,
  newPlanFields,
  planFieldsOf,
  planSchema,
  updatePlanArgs,
  type CriterionFields,
  type PlanFields,
} from './plan-form';

/** `/vessels/:id/maintenance/new`: a new plan on the vessel (`?equipment=` chooses the item). */
export function NewPlanPage() {
  const { id = '' } = useParams();
  return <NewPlan vesselId={id.toLowerCase()} />;
}

/** `/maintenance-plans/:id/edit`: a plan's edit. */
export function EditPlanPage() {
  const { id = '' } = useParams();
  return <EditPlan planId={id} />;
}

function Frame({ title, back, children }: { title: string; back: { to: string; label: string }; children: ReactNode }) {
  useDocumentTitle(title);
  const titleId = useId();
  return (
    <article className="plan" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        {title}
      </h1>
      {children}
    </article>
  );
}

const notYours = <p className="notice">Your role does not plan maintenance: an engineer, a manager or an admin does.</p>;
const loading = (
  <p className="notice" role="status">
    Loading…
  </p>
);

function NewPlan({ vesselId }: { vesselId: string }) {
  const [params] = useSearchParams();
  const user = useSignedInUser();
  const items = useVesselItems(vesselId);
  const hours = useVesselRunningHours(vesselId);
  const writes = usePendingWrites();
  const back = { to: `/vessels/${encodeURIComponent(vesselId)}/maintenance`, label: 'All plans on the vessel' };
  const waiting = (writes ?? []).filter((w) => w.name === CREATE_MAINTENANCE_PLAN);
  let body;
  if (!may(user.role, 'plan.write')) body = notYours;
  else if (items === undefined || hours === undefined) body = loading;
  else {
    const wanted = params.get('equipment')?.toLowerCase() ?? '';
    body = (
      <>
        <PendingWrites writes={waiting} label="Plans created here not yet accepted" />
        <PlanForm vesselId={vesselId} items={items} hours={hours} plan={null} baseVersion={null} defaults={newPlanFields(items.has(wanted) ? wanted : '', localToday())} />
      </>
    );
  }
  return (
    <Frame title="New maintenance plan" back={back}>
      {body}
    </Frame>
  );
}

function EditPlan({ planId }: { planId: string }) {
  const user = useSignedInUser();
  const plan = usePlan(planId);
  const back = { to: `/maintenance-plans/${encodeURIComponent(planId)}`, label: 'Back to the plan' };
  let body;
  if (!may(user.role, 'plan.write')) body = notYours;
  else if (plan === undefined) body = loading;
  else if (plan === null) body = <p className="notice">That plan is not on this device: it may be on a vessel you are not assigned to, or not synced yet.</p>;
  else body = <EditPlanForm key={plan.id} plan={plan} />;
  return (
    <Frame title="Edit maintenance plan" back={back}>
      {body}
    </Frame>
  );
}

/** The edit once the plan is known, so its vessel's items and hours are read from the start. */
function EditPlanForm({ plan }: { plan: PlanItem }) {
  const items = useVesselItems(plan.vesselId);
  const hours = useVesselRunningHours(plan.vesselId ?? '');
  // The form starts from the plan as it was when opened, and its version with it: a sync
  // meanwhile resets neither (see the module's note).
  const [opened] = useState(() => ({ fields: planFieldsOf(plan), version: plan.version }));
  if (items === undefined || hours === undefined) return loading;
  return (
    <>
      <PendingWrites writes={plan.pending} />
      <PlanForm vesselId={plan.vesselId} items={items} hours={hours} plan={plan} baseVersion={opened.version} defaults={opened.fields} />
    </>
  );
}

function PlanForm({
  vesselId,
  items,
  hours,
  plan,
  baseVersion,
  defaults,
}: {
  vesselId: string | null;
  items: Map<string, PlanItemChoice>;
  hours: Map<string, number>;
  plan: PlanItem | null;
  /** An edit's base version: the plan's when the form opened (null for a new plan). */
  baseVersion: number | null;
  defaults: PlanFields;
}) {
  const enqueue = useEnqueue();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, control, setValue, getValues } = useForm<PlanFields>({
    resolver: zodResolver(planSchema),
    defaultValues: defaults,
  });
  const errors = formState.errors;
  const [equipmentId, criteria, steps] = useWatch({ control, name: ['equipment_id', 'criteria', 'steps'] });
  const byHours = criteria.some((c) => c.kind === 'running_hours');
  const hoursNow = hours.get(equipmentId) ?? null;

  // A plan counting hours starts from the item's hours now, unless the person gave others.
  useEffect(() => {
    if (byHours && hoursNow !== null && getValues('start_hours').trim() === '') setValue('start_hours', String(hoursNow));
  }, [byHours, hoursNow, getValues, setValue]);

  const submit = handleSubmit(async (values) => {
    setFailure(null);
    const id = plan?.id ?? newRowId();
    try {
      if (plan) await enqueue(UPDATE_MAINTENANCE_PLAN, updatePlanArgs(plan.id, values), baseVersion);
      else await enqueue(CREATE_MAINTENANCE_PLAN, createPlanArgs(id, values), null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The plan could not be kept on this device.');
      return;
    }
    await navigate(`/maintenance-plans/${encodeURIComponent(id)}`);
  });

  const choices = [...items.values()].filter((i) => !i.decommissioned || i.id === equipmentId);
  return (
    <form className="card plan-form" aria-label={plan ? 'Edit maintenance plan' : 'New maintenance plan'} noValidate onSubmit={(e) => void submit(e)}>
      {plan ? (
        <p>
          <strong>Item:</strong> {items.get(plan.equipmentId)?.name ?? 'An item not yet on this device'}
        </p>
      ) : (
        <FieldFrame label="Item" error={errors.equipment_id?.message} hint={choices.length === 0 ? 'No equipment on this vessel on this device yet.' : undefined}>
          {(ids) => (
            <select {...ids} {...register('equipment_id')}>
              <option value="">Choose the item</option>
              {choices.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
      )}
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
      <CriteriaBuilder control={control} register={register} errors={errors} />
      <div className="plan-pair">
        <FieldFrame label="Starts on" error={errors.starts_on?.message}>
          {(ids) => <input {...ids} type="date" {...register('starts_on')} />}
        </FieldFrame>
        <FieldFrame label="Lead days" hint="The work order is raised this many days ahead." error={errors.lead_days?.message}>
          {(ids) => <input {...ids} inputMode="numeric" autoComplete="off" {...register('lead_days')} />}
        </FieldFrame>
      </div>
      {byHours ? (
        <FieldFrame
          label="Start hours"
          hint={hoursNow === null ? 'The item’s running hours the schedule counts from (no reading on this device yet).' : `The item’s running hours the schedule counts from; it reads ${formatPlanHours(hoursNow)} now.`}
          error={errors.start_hours?.message}
        >
          {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('start_hours')} />}
        </FieldFrame>
      ) : null}
      <FieldFrame label="Estimate in hours (optional)" hint="e.g. 1.5" error={errors.estimate?.message}>
        {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('estimate')} />}
      </FieldFrame>
      <AssigneePicker vesselId={vesselId} register={register} error={errors.assignees?.message} />
      <label className="checkbox">
        <input type="checkbox" {...register('signature_required')} /> Completion needs a signature
      </label>
      <ProcedurePicker
        target="plan"
        stepCount={steps.length}
        onCopy={(copied) => {
          setValue('steps', [...getValues('steps'), ...copied], { shouldDirty: true });
        }}
      />
      <StepBuilder control={control} register={register} errors={errors.steps} />
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        {plan ? 'Save the plan' : 'Create the plan'}
      </button>
    </form>
  );
}

/** The criteria: one to three rows, each by the calendar or by running hours. */
function CriteriaBuilder({ control, register, errors }: { control: Control<PlanFields>; register: UseFormRegister<PlanFields>; errors: FieldErrors<PlanFields> }) {
  const titleId = useId();
  const { fields, append, remove } = useFieldArray({ control, name: 'criteria', keyName: 'key' });
  const criteria = useWatch({ control, name: 'criteria' });
  const hasHours = criteria.some((c) => c.kind === 'running_hours');
  const listError = errors.criteria?.message ?? errors.criteria?.root?.message;
  return (
    <section className="plan-criteria-builder wo-builder" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__subtitle">
        When it falls due
      </h2>
      <p className="field__hint">By the calendar, by running hours, or both: whichever comes first.</p>
      {fields.map((field, index) => (
        <CriterionEditor
          key={field.key}
          index={index}
          row={criteria[index]}
          register={register}
          errors={errors.criteria?.[index]}
          onRemove={
            fields.length > 1
              ? () => {
                  remove(index);
                }
              : null
          }
        />
      ))}
      {listError ? (
        <p className="field__error" role="alert">
          {listError}
        </p>
      ) : null}
      <button
        className="button"
        type="button"
        disabled={fields.length >= MAX_CRITERIA}
        onClick={() => {
          append(blankCriterion(hasHours ? 'calendar' : 'running_hours'));
        }}
      >
        Add a criterion
      </button>
    </section>
  );
}

function CriterionEditor({
  index,
  row,
  register,
  errors,
  onRemove,
}: {
  index: number;
  row: CriterionFields | undefined;
  register: UseFormRegister<PlanFields>;
  errors: FieldErrors<CriterionFields> | undefined;
  onRemove: (() => void) | null;
}) {
  const calendar = row?.kind !== 'running_hours';
  const n = index + 1;
  return (
    <fieldset className="plan-criterion">
      <legend>Criterion {n}</legend>
      <FieldFrame label="By" error={errors?.kind?.message}>
        {(ids) => (
          <select {...ids} {...register(`criteria.${index}.kind`)}>
            <option value="calendar">The calendar</option>
            <option value="running_hours">Running hours</option>
          </select>
        )}
      </FieldFrame>
      {calendar ? (
        <>
          <div className="plan-pair">
            <FieldFrame label="Every" error={errors?.every?.message}>
              {(ids) => <input {...ids} inputMode="numeric" autoComplete="off" {...register(`criteria.${index}.every`)} />}
            </FieldFrame>
            <FieldFrame label="Unit">
              {(ids) => (
                <select {...ids} {...register(`criteria.${index}.unit`)}>
                  <option value="days">Days</option>
                  <option value="weeks">Weeks</option>
                  <option value="months">Months</option>
                  <option value="years">Years</option>
                </select>
              )}
            </FieldFrame>
          </div>
          <FieldFrame label="Counted from">
            {(ids) => (
              <select {...ids} {...register(`criteria.${index}.basis`)}>
                <option value="from_schedule">The schedule (fixed days)</option>
                <option value="from_completion">The last completion</option>
              </select>
            )}
          </FieldFrame>
        </>
      ) : (
        <FieldFrame label="Every (hours)" error={errors?.every?.message}>
          {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register(`criteria.${index}.every`)} />}
        </FieldFrame>
      )}
      <div className="plan-pair">
        <FieldFrame label={calendar ? 'Early (days)' : 'Early (hours)'} error={errors?.early?.message}>
          {(ids) => <input {...ids} inputMode={calendar ? 'numeric' : 'decimal'} autoComplete="off" {...register(`criteria.${index}.early`)} />}
        </FieldFrame>
        <FieldFrame label={calendar ? 'Late (days)' : 'Late (hours)'} error={errors?.late?.message}>
          {(ids) => <input {...ids} inputMode={calendar ? 'numeric' : 'decimal'} autoComplete="off" {...register(`criteria.${index}.late`)} />}
        </FieldFrame>
      </div>
      {onRemove ? (
        <button className="link-button" type="button" onClick={onRemove}>
          Remove criterion {n}
        </button>
      ) : null}
    </fieldset>
  );
}

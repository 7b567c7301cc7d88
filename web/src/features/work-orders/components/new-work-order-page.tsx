/**
 * `/work-orders/new` for roles with `workorder.create` (reached by "New work order" on an item's
 * page, `?equipment=`, on a fault's page, `?fault=`, or on the work list): the item, title,
 * description, priority, due day, estimate in hours, who does it (people on the item's vessel
 * or its departments), whether completion needs a signature, and the checklist's steps. Queued
 * as `create_work_order.v1` with a client-made UUIDv7 (`work-order-form.ts` says what it sends),
 * then its page opens, the order shown at once "on this device". A work order raised from a
 * fault names it (`fault_id`) and starts from its title, item and severity. "Start from a
 * procedure" copies one of the company's procedures' steps into the checklist with new ids
 * (`components/procedure-picker.tsx`).
 */
import '../../../components/maintenance.css';
import './work-orders.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm, useWatch, type UseFormSetValue } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { newRowId, useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { ProcedurePicker } from '../../../components/procedure-picker';
import { useDocumentTitle } from '../../../components/use-document-title';
import { StepBuilder } from '../../../components/step-builder';
import { useSignedInUser } from '../../../session/session-context';
import { useFaultSummary, useItems, useVesselNames, type FaultSummary, type ItemSummary } from '../api/people';
import { CREATE_WORK_ORDER } from '../api/work-orders';
import { createArgs, priorityForSeverity, workOrderSchema, type WorkOrderFields } from './work-order-form';
import { WorkOrderFieldInputs } from './work-order-fields';

/** The page. */
export function NewWorkOrderPage() {
  useDocumentTitle('New work order');
  const user = useSignedInUser();
  const [params] = useSearchParams();
  const faultId = params.get('fault')?.toLowerCase() ?? null;
  const equipmentId = params.get('equipment')?.toLowerCase() ?? null;
  const fault = useFaultSummary(faultId);
  const items = useItems();
  const titleId = useId();
  const back =
    faultId !== null
      ? { to: `/faults/${encodeURIComponent(faultId)}`, label: 'Back to the fault' }
      : equipmentId !== null
        ? { to: `/equipment/${encodeURIComponent(equipmentId)}`, label: 'Back to the item' }
        : { to: '/work-orders', label: 'All work' };

  let body;
  if (!may(user.role, 'workorder.create')) {
    body = <p className="notice">Your role does not create work orders: an engineer, a manager or an admin does.</p>;
  } else if (items === undefined || fault === undefined) {
    body = (
      <p className="notice" role="status">
        Loading…
      </p>
    );
  } else if (faultId !== null && fault === null) {
    body = <p className="notice">That fault is not on this device: it may be on a vessel you are not assigned to, or not synced yet.</p>;
  } else {
    body = <WorkOrderForm key={faultId ?? equipmentId ?? 'new'} items={items} fault={fault} equipmentId={fault?.equipmentId ?? equipmentId} />;
  }
  return (
    <article className="work-order" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        {fault ? 'New work order from a fault' : 'New work order'}
      </h1>
      {body}
    </article>
  );
}

function WorkOrderForm({
  items,
  fault,
  equipmentId,
}: {
  items: Map<string, ItemSummary>;
  fault: FaultSummary | null;
  equipmentId: string | null;
}) {
  const enqueue = useEnqueue();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, control, setValue, getValues } = useForm<WorkOrderFields>({
    resolver: zodResolver(workOrderSchema),
    defaultValues: {
      equipment_id: equipmentId !== null && items.has(equipmentId) ? equipmentId : '',
      title: fault?.title ?? '',
      description: '',
      priority: fault ? priorityForSeverity(fault.severity) : 'normal',
      due_on: '',
      estimate: '',
      assignees: [],
      signature_required: false,
      steps: [],
    },
  });
  const errors = formState.errors;
  const [chosen, steps] = useWatch({ control, name: ['equipment_id', 'steps'] });
  const item = items.get(chosen) ?? null;

  const submit = handleSubmit(async (values) => {
    setFailure(null);
    const id = newRowId();
    try {
      await enqueue(CREATE_WORK_ORDER, createArgs(id, values, fault?.id ?? null), null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The work order could not be kept on this device.');
      return;
    }
    await navigate(`/work-orders/${encodeURIComponent(id)}`);
  });

  return (
    <form className="card wo-form" aria-label="New work order" noValidate onSubmit={(e) => void submit(e)}>
      <ItemChoice items={items} item={item} fixed={fault !== null} error={errors.equipment_id?.message} setValue={setValue} />
      <WorkOrderFieldInputs vesselId={item?.vesselId ?? null} register={register} errors={errors} />
      <ProcedurePicker
        target="work order"
        stepCount={steps.length}
        onCopy={(copied) => {
          setValue('steps', [...getValues('steps'), ...copied], { shouldDirty: true });
        }}
      />
      <StepBuilder control={control} register={register} errors={errors.steps} />
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Create work order
      </button>
    </form>
  );
}

/** The item: fixed when given (its name), else found by name among the device's items. */
function ItemChoice({
  items,
  item,
  fixed,
  error,
  setValue,
}: {
  items: Map<string, ItemSummary>;
  item: ItemSummary | null;
  fixed: boolean;
  error: string | undefined;
  setValue: UseFormSetValue<WorkOrderFields>;
}) {
  const vessels = useVesselNames();
  const [query, setQuery] = useState('');
  const searchId = useId();
  const errorId = useId();
  const choose = (id: string) => {
    setValue('equipment_id', id, { shouldValidate: id !== '' });
    // People and departments are the chosen item's vessel's.
    setValue('assignees', []);
  };
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const matches =
    words.length === 0
      ? []
      : [...items.values()]
          .filter((i) => !i.decommissioned && words.every((w) => i.name.toLowerCase().includes(w)))
          .sort((a, b) => a.name.localeCompare(b.name))
          .slice(0, 8);
  const vesselOf = (i: ItemSummary) => (i.vesselId ? vessels.get(i.vesselId) : undefined);

  if (item) {
    return (
      <div className="field">
        <p className="wo-item-choice">
          <span className="wo-item-choice__label">Item</span>
          <strong>{item.name}</strong>
          {vesselOf(item) ? <span> · {vesselOf(item)}</span> : null}
        </p>
        {fixed ? null : (
          <button
            className="link-button"
            type="button"
            onClick={() => {
              choose('');
            }}
          >
            Choose another item
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={searchId}>Item</label>
      <input
        id={searchId}
        type="search"
        autoComplete="off"
        placeholder="Find the item by name"
        aria-invalid={error !== undefined}
        aria-describedby={error ? errorId : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
        }}
      />
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
      {words.length > 0 ? (
        matches.length === 0 ? (
          <p className="field__hint">No item on this device has that name.</p>
        ) : (
          <ul className="wo-item-matches" aria-label="Matching items">
            {matches.map((i) => (
              <li key={i.id}>
                <button
                  className="button"
                  type="button"
                  onClick={() => {
                    choose(i.id);
                  }}
                >
                  {i.name}
                  {i.vesselId && vessels.has(i.vesselId) ? ` · ${vessels.get(i.vesselId) ?? ''}` : ''}
                </button>
              </li>
            ))}
          </ul>
        )
      ) : (
        <p className="field__hint">Type part of its name; or open the item (from the vessel’s equipment, or scan its label) and choose “New work order” there.</p>
      )}
    </div>
  );
}

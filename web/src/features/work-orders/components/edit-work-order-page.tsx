/**
 * `/work-orders/:id/edit` for roles with `workorder.manage` (reached by "Edit" on the work
 * order's page while it is open, in progress or on hold): its title, description, priority, due
 * day, estimate in hours, who does it (the people on the item's vessel and its departments) and
 * whether completion needs a signature — the new work order form's fields, checked by the same
 * rules (`work-order-form.ts`); the item, origin and checklist never change. Prefilled from the
 * order as the device shows it, a waiting edit included, and queued as `update_work_order.v1`
 * with the whole set of fields; the order's page then opens, the edit shown at once "on this
 * device". The writes on the order not yet accepted show with their refusals.
 *
 * The base version is the order's replica version as it was when the form was filled, kept
 * with the values it was filled from (as the plan and part edits send the row's replica
 * version): the server takes a field whose value is still the one at that base as untouched, so
 * a change synced in while the form was open is never overwritten by the copy the form holds.
 */
import '../../../components/maintenance.css';
import './work-orders.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';

import { useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { useItems } from '../api/people';
import { expectedStatus, isEditable, UPDATE_WORK_ORDER, useWorkOrder, type WorkOrderItem } from '../api/work-orders';
import { assigneesKeptInPlace, editFieldsOf, editSchema, updateArgs, type EditFields } from './work-order-form';
import { WorkOrderFieldInputs } from './work-order-fields';
import { PendingWrites, STATUS_LABEL } from './work-order-labels';

/** The page. */
export function EditWorkOrderPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const order = useWorkOrder(id);
  const titleId = useId();
  useDocumentTitle('Edit work order');

  let body: ReactNode;
  if (!may(user.role, 'workorder.manage')) {
    body = <p className="notice">Your role does not edit work orders: an engineer, a manager or an admin does.</p>;
  } else if (order === undefined) {
    body = (
      <p className="notice" role="status">
        Loading the work order…
      </p>
    );
  } else if (order === null) {
    body = <p className="notice">That work order is not on this device: it may be on a vessel you are not assigned to, or not synced yet.</p>;
  } else if (!isEditable(expectedStatus(order))) {
    body = (
      <p className="notice">
        This work order is {STATUS_LABEL[expectedStatus(order)].toLowerCase()}: it is no longer edited.
      </p>
    );
  } else {
    body = <EditForm key={order.id} order={order} />;
  }
  return (
    <article className="work-order" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/work-orders/${encodeURIComponent(id)}`}>Back to the work order</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Edit work order
      </h1>
      {body}
    </article>
  );
}

function EditForm({ order }: { order: WorkOrderItem }) {
  const enqueue = useEnqueue();
  const navigate = useNavigate();
  const items = useItems();
  const [failure, setFailure] = useState<string | null>(null);
  // The form starts from the order as it was when opened, and its version with it: a sync
  // meanwhile resets neither (see the module's note).
  const [opened] = useState(() => ({ fields: editFieldsOf(order), version: order.version }));
  const { register, handleSubmit, formState } = useForm<EditFields>({ resolver: zodResolver(editSchema), defaultValues: opened.fields });
  const errors = formState.errors;

  const submit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      const assignees = assigneesKeptInPlace(opened.fields.assignees, values.assignees);
      await enqueue(UPDATE_WORK_ORDER, updateArgs(order.id, { ...values, assignees }), opened.version);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The change could not be kept on this device.');
      return;
    }
    await navigate(`/work-orders/${encodeURIComponent(order.id)}`);
  });

  return (
    <>
      <PendingWrites writes={order.pending} />
      <form className="card wo-form" aria-label="Edit work order" noValidate onSubmit={(e) => void submit(e)}>
        <p className="wo-item-choice">
          <span className="wo-item-choice__label">Item</span>
          <strong>{items?.get(order.equipmentId)?.name ?? 'An item not yet on this device'}</strong>
        </p>
        <WorkOrderFieldInputs vesselId={order.vesselId} register={register} errors={errors} />
        {failure ? <p role="alert">{failure}</p> : null}
        <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
          Save the work order
        </button>
      </form>
    </>
  );
}

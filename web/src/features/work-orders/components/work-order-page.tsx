/**
 * `/work-orders/:id`: one work order — what, on which item, where it stands, how pressing, when
 * due, where it came from (the fault it was raised from, linked) — with the moves the status
 * and the person's role allow: Start, Hold, Resume (`workorder.execute`), Verify
 * (`workorder.verify`, never by the person who completed it), Edit (its own page) and Cancel
 * with a reason (`workorder.manage`, while the order is open, in progress or on hold). A
 * waiting edit shows at once: the order is drawn with its fields. Under it the checklist, completing (what is still missing, and the
 * signature when the order asks for one), the labour and the parts used.
 *
 * Everything is read from the replica and the outbox, in one live query at the top
 * (`useWorkOrderView`) whose result the sections are given, and every move is queued, so the page
 * works with the network off; moves name the order's replica version as their base (null for
 * an order still only on this device: the server takes this device's own earlier writes).
 */
import '../../../components/maintenance.css';
import './work-orders.css';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { z } from 'zod';

import { formatDate, formatDateTime } from '../../../components/date-time';
import { FieldFrame } from '../../../components/form-field';
import { useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import type { JsonValue } from '../../../sync/checksum';
import type { FaultSummary } from '../api/people';
import { formatMinutes } from '../api/work-log';
import { useWorkOrderView, type WorkOrderView } from '../api/work-order-view';
import {
  CANCEL_WORK_ORDER,
  CREATE_WORK_ORDER,
  expectedStatus,
  HOLD_WORK_ORDER,
  isCompletedBy,
  isEdit,
  isEditable,
  isMove,
  isOverdue,
  isToDo,
  isWorkable,
  START_WORK_ORDER,
  VERIFY_WORK_ORDER,
  type Origin,
  type WorkOrderItem,
  type WorkOrderStatus,
} from '../api/work-orders';
import { ChecklistSection } from './checklist-section';
import { CompleteSection } from './complete-section';
import { LabourSection } from './labour-section';
import { PartsUsedSection } from './parts-used-section';
import { PendingWrites, PriorityMark, StatusText } from './work-order-labels';

/** The page. */
export function WorkOrderPage() {
  const { id = '' } = useParams();
  const view = useWorkOrderView(id);
  useDocumentTitle(view?.order.title ?? 'Work order');
  if (view === undefined) {
    return (
      <p className="notice" role="status">
        Loading the work order…
      </p>
    );
  }
  if (view === null) {
    return (
      <section className="card">
        <h1 className="page-title">Work order not found</h1>
        <p className="notice">
          It is not on this device: it may be on a vessel you are not assigned to, or not synced yet.{' '}
          <Link to="/work-orders">Go to your work</Link>
        </p>
      </section>
    );
  }
  return <WorkOrderDetails view={view} />;
}

function WorkOrderDetails({ view }: { view: WorkOrderView }) {
  const { order, item, checklist, people, departments } = view;
  const titleId = useId();
  const user = useSignedInUser();
  const status = expectedStatus(order);
  const me = user.id.toLowerCase();
  const person = (userId: string | null) =>
    userId === null ? '—' : userId === me ? `${user.name} (you)` : (people.get(userId) ?? 'A shipmate');
  const mayWork = may(user.role, 'workorder.execute');

  const facts: [string, ReactNode][] = [
    ['Item', <Link to={`/equipment/${encodeURIComponent(order.equipmentId)}`}>{item?.name ?? 'The item'}</Link>],
    ['Status', <StatusText status={order.status} expected={status} />],
    ['Priority', <PriorityMark priority={order.priority} />],
    [
      'Due',
      order.dueOn ? (
        <>
          <time dateTime={order.dueOn}>{formatDate(`${order.dueOn}T12:00:00`)}</time>
          {isOverdue(order, status) ? <span className="wo-overdue">Overdue</span> : null}
        </>
      ) : (
        'No due date'
      ),
    ],
    [
      'Assigned to',
      order.assignees.length === 0
        ? 'Nobody yet'
        : order.assignees
            .map((a) => (a.kind === 'person' ? person(a.userId) : `${departments.get(a.departmentId) ?? 'A department'} department`))
            .join(', '),
    ],
    ['Origin', <OriginText origin={order.origin} fault={view.fault} />],
  ];
  if (order.estimatedMinutes !== null) facts.push(['Estimate', formatMinutes(order.estimatedMinutes)]);
  if (order.startedAt) facts.push(['Started', formatDateTime(order.startedAt)]);
  if (order.completedAt) facts.push(['Completed', `${formatDateTime(order.completedAt)} by ${person(order.completedBy)}`]);
  if (order.signature) facts.push(['Signed by', order.signature.name]);
  if (order.verifiedAt) facts.push(['Verified', `${formatDateTime(order.verifiedAt)} by ${person(order.verifiedBy)}`]);
  if (order.cancelledAt) facts.push(['Cancelled', `${formatDateTime(order.cancelledAt)}${order.cancelReason ? `: ${order.cancelReason}` : ''}`]);

  return (
    <article className="work-order" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/work-orders">All work</Link>
      </p>
      <div className={`card wo-header wo-header--${order.priority}`}>
        <p className="wo-kicker">{item?.name ?? 'Work order'}</p>
        <h1 id={titleId} className="page-title">
          {order.title}
        </h1>
        {order.description ? <p className="wo-description">{order.description}</p> : null}
        <dl className="facts">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <PendingWrites writes={order.pending.filter((w) => isMove(w) || isEdit(w) || w.name === CREATE_WORK_ORDER)} />
        <Actions order={order} status={status} />
      </div>
      <ChecklistSection order={order} status={status} checklist={checklist} people={people} />
      {status === 'in_progress' && mayWork ? <CompleteSection order={order} missing={checklist.missing} /> : null}
      <LabourSection order={order} entries={view.labour} people={people} canLog={mayWork && isWorkable(status)} />
      <PartsUsedSection
        order={order}
        used={view.partsUsed}
        parts={view.parts}
        locationPaths={view.locationPaths}
        people={people}
        canUse={mayWork && isWorkable(status)}
      />
    </article>
  );
}

/** Where the order came from; a fault and a failed check link to their pages. */
function OriginText({ origin, fault }: { origin: Origin; fault: FaultSummary | null }) {
  switch (origin.kind) {
    case 'manual':
      return <>Created by hand</>;
    case 'fault':
      return (
        <>
          Raised from the fault <Link to={`/faults/${encodeURIComponent(origin.faultId)}`}>{fault?.title ?? 'on this item'}</Link>
        </>
      );
    case 'plan':
      return <>Planned maintenance (occurrence {origin.occurrence + 1})</>;
    case 'follow_up':
      return (
        <>
          Follow-up of a failed check on <Link to={`/work-orders/${encodeURIComponent(origin.workOrderId)}`}>another work order</Link>
        </>
      );
  }
}

/** The moves the status and the role allow. */
function Actions({ order, status }: { order: WorkOrderItem; status: WorkOrderStatus }) {
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const formId = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const mayWork = may(user.role, 'workorder.execute');
  const mayVerify = may(user.role, 'workorder.verify');
  const mayManage = may(user.role, 'workorder.manage');
  const ownWork = isCompletedBy(order, user.id);

  async function queue(name: string, args: Record<string, JsonValue> = {}): Promise<boolean> {
    setFailure(null);
    try {
      await enqueue(name, { work_order_id: order.id, ...args }, order.version);
      return true;
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The change could not be kept on this device.');
      return false;
    }
  }

  const buttons: ReactNode[] = [];
  if (mayWork && status === 'open') {
    buttons.push(
      <button key="start" className="button button--primary" type="button" onClick={() => void queue(START_WORK_ORDER)}>
        Start
      </button>,
    );
  }
  if (mayWork && status === 'in_progress') {
    buttons.push(
      <button key="hold" className="button" type="button" onClick={() => void queue(HOLD_WORK_ORDER)}>
        Hold
      </button>,
    );
  }
  if (mayWork && status === 'on_hold') {
    buttons.push(
      <button key="resume" className="button button--primary" type="button" onClick={() => void queue(START_WORK_ORDER)}>
        Resume
      </button>,
    );
  }
  if (mayVerify && status === 'done' && !ownWork) {
    buttons.push(
      <button key="verify" className="button button--primary" type="button" onClick={() => void queue(VERIFY_WORK_ORDER)}>
        Verify
      </button>,
    );
  }
  if (mayManage && isEditable(status)) {
    buttons.push(
      <Link key="edit" className="button" to={`/work-orders/${encodeURIComponent(order.id)}/edit`}>
        Edit
      </Link>,
    );
  }
  if (mayManage && isToDo(status)) {
    buttons.push(
      <button
        key="cancel"
        className="button button--danger"
        type="button"
        aria-expanded={cancelling}
        aria-controls={`${formId}-cancel`}
        onClick={() => {
          setCancelling(!cancelling);
        }}
      >
        Cancel work order
      </button>,
    );
  }
  const ownWorkNote = mayVerify && status === 'done' && ownWork;
  if (buttons.length === 0 && !ownWorkNote) return null;
  return (
    <div className="wo-actions">
      {buttons.length > 0 ? <div className="button-row">{buttons}</div> : null}
      {ownWorkNote ? <p className="notice">You completed this work: someone else verifies it.</p> : null}
      <div id={`${formId}-cancel`} hidden={!cancelling}>
        {cancelling ? (
          <CancelForm
            onCancel={async (reason) => {
              if (await queue(CANCEL_WORK_ORDER, { reason })) setCancelling(false);
            }}
          />
        ) : null}
      </div>
      {failure ? <p role="alert">{failure}</p> : null}
    </div>
  );
}

export const cancelSchema = z.object({
  reason: z.string().trim().min(1, 'Say why the work is cancelled.').max(1000, 'Keep the reason to 1,000 characters.'),
});
type Cancel = z.infer<typeof cancelSchema>;

/** Cancelling, with the reason. */
function CancelForm({ onCancel }: { onCancel: (reason: string) => Promise<void> }) {
  const { register, handleSubmit, formState } = useForm<Cancel>({ resolver: zodResolver(cancelSchema), defaultValues: { reason: '' } });
  const submit = handleSubmit(async ({ reason }) => {
    await onCancel(reason.trim());
  });
  return (
    <form className="wo-form" aria-label="Cancel the work order" noValidate onSubmit={(e) => void submit(e)}>
      <FieldFrame label="Why is it cancelled?" error={formState.errors.reason?.message}>
        {(ids) => <textarea {...ids} rows={3} {...register('reason')} />}
      </FieldFrame>
      <button className="button button--danger" type="submit" disabled={formState.isSubmitting}>
        Confirm cancellation
      </button>
    </form>
  );
}

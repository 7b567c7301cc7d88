/**
 * `/work-orders` ("Work" in the navigation): the crew's everyday screen. "My work" first — the
 * orders assigned to the person or to one of their departments on the vessel — then the rest of
 * the vessels' work, each most pressing first (priority, then the earliest due day). Filtered by
 * status (`?status=`: still to do by default, open, in progress, on hold, done, all) and
 * priority (`?priority=`). Each row: title, item, priority, due day ("Overdue" past it), status,
 * and whether it has writes still on this device. All from the replica and the outbox, so it
 * works with the network off. "Procedures" leads to the company's reusable checklists.
 */
import '../../../components/maintenance.css';
import './work-orders.css';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';

import { formatDate } from '../../../components/date-time';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { useItems, type ItemSummary } from '../api/people';
import {
  byUrgency,
  expectedStatus,
  isMine,
  isOverdue,
  isToDo,
  PRIORITIES,
  useMyDepartments,
  useWorkOrders,
  type WorkOrderItem,
  type WorkOrderStatus,
} from '../api/work-orders';
import { PRIORITY_LABEL, PriorityMark, STATUS_LABEL } from './work-order-labels';

/** The status filter's choices. */
const STATUS_FILTERS = {
  todo: 'To do',
  open: 'Open',
  in_progress: 'In progress',
  on_hold: 'On hold',
  done: 'Done',
  all: 'All',
} as const;
type StatusFilter = keyof typeof STATUS_FILTERS;

function matchesStatus(filter: StatusFilter, status: WorkOrderStatus): boolean {
  switch (filter) {
    case 'todo':
      return isToDo(status);
    case 'done':
      return status === 'done' || status === 'verified';
    case 'all':
      return true;
    default:
      return status === filter;
  }
}

/** The page. */
export function WorkOrdersPage() {
  useDocumentTitle('Work');
  const user = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status') ?? 'todo';
  const status: StatusFilter = statusParam in STATUS_FILTERS ? (statusParam as StatusFilter) : 'todo';
  const priorityParam = params.get('priority') ?? 'any';
  const orders = useWorkOrders();
  const departments = useMyDepartments(user.id);
  const items = useItems();
  const titleId = useId();
  const filterId = useId();

  function setFilter(name: string, value: string, fallback: string) {
    const next = new URLSearchParams(params);
    if (value === fallback) next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  }

  const shown =
    orders &&
    departments &&
    orders
      .map((order) => ({ order, status: expectedStatus(order) }))
      .filter((o) => matchesStatus(status, o.status))
      .filter((o) => priorityParam === 'any' || o.order.priority === priorityParam)
      .sort((a, b) => byUrgency(a.order, b.order));
  const mine = shown?.filter((o) => isMine(o.order, user.id, departments ?? new Set()));
  const others = shown?.filter((o) => !isMine(o.order, user.id, departments ?? new Set()));
  const filtered = status !== 'todo' || priorityParam !== 'any';

  return (
    <section className="work-orders" aria-labelledby={titleId}>
      <h1 id={titleId} className="page-title">
        Work
      </h1>
      <p className="button-row">
        {may(user.role, 'workorder.create') ? (
          <Link className="button" to="/work-orders/new">
            New work order
          </Link>
        ) : null}
        <Link className="button" to="/procedures">
          Procedures
        </Link>
      </p>
      <div className="card filters wo-filters" role="group" aria-label="Filters">
        <div className="field">
          <label htmlFor={`${filterId}-status`}>Status</label>
          <select
            id={`${filterId}-status`}
            value={status}
            onChange={(e) => {
              setFilter('status', e.target.value, 'todo');
            }}
          >
            {Object.entries(STATUS_FILTERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${filterId}-priority`}>Priority</label>
          <select
            id={`${filterId}-priority`}
            value={priorityParam}
            onChange={(e) => {
              setFilter('priority', e.target.value, 'any');
            }}
          >
            <option value="any">Any</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABEL[p]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {orders === undefined || mine === undefined || others === undefined ? (
        <p className="notice" role="status">
          Loading work…
        </p>
      ) : orders.length === 0 ? (
        <p className="notice">
          No work orders on this device yet.{' '}
          {may(user.role, 'workorder.create')
            ? 'Open an item (from your vessel’s equipment, or scan its label) or a fault and choose “New work order”.'
            : 'Work assigned to you arrives with the next sync, once there is a connection.'}
        </p>
      ) : (
        <>
          <WorkList
            title="My work"
            orders={mine}
            items={items}
            empty={
              filtered
                ? 'Nothing assigned to you or your department matches these filters.'
                : 'Nothing is assigned to you or your department right now. Pick up work from the list below, or ask the chief engineer.'
            }
          />
          <WorkList
            title="Other work on board"
            orders={others}
            items={items}
            empty={filtered ? 'No other work matches these filters.' : 'No other work to do on board.'}
          />
        </>
      )}
    </section>
  );
}

function WorkList({
  title,
  orders,
  items,
  empty,
}: {
  title: string;
  orders: { order: WorkOrderItem; status: WorkOrderStatus }[];
  items: Map<string, ItemSummary> | undefined;
  empty: string;
}) {
  const titleId = useId();
  return (
    <section className="wo-section" aria-labelledby={titleId}>
      <h2 id={titleId} className="wo-section__title">
        {title} <span className="wo-section__count">({orders.length})</span>
      </h2>
      {orders.length === 0 ? (
        <p className="notice">{empty}</p>
      ) : (
        <ul className="wo-list" aria-label={title}>
          {orders.map(({ order, status }) => (
            <WorkOrderRow key={order.id} order={order} status={status} itemName={items?.get(order.equipmentId)?.name} />
          ))}
        </ul>
      )}
    </section>
  );
}

function WorkOrderRow({ order, status, itemName }: { order: WorkOrderItem; status: WorkOrderStatus; itemName: string | undefined }) {
  const titleId = useId();
  const overdue = isOverdue(order, status);
  const latest = order.pending.at(-1);
  return (
    <li className={`wo-row wo-row--${order.priority}`} aria-labelledby={titleId}>
      <h3 id={titleId} className="wo-row__title">
        <Link to={`/work-orders/${encodeURIComponent(order.id)}`}>{order.title}</Link>
      </h3>
      <dl className="wo-row__facts">
        <div>
          <dt>Item</dt>
          <dd>{itemName ?? 'An item not yet on this device'}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>
            <PriorityMark priority={order.priority} />
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{STATUS_LABEL[status]}</dd>
        </div>
        {order.dueOn ? (
          <div>
            <dt>Due</dt>
            <dd>
              <time dateTime={order.dueOn}>{formatDate(`${order.dueOn}T12:00:00`)}</time>
              {overdue ? <span className="wo-overdue">Overdue</span> : null}
            </dd>
          </div>
        ) : null}
        {latest ? (
          <div>
            <dt>Sync</dt>
            <dd>
              <PendingMark write={latest} />
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

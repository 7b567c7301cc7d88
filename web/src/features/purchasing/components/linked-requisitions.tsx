/**
 * The requisitions raised for a fault or a work order, under its page's "Request part" link:
 * each with its part, quantity, status, the supplier proposed and the prices the row carries for
 * the reader (none for crew: the server leaves out what a role may not see), linking to the
 * requisition. A fault's parts orders of old are requisitions too (the same ids, ADR 0007 §7).
 * From the replica with this person's waiting requisitions over it, so they show offline and at
 * once. Nothing shows while there are none. Placed by the routes beside the other feature's page.
 */
import './purchasing.css';
import { useId } from 'react';
import { useParams } from 'react-router';

import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import { priceColumns } from '../api/prices';
import { useRequisitions, useSuppliers } from '../api/purchasing';
import { requisitionsFor } from '../api/reorders';
import { PriceFacts, RequisitionBadge, RequisitionLink, withUnit } from './purchasing-labels';

function LinkedRequisitions({ link, what }: { link: { faultId: string } | { workOrderId: string }; what: string }) {
  const user = useSignedInUser();
  const requisitions = useRequisitions();
  const suppliers = useSuppliers();
  const titleId = useId();
  if (!may(user.role, 'parts.read') || !requisitions) return null;
  const linked = requisitionsFor(requisitions, link);
  if (linked.length === 0) return null;
  const supplierNames = new Map(suppliers?.map((s) => [s.id, s.name]));
  const columns = priceColumns(linked.map((r) => r.prices));
  return (
    <section className="card linked-requisitions" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Requisitions for this {what}
      </h2>
      <ul className="buy-list" aria-labelledby={titleId}>
        {linked.map((r) => {
          const last = r.pending.at(-1);
          const supplier = r.supplierId ? supplierNames.get(r.supplierId) : undefined;
          return (
            <li key={r.id} className="buy-item">
              <h3 className="buy-item__title">
                <RequisitionLink requisition={r} />
              </h3>
              <RequisitionBadge requisition={r} />
              <dl className="buy-item__facts">
                <div>
                  <dt>Quantity</dt>
                  <dd className="buy-number">{withUnit(r.quantity, r.unit)}</dd>
                </div>
                {supplier ? (
                  <div>
                    <dt>Supplier</dt>
                    <dd>{supplier}</dd>
                  </div>
                ) : null}
                <PriceFacts prices={r.prices} columns={columns} />
              </dl>
              {last ? (
                <p>
                  <PendingMark write={last} />
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Under a fault's page. */
export function FaultRequisitions() {
  const { id = '' } = useParams();
  return <LinkedRequisitions link={{ faultId: id }} what="fault" />;
}

/** Under a work order's page. */
export function WorkOrderRequisitions() {
  const { id = '' } = useParams();
  return <LinkedRequisitions link={{ workOrderId: id }} what="work order" />;
}

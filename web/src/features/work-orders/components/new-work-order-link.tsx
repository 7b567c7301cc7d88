/**
 * "New work order" where work is found: under an item's page (`/work-orders/new?equipment=`)
 * and under a fault's page (`/work-orders/new?fault=`), for roles with `workorder.create`.
 * Placed by the routes beside the other feature's page, as the report-a-fault link is.
 */
import '../../../components/maintenance.css';
import './work-orders.css';
import { Link, useParams } from 'react-router';

import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import { useFaultSummary } from '../api/people';

/** Under an item's page. */
export function NewWorkOrderLink() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  if (!may(user.role, 'workorder.create')) return null;
  return (
    <p className="wo-new-link">
      <Link className="button" to={`/work-orders/new?equipment=${encodeURIComponent(id)}`}>
        New work order
      </Link>
    </p>
  );
}

/** Under a fault's page, once the device knows the fault. */
export function FaultWorkOrderLink() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const fault = useFaultSummary(id);
  if (!may(user.role, 'workorder.create') || !fault) return null;
  return (
    <p className="wo-new-link">
      <Link className="button" to={`/work-orders/new?fault=${encodeURIComponent(id)}`}>
        New work order from this fault
      </Link>
    </p>
  );
}

/**
 * "Request part" where parts are found missing: under a fault's page and a work order's page,
 * for roles with `parts.request`, once the device knows the fault or order (its vessel is the
 * requisition's). Under a fault, only while it needs work (neither resolved nor closed), and for
 * a fault whose report is still on this device too (its vessel its item's): a fault's parts are
 * the requisitions raised for it. The form opens with the fault or the work order filled in.
 * Placed by the routes beside the other feature's page, as the "New work order" link is.
 */
import './purchasing.css';
import { Link, useParams } from 'react-router';

import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { useFaultToRequestFor, useRowVessel } from '../api/vessels';

function RequestPartLink({ vesselId, query, id }: { vesselId: string | null | undefined; query: 'fault' | 'work_order'; id: string }) {
  const user = useSignedInUser();
  if (!may(user.role, 'parts.request') || !vesselId) return null;
  return (
    <p className="request-part-link">
      <Link className="button" to={`/vessels/${encodeURIComponent(vesselId)}/requisitions/new?${query}=${encodeURIComponent(id.toLowerCase())}`}>
        Request part
      </Link>
    </p>
  );
}

/** Under a fault's page. */
export function FaultRequestPartLink() {
  const { id = '' } = useParams();
  const fault = useFaultToRequestFor(id);
  return <RequestPartLink vesselId={fault?.unresolved ? fault.vesselId : null} query="fault" id={id} />;
}

/** Under a work order's page. */
export function WorkOrderRequestPartLink() {
  const { id = '' } = useParams();
  const vesselId = useRowVessel(ENTITY.workOrder, id);
  return <RequestPartLink vesselId={vesselId} query="work_order" id={id} />;
}

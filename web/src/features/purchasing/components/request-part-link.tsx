/**
 * "Request part" where parts are found missing: under a fault's page and a work order's page,
 * for roles with `parts.request`, once the device knows the fault or order (its vessel is the
 * requisition's). The form opens with the fault or the work order filled in. Placed by the
 * routes beside the other feature's page, as the "New work order" link is.
 */
import './purchasing.css';
import { Link, useParams } from 'react-router';

import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { useRowVessel } from '../api/vessels';

function RequestPartLink({ entity, query }: { entity: string; query: 'fault' | 'work_order' }) {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const vesselId = useRowVessel(entity, id);
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
  return <RequestPartLink entity={ENTITY.fault} query="fault" />;
}

/** Under a work order's page. */
export function WorkOrderRequestPartLink() {
  return <RequestPartLink entity={ENTITY.workOrder} query="work_order" />;
}

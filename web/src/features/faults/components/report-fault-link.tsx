/**
 * Under an item's page (and so under a scanned QR label, which lands there): the way to report
 * a fault on it, for roles that report faults, and to its faults still on this device.
 */
import '../../../components/maintenance.css';
import { Link, useParams } from 'react-router';

import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';

/** The link. */
export function ReportFaultLink() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  if (!may(user.role, 'fault.report')) return null;
  return (
    <p className="report-fault-link">
      <Link className="button button--primary" to={`/equipment/${encodeURIComponent(id)}/report-fault`}>
        Report a fault
      </Link>
    </p>
  );
}

/**
 * The maintenance pages' heading links for one vessel: its plans, its calendar, and "New plan"
 * for the roles that write plans.
 */
import { NavLink } from 'react-router';

import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';

/** The links. */
export function MaintenanceNav({ vesselId }: { vesselId: string }) {
  const user = useSignedInUser();
  const base = `/vessels/${encodeURIComponent(vesselId)}/maintenance`;
  return (
    <nav className="button-row" aria-label="Maintenance">
      <NavLink className="button" to={base} end>
        Plans
      </NavLink>
      <NavLink className="button" to={`${base}/calendar`}>
        Calendar
      </NavLink>
      {may(user.role, 'plan.write') ? (
        <NavLink className="button" to={`${base}/new`}>
          New plan
        </NavLink>
      ) : null}
    </nav>
  );
}

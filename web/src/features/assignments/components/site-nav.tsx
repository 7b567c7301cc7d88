/**
 * The heading links of a site's assignment pages: its bookings, its daily reports, and "Assign
 * equipment" for the roles that plan (`assignment.manage`).
 */
import { NavLink } from 'react-router';

import { may } from '../../../components/permissions';
import { useSignedInUser } from '../../../session/session-context';

/** The links. */
export function SiteNav({ vesselId }: { vesselId: string }) {
  const user = useSignedInUser();
  const base = `/vessels/${encodeURIComponent(vesselId)}`;
  return (
    <nav className="button-row" aria-label="Site">
      <NavLink className="button" to={`${base}/assignments`} end>
        Bookings
      </NavLink>
      <NavLink className="button" to={`${base}/daily-reports`}>
        Daily reports
      </NavLink>
      {may(user.role, 'assignment.manage') ? (
        <NavLink className="button" to={`${base}/assignments/new`}>
          Assign equipment
        </NavLink>
      ) : null}
    </nav>
  );
}

/**
 * Route guards: signed-in pages send strangers to `/login`; `/login` sends the signed-in on.
 *
 * While the refresh cookie is tried on load, the guards wait ("Opening Bosun…") only when the
 * device kept a session: without one, strangers are sent to `/login` and `/login` shows at
 * once, and a refresh that does bring a session back takes the person where they were going
 * (`RequireNoSession` follows the session like a sign-in).
 */
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { may } from '../components/permissions';
import { DASHBOARD_PATH, returnPathFrom, SIGNED_IN_HOME, type ReturnState } from '../session/return-path';
import { useSession } from '../session/session-context';

function Restoring() {
  return (
    <div className="splash" role="status">
      Opening Bosun…
    </div>
  );
}

/** Shows its children only with a session; otherwise redirects to `/login`. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'restoring' && state.sessionKept) return <Restoring />;
  if (state.status !== 'signed-in') {
    // After "Sign out" the next sign-in starts afresh (on a shared device it may be someone
    // else's); a session that ran out, or is still being looked for, comes back to this page.
    if (state.status === 'signed-out' && state.byRequest === true) return <Navigate to="/login" replace />;
    const from: ReturnState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={from} />;
  }
  return children;
}

/**
 * Shows its children only without a session; otherwise goes back where the guard above sent the
 * person away from (so signing in on `/login` returns there), else to the vessels.
 */
export function RequireNoSession({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'restoring' && state.sessionKept) return <Restoring />;
  if (state.status === 'signed-in') return <Navigate to={returnPathFrom(location.state)} replace />;
  return children;
}

/**
 * `/`: where a visitor belongs: the dashboard for those who read the fleet's figures, else the
 * vessels. It waits for the refresh on load either way, since the answer decides the page.
 */
export function HomeRedirect() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'restoring') return <Restoring />;
  if (state.status === 'signed-out') return <Navigate to={`/login${location.search}`} replace />;
  return <Navigate to={may(state.user.role, 'analytics.read') ? DASHBOARD_PATH : SIGNED_IN_HOME} replace />;
}
